"""What a release does to the data an earlier release left (the upgrade check's faults).

``upgrade_loses = "samples"`` (or a list of tables) drops every row of each at start-up when another version
opened the data dir last, as a migration that loses data would; ``upgrade_bug`` (the 0.4.0 path
bug) lives where stored paths are read, ``voicebox_sim/engine/storage.py``.
"""

from __future__ import annotations

import logging

from voicebox_sim.scenario import Scenario
from voicebox_sim.store import Store

log = logging.getLogger("backend.database")


def open_data(store: Store, scenario: Scenario, version: str) -> None:
    previous = store.opened_by(version)
    if previous is not None and previous != version:
        log.info("Migrating data from Voicebox %s to %s", previous, version)
        for table in scenario.upgrade_loses:
            store.clear(table)
