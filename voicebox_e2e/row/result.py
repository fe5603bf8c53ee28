"""What a row found: its status, cause, figures, audio and speech, as the reports record it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Optional

from voicebox_e2e.figures.performance import Performance
from voicebox_e2e.row.spec import RowSpec
from voicebox_e2e.server.redaction import redact
from voicebox_e2e.verdicts import causes
from voicebox_e2e.verdicts.speaker import VoiceMatch
from voicebox_e2e.verdicts.speech_score import Speech

PASSED, FAILED, TIMEOUT, NOT_RUN = "passed", "failed", "timeout", "not_run"
LOG_TAIL_LINES = 100


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
    voice: Optional[VoiceMatch] = None  # cloned rows: whose voice it is (voice.py), once checked
    network: Optional[str] = None  # @offline rows: how the hub was cut off or the models moved
    workload: Optional[str] = None  # @workload rows: what the row sends beyond the matrix (spec.workload)
    long_text: Optional[Any] = None  # chunked rows: the long-text verdict (verdicts/long_text.LongTextResult)
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
    def voice_ok(self) -> bool:
        return self.failure_kind != causes.VOICE_KIND

    @property
    def offline_ok(self) -> bool:
        return self.failure_kind != causes.OFFLINE_KIND

    @property
    def download_ok(self) -> bool:
        """No model this row needed failed to download (its own, or the one it ran during)."""
        return self.failure_kind != causes.FETCH_KIND

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


def placeholder(spec: RowSpec, status: str, error: Optional[str], kind: Optional[str] = None, log_lines: Optional[list[str]] = None) -> RowResult:
    """The record of a row that produced no result of its own (not run, or broken in setup)."""
    result = RowResult(spec.row, spec.label, spec.engine, spec.model_size, spec.model_name, spec.language, workload=spec.workload)
    result.fail(kind, "" if error is None else redact(error), status)
    result.error = None if error is None else result.error
    result.decide_cause(log_lines or [])
    return result


def with_evidence(result: RowResult, log_lines: list[str]) -> None:
    """A row that did not pass and carries no server log yet gets the lines the server printed
    while it was decided (its generation's, or its download's), at most ``LOG_TAIL_LINES``."""
    if result.passed or result.server_log_tail:
        return
    result.server_log_tail = redact("\n".join(log_lines[-LOG_TAIL_LINES:])) or None
