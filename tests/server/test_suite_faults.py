"""The fault matrix: each simulator fault and each interrupt run through the real suite.

Every case checks the rows' statuses, that the reports were written, and that nothing is left:
no process (psutil), the port free, the temp data dir gone.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from conftest import CHILD, NO_SPEECH_CHECK, ROOT, SuiteResult, base_env, leftovers, run_suite, wait_for, write_scenario
from voicebox_e2e.server.markers import WATCHER_ENV, marked
from voicebox_e2e.server.process import port_is_free
from voicebox_e2e.server.reaper import GRACE_SECONDS

pytestmark = pytest.mark.suite  # every test here runs behave, a simulator or the recognizer

KOKORO_QWEN = ("-D", "only=kokoro,qwen")  # rows 1, 2 (cloned feature) then 10 (preset feature)


@pytest.mark.timing
def test_a_crash_mid_row_fails_that_row_fast_and_the_rest_still_run(tmp_path: Path) -> None:
    run = run_suite(tmp_path, scenario='[models."chatterbox-tts"]\ncrash = 9\n')
    rows = run.rows()
    assert rows["6"]["status"] == "failed"
    assert rows["6"]["error"] == "server exited (code 9) during the generation"
    assert "Fatal error in chatterbox-tts inference" in rows["6"]["server_log_tail"]
    assert rows["6"]["elapsed_seconds"] < 5, "noticed at once, not at the row's deadline"
    assert all(r["status"] == "passed" for row, r in rows.items() if row != "6")
    assert run.report["server"]["launches"] == 2 and run.code != 0
    run.assert_clean()


def test_a_server_that_keeps_crashing_is_not_relaunched_forever(tmp_path: Path) -> None:
    scenario = "".join(f'[models."{m}"]\ncrash = 7\n' for m in ("qwen-tts-1.7B", "qwen-tts-0.6B", "luxtts"))
    run = run_suite(tmp_path, "-D", "max_relaunches=1", scenario=scenario)
    statuses = run.statuses()
    assert statuses["1"] == statuses["2"] == "failed"
    assert "relaunched 1 time(s) already; giving up" in run.rows()["5"]["error"]
    assert all(s == "failed" for s in statuses.values())
    assert run.report["server"]["launches"] == 2
    run.assert_clean()


def test_a_server_that_never_becomes_healthy_fails_every_row_with_the_reason(tmp_path: Path) -> None:
    run = run_suite(tmp_path, "-D", "health_timeout=2", *KOKORO_QWEN, scenario="never_healthy = true\n")
    assert run.statuses() == {"1": "failed", "2": "failed", "10": "failed"}
    assert all("did not become healthy within 2 s" in r["error"] for r in run.rows().values())
    assert "never_healthy" in (run.report["setup_log_tail"] or "")
    assert "## Setup failed" in run.markdown
    run.assert_clean()


def test_a_server_that_crashes_before_healthy_is_reported_with_its_exit_code(tmp_path: Path) -> None:
    run = run_suite(tmp_path, *KOKORO_QWEN, scenario="crash_before_healthy = 3\n")
    assert run.code != 0
    assert "The server exited with code 3 before it became healthy." in run.rows()["1"]["error"]
    assert "Simulated crash during start-up" in run.rows()["1"]["server_log_tail"]
    assert all(r["status"] == "failed" for r in run.rows().values())
    run.assert_clean()


def test_the_port_already_taken_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        run = run_suite(tmp_path, "-D", f"port={port}", "-D", "only=kokoro", scenario="")
    assert run.statuses() == {"10": "failed"}
    assert run.rows()["10"]["error"].startswith(f"Port {port} is already in use")
    run.assert_clean()


@pytest.mark.parametrize("fault,status,text", [
    ("sse = \"drop\"\nslow_seconds = 1.0", "passed", None),
    ("sse = \"malformed\"\nslow_seconds = 1.0", "failed", "the status stream sent an event that is not a status"),
    ("wav = \"empty\"", "failed", "bad audio: the WAV is empty (0 bytes)"),
    ("wav = \"corrupt\"", "failed", "bad audio: the RIFF header declares"),
    ("wav = \"silent\"", "failed", "bad audio: the audio is silent"),
], ids=["sse-drop", "sse-malformed", "wav-empty", "wav-corrupt", "wav-silent"])
def test_row_level_faults_become_clear_row_results(tmp_path: Path, fault: str, status: str, text: str | None) -> None:
    run = run_suite(tmp_path, "-D", "only=kokoro", scenario=f'[models."kokoro"]\n{fault}\n')
    row = run.rows()["10"]
    assert row["status"] == status, row
    if text:
        assert text in row["error"]
    else:
        assert row["reconnects"] > 0, "the dropped stream was reopened"
    run.assert_clean()


@pytest.mark.timing
def test_a_stalled_status_stream_is_reopened_within_the_deadline(tmp_path: Path) -> None:
    # the stream alone (no status probe): silent for 5 s, it is reopened
    run = run_suite(tmp_path, "-D", "only=kokoro", "-D", "status_probe_seconds=0", scenario='[models."kokoro"]\nsse = "stall"\nslow_seconds = 1.0\n')
    row = run.rows()["10"]
    assert row["status"] == "passed" and row["reconnects"] >= 1
    run.assert_clean()


@pytest.mark.timing
def test_the_status_probe_ends_a_stalled_stream_at_the_generations_end(tmp_path: Path) -> None:
    run = run_suite(tmp_path, "-D", "only=kokoro", scenario='[models."kokoro"]\nsse = "stall"\nslow_seconds = 1.0\n')
    row = run.rows()["10"]
    assert row["status"] == "passed" and row["reconnects"] == 0
    assert row["elapsed_seconds"] < 5.0  # the client gives a silent stream 5 s before reopening it
    run.assert_clean()


def test_http_500_on_generate_is_a_failed_row_with_the_status(tmp_path: Path) -> None:
    run = run_suite(tmp_path, *KOKORO_QWEN, scenario="generate_http_500 = true\n")
    for row in run.rows().values():
        assert row["status"] == "failed" and row["http_status"] == 500
        assert row["error"] == "POST /generate answered HTTP 500: Internal Server Error"
    run.assert_clean()


def test_a_failing_model_status_means_unknown_cache_and_the_download_budget(tmp_path: Path) -> None:
    run = run_suite(tmp_path, "-D", "only=kokoro", "-D", "timeout_download=77", scenario="models_status_http_500 = true\n")
    row = run.rows()["10"]
    assert row["status"] == "passed" and row["was_cached"] is None and row["timeout_seconds"] == 77.0


def test_an_uncached_model_gets_the_download_budget(tmp_path: Path) -> None:
    # prepare=false: the row fetches its own model (with prepare, it is cached by the time the row runs)
    run = run_suite(tmp_path, "-D", "only=kokoro", "-D", "prepare=false", "-D", "timeout_download=66", scenario="cached_models = []\n")
    row = run.rows()["10"]
    assert row["status"] == "passed" and row["was_cached"] is False and row["timeout_seconds"] == 66.0


def test_a_server_that_ignores_sigterm_is_still_stopped(tmp_path: Path) -> None:
    run = run_suite(tmp_path, "-D", "only=kokoro", scenario="ignore_sigterm = true\n")
    assert run.code == 0
    assert any("sent SIGINT" in note for note in run.report["server"]["shutdown_notes"])
    run.assert_clean()


def test_a_onefile_bootloader_and_its_child_are_both_stopped(tmp_path: Path) -> None:
    run = run_suite(tmp_path, "-D", "only=kokoro", scenario="onefile = true\n")
    assert run.code == 0
    run.assert_clean()


def test_a_worker_that_left_the_servers_tree_is_found_by_its_marker_stopped_and_reported(tmp_path: Path) -> None:
    run = run_suite(tmp_path, "-D", "only=kokoro", scenario="detached_worker = true\n")
    assert run.code == 0
    notes = run.report["server"]["shutdown_notes"]
    assert len(notes) == 1 and "1 process(es) the server started outlived it" in notes[0] and "voicebox_sim.detached --worker" in notes[0], notes
    assert "outlived it" in run.markdown
    run.assert_clean()


def test_a_flooding_server_never_breaks_the_run_or_the_reports(tmp_path: Path) -> None:
    run = run_suite(tmp_path, *KOKORO_QWEN, scenario='log_flood_mb_per_s = 20\nnon_utf8_log = true\n[models."kokoro"]\nfail = "boom"\n')
    assert run.statuses() == {"1": "passed", "2": "passed", "10": "failed"}
    tail = run.rows()["10"]["server_log_tail"]
    assert len(tail.splitlines()) <= 100 and all(len(line) <= 2100 for line in tail.splitlines())
    assert "\ufffd" in Path(run.report["server"]["log"]).read_bytes().decode("utf-8", errors="replace")
    run.assert_clean()


def test_hugging_face_tokens_never_reach_any_file_of_the_output_folder(tmp_path: Path) -> None:
    secret, env_secret = "hf_SeCrEtT0kenValue123456", "plain-secret-value"
    fault = f'[models."kokoro"]\nfail = "401 for token {secret} and {env_secret} <script>alert(1)</script>"\n'
    run = run_suite(tmp_path, "-D", "only=kokoro", scenario=fault, env={"HF_TOKEN": env_secret})
    assert run.rows()["10"]["status"] == "failed"
    files = [p for p in run.output_dir.rglob("*") if p.is_file()]
    server_log = next(p for p in files if p.name.startswith("server-"))
    assert "401 for token hf_[redacted] and [redacted]" in server_log.read_text(errors="replace")  # the server said it
    for path in files:
        data = path.read_bytes()
        assert secret.encode() not in data and env_secret.encode() not in data, path
    assert "&lt;script&gt;" in next(line for line in run.markdown.splitlines() if line.startswith("| 10 |"))


# -- interrupts -----------------------------------------------------------------------------------


def start_suite(tmp_path: Path, scenario: str, *args: str) -> tuple[subprocess.Popen[str], Path]:
    output = tmp_path / "results"
    env = base_env(VOICEBOX_SIM_SCENARIO=str(write_scenario(tmp_path, scenario)))
    proc = subprocess.Popen(
        [sys.executable, "-m", "behave", "--tags=@english", "--no-color", "-D", f"output_dir={output}", *KOKORO_QWEN, *NO_SPEECH_CHECK, *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **CHILD,
    )
    return proc, output


def server_log(output: Path) -> str:
    logs = list(output.glob("server-*.log"))
    return logs[0].read_text(errors="replace") if logs else ""


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_an_interrupted_run_reports_what_finished_and_leaves_nothing(tmp_path: Path, sig: signal.Signals) -> None:
    proc, output = start_suite(tmp_path, '[models."qwen-tts-0.6B"]\nslow_seconds = 120\n')
    wait_for(lambda: "Loading TTS model 0.6B" in server_log(output), 60, "row 2 to start")
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    run = SuiteResult(subprocess.CompletedProcess(proc.args, proc.returncode, out, err), output, proc.pid)
    assert run.code != 0
    assert run.statuses() == {"1": "passed", "2": "not_run", "10": "not_run"}
    report = run.report
    assert report["interrupted"] is True
    assert report["interrupt_reason"] == ("SIGTERM" if sig == signal.SIGTERM else "KeyboardInterrupt (Ctrl-C)")
    assert "The run was interrupted" in run.markdown
    results = [json.loads(p.read_text()) for p in (output / "allure-results").glob("*-result.json")]
    assert any(r["status"] == "passed" for r in results)
    run.assert_clean()


def watchers(owner_pid: int) -> list[psutil.Process]:
    """The reaper processes a suite run (pid ``owner_pid``) started."""
    return marked(WATCHER_ENV, str(owner_pid))


@pytest.mark.timing
def test_a_sigkilled_run_is_cleaned_up_by_its_reaper_within_seconds(tmp_path: Path) -> None:
    # onefile (a bootloader and its child) with the real watchdog bug: only the reaper can help.
    proc, output = start_suite(tmp_path, 'onefile = true\nwatchdog_bug = true\n[models."qwen-tts-0.6B"]\nslow_seconds = 120\n')
    wait_for(lambda: "Loading TTS model 0.6B" in server_log(output), 60, "row 2 to start")
    servers = leftovers(proc.pid)
    assert len(servers) >= 2, "the onefile bootloader and its child"
    argv = servers[0].cmdline()
    port = int(argv[argv.index("--port") + 1])
    data_dir = Path(servers[0].environ()["VOICEBOX_E2E_DATA_DIR"])
    assert watchers(proc.pid), "a reaper beside the server"
    proc.kill()  # SIGKILL: no hook runs
    proc.communicate(timeout=30)
    # the reaper notices within a poll, waits its grace after SIGTERM, then SIGKILLs: a generous ceiling
    wait_for(lambda: not leftovers(proc.pid) and not watchers(proc.pid) and port_is_free(port) and not data_dir.exists(), 4 * GRACE_SECONDS + 10, "the reaper to stop the server tree, free the port and remove the data dir")
    assert "[voicebox-e2e reaper] the suite (pid" in server_log(output) and "removed the data dir" in server_log(output)


def test_the_next_run_stops_a_server_whose_run_and_reaper_were_both_killed(tmp_path: Path) -> None:
    proc, output = start_suite(tmp_path / "first", 'watchdog_bug = true\n[models."qwen-tts-0.6B"]\nslow_seconds = 120\n')
    wait_for(lambda: "Loading TTS model 0.6B" in server_log(output), 60, "row 2 to start")
    orphans = leftovers(proc.pid)
    assert orphans, "the server of the first run"
    data_dir = Path(orphans[0].environ()["VOICEBOX_E2E_DATA_DIR"])
    for watcher in watchers(proc.pid):
        watcher.kill()  # the second line of defence is for when the first is gone too
    proc.kill()  # SIGKILL: no after_all, and the real watchdog never notices
    proc.communicate(timeout=30)
    assert all(p.is_running() for p in orphans) and data_dir.is_dir()
    second = run_suite(tmp_path / "second", "-D", "only=kokoro", scenario="")
    assert second.code == 0
    psutil.wait_procs(orphans, timeout=10)
    assert not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in orphans)
    assert not data_dir.exists()
    notes = second.report["server"]["stale_servers_stopped"]
    assert len(notes) == 1 and f"pid {proc.pid}" in notes[0] and "Stopped a stale Voicebox server" in second.proc.stderr
    second.assert_clean()


def test_a_second_interrupt_during_the_teardown_does_not_abort_the_cleanup(tmp_path: Path) -> None:
    proc, output = start_suite(tmp_path, 'ignore_sigterm = true\n[models."qwen-tts-0.6B"]\nslow_seconds = 120\n')
    wait_for(lambda: "Loading TTS model 0.6B" in server_log(output), 60, "row 2 to start")
    proc.send_signal(signal.SIGINT)
    wait_for(lambda: "ignoring it (ignore_sigterm)" in server_log(output), 30, "the teardown to send SIGTERM")
    proc.send_signal(signal.SIGINT)  # an impatient second Ctrl-C while the server is being stopped
    out, err = proc.communicate(timeout=60)
    run = SuiteResult(subprocess.CompletedProcess(proc.args, proc.returncode, out, err), output, proc.pid)
    assert "Received SIGINT while shutting down; finishing the cleanup first." in err
    assert run.report["interrupted"] is True and run.statuses()["1"] == "passed"
    run.assert_clean()
