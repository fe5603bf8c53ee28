"""The suite's settings as a QA engineer uses them: only/skip, the design CLI, keep_data_dir,
isolated_cache, building the binary, and bad input."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, base_env, gpu_named_simulator, leftovers, run_suite

pytestmark = pytest.mark.suite  # every test here runs behave, a simulator or the recognizer


def test_only_and_skip_choose_rows_and_only_the_needed_profiles(tmp_path: Path) -> None:
    run = run_suite(tmp_path, "-D", "only=kokoro,qwen", "-D", "skip=qwen", scenario="")
    assert run.code == 0
    assert run.statuses() == {"10": "passed"}
    assert run.report["profiles_created"] == ["e2e-kokoro-af_heart"]
    run.assert_clean()


def test_tags_slice_the_matrix_by_engine(tmp_path: Path) -> None:
    run = run_suite(tmp_path, scenario="", tags="@english and @tada")
    assert run.code == 0 and run.statuses() == {"8": "passed", "9": "passed"}


def test_the_design_command_line_runs_the_same_suite(tmp_path: Path) -> None:
    out = tmp_path / "cli-results"
    done = subprocess.run(
        [sys.executable, "-m", "voicebox_e2e", "--simulator", "--only", "kokoro", "--output-dir", str(out), "--timeout-cached", "60", "--junit", str(out / "junit"), "--no-asr"],
        cwd=tmp_path, env=base_env(VOICEBOX_SIM_SCENARIO=str(ROOT / "tests" / "fast.toml")), capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    report = json.loads(next(out.glob("e2e-*.json")).read_text())
    assert [(r["row"], r["status"], r["timeout_seconds"]) for r in report["results"]] == [("10", "passed", 60.0)]
    junit = (out / "junit" / "TESTS-preset_models.xml").read_text(encoding="utf-8")
    assert 'name="Row 10: kokoro — speaks as the preset voice af_heart" status="passed"' in junit
    assert done.stdout.rstrip().splitlines()[-3].strip().endswith(".md")  # where the reports are comes last


def test_keep_data_dir_keeps_what_the_server_wrote(tmp_path: Path) -> None:
    run = run_suite(tmp_path, "-D", "only=kokoro", "-D", "keep_data_dir=true", scenario="")
    data_dir = Path(run.report["server"]["data_dir"])
    try:
        assert run.code == 0 and run.report["server"]["data_dir_kept"] is True
        assert (data_dir / "voicebox.db").is_file()
        assert len(list((data_dir / "generations").glob("*.wav"))) == 1
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def test_isolated_cache_points_the_server_at_the_temp_dir_and_never_at_the_users_cache(tmp_path: Path) -> None:
    user_cache = tmp_path / "user-hf-cache"
    user_cache.mkdir()
    (user_cache / "keep-me").write_text("the user's cache")
    run = run_suite(tmp_path, "-D", "only=kokoro", "-D", "isolated_cache=true", scenario="", env={"HF_HUB_CACHE": str(user_cache)})
    assert run.code == 0
    log = Path(run.report["server"]["log"]).read_text(errors="replace")
    assert f"Model cache: {run.report['server']['data_dir']}/hf-cache" in log
    assert [p.name for p in user_cache.iterdir()] == ["keep-me"]
    plain = run_suite(tmp_path / "plain", "-D", "only=kokoro", scenario="", env={"HF_HUB_CACHE": str(user_cache)})
    assert f"Model cache: {user_cache}" in Path(plain.report["server"]["log"]).read_text(errors="replace")


def fake_checkout(root: Path, build_exit: int = 0) -> Path:
    """A Voicebox checkout whose backend/build_binary.py 'freezes' the simulator into dist/."""
    backend = root / "backend"
    backend.mkdir(parents=True)
    (backend / "build_binary.py").write_text(
        "import os, sys, pathlib\n"
        "print('PyInstaller: analysing backend/server.py', flush=True)\n"
        f"if {build_exit}:\n"
        "    print('ERROR: missing hidden import torch', flush=True)\n"
        f"    sys.exit({build_exit})\n"
        "dist = pathlib.Path('backend/dist'); dist.mkdir(parents=True, exist_ok=True)\n"
        "binary = dist / 'voicebox-server'\n"
        f"binary.write_text('#!/bin/sh\\nexec {sys.executable} -m voicebox_sim \"$@\"\\n')\n"
        "binary.chmod(0o755)\n"
        "print('Build complete:', binary, flush=True)\n"
    )
    return root


def test_a_missing_binary_is_built_in_the_checkout_then_tested(tmp_path: Path) -> None:
    repo = fake_checkout(tmp_path / "voicebox")
    run = run_suite(tmp_path, "-D", "only=kokoro", env={"VOICEBOX_REPO": str(repo), "VOICEBOX_SIM_SCENARIO": str(ROOT / "tests" / "fast.toml")})
    assert run.code == 0, run.proc.stderr[-3000:]
    assert "build | Build complete" in run.proc.stderr
    report = run.report
    assert report["target"] == "binary" and report["simulated"] is False
    assert report["binary"] == str((repo / "backend" / "dist" / "voicebox-server").resolve())
    assert report["binary_size_mb"] is not None and "SIMULATED" not in run.markdown
    assert "Build complete" in next(run.output_dir.glob("build-*.log")).read_text()


def test_a_failed_build_is_one_clear_error(tmp_path: Path) -> None:
    repo = fake_checkout(tmp_path / "voicebox", build_exit=3)
    run = run_suite(tmp_path, env={"VOICEBOX_REPO": str(repo)})
    assert run.code == 2
    assert "voicebox-e2e: error: Building the Voicebox binary failed (exit code 3); its output is in" in run.proc.stderr
    assert not list(run.output_dir.glob("e2e-*.json"))
    assert not leftovers(run.pid)


def test_skip_build_refuses_to_build(tmp_path: Path) -> None:
    repo = fake_checkout(tmp_path / "voicebox")
    run = run_suite(tmp_path, "-D", "skip_build=true", env={"VOICEBOX_REPO": str(repo)})
    assert run.code == 2 and "No Voicebox binary was found" in run.proc.stderr and "skip_build is set" in run.proc.stderr
    assert not (repo / "backend" / "dist").exists()


def bad_inputs(tmp_path: Path) -> list[tuple[str, list[str], str]]:
    not_exec = tmp_path / "voicebox-server"
    not_exec.write_text("#!/bin/sh\n")
    not_exec.chmod(stat.S_IRUSR | stat.S_IWUSR)
    empty_txt = tmp_path / "ref.wav"
    shutil.copy(ROOT / "fixtures" / "reference_voice.wav", empty_txt)
    (tmp_path / "ref.txt").write_text("  \n")
    return [
        ("unknown engine", ["-D", "only=kokoro,qwen3"], "only names unknown engine(s) qwen3"),
        ("missing reference wav", ["-D", f"reference_wav={tmp_path / 'nope.wav'}"], "The reference WAV"),
        ("empty transcript", ["-D", f"reference_wav={empty_txt}"], "The reference transcript is empty"),
        ("binary does not exist", ["-D", f"binary={tmp_path / 'missing'}"], "does not exist"),
        ("binary not executable", ["-D", f"binary={not_exec}"], "is not an executable file"),
        ("negative timeout", ["-D", "timeout_cached=-5"], "timeout_cached must be a positive number of seconds"),
        ("bad flag value", ["-D", "keep_data_dir=maybe"], "keep_data_dir must be true or false"),
        ("unknown setting", ["-D", "tiemout_cached=5"], "Unknown setting(s) tiemout_cached"),
        ("bad port", ["-D", "port=99999"], "port must be a TCP port number"),
    ]


@pytest.mark.parametrize("case", range(9))
def test_bad_input_stops_the_run_before_launch_with_one_sentence(tmp_path: Path, case: int) -> None:
    name, args, message = bad_inputs(tmp_path)[case]
    run = run_suite(tmp_path, *args)
    assert run.code == 2, name
    errors = [line for line in run.proc.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and errors[0].startswith("voicebox-e2e: error: ") and message in errors[0], errors
    assert errors[0].endswith(".")
    assert not leftovers(run.pid) and not list(run.output_dir.glob("e2e-*.json"))
    assert (tmp_path / "voicebox-server").exists() and (tmp_path / "ref.txt").exists()  # the user's files stay


def test_audio_thresholds_are_settings(tmp_path: Path) -> None:
    run = run_suite(tmp_path, "-D", "only=kokoro", "-D", "audio_min_rms=0.5", scenario="")
    assert run.code != 0
    error = run.rows()["10"]["error"]  # the simulator's speech has an RMS near the real server's 0.1
    assert error.startswith("bad audio: the audio is silent (RMS 0.") and error.endswith(" < 0.5)")


def test_the_version_comes_from_the_running_server_without_a_second_start(tmp_path: Path) -> None:
    argv_log = tmp_path / "argv.log"
    binary = gpu_named_simulator(tmp_path / "dist", "voicebox-server", argv_log)
    run = run_suite(tmp_path, "-D", f"binary={binary}", "-D", "only=kokoro", scenario="")
    assert run.code == 0 and run.report["binary_version"] == "voicebox-server 0.5.0"
    starts = argv_log.read_text().splitlines()
    assert len(starts) == 1 and "--version" not in starts[0], starts  # a onefile build unpacks once per start


def test_a_server_that_never_answers_is_asked_for_its_version(tmp_path: Path) -> None:
    argv_log = tmp_path / "argv.log"
    binary = gpu_named_simulator(tmp_path / "dist", "voicebox-server", argv_log)
    run = run_suite(tmp_path, "-D", f"binary={binary}", "-D", "only=kokoro", "-D", "health_timeout=2", "-D", "max_relaunches=0", scenario="never_healthy = true\n")
    assert run.statuses() == {"10": "failed"}
    assert run.report["binary_version"] == "voicebox-server 0.5.0"
    assert argv_log.read_text().splitlines()[-1] == "--version"
