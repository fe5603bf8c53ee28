"""The prepare phase of a cold sign-off: fetch every selected model that is not cached, several
at a time, before the first row, so download time never counts as model time.

The real server accepts several ``POST /models/download`` at once and lists each running download
with its bytes in ``GET /tasks/active`` (a finished one leaves the list; a failed one stays, as
``error``). Each model's fetch ends as ``done``, ``failed`` (the server's own error), ``stalled`` (no
new bytes for ``stall_seconds``) or ``too slow`` (not done within ``timeout_download``); the rows of
a model that was not fetched then fail at once with cause ``download`` and that sentence.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Callable, Optional, Protocol, Sequence

import requests

from voicebox_e2e.api.client import VoiceboxClient

from voicebox_e2e.api.errors import ApiError

MB = 1024 * 1024
DONE, FAILED, STALLED, TOO_SLOW = "done", "failed", "stalled", "too slow"


@dataclass(frozen=True)
class PrepareSettings:
    parallel: int = 3  # downloads at once
    stall_seconds: float = 120.0  # no new bytes for this long: stalled
    timeout_seconds: float = 1200.0  # a fetch that takes longer fails (the row's download budget)
    poll_seconds: float = 0.5  # how often GET /tasks/active is read
    say_every: float = 5.0  # seconds between progress lines


@dataclass
class Fetch:
    model_name: str
    state: str = "queued"
    error: Optional[str] = None
    current: int = 0
    total: int = 0
    started: float = 0.0
    ended: float = 0.0
    last_bytes_at: float = 0.0
    rate: float = 0.0  # bytes a second, smoothed

    @property
    def ok(self) -> bool:
        return self.state == DONE

    @property
    def seconds(self) -> float:
        return max(0.0, (self.ended or time.monotonic()) - self.started)

    def where(self) -> str:
        if not self.total:
            return "before its first byte"
        return f"at {self.current / MB:,.0f} of {self.total / MB:,.0f} MB ({100 * self.current / self.total:.0f}%)"

    def sentence(self) -> str:
        """Why this model's rows did not run (empty when it was fetched)."""
        if self.state == FAILED:
            return f"the download of {self.model_name} failed: {self.error}"
        if self.state == STALLED:
            return f"the download of {self.model_name} stalled {self.where()}: no new bytes for {self.error} s"
        if self.state == TOO_SLOW:
            return f"the download of {self.model_name} did not finish within {self.error} s; it was {self.where()}"
        return ""

    def line(self) -> str:
        if not self.total:
            return f"{self.model_name} connecting"
        left = (self.total - self.current) / self.rate if self.rate > 0 else None
        eta = f", ETA {left:.0f} s" if left is not None else ""
        return f"{self.model_name} {100 * self.current / self.total:.0f}% {self.rate / MB:.1f} MB/s{eta}"


def uncached(client: VoiceboxClient, models: Sequence[str]) -> list[str]:
    """The selected models /models/status says are not downloaded (in the rows' order)."""
    status = {m.get("model_name"): m for m in client.model_status()}
    return [m for m in models if m in status and not status[m].get("downloaded")]


@dataclass
class Prepared:
    fetches: dict[str, Fetch] = field(default_factory=dict)
    most_at_once: int = 0  # the most downloads the server listed as running at one poll


def prepare(
    client: VoiceboxClient, models: Sequence[str], settings: PrepareSettings, echo: Callable[[str], None],
    alive: Callable[[], bool] = lambda: True,
) -> Prepared:
    """Fetch ``models`` (those not cached), at most ``settings.parallel`` at a time."""
    queue = deque(uncached(client, models))
    if not queue:
        return Prepared()
    echo(f"Prepare: fetching {len(queue)} model(s) that are not cached, {settings.parallel} at a time: {', '.join(queue)}")
    fetches: dict[str, Fetch] = {}
    running: dict[str, Fetch] = {}
    most_at_once = 0
    said = time.monotonic()
    while (queue or running) and alive():
        while queue and len(running) < settings.parallel:
            fetch = Fetch(queue.popleft())
            fetch.started = fetch.last_bytes_at = time.monotonic()
            fetches[fetch.model_name] = running[fetch.model_name] = fetch
            try:
                client.start_download(fetch.model_name)
                fetch.state = "downloading"
            except (ApiError, requests.RequestException) as exc:
                end(running, fetch, FAILED, str(exc))
        time.sleep(settings.poll_seconds)  # the poll interval of GET /tasks/active
        try:
            listed = client.active_downloads()
        except (ApiError, requests.RequestException, ValueError):
            continue
        most_at_once = max(most_at_once, sum(1 for name in running if name in listed and listed[name].get("status") == "downloading"))
        for fetch in list(running.values()):
            observe(fetch, listed.get(fetch.model_name), settings, running)
        if time.monotonic() - said >= settings.say_every and running:
            echo("Prepare: " + " · ".join(f.line() for f in running.values()) + (f" · {len(queue)} queued" if queue else ""))
            said = time.monotonic()
    for fetch in fetches.values():
        if fetch.state in ("queued", "downloading"):
            fetch.state, fetch.error = FAILED, "the server stopped before the download finished"
    done = [f for f in fetches.values() if f.ok]
    echo(f"Prepare: {len(done)} of {len(fetches)} fetched" + "".join(f"; {f.sentence()}" for f in fetches.values() if not f.ok))
    return Prepared(fetches, most_at_once)


def observe(fetch: Fetch, task: Optional[dict[str, object]], settings: PrepareSettings, running: dict[str, Fetch]) -> None:
    now = time.monotonic()
    if task is None:  # the server's task manager drops a finished download from the list
        fetch.current = fetch.total or fetch.current
        end(running, fetch, DONE)
        return
    if task.get("status") == "error":
        end(running, fetch, FAILED, str(task.get("error") or "the server reported an error without a message"))
        return
    current, total = int(str(task.get("current") or 0)), int(str(task.get("total") or 0))
    if current > fetch.current:
        elapsed = max(1e-6, now - fetch.last_bytes_at)
        rate = (current - fetch.current) / elapsed
        fetch.rate = rate if fetch.rate == 0 else 0.5 * fetch.rate + 0.5 * rate
        fetch.current, fetch.last_bytes_at = current, now
    fetch.total = total or fetch.total
    if now - fetch.last_bytes_at >= settings.stall_seconds:
        end(running, fetch, STALLED, f"{settings.stall_seconds:g}")
    elif now - fetch.started >= settings.timeout_seconds:
        end(running, fetch, TOO_SLOW, f"{settings.timeout_seconds:g}")


def end(running: dict[str, Fetch], fetch: Fetch, state: str, error: Optional[str] = None) -> None:
    fetch.state, fetch.error, fetch.ended = state, error, time.monotonic()
    running.pop(fetch.model_name, None)


@dataclass
class PrepareRecord:
    """What the report says about the prepare phase."""

    seconds: float = 0.0
    parallel: int = 0  # the most downloads at once, as the server listed them
    models: list[dict[str, object]] = field(default_factory=list)

    @classmethod
    def of(cls, prepared: Prepared, seconds: float) -> "PrepareRecord":
        return cls(round(seconds, 2), prepared.most_at_once, [
            {"model_name": f.model_name, "state": f.state, "seconds": round(f.seconds, 2), "bytes": f.current,
             "total_bytes": f.total, "error": f.sentence() or None}
            for f in prepared.fetches.values()
        ])


class LogReader(Protocol):
    """The server's log, as the session reads it (``log_mark`` now, ``log_since`` a mark)."""

    def log_mark(self) -> int: ...

    def log_since(self, mark: int) -> list[str]: ...


class PreparePhase:
    """The run's prepare phase, run once before the first row: ``prepared`` is None until then."""

    def __init__(self, enabled: bool, models: Sequence[str], limits: PrepareSettings, echo: Callable[[str], None]) -> None:
        self.enabled, self.models, self.limits, self.echo = enabled, list(models), limits, echo
        self.prepared: Optional[Prepared] = None
        self.seconds = 0.0
        self.log_lines: list[str] = []  # what the server printed during the phase: its downloads' evidence

    def run(self, client: VoiceboxClient, running: Callable[[], bool], logs: "LogReader") -> None:
        """Fetch every selected model that is not cached (prepare=true); a phase that cannot
        run is said on the console and each row then fetches its own model."""
        self.prepared = Prepared()
        if not self.enabled or not self.models:
            return
        started, mark = time.monotonic(), logs.log_mark()
        try:
            self.prepared = prepare(client, self.models, self.limits, self.echo, running)
        except (ApiError, requests.RequestException, ValueError) as exc:
            self.echo(f"Prepare: skipped ({exc.__class__.__name__}: {exc}); each row fetches its own model.")
        self.seconds = time.monotonic() - started
        self.log_lines = logs.log_since(mark)

    def failed_fetch(self, model_name: str) -> Optional[Fetch]:
        """The fetch of ``model_name`` if the phase tried it and it failed."""
        fetch = None if self.prepared is None else self.prepared.fetches.get(model_name)
        return fetch if fetch is not None and not fetch.ok else None

    def to_json(self) -> Optional[dict[str, object]]:
        if self.prepared is None or not self.prepared.fetches:
            return None
        return asdict(PrepareRecord.of(self.prepared, self.seconds))
