"""The simulator as a previous release, for the upgrade check: ``python -m voicebox_sim.previous``.

It reports version 0.3.0 and stores media paths the way 0.3.0 did (``data/profiles/...``), which
is what broke 0.4.0's upgrade (upstream 440). Its scenario is its own, whatever
``VOICEBOX_SIM_SCENARIO`` names for the build under test.
"""

from __future__ import annotations

import os
from pathlib import Path

from voicebox_sim.cli import main
from voicebox_sim.scenario import SCENARIO_ENV

SCENARIO = Path(__file__).resolve().parent / "previous_release.toml"

if __name__ == "__main__":
    os.environ[SCENARIO_ENV] = str(SCENARIO)
    main()
