"""The @offline rows against the simulator, run as QA runs them: a healthy build loads its cached
models with the hub cut off and from a folder of their own; a build that asks the hub for cached
files (the real 0.5.0), or ignores VOICEBOX_MODELS_DIR, fails with cause offline, naming why."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_suite

pytestmark = pytest.mark.suite

OFFLINE = {"tags": "@offline"}
KOKORO = ("-D", "only=kokoro")  # O11 (hub refused), O12 (hub unanswered), O22 (a models folder)
# The real 0.5.0's behaviour, its retry waits shortened (1, 2, 4, 8, 8 s times 0.1) and its
# timeout 0.5 s instead of 10 s.
# Timed at the real server's 1 s status poll, with a second of generating (so "generating" is seen).
TIMED = "status_poll_seconds = 1.0\nload_seconds = 0.3\ngenerate_seconds = 1.0\n"
ASKS_THE_HUB = TIMED + 'cached_load = "hub"\nhub_backoff_scale = 0.1\nhub_timeout_seconds = 0.5\n'
ASKED = re.compile(
    r"^loaded kokoro in (?P<offline>[\d.]+) s offline against (?P<online>[\d.]+) s online \(limit (?P<limit>[\d.]+) s\): "
    r"it asked the hub for config\.json, kokoro-v1_0\.pth, voices/af_heart\.pt 6 times each$"
)


@pytest.mark.timing
def test_a_healthy_build_loads_its_cached_models_offline_and_from_a_folder_of_their_own(tmp_path: Path) -> None:
    run = run_suite(tmp_path, *KOKORO, scenario=TIMED, **OFFLINE)
    assert run.code == 0, run.proc.stdout[-3000:]
    rows = run.rows()
    assert run.statuses() == {"O11": "passed", "O12": "passed", "O22": "passed"}
    assert "which refuses every connection" in rows["O11"]["network"]
    assert "which accepts every connection and never answers" in rows["O12"]["network"]
    assert "VOICEBOX_MODELS_DIR=" in rows["O22"]["network"] and rows["O22"]["was_cached"] is True
    for row in rows.values():  # each held against a load with the network in the same run
        assert row["performance"]["online_load_seconds"] is not None and row["performance"]["load_seconds"] is not None
    markdown = run.markdown
    assert "## Offline" in markdown and "| O12 | kokoro | — | the hub cut off: the server's proxy variables point at 127.0.0.1:" in markdown
    # every offline row restarted the server; the run ends with nothing left running
    assert any("back to the run's own cache and network after a row that relaunched it" in r for r in run.report["server"]["restarts"])
    run.assert_clean()


@pytest.mark.timing
def test_a_build_that_asks_the_hub_for_cached_files_or_ignores_its_models_folder_fails_offline(tmp_path: Path) -> None:
    run = run_suite(tmp_path, *KOKORO, scenario=ASKS_THE_HUB + "ignore_models_dir = true\n", **OFFLINE)
    rows = run.rows()
    assert run.statuses() == {"O11": "failed", "O12": "failed", "O22": "failed"}, run.proc.stdout[-3000:]
    for row_id, how in (("O11", "Connection refused"), ("O12", "Read timed out")):
        row = rows[row_id]
        assert row["cause"] == "offline", row
        found = ASKED.match(row["error"])
        assert found, row["error"]
        assert float(found["offline"]) > float(found["limit"]) >= float(found["online"]) + 5.0
        # the evidence: the hub client's own retry lines, through the proxy of this row's cut
        port = re.search(r"127\.0\.0\.1:(\d+)", row["network"]).group(1)  # type: ignore[union-attr]
        assert how in row["server_log_tail"] and "Retrying in 8s [Retry 5/5]." in row["server_log_tail"]
        assert "thrown while requesting HEAD https://huggingface.co/hexgrad/Kokoro-82M/resolve/main/config.json" in row["server_log_tail"]
        if row_id == "O11":
            assert f"port={port}" in row["server_log_tail"]
    assert "[offline] loaded kokoro in" in run.proc.stdout + run.proc.stderr
    assert "Cached model needs the network" in run.markdown
    # the folder row: the build looked elsewhere and found nothing, so it downloaded the model again
    row = rows["O22"]
    assert row["cause"] == "offline", row
    assert row["error"].startswith("kokoro was copied to the models folder ") and "did not read VOICEBOX_MODELS_DIR" in row["error"]


def test_offline_slack_seconds_and_offline_max_factor_set_the_limit(tmp_path: Path) -> None:
    slack = run_suite(tmp_path / "slack", *KOKORO, "-D", "offline_slack_seconds=120", "--name", "^Row O11:", scenario=ASKS_THE_HUB, **OFFLINE)
    row = slack.rows()["O11"]
    assert row["status"] == "passed", row
    assert any(w.startswith("offline, it asked the hub for config.json, kokoro-v1_0.pth, voices/af_heart.pt 6 times each") for w in row["warnings"]), row
    factor = run_suite(
        tmp_path / "factor", *KOKORO, "-D", "offline_slack_seconds=0", "-D", "offline_max_factor=1000", "--name", "^Row O11:",
        scenario=ASKS_THE_HUB, **OFFLINE,
    )
    assert factor.rows()["O11"]["status"] == "passed", factor.rows()["O11"]
