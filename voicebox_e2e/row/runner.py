"""One matrix row: check the cache, generate, follow the status, fetch and check the audio."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional, Protocol

import psutil
import requests

from voicebox_e2e.verdicts import causes
from voicebox_e2e.verdicts.wav import AudioLimits, check_wav
from voicebox_e2e.verdicts.ending import abrupt_end
from voicebox_e2e.api.client import VoiceboxClient
from voicebox_e2e.api.errors import ApiError
from voicebox_e2e.api.progress import ProgressWatcher
from voicebox_e2e.api.status_stream import Outcome, follow_status
from voicebox_e2e.figures.devices import device_loaded
from voicebox_e2e.figures.performance import MemorySampler, StatusClock
from voicebox_e2e.row.status_probe import StatusProbe
from voicebox_e2e.server.redaction import redact

from voicebox_e2e.row.result import LOG_TAIL_LINES, PASSED, TIMEOUT, RowResult
from voicebox_e2e.row.spec import RowSpec


@dataclass(frozen=True)
class RowBudget:
    timeout_cached: float
    timeout_download: float
    status_probe_seconds: float = 0.0  # read /history this often beside the stream (0: stream only)

    def times(self, rows: int) -> "RowBudget":
        """The budget of ``rows`` matrix rows (``RowSpec.budget_rows``): a download's own time once,
        the generation's ``rows`` times."""
        extra = self.timeout_cached * (rows - 1)
        return RowBudget(self.timeout_cached + extra, self.timeout_download + extra, self.status_probe_seconds)


class RowServer(Protocol):
    """What a row needs from the server under test (``Session`` provides it)."""

    @property
    def client(self) -> VoiceboxClient: ...

    def alive(self) -> bool: ...

    def exit_code(self) -> Optional[int]: ...

    def log_tail(self, lines: int) -> str: ...

    def log_mark(self) -> int: ...

    def log_since(self, mark: int) -> list[str]: ...

    def process_tree(self) -> list[psutil.Process]: ...


def run_row(
    server: RowServer,
    spec: RowSpec,
    profile_id: str,
    budget: RowBudget,
    audio_dir: Path,
    limits: AudioLimits = AudioLimits(),
    on_status: Callable[[dict[str, Any]], None] = lambda event: None,
) -> RowResult:
    """Run one row against a healthy server and say exactly how it went. Never raises for the
    server's misbehaviour: every failure becomes the row's status and error text."""
    result = RowResult(spec.row, spec.label, spec.engine, spec.model_size, spec.model_name, spec.language, workload=spec.workload)
    started = time.monotonic()
    mark = server.log_mark()
    clock = StatusClock()

    def on_event(event: dict[str, Any]) -> None:
        if "status" in event:
            clock.saw(str(event["status"]))
        on_status(event)

    try:
        with MemorySampler(server.process_tree) as sampler:
            _run(server, spec, profile_id, budget, audio_dir, limits, on_event, clock, result)
    except ApiError as exc:
        result.fail(causes.HTTP_KIND, str(exc))
        result.http_status = exc.status
    except requests.RequestException as exc:
        result.fail(causes.HTTP_KIND, f"the server stopped answering: {exc.__class__.__name__}")
        if not server.alive():
            result.fail(causes.CRASH_KIND, f"server exited (code {server.exit_code()})")
    result.elapsed_seconds = round(time.monotonic() - started, 2)
    clock.fill(result.performance, result.audio_duration)
    sampler.fill(result.performance)
    row_log = server.log_since(mark)
    result.device = device_loaded(row_log)
    if result.status != PASSED:
        result.server_log_tail = redact(server.log_tail(LOG_TAIL_LINES))
    result.error = None if result.error is None else redact(result.error)
    result.decide_cause(row_log)
    return result


def _run(
    server: RowServer,
    spec: RowSpec,
    profile_id: str,
    budget: RowBudget,
    audio_dir: Path,
    limits: AudioLimits,
    on_status: Callable[[dict[str, Any]], None],
    clock: StatusClock,
    result: RowResult,
) -> None:
    client = server.client
    try:
        entry = next((m for m in client.model_status() if m.get("model_name") == spec.model_name), None)
        result.was_cached = None if entry is None else bool(entry.get("downloaded"))
    except (ApiError, requests.RequestException, ValueError, KeyError):
        result.was_cached = None  # unknown: allow for a download
        if not server.alive():
            raise
    timeout = budget.timeout_cached if result.was_cached else budget.timeout_download
    result.timeout_seconds = timeout
    deadline = time.monotonic() + timeout

    watcher = None
    if result.was_cached is not True:  # a first-time download: show its progress while we wait
        watcher = ProgressWatcher(client, spec.model_name, lambda line: on_status({"progress": line})).start()
    try:
        clock.sent()
        created = client.generate(spec.request_body(profile_id))
        result.generation_id = str(created["id"])
        with StatusProbe(client, result.generation_id, budget.status_probe_seconds, clock.saw) as probe:
            followed = follow_status(client, result.generation_id, deadline, server.alive, on_status, ended_elsewhere=probe.terminal)
    finally:
        if watcher is not None:
            watcher.stop()
    result.statuses_seen, result.reconnects = followed.statuses, followed.reconnects
    last = followed.last or {}
    result.server_status = None if followed.outcome is not Outcome.TERMINAL else str(last.get("status"))

    if followed.outcome is Outcome.SERVER_EXITED:
        result.fail(causes.CRASH_KIND, f"server exited (code {server.exit_code()}) during the generation")
        return
    if followed.outcome is Outcome.MALFORMED:
        result.fail(causes.STREAM_KIND, followed.detail)
        return
    if followed.outcome is Outcome.TIMEOUT:
        seen = " → ".join(followed.statuses) or "no status"
        result.fail(causes.TIMEOUT_KIND, f"no terminal status within {timeout:g} s (last seen: {seen}; {followed.detail})", TIMEOUT)
        return
    if last.get("status") != "completed":
        result.fail(causes.GENERATION_KIND, str(last.get("error") or f"generation ended with status {last.get('status')!r}"))
        return

    data = client.audio(result.generation_id)
    audio_dir.mkdir(parents=True, exist_ok=True)
    size = spec.model_size or "default"
    path = audio_dir / f"row{spec.row.zfill(2)}-{spec.engine}-{size}-{spec.language}.wav"
    path.write_bytes(data)
    report = check_wav(data, spec.text, limits)
    result.audio_path, result.audio_bytes = str(path.resolve()), report.size_bytes
    result.sample_rate, result.channels, result.audio_duration = report.sample_rate, report.channels, report.duration
    if not report.ok:
        result.fail(causes.AUDIO_KIND, f"bad audio: {report.problem}")
        return
    result.audio_trailing_quiet = report.trailing_quiet
    cut = abrupt_end(report.trailing_quiet, limits.min_trailing_quiet)
    if cut:
        result.warnings.append(cut)
    result.status = PASSED
