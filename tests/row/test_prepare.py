"""A cold sign-off: the prepare phase fetches every uncached model before the rows, several at a
time over the simulator's network model, and a download that stops fails its rows at once."""

from __future__ import annotations

import pytest

import time
from pathlib import Path

from typing import Any

from conftest import run_suite, wait_for

pytestmark = pytest.mark.suite  # every test here runs behave, a simulator or the recognizer

# Models are a tenth of their real size; each download runs at 50 MB/s at most, all share 100 MB/s.
NETWORK = "download_mb_per_s = 50\nlink_mb_per_s = 100\ndownload_size_scale = 0.1\n"
KOKORO_LUXTTS = ("-D", "only=kokoro,luxtts")  # rows 5 (luxtts, 51 MB here) and 10 (kokoro, 31 MB)


def test_uncached_models_are_fetched_first_side_by_side_and_rows_are_timed_as_cached(tmp_path: Path) -> None:
    # half their real size: kokoro 156 MB and luxtts 256 MB, some seconds each at 50 MB/s
    scenario = "download_mb_per_s = 50\nlink_mb_per_s = 100\ndownload_size_scale = 0.5\ncached_models = []\n"
    run = run_suite(tmp_path, *KOKORO_LUXTTS, scenario=scenario)
    assert run.statuses() == {"5": "passed", "10": "passed"}
    prepare = run.report["prepare"]
    assert sorted(m["model_name"] for m in prepare["models"]) == ["kokoro", "luxtts"]
    assert all(m["state"] == "done" and m["bytes"] == m["total_bytes"] > 0 for m in prepare["models"]), prepare
    assert prepare["parallel"] == 2, prepare  # the server listed both downloads running at once
    for row in run.report["results"]:
        assert row["was_cached"] is True and row["timeout_seconds"] == 180.0  # download time is not model time
    assert "Prepare: fetching 2 model(s) that are not cached" in run.proc.stderr
    assert "- Prepare: fetched 2 of 2 uncached model(s)" in run.markdown


@pytest.mark.timing
def test_a_stalled_download_fails_its_rows_within_the_stall_time(tmp_path: Path) -> None:
    scenario = NETWORK + 'cached_models = ["kokoro"]\n[models."luxtts"]\ndownload_stall_at = 0.3\n'
    started = time.monotonic()
    run = run_suite(tmp_path, *KOKORO_LUXTTS, "-D", "stall_seconds=2", scenario=scenario)
    assert time.monotonic() - started < 30  # not the 1200 s download budget
    rows = run.rows()
    assert rows["10"]["status"] == "passed"
    assert rows["5"]["status"] == "failed" and rows["5"]["cause"] == "download"
    assert "the download of luxtts stalled at 15 of 51 MB (30%): no new bytes for 2 s" in rows["5"]["error"]
    assert 2 <= run.report["prepare"]["seconds"] < 2 + 10  # the stall time, and a generous ceiling over it
    run.assert_clean()


def test_a_failed_download_is_reported_with_the_servers_own_error(tmp_path: Path) -> None:
    scenario = NETWORK + 'cached_models = ["kokoro"]\n[models."luxtts"]\nfail_offline = true\n'
    run = run_suite(tmp_path, *KOKORO_LUXTTS, scenario=scenario)
    row = run.rows()["5"]
    assert row["status"] == "failed" and row["cause"] == "download"
    # the text GET /tasks/active gave for each offline download in the recorded contract (section 9)
    assert row["error"] == "the download of luxtts failed: An error happened while trying to locate the files on the Hub and we cannot find the appropriate snapshot folder for the specified revision on the local disk. Please check your internet connection and try again."
    # the evidence: what the server printed during the downloads, in the JSON and the Markdown
    assert row["server_log_tail"] and '"POST /models/download HTTP/1.1" 200' in row["server_log_tail"], row["server_log_tail"]
    assert "Server log tail:" in run.markdown.split("## Failures", 1)[1]


def test_prepare_false_keeps_the_designs_row_by_row_downloads(tmp_path: Path) -> None:
    run = run_suite(tmp_path, *KOKORO_LUXTTS, "-D", "prepare=false", scenario=NETWORK + "cached_models = []\n")
    assert run.statuses() == {"5": "passed", "10": "passed"}
    assert run.report["prepare"] is None
    assert all(r["was_cached"] is False and r["timeout_seconds"] == 1200.0 for r in run.report["results"])


@pytest.mark.timing
def test_the_simulated_network_shares_its_link_between_downloads(simulator: Any) -> None:
    # 31.3 MB (kokoro) and 51.2 MB (luxtts) at 20 MB/s each under a 30 MB/s link: together each gets 15 MB/s
    sim = simulator("download_mb_per_s = 20\nlink_mb_per_s = 30\ndownload_size_scale = 0.1\ncached_models = []\n")
    started = time.monotonic()
    for model in ("kokoro", "luxtts"):
        assert sim.http.post(sim.url + "/models/download", json={"model_name": model}, timeout=5).json() == {"message": f"Model {model} download started"}
    listed = {d["model_name"]: d for d in sim.http.get(sim.url + "/tasks/active", timeout=5).json()["downloads"]}
    assert set(listed) == {"kokoro", "luxtts"} and all(d["status"] == "downloading" for d in listed.values())

    def gone(model: str) -> float:
        downloads = sim.http.get(sim.url + "/tasks/active", timeout=5).json()["downloads"]
        return 0.0 if any(d["model_name"] == model for d in downloads) else time.monotonic() - started

    kokoro = wait_for(lambda: gone("kokoro"), 20, "kokoro's download to finish", interval=0.05)
    luxtts = wait_for(lambda: gone("luxtts"), 20, "luxtts's download to finish", interval=0.05)
    # half the link each, so not before 2.09 s (at 20 MB/s each it would be 1.57 s); a loaded
    # machine only makes it later, so the ceiling is generous
    shared, alone = 31.3 / 15, 31.3 / 20
    assert alone < shared - 0.3 < kokoro < 2 * shared
    # then luxtts runs alone at 20 MB/s: 31.3 MB by then, 19.9 MB left
    assert kokoro < luxtts and shared + 19.9 / 20 - 0.3 < luxtts < 2 * (shared + 19.9 / 20)
    status = {m["model_name"]: m for m in sim.http.get(sim.url + "/models/status", timeout=5).json()["models"]}
    assert status["kokoro"]["downloaded"] and status["luxtts"]["downloaded"]
    unknown = sim.http.post(sim.url + "/models/download", json={"model_name": "nope"}, timeout=5)
    assert (unknown.status_code, unknown.json()) == (400, {"detail": "Unknown model: nope"})
