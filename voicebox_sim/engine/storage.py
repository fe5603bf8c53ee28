"""Where media files are, as the database stores their paths and as each release reads them.

The real server stores paths relative to the data dir (``generations/<id>.wav``) and resolves
them with ``config.resolve_storage_path`` (e766c7c). 0.3.0 stored some with the data dir's name
baked in (``data/profiles/...``); 0.4.0 joined those to the data dir as they were, looked for
``<data dir>/data/profiles/...``, and answered 404 for samples and audio after an upgrade
(upstream 440); 0.4.1 strips the leading ``data``. The scenario's ``media_paths = "0.3.0"`` makes
the simulator store paths the 0.3.0 way (a previous release for the upgrade check), and
``upgrade_bug = true`` resolves them the 0.4.0 way.
"""

from __future__ import annotations

from pathlib import Path

from voicebox_sim.scenario import Scenario

OLD_PREFIX = "data"


def stored(scenario: Scenario, relative: str) -> str:
    """The path the database keeps for a file at ``<data dir>/<relative>``."""
    return f"{OLD_PREFIX}/{relative}" if scenario.media_paths == "0.3.0" else relative


def resolve(scenario: Scenario, data_dir: Path, path: str) -> Path:
    """The file a stored path names, as this release reads it."""
    stored_path = Path(path)
    if stored_path.is_absolute():
        return stored_path
    if stored_path.parts[:1] == (OLD_PREFIX,) and not scenario.upgrade_bug:
        stored_path = Path(*stored_path.parts[1:])
    return data_dir / stored_path
