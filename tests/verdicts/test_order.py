"""The order verdict on its own: which failures it names order-dependent, and what it says."""

from __future__ import annotations

from typing import Optional

from voicebox_e2e.row.result import FAILED, NOT_RUN, PASSED, RowResult
from voicebox_e2e.row.spec import make_spec
from voicebox_e2e.verdicts.base import RowContext
from voicebox_e2e.verdicts.order import OrderCheck


def judged(check: OrderCheck, row: str, engine: str, size: str, model: str, error: Optional[str], launches: int = 1, order: bool = False) -> RowResult:
    spec = make_spec(row, engine, size, model, "The quick brown fox jumps over the lazy dog.", "English", {"order": "reverse"} if order else {})
    result = RowResult(spec.row, spec.label, spec.engine, spec.model_size, spec.model_name, spec.language, status=PASSED)
    if error is not None:
        result.fail("generation", error)
        result.decide_cause([])
    check.judge(result, RowContext(spec, None, launches, None))
    return result


def test_only_a_failure_after_an_earlier_pass_of_the_same_model_is_order_dependent() -> None:
    check = OrderCheck()
    judged(check, "1", "qwen", "1.7B", "qwen-tts-1.7B", None)
    judged(check, "8", "tada", "1B", "tada-1b", "Tokenizer not loaded")  # failed in the matrix itself
    judged(check, "B3", "tada", "1B", "tada-1b", "Tokenizer not loaded", order=True)
    broken = judged(check, "B10", "qwen", "1.7B", "qwen-tts-1.7B", "Tokenizer not loaded", order=True)
    assert broken.cause == "order" and broken.status == FAILED
    assert broken.error == "order-dependent failure: qwen 1.7B passed in row 1 and failed here, run after tada 1B: Tokenizer not loaded"
    again = judged(check, "B3", "tada", "1B", "tada-1b", "Tokenizer not loaded", order=True)
    assert again.cause == "engine" and again.error == "Tokenizer not loaded"  # it never passed: its own cause


def test_a_row_first_on_a_relaunched_server_says_so_and_a_passing_order_row_is_left_alone() -> None:
    check = OrderCheck()
    judged(check, "2", "qwen", "0.6B", "qwen-tts-0.6B", None)
    fresh = judged(check, "B9", "qwen", "0.6B", "qwen-tts-0.6B", "Tokenizer not loaded", launches=2, order=True)
    assert fresh.error is not None and ", run first on a new server: " in fresh.error
    fine = judged(check, "B9", "qwen", "0.6B", "qwen-tts-0.6B", None, launches=2, order=True)
    assert fine.status == PASSED and fine.cause is None


def test_a_row_sent_while_another_model_downloads_says_so_and_a_row_not_run_is_left_alone() -> None:
    check = OrderCheck()
    judged(check, "2", "qwen", "0.6B", "qwen-tts-0.6B", None)
    spec = make_spec("W1", "qwen", "0.6B", "qwen-tts-0.6B", "The quick brown fox jumps over the lazy dog.", "English", {"downloading": "qwen-tts-1.7B"})
    broken = RowResult(spec.row, spec.label, spec.engine, spec.model_size, spec.model_name, spec.language, status=PASSED)
    broken.fail("generation", "Tokenizer not loaded")
    broken.decide_cause([])
    check.judge(broken, RowContext(spec, None, 2, None))
    assert broken.cause == "order" and broken.error == (
        "order-dependent failure: qwen 0.6B passed in row 2 and failed here, sent while qwen-tts-1.7B was downloading: Tokenizer not loaded"
    )
    skipped = RowResult(spec.row, spec.label, spec.engine, spec.model_size, spec.model_name, spec.language, status=NOT_RUN)
    check.judge(skipped, RowContext(spec, None, 2, None))
    assert skipped.status == NOT_RUN and skipped.error is None and skipped.cause is None
