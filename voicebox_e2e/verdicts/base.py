"""The interface every verdict on a finished row meets: ``judge`` takes in the row once.

A new verdict is a new module here with a class that has ``judge``; ``run.SuiteRun`` lists it in
``verdicts``, in the order they judge (a verdict that fails a row leaves the later ones a row
that no longer passed; most look only at rows that still pass).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional, Protocol, Sequence

from voicebox_e2e.row.conditions import DownloadCondition, OfflineCondition
from voicebox_e2e.row.result import RowResult
from voicebox_e2e.row.spec import RowSpec

if TYPE_CHECKING:  # (PyAV and numpy are loaded by the rows that make references, not by every verdict)
    from voicebox_e2e.row.references import Reference


@dataclass(frozen=True)
class RowContext:
    """What a verdict may know of the row beyond its result."""

    spec: RowSpec
    reference: Optional[Reference]  # what the row's cloned profile was made from; None for a preset voice
    launches: int  # servers launched so far: a relaunch starts the memory baselines again
    health: Optional[dict[str, Any]]  # /health right after the row; None when it was not read
    log_lines: Sequence[str] = ()  # what the server printed while the row ran
    offline: Optional[OfflineCondition] = None  # an @offline row: the hub cut off, or its models moved
    downloading: Optional[DownloadCondition] = None  # a @while_downloading row: the download it ran during


class Verdict(Protocol):
    def judge(self, result: RowResult, row: RowContext) -> None:
        """Fail the row (``result.fail``), warn on it (``result.warnings``), or leave it be."""
