"""The @order rows against the simulator: the matrix again in reverse on the same server. A model
whose load another engine's load broke fails there with cause order, naming the row it passed in
and the model before it; a model that failed in the matrix too keeps its own cause."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_suite

SCENARIO = """
[models."qwen-tts-1.7B"]
broken_after = "tada-1b"
[models."kokoro"]
fail = "CUDA out of memory. Tried to allocate 2.00 GiB"
"""


@pytest.mark.suite
def test_a_model_broken_by_an_earlier_load_is_an_order_dependent_failure(tmp_path: Path) -> None:
    run = run_suite(tmp_path, "-D", "voice_check=off", tags="@english or (@order and not @while_downloading)", scenario=SCENARIO, timeout=420)
    statuses = run.statuses()
    failed = {row for row, status in statuses.items() if status != "passed"}
    assert failed == {"10", "B1", "B10"}, run.proc.stdout[-3000:]
    assert {f"B{n}" for n in range(1, 11)} <= set(statuses)
    rows = run.rows()
    assert rows["B10"]["cause"] == "order", rows["B10"]
    assert rows["B10"]["error"] == "order-dependent failure: qwen 1.7B passed in row 1 and failed here, run after qwen 0.6B: Tokenizer not loaded"
    assert rows["B10"]["workload"] == "the matrix in reverse order"
    assert rows["B1"]["cause"] == "memory" and not rows["B1"]["error"].startswith("order-dependent"), rows["B1"]
    assert "| B10 | qwen | 1.7B | en | the matrix in reverse order | FAIL | order |" in run.markdown
    assert "Fails after another model" in (run.output_dir / "allure-results" / "categories.json").read_text()
    run.assert_clean()
