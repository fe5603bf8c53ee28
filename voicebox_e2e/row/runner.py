"""One matrix row: check the cache, generate, follow the status, fetch and check the audio."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Optional, Protocol

import psutil
import requests

from voicebox_e2e import causes
from voicebox_e2e.audio import AudioLimits, check_wav
from voicebox_e2e.ending import abrupt_end
from voicebox_e2e.client import ApiError, Outcome, ProgressWatcher, VoiceboxClient
from voicebox_e2e.devices import device_loaded
from voicebox_e2e.performance import MemorySampler, Performance, StatusClock
from voicebox_e2e.speech_score import Speech
from voicebox_e2e.status_probe import StatusProbe
from voicebox_e2e.redaction import redact

PASSED, FAILED, TIMEOUT, NOT_RUN = "passed", "failed", "timeout", "not_run"
LOG_TAIL_LINES = 100


@dataclass(frozen=True)
class RowSpec:
    """A row of a feature file's Examples table, as the step received it."""

    row: str
    engine: str
    model_size: Optional[str]  # None for single-size engines ("—" in the table)
    model_name: str
    text: str
    language: str = "en"
    label: str = ""

    def request_body(self, profile_id: str) -> dict[str, Any]:
        """The design's exact POST /generate body."""
        body: dict[str, Any] = {
            "profile_id": profile_id,
            "text": self.text,
            "language": self.language,
            "engine": self.engine,
            "seed": 42,
            "normalize": True,
        }
        if self.model_size is not None:
            body["model_size"] = self.model_size
        return body


@dataclass
class RowResult:
    row: str
    label: str
    engine: str
    model_size: Optional[str]
    model_name: str
    language: str
    status: str = NOT_RUN
    generation_id: Optional[str] = None
    was_cached: Optional[bool] = None
    timeout_seconds: Optional[float] = None
    elapsed_seconds: Optional[float] = None
    audio_duration: Optional[float] = None
    audio_trailing_quiet: Optional[float] = None  # seconds of quiet after the speech (ending.py)
    audio_path: Optional[str] = None
    audio_bytes: Optional[int] = None
    sample_rate: Optional[int] = None
    channels: Optional[int] = None
    error: Optional[str] = None
    server_status: Optional[str] = None  # the terminal status the server reported, if any
    http_status: Optional[int] = None
    server_log_tail: Optional[str] = None
    statuses_seen: list[str] = field(default_factory=list)
    reconnects: int = 0
    cause: Optional[str] = None  # a causes.CAUSE_KEYS key when the row did not pass, else None
    device: Optional[str] = None  # the torch device the model was loaded on ("cpu", "cuda", "mps")
    performance: Performance = field(default_factory=Performance)
    warnings: list[str] = field(default_factory=list)  # e.g. memory growth under the failure limit
    speech: Optional[Speech] = None  # what the recognizer heard (speech_check), once checked
    failure_kind: Optional[str] = field(default=None, repr=False)  # what the suite saw; decides the cause

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    @property
    def generation_completed(self) -> bool:
        return self.server_status == "completed"

    @property
    def audio_ok(self) -> bool:
        """The generation completed and its WAV passed every check (whatever else failed)."""
        return self.generation_completed and self.audio_path is not None and self.failure_kind != causes.AUDIO_KIND

    @property
    def speech_ok(self) -> bool:
        return self.failure_kind != causes.SPEECH_KIND

    @property
    def backend_ok(self) -> bool:
        return self.failure_kind != causes.BACKEND_KIND

    @property
    def failure_message(self) -> str:
        """The error as a failed step reports it, led by the cause Allure's categories match on."""
        return causes.tagged(self.cause, self.error)

    def fail(self, kind: Optional[str], error: str, status: str = FAILED) -> None:
        self.status, self.failure_kind, self.error = status, kind, error

    def decide_cause(self, log_lines: list[str]) -> None:
        """Name the cause of a row that did not pass (None for a passed or never-run row)."""
        if self.status in (PASSED, NOT_RUN):
            self.cause = None
        else:
            self.cause = causes.classify(self.failure_kind, self.error, log_lines)

    def to_json(self) -> dict[str, Any]:
        record = asdict(self)
        record.pop("failure_kind")
        return record


@dataclass(frozen=True)
class RowBudget:
    timeout_cached: float
    timeout_download: float
    status_probe_seconds: float = 0.0  # read /history this often beside the stream (0: stream only)


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
    result = RowResult(spec.row, spec.label, spec.engine, spec.model_size, spec.model_name, spec.language)
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
            followed = client.follow_status(result.generation_id, deadline, server.alive, on_status, ended_elsewhere=probe.terminal)
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


NO_SIZE = {"", "—", "-", "n/a"}


def is_matrix_row(cells: Mapping[str, str]) -> bool:
    """Whether an Examples row is a model row (it names an engine and a /models/status model)."""
    return "engine" in cells and "model_name" in cells


def spec_from_table(cells: Mapping[str, str], text: str = "", language: str = "en") -> RowSpec:
    """A RowSpec from an Examples row (``row``, ``engine``, ``model_size``, ``model_name``...).

    ``model_size`` is "—" for single-size engines. ``text`` and ``language`` columns, when the
    table has them, override the arguments.
    """
    size = cells.get("model_size", "").strip()
    engine = cells.get("engine", "").strip()
    return RowSpec(
        row=cells.get("row", "").strip(),
        engine=engine,
        model_size=None if size in NO_SIZE else size,
        model_name=cells.get("model_name", "").strip(),
        text=cells.get("text", text).strip() or text,
        language=LANGUAGES.get(cells.get("language", "").strip(), cells.get("language", language).strip() or language),
        label=f"{engine} {size if size not in NO_SIZE else ''}".strip(),
    )


def placeholder(spec: RowSpec, status: str, error: Optional[str], kind: Optional[str] = None, log_lines: Optional[list[str]] = None) -> RowResult:
    """The record of a row that produced no result of its own (not run, or broken in setup)."""
    result = RowResult(spec.row, spec.label, spec.engine, spec.model_size, spec.model_name, spec.language)
    result.fail(kind, "" if error is None else redact(error), status)
    result.error = None if error is None else result.error
    result.decide_cause(log_lines or [])
    return result


# Every language POST /generate accepts (its language pattern, contract §4), as feature files name them.
LANGUAGES = {
    "English": "en", "Chinese": "zh", "Japanese": "ja", "Korean": "ko", "German": "de",
    "French": "fr", "Russian": "ru", "Portuguese": "pt", "Spanish": "es", "Italian": "it",
    "Hebrew": "he", "Arabic": "ar", "Danish": "da", "Greek": "el", "Finnish": "fi", "Hindi": "hi",
    "Malay": "ms", "Dutch": "nl", "Norwegian": "no", "Polish": "pl", "Swedish": "sv", "Swahili": "sw",
    "Turkish": "tr",
}


def language_code(name: str) -> str:
    """The API's language code for a language named in a feature file ("English" -> "en")."""
    code = LANGUAGES.get(name.strip())
    if code is None:
        raise ValueError(f"Unknown language {name!r} in the feature file; use one of {', '.join(LANGUAGES)}.")
    return code


def make_spec(row: str, engine: str, model_size: str, model_name: str, text: str, language: str) -> RowSpec:
    """A RowSpec from a step's words ("qwen", "1.7B" or "—", "qwen-tts-1.7B", "...", "English")."""
    return spec_from_table(
        {"row": row, "engine": engine, "model_size": model_size, "model_name": model_name},
        text=text, language=language_code(language),
    )
