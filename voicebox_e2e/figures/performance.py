"""How fast and how heavy one row was: phase times from the status stream, and the server
process tree's resident memory, sampled while the row runs.

The phases come from the moments each status is first seen on ``GET /generate/{id}/status``. The
real server sends a status once a second, so a phase is known to about a second; the real-time
factor is the generating time over the audio's seconds (under 1.0: faster than real time).
Memory is the resident set of the whole tree (the onefile bootloader and its child), sampled
every ``interval`` seconds, often enough to catch the peak of a generation that takes seconds.
"""

from __future__ import annotations

import threading
import time
from dataclasses import asdict, dataclass
from typing import Any, Callable, Optional

import psutil

MB = 1024 * 1024


@dataclass
class Performance:
    first_status_seconds: Optional[float] = None  # POST /generate sent → first status seen
    load_seconds: Optional[float] = None  # "loading_model" → "generating" (0 when already loaded)
    online_load_seconds: Optional[float] = None  # @offline rows: the same model's load with the network
    generate_seconds: Optional[float] = None  # "generating" → "completed"
    real_time_factor: Optional[float] = None  # generate_seconds / audio seconds
    rss_peak_mb: Optional[float] = None  # the server tree's peak resident memory during the row
    rss_end_mb: Optional[float] = None  # ... and at the row's end
    vram_used_mb: Optional[float] = None  # /health after the row, where the server can tell

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class StatusClock:
    """When the request was sent and when each status was first seen (monotonic seconds)."""

    def __init__(self) -> None:
        self.sent_at: Optional[float] = None
        self.first_seen: dict[str, float] = {}

    def sent(self) -> None:
        self.sent_at = time.monotonic()

    def saw(self, status: str) -> None:
        self.first_seen.setdefault(status, time.monotonic())

    def fill(self, perf: Performance, audio_seconds: Optional[float]) -> None:
        seen = self.first_seen
        if self.sent_at is not None and seen:
            perf.first_status_seconds = _round(min(seen.values()) - self.sent_at)
        generating = seen.get("generating")
        if generating is not None:
            loading = seen.get("loading_model")
            perf.load_seconds = _round(generating - loading) if loading is not None else 0.0
            completed = seen.get("completed")
            if completed is not None:
                perf.generate_seconds = _round(completed - generating)
        if perf.generate_seconds is not None and audio_seconds:
            perf.real_time_factor = round(perf.generate_seconds / audio_seconds, 3)


class MemorySampler:
    """Samples the resident memory of ``tree()`` (the server's processes) on a thread."""

    def __init__(self, tree: Callable[[], list[psutil.Process]], interval: float = 0.1) -> None:
        self.tree, self.interval = tree, interval
        self.peak_mb: Optional[float] = None
        self.last_mb: Optional[float] = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="memory-sampler", daemon=True)

    def __enter__(self) -> "MemorySampler":
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sample()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def sample(self) -> None:
        total = 0
        for proc in self.tree():
            try:
                total += proc.memory_info().rss
            except psutil.Error:
                continue
        if total:
            self.last_mb = round(total / MB, 1)
            self.peak_mb = self.last_mb if self.peak_mb is None else max(self.peak_mb, self.last_mb)

    def fill(self, perf: Performance) -> None:
        perf.rss_peak_mb, perf.rss_end_mb = self.peak_mb, self.last_mb


def _round(seconds: float) -> float:
    return round(max(0.0, seconds), 3)
