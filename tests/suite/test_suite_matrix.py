"""The suite as QA runs it: behave against the simulator, as a real subprocess over real HTTP."""

from __future__ import annotations

import json
import re
import wave
from pathlib import Path

import pytest

from conftest import ROOT, SuiteResult, run_suite

ALL_ROWS = [str(n) for n in range(1, 11)]
DESIGN_RESULT_FIELDS = {
    "engine", "model_size", "status", "generation_id", "was_cached", "elapsed_seconds",
    "audio_duration", "audio_path", "error", "server_log_tail",
}


@pytest.fixture(scope="module")
def green(tmp_path_factory: pytest.TempPathFactory) -> SuiteResult:
    return run_suite(tmp_path_factory.mktemp("green"), scenario="")


@pytest.mark.suite
def test_every_row_passes_and_the_exit_code_says_so(green: SuiteResult) -> None:
    assert green.code == 0, green.proc.stdout[-3000:] + green.proc.stderr[-3000:]
    assert green.statuses() == {row: "passed" for row in ALL_ROWS}


def test_the_json_report_follows_the_design_schema(green: SuiteResult) -> None:
    report = green.report
    for key in ("platform", "binary", "binary_size_mb", "started_at", "finished_at", "results"):
        assert key in report
    assert re.fullmatch(r"(linux|darwin|windows)-[a-z0-9_]+", report["platform"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", report["started_at"])
    assert report["target"] == "simulator" and report["simulated"] is True
    assert report["binary_version"] == "voicebox-server 0.5.0"
    for row in report["results"]:
        assert DESIGN_RESULT_FIELDS <= set(row)
        assert row["was_cached"] is True and row["error"] is None and row["server_log_tail"] is None
        assert row["cause"] is None and row["device"] == "cpu"
        assert row["elapsed_seconds"] > 0
        assert Path(row["audio_path"]).is_file() and row["audio_bytes"] == Path(row["audio_path"]).stat().st_size
        assert row["sample_rate"] == 24000 and row["channels"] == 1
        with wave.open(row["audio_path"], "rb") as wav:  # the WAV's own length, whoever spoke it
            assert row["audio_duration"] == pytest.approx(wav.getnframes() / wav.getframerate(), abs=0.001)
        assert 3.0 < row["audio_duration"] < 4.5  # the fox sentence at a speaking pace
    sizes = {(r["engine"], r["model_size"]) for r in report["results"]}
    assert ("kokoro", None) in sizes and ("tada", "3B") in sizes and ("qwen_custom_voice", "0.6B") in sizes


def test_the_markdown_report_has_the_design_table_and_says_it_was_simulated(green: SuiteResult) -> None:
    md = green.markdown
    assert "SIMULATED RUN" in md
    results, rest = md.split("## Performance")
    performance = rest.split("\n## ", 1)[0]
    table = [line for line in results.splitlines() if re.match(r"\| \d+ \|", line)]
    assert len(table) == 10
    assert all("| PASS |" in line for line in table)
    assert len([line for line in performance.splitlines() if re.match(r"\| \d+ \|", line)]) == 10  # each row's figures
    assert "| 10 | kokoro | — | en | cpu | PASS | " in md
    assert "## Failures" not in md


def test_the_three_profiles_are_created_once(green: SuiteResult) -> None:
    assert sorted(green.report["profiles_created"]) == ["e2e-cloned", "e2e-kokoro-af_heart", "e2e-qwen_custom_voice-Ryan"]


def test_allure_results_hold_each_row_with_parameters_and_audio(green: SuiteResult) -> None:
    results_dir = green.output_dir / "allure-results"
    tests = [json.loads(p.read_text()) for p in results_dir.glob("*-result.json")]
    assert len(tests) == 10
    for test in tests:
        assert test["status"] == "passed"
        params = {p["name"]: p.get("value") for p in test.get("parameters", [])}
        assert {"row", "engine", "model_size", "model_name"} <= set(params)
        attachments = [a for step in test["steps"] for a in step.get("attachments", [])] + test.get("attachments", [])
        kinds = {a["type"] for a in attachments}
        assert "audio/wav" in kinds and "application/json" in kinds
        for attachment in attachments:
            assert (results_dir / attachment["source"]).stat().st_size > 0


def test_the_console_shows_the_scenarios_and_where_the_reports_are(green: SuiteResult) -> None:
    out = green.proc.stdout
    assert "Scenario Outline: Row 10: kokoro" in out and "Voicebox E2E reports:" in out
    assert str(next(green.output_dir.glob("e2e-*.json"))) in out and "SIMULATED RUN" in out
    assert not list(ROOT.glob("*.output")), "formatter output belongs on the console, not in stray files"


def test_nothing_is_left_running_and_the_port_is_free(green: SuiteResult) -> None:
    green.assert_clean()
    assert green.report["server"]["launches"] == 1
    assert green.report["server"]["shutdown_notes"] == []


FAULTS = """
[models."qwen-tts-0.6B"]
fail_offline = true
[models."kokoro"]
fail = "CUDA out of memory. Tried to allocate 2.00 GiB | see https://x | `code`"
[models."tada-3b-ml"]
hang = true
"""


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> SuiteResult:
    return run_suite(tmp_path_factory.mktemp("faulty"), "-D", "timeout_cached=3", scenario=FAULTS)


@pytest.mark.suite
def test_failures_and_timeouts_are_reported_row_by_row(faulty: SuiteResult) -> None:
    assert faulty.code != 0
    expected = {row: "passed" for row in ALL_ROWS}
    expected.update({"2": "failed", "9": "timeout", "10": "failed"})
    assert faulty.statuses() == expected


def test_a_failed_row_carries_the_servers_error_and_log_tail(faulty: SuiteResult) -> None:
    row = faulty.rows()["2"]
    assert row["error"].startswith("We couldn't connect to 'https://huggingface.co'")
    assert "Marked qwen-tts-0.6B as error" in row["server_log_tail"]
    assert len(row["server_log_tail"].splitlines()) <= 100
    kokoro = faulty.rows()["10"]
    assert kokoro["error"].startswith("CUDA out of memory")


def test_a_timed_out_row_says_what_it_last_saw_and_the_run_goes_on(faulty: SuiteResult) -> None:
    row = faulty.rows()["9"]
    assert "no terminal status within 3 s" in row["error"]
    assert "generating" in row["error"]
    assert row["elapsed_seconds"] < 3 + 8
    assert faulty.rows()["10"]["status"] == "failed"  # the row after the timeout still ran


def test_the_markdown_escapes_error_text_and_lists_failures(faulty: SuiteResult) -> None:
    md = faulty.markdown
    kokoro_line = next(line for line in md.splitlines() if line.startswith("| 10 |"))
    assert "| FAIL |" in kokoro_line and "\\|" in kokoro_line and kokoro_line.count(" | ") == 8 and "| memory |" in kokoro_line
    assert "## Failures" in md and "### Row 9: tada 3B en — TIMEOUT (Timeout)" in md
    assert "Server log tail:" in md


def test_failed_rows_are_failed_allure_tests_with_the_log_tail(faulty: SuiteResult) -> None:
    results_dir = faulty.output_dir / "allure-results"
    tests = {json.loads(p.read_text())["name"]: json.loads(p.read_text()) for p in results_dir.glob("*-result.json")}
    failed = [t for t in tests.values() if t["status"] != "passed"]
    assert len(failed) == 3
    for test in failed:
        names = [a["name"] for step in test["steps"] for a in step.get("attachments", [])]
        assert "server log tail" in names
    faulty.assert_clean()
