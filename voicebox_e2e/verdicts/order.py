"""Order: a model that passed earlier in the run must not fail when it runs after other models.

The matrix runs in one fixed order (qwen first), so it cannot see one engine's load breaking
another's: a TADA patch broke loading Qwen after TADA ("Tokenizer not loaded", upstream commit
6bf40bd). The ``@order`` rows run the matrix again in reverse on the same server. A row of theirs
that fails where the same model passed earlier in the run is named an order-dependent failure,
cause ``order``, with the row it passed in and the model the server ran just before it; a model
that also failed the first time keeps its own cause. The verdict sees every row (it keeps the
run's history), and judges after every other verdict.

The ``@while_downloading`` rows are judged the same way: a model that passed earlier and fails
when sent while another model downloads (upstream 17) is an order-dependent failure too, named
with the download it ran during. Their row's workload says what the download was doing when the
generation was sent and when it ended.
"""

from __future__ import annotations

from typing import Optional

from voicebox_e2e.row.result import NOT_RUN, RowResult
from voicebox_e2e.verdicts import causes
from voicebox_e2e.verdicts.base import RowContext


class OrderCheck:
    def __init__(self) -> None:
        self.passed_in: dict[str, str] = {}  # a model: the first row it passed in, outside the @order rows
        self._before: Optional[tuple[str, int]] = None  # the last row's model label and server launch

    def judge(self, result: RowResult, row: RowContext) -> None:
        before = self._before[0] if self._before is not None and self._before[1] == row.launches else None
        self._before = (row.spec.label, row.launches)
        model = row.spec.model_name
        if row.spec.order is None and row.spec.downloading is None:
            if result.passed:
                self.passed_in.setdefault(model, row.spec.row)
            return
        first = self.passed_in.get(model)
        if result.passed or result.status == NOT_RUN or first is None:
            return
        if row.spec.downloading is not None:
            how = f"sent while {row.spec.downloading} was downloading"
        else:
            how = f"run after {before}" if before is not None else "run first on a new server"
        result.fail(
            causes.ORDER_KIND,
            f"order-dependent failure: {row.spec.label} passed in row {first} and failed here, {how}: {result.error}",
            result.status,
        )
        result.decide_cause([])
