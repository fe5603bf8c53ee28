"""Model downloads as the real server reports them, over a simulated network.

A download is listed in ``GET /tasks/active`` while it runs (and stays there, as ``error``, when
it fails), and streams its bytes on ``GET /models/progress/{model}``. With ``download_mb_per_s``
set, it takes time in proportion to the model's real size: each download is limited to that many
MB/s, and all running downloads share ``link_mb_per_s``, so running them side by side helps only
as much as it would on a real network. ``download_size_scale`` shrinks every model alike (for
fast tests and benchmarks: the ratios stay). Without it, a download takes ``download_seconds``.
A per-model ``download_stall_at`` (a fraction) stops its bytes there for good, status still
"downloading", as a dead connection does.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable, Optional

from voicebox_sim.engine import catalogue
from voicebox_sim.engine.cache import ModelCache
from voicebox_sim.scenario import ModelFault, Scenario

MB = 1024 * 1024
TICK = 0.05  # seconds between byte updates
progress_log = logging.getLogger("backend.utils.progress")


def utcnow() -> datetime:
    """The real server's timestamps: naive UTC, no offset (datetime.utcnow())."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


@dataclass
class Download:
    model_name: str
    started_at: datetime
    status: str = "downloading"
    error: Optional[str] = None
    current: int = 0
    total: int = 0
    filename: str = "Connecting to HuggingFace..."
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def progress(self) -> float:
        # an int 0 before the size is known, as the real progress manager's first event has it
        return 0 if self.total == 0 else round(100.0 * self.current / self.total, 1)

    def snapshot(self) -> dict[str, Any]:
        event: dict[str, Any] = {
            "model_name": self.model_name,
            "current": self.current,
            "total": self.total,
            "progress": self.progress,
            "filename": self.filename,
            "status": self.status,
            "timestamp": utcnow().isoformat(),
        }
        if self.error is not None:
            event["error"] = self.error
        return event


class Network:
    """Each download gets min(per-download limit, link limit / downloads running)."""

    def __init__(self, per_download_mb_s: float, link_mb_s: float) -> None:
        self.per_download = per_download_mb_s * MB
        self.link = link_mb_s * MB
        self.running = 0

    def rate(self) -> float:
        """Bytes a second for one download now."""
        share = self.link / max(1, self.running) if self.link > 0 else float("inf")
        return min(self.per_download, share)


class Downloads:
    """The server's downloads: what runs, what is cached, and the one task per model."""

    def __init__(self, scenario: Scenario, cached: ModelCache) -> None:
        self.scenario = scenario
        self.cached = cached
        self.entries: dict[str, Download] = {}
        self.network = Network(scenario.download_mb_per_s, scenario.link_mb_per_s)
        self._tasks: dict[str, asyncio.Task[Optional[str]]] = {}

    def fetch(self, model_name: str, fault: ModelFault, engine: str, offline_error: Optional[str] = None) -> Awaitable[Optional[str]]:
        """The model's download (joining one already running); resolves to an error text or None.
        ``offline_error``: the text an offline download ends with (default: the generation path's)."""
        task = self._tasks.get(model_name)
        if task is None or task.done():
            # Listed at once, as the real task manager's start_download does in the request itself.
            entry = Download(model_name=model_name, started_at=utcnow())
            self.entries[model_name] = entry
            entry.events.append(entry.snapshot())
            task = asyncio.ensure_future(self._run(entry, fault, offline_error or catalogue.offline_error_for(engine)))
            self._tasks[model_name] = task
        return task

    def start(self, model_name: str, fault: ModelFault, engine: str, then: Callable[[Optional[str]], Awaitable[None]]) -> None:
        """POST /models/download: fetch in the background, then ``then(error)`` (the real server
        loads the model it fetched)."""

        async def background() -> None:
            await then(await self.fetch(model_name, fault, engine, catalogue.OFFLINE_ERROR_DOWNLOAD))

        asyncio.ensure_future(background())

    def fail(self, model_name: str, error: str) -> None:
        """A download that ended in an error stays listed, as ``error``, like the real task manager's."""
        entry = self.entries.get(model_name)
        if entry is not None:
            entry.status, entry.error = "error", error
            entry.events.append(entry.snapshot())
            progress_log.info("Download error for %s, closing SSE connection", model_name)

    async def _run(self, entry: Download, fault: ModelFault, offline_error: str) -> Optional[str]:
        model_name = entry.model_name
        if fault.fail_offline:
            await asyncio.sleep(0.05)
            return offline_error
        if model_name in self.cached:
            del self.entries[model_name]
            return None
        info = catalogue.MODELS_BY_NAME[model_name]
        entry.total = int(info.size_mb * MB * self.scenario.download_size_scale)
        entry.filename = "model.safetensors"
        if self.scenario.download_mb_per_s > 0:
            await self._over_the_network(entry, fault)
        else:
            for step in range(1, 6):
                await asyncio.sleep(self.scenario.download_seconds / 5)
                entry.current = entry.total * step // 5
                entry.events.append(entry.snapshot())
        entry.status = "complete"
        entry.events.append(entry.snapshot())
        self.cached.add(model_name)
        del self.entries[model_name]
        return None

    async def _over_the_network(self, entry: Download, fault: ModelFault) -> None:
        stall_at = None if fault.download_stall_at is None else int(entry.total * fault.download_stall_at)
        self.network.running += 1
        try:
            last, shown = time.monotonic(), -1.0
            while entry.current < entry.total:
                await asyncio.sleep(TICK)
                now = time.monotonic()
                if stall_at is not None and entry.current >= stall_at:
                    last = now
                    continue  # the bytes stopped; the status never changes
                entry.current = min(entry.total, entry.current + int(self.network.rate() * (now - last)))
                if stall_at is not None:
                    entry.current = min(entry.current, stall_at)
                last = now
                if entry.progress - shown >= 1.0 or entry.current >= entry.total:
                    shown = entry.progress
                    entry.events.append(entry.snapshot())
        finally:
            self.network.running -= 1
