"""The run's report as data: ``e2e-<platform>-<stamp>.json`` (the design's schema, plus what a
reader needs); ``markdown.py`` writes the same report as Markdown.

All text that came from the server or the user passes through ``redact`` before it is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from voicebox_e2e.reports.rows import cause_counts
from voicebox_e2e.row.result import FAILED, NOT_RUN, PASSED, TIMEOUT
from voicebox_e2e.server.redaction import redact_tree


@dataclass
class RunReport:
    platform: str
    target: str
    binary: str
    binary_size_mb: Optional[float]
    binary_version: str
    started_at: str
    finished_at: Optional[str] = None
    interrupted: bool = False
    interrupt_reason: Optional[str] = None
    setup_error: Optional[str] = None
    setup_cause: Optional[str] = None
    setup_log_tail: Optional[str] = None
    server: dict[str, Any] = field(default_factory=dict)
    profiles_created: list[str] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)
    changes: Optional[dict[str, Any]] = None
    backend: dict[str, Any] = field(default_factory=dict)
    prepare: Optional[dict[str, Any]] = None  # the prepare phase's downloads, when it fetched any
    speech: dict[str, Any] = field(default_factory=dict)  # the speech check (speech_check.describe)
    voice: dict[str, Any] = field(default_factory=dict)  # the voice check (voice.describe)

    @property
    def simulated(self) -> bool:
        return self.target == "simulator"

    def counts(self) -> dict[str, int]:
        counts = {PASSED: 0, FAILED: 0, TIMEOUT: 0, NOT_RUN: 0}
        for row in self.results:
            counts[row["status"]] = counts.get(row["status"], 0) + 1
        return counts

    def all_passed(self) -> bool:
        return bool(self.results) and all(r["status"] == PASSED for r in self.results) and not self.interrupted

    def to_json(self) -> dict[str, Any]:
        document = {
            "platform": self.platform,
            "binary": self.binary,
            "binary_size_mb": self.binary_size_mb,
            "binary_version": self.binary_version,
            "target": self.target,
            "simulated": self.simulated,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "interrupted": self.interrupted,
            "interrupt_reason": self.interrupt_reason,
            "setup_error": self.setup_error,
            "setup_cause": self.setup_cause,
            "setup_log_tail": self.setup_log_tail,
            "summary": self.counts(),
            "causes": cause_counts(self.results),
            "backend": self.backend,
            "prepare": self.prepare,
            "speech": self.speech,
            "voice": self.voice,
            "server": self.server,
            "profiles_created": self.profiles_created,
            "results": self.results,
            "checks": self.checks,
            "changes": self.changes,
        }
        return dict(redact_tree(document))
