"""What one simulated server process knows: its scenario, data dir, models, queue and database."""

from __future__ import annotations

import asyncio
import os
import threading
from datetime import datetime
from pathlib import Path
from typing import Optional

from voicebox_sim import VERSION
from voicebox_sim.engine import catalogue, hardware
from voicebox_sim.engine.cache import ModelCache
from voicebox_sim.engine.downloads import Downloads
from voicebox_sim.engine.memory import ModelMemory
from voicebox_sim.faults import upgrade
from voicebox_sim.scenario import Scenario
from voicebox_sim.schemas import ActiveGenerationTask
from voicebox_sim.store import Store


def iso(moment: datetime) -> str:
    return moment.isoformat()


class SimState:
    """Everything one simulated server process knows."""

    def __init__(self, scenario: Scenario, data_dir: Path, parent_pid: Optional[int]) -> None:
        self.scenario = scenario
        self.data_dir = data_dir
        self.parent_pid = parent_pid
        self.hardware = hardware.detect(scenario.gpu_usable, scenario.gpu_name, rosetta_mps=scenario.rosetta_mps)
        # The model cache (engine/cache.py): VOICEBOX_MODELS_DIR, HF_HUB_CACHE, or <data dir>/models.
        self.cached = ModelCache.for_server(data_dir, scenario.cached_models, os.environ, not scenario.ignore_models_dir)
        self.loaded: set[str] = set()
        self.ever_loaded: set[str] = set()  # every model loaded since the process started
        self.memory = ModelMemory()
        self.downloads = Downloads(scenario, self.cached)
        self.active: dict[str, ActiveGenerationTask] = {}
        self.queue: asyncio.Queue[str] = asyncio.Queue()
        self.stopping = threading.Event()
        for sub in ("profiles", "generations", "captures", "cache", "backends"):
            (data_dir / sub).mkdir(parents=True, exist_ok=True)
        self.store = Store(data_dir / "voicebox.db")
        self.version = scenario.version or VERSION
        upgrade.open_data(self.store, scenario, self.version)

    def vram_used_mb(self) -> Optional[float]:
        """torch.cuda.memory_allocated() in MB: null without a usable GPU, else the loaded weights."""
        if not self.hardware.gpu_available:
            return None
        return round(sum(catalogue.MODELS_BY_NAME[m].size_mb for m in self.loaded), 1)

    def begin_shutdown(self) -> None:
        self.stopping.set()
