"""Does the server's memory keep growing while one model stays loaded?

Users saw the real server grow from ~350 MB to 12 GB over a few dozen generations. After each
row the run hands this watch the server tree's end-of-row resident memory. Rows of the same
model in a row, on the same server process, share a baseline: the first such row's end (its
load included). Growth past ``warn_mb`` is a warning on the row; past ``fail_mb`` the row fails
with cause ``memory``. A different model, or a relaunched server, starts a new baseline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from voicebox_e2e.verdicts import causes
from voicebox_e2e.row.result import RowResult
from voicebox_e2e.verdicts.base import RowContext


@dataclass(frozen=True)
class LeakLimits:
    warn_mb: float = 256.0
    fail_mb: float = 1024.0


@dataclass(frozen=True)
class Growth:
    model_name: str
    baseline_mb: float
    end_mb: float
    generations: int  # generations since the baseline row
    failed: bool

    @property
    def grown_mb(self) -> float:
        return self.end_mb - self.baseline_mb

    def sentence(self, limits: LeakLimits) -> str:
        limit = f"leak_fail_mb = {limits.fail_mb:g}" if self.failed else f"leak_warn_mb = {limits.warn_mb:g}"
        return (
            f"server memory grew by {self.grown_mb:.0f} MB over {self.generations} more generation(s) of "
            f"{self.model_name} while it stayed loaded ({self.baseline_mb:.0f} → {self.end_mb:.0f} MB; {limit})"
        )


class LeakWatch:
    def __init__(self, limits: LeakLimits = LeakLimits()) -> None:
        self.limits = limits
        self._key: Optional[tuple[str, int]] = None
        self._baseline = 0.0
        self._generations = 0

    def observe(self, model_name: str, launch: int, end_mb: Optional[float], completed: bool) -> Optional[Growth]:
        """One row's end: the growth worth reporting (None when within the limits or unknown)."""
        if end_mb is None or not completed:
            self._key = None  # a failed generation may have unloaded the model: start afresh
            return None
        if self._key != (model_name, launch):
            self._key, self._baseline, self._generations = (model_name, launch), end_mb, 0
            return None
        self._generations += 1
        grown = end_mb - self._baseline
        if grown < self.limits.warn_mb:
            return None
        return Growth(model_name, self._baseline, end_mb, self._generations, failed=grown >= self.limits.fail_mb)

    def judge(self, result: RowResult, row: RowContext) -> None:
        self.check(result, row.launches)

    def check(self, result: RowResult, launch: int) -> None:
        """Take in a finished row: past ``warn_mb`` a warning on it, past ``fail_mb`` (on a row
        that otherwise passed) a failure with cause ``memory``."""
        growth = self.observe(result.model_name, launch, result.performance.rss_end_mb, result.generation_completed)
        if growth is None:
            return
        sentence = growth.sentence(self.limits)
        if growth.failed and result.passed:
            result.fail(causes.LEAK_KIND, sentence)
            result.decide_cause([])
        else:
            result.warnings.append(sentence)
