"""The @while_downloading rows against the simulator: a generation sent while another model
downloads (upstream 17). A model that passed in the matrix and fails during the download is an
order-dependent failure naming it; a download that fails is the row's download failure; the
user's cache is only read and the server goes back to it after each row."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import run_suite

pytestmark = pytest.mark.suite

# Downloads of 4 s, so that one is running when the row's generation is sent.
SLOW_DOWNLOADS = "download_seconds = 4.0\n"


def test_a_model_that_fails_while_another_downloads_is_an_order_dependent_failure(tmp_path: Path) -> None:
    scenario = SLOW_DOWNLOADS + '[models."qwen-tts-0.6B"]\nwhile_downloading = "Model is being loaded by another request"\n'
    run = run_suite(tmp_path, "-D", "only=qwen,kokoro", tags="@english or @while_downloading", scenario=scenario, timeout=300)
    statuses = run.statuses()
    assert statuses["2"] == "passed" and statuses["W1"] == "failed" and statuses["W2"] == "passed", run.proc.stdout[-3000:]
    rows = run.rows()
    assert rows["W1"]["cause"] == "order", rows["W1"]
    assert rows["W1"]["error"] == (
        "order-dependent failure: qwen 0.6B passed in row 2 and failed here, sent while qwen-tts-1.7B was downloading: "
        "Model is being loaded by another request"
    )
    # what the download was doing is the row's workload, in the JSON and the Markdown
    assert re.fullmatch(
        r"sent while chatterbox-turbo was downloading \(\d+ %\), (still downloading when the generation ended|finished before the generation did)",
        rows["W2"]["workload"],
    ), rows["W2"]
    assert "| W1 | qwen | 0.6B | en | sent while qwen-tts-1.7B was downloading (" in run.markdown
    allure = [json.loads(f.read_text()) for f in (run.output_dir / "allure-results").glob("*-result.json")]
    w2 = next(r for r in allure if r["name"].startswith("Row W2:"))
    assert w2["description"] == f"Workload: {rows['W2']['workload']}", w2.get("description")
    assert {"name": "downloading", "value": "chatterbox-turbo"} in w2["parameters"]
    assert "Restarting the server: kokoro alone in a models folder, so that chatterbox-turbo downloads." in run.proc.stderr
    assert "Restarting the server: back to the run's own cache and network" in run.proc.stderr
    run.assert_clean()


def test_a_download_that_never_finishes_fails_the_row_with_cause_download(tmp_path: Path) -> None:
    """chatterbox-turbo's bytes stop half-way (a dead connection): kokoro speaks, and the row fails
    on the download it ran during once timeout_download has passed."""
    scenario = 'download_mb_per_s = 40\ndownload_size_scale = 0.01\n[models."chatterbox-turbo"]\ndownload_stall_at = 0.5\n'
    run = run_suite(tmp_path, "-D", "only=kokoro", "-D", "timeout_download=3", tags="@while_downloading", scenario=scenario, timeout=120)
    row = run.rows()["W2"]
    assert row["status"] == "failed" and row["cause"] == "download", row
    assert row["error"] == (
        "the download of chatterbox-turbo, which the row ran during, did not finish within 3 s (timeout_download): it was at 50 %"
    ), row["error"]
    assert row["audio_duration"] is not None  # kokoro itself spoke
    run.assert_clean()
