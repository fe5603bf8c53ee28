"""The features beyond the matrix: API contract, server lifecycle, multilingual rows, tags."""

from __future__ import annotations

from pathlib import Path

from conftest import run_suite

LIFECYCLE_CHECKS = {
    "--version answers without starting a server",
    "A new server becomes healthy within the start-up budget",
    "SIGTERM stops an idle server and frees its port",
    "SIGTERM stops the server even while a client watches a model download",
    "The server stops by itself when the process that launched it dies",
}


def checks(run):  # type: ignore[no-untyped-def]
    return {c["name"]: c for c in run.report["checks"]}


def test_the_api_contract_holds_on_a_server_that_behaves(tmp_path: Path) -> None:
    run = run_suite(tmp_path, tags="@contract", scenario="")
    assert run.code == 0, run.proc.stdout[-3000:]
    found = checks(run)
    assert len(found) == 16 and all(c["status"] == "passed" for c in found.values())
    assert "A reference sample that is not usable speech is refused: three seconds of silence" in found
    assert run.report["results"] == []
    assert "## Checks" in run.markdown
    run.assert_clean()


def test_the_api_contract_fails_clearly_on_a_server_that_answers_500(tmp_path: Path) -> None:
    run = run_suite(tmp_path, tags="@contract", scenario="generate_http_500 = true\n")
    assert run.code != 0
    failed = checks(run)["Generating for a profile that does not exist is refused"]
    assert failed["status"] == "failed"
    assert failed["error"] == "expected HTTP 404 with detail 'Profile not found', got HTTP 500: \"Internal Server Error\""
    assert checks(run)["A second profile with a name already taken is refused"]["status"] == "passed"


def test_the_lifecycle_holds_on_a_server_without_the_real_bugs(tmp_path: Path) -> None:
    run = run_suite(tmp_path, tags="@lifecycle", scenario="")
    assert run.code == 0, run.proc.stdout[-3000:]
    assert {name: c["status"] for name, c in checks(run).items()} == {name: "passed" for name in LIFECYCLE_CHECKS}
    run.assert_clean()


def test_the_lifecycle_catches_the_real_watchdog_and_shutdown_bugs(tmp_path: Path) -> None:
    run = run_suite(tmp_path, tags="@lifecycle", scenario="watchdog_bug = true\nshutdown_bug = true\n")
    assert run.code != 0
    found = checks(run)
    watchdog = found["The server stops by itself when the process that launched it dies"]
    assert watchdog["status"] == "failed"
    assert watchdog["error"].startswith("The server was still running 5 s after its --parent-pid process died")
    assert "its --parent-pid watchdog did not stop it" in watchdog["error"]
    shutdown = found["SIGTERM stops the server even while a client watches a model download"]
    assert shutdown["status"] == "failed" and "while a /models/progress stream is open" in shutdown["error"]
    assert found["SIGTERM stops an idle server and frees its port"]["status"] == "passed"
    assert "| FAIL | The server was still running 5 s after its --parent-pid process died" in run.markdown
    run.assert_clean()


def test_multilingual_rows_run_only_when_asked(tmp_path: Path) -> None:
    run = run_suite(tmp_path, tags="@multilingual", scenario="")
    assert run.code == 0
    rows = run.rows()
    assert {row: (r["engine"], r["language"], r["status"]) for row, r in rows.items()} == {
        "M1": ("qwen", "zh", "passed"), "M2": ("qwen", "ja", "passed"), "M3": ("chatterbox", "de", "passed"),
        "M4": ("tada", "fr", "passed"), "M5": ("kokoro", "es", "passed"),
    }
    assert "| M3 | chatterbox | — | de | PASS |" in run.markdown
    english = run_suite(tmp_path / "english", "-D", "only=kokoro", scenario="")
    assert set(english.rows()) == {"10"}


def test_tags_select_by_engine_across_features_and_by_profile_kind(tmp_path: Path) -> None:
    kokoro = run_suite(tmp_path, tags="@kokoro", scenario="")
    assert set(kokoro.rows()) == {"10", "M5"}
    preset = run_suite(tmp_path / "preset", tags="@english and @preset and not @kokoro", scenario="")
    assert set(preset.rows()) == {"3", "4"}
