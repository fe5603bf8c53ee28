"""The suite beside behave's own formatters: any mix gives the same suite reports, and each added
formatter writes a correct file of its own. Each test runs behave as QA would, as a subprocess."""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import NO_SPEECH_CHECK, ROOT, SuiteResult, base_env, run_suite, write_scenario

pytestmark = pytest.mark.suite  # every test here runs behave, a simulator or the recognizer

# Row 5 (luxtts) fails, row 10 (kokoro) passes; every other row is deselected.
SCENARIO = '[models."luxtts"]\nfail = "boom from luxtts"\n'
TWO_ROWS = ("-D", "only=kokoro,luxtts")
EXPECTED = {"5": "failed", "10": "passed"}


def suite_reports_are_right(run: SuiteResult) -> None:
    assert run.statuses() == EXPECTED, run.proc.stdout[-3000:] + run.proc.stderr[-3000:]
    assert "boom from luxtts" in run.rows()["5"]["error"]
    results = [json.loads(p.read_text()) for p in (run.output_dir / "allure-results").glob("*-result.json")]
    assert sorted(r["status"] for r in results) == ["failed", "passed"]
    assert run.code == 1  # one row failed
    run.assert_clean()


def cucumber_statuses(path: Path) -> dict[str, str]:
    """Scenario name -> status, as a Cucumber JSON consumer (Xray, cucumber-html) reads it."""
    features = json.loads(path.read_text(encoding="utf-8"))
    return {e["name"]: e["status"] for f in features for e in f["elements"] if e["type"] == "scenario"}


def check_cucumber(path: Path) -> None:
    statuses = cucumber_statuses(path)
    assert statuses["Row 5: luxtts — speaks with a cloned voice"] == "failed"
    assert statuses["Row 10: kokoro — speaks as the preset voice af_heart"] == "passed"
    assert statuses["Row 1: qwen 1.7B speaks with a cloned voice"] == "skipped"
    assert len(statuses) == 10  # every row of the English matrix, run or deselected


def check_junit(directory: Path) -> None:
    cases = {c.get("name"): c for f in directory.glob("*.xml") for c in ET.parse(f).getroot().iter("testcase")}
    assert cases["Row 10: kokoro — speaks as the preset voice af_heart"].get("status") == "passed"
    failed = cases["Row 5: luxtts — speaks with a cloned voice"]
    assert failed.get("status") == "failed" and failed.find("failure") is not None


@pytest.mark.parametrize("fmt", ["json", "json.pretty"])
def test_cucumber_json_holds_every_scenario_with_its_status(tmp_path: Path, fmt: str) -> None:
    cucumber = tmp_path / "cucumber.json"
    run = run_suite(tmp_path, *TWO_ROWS, "-f", fmt, "-o", str(cucumber), scenario=SCENARIO)
    suite_reports_are_right(run)
    check_cucumber(cucumber)


@pytest.mark.parametrize("fmt,marker", [
    ("plain", "Given a Voicebox server is running ... passed"),
    ("progress", "features/preset_models.feature"),
    ("pretty", "# steps/voicebox_steps.py"),
    ("tags", "TAG COUNTS"),
])
def test_console_formatters_leave_the_suite_reports_alone(tmp_path: Path, fmt: str, marker: str) -> None:
    run = run_suite(tmp_path, *TWO_ROWS, "-f", fmt, scenario=SCENARIO)
    suite_reports_are_right(run)
    assert marker in run.proc.stdout


def test_junit_lists_every_row_with_its_status(tmp_path: Path) -> None:
    junit = tmp_path / "junit"
    run = run_suite(tmp_path, *TWO_ROWS, "--junit", "--junit-directory", str(junit), scenario=SCENARIO)
    suite_reports_are_right(run)
    check_junit(junit)


def test_allure_behaves_own_formatter_gets_the_same_results(tmp_path: Path) -> None:
    theirs = tmp_path / "their-allure"
    run = run_suite(tmp_path, *TWO_ROWS, "-f", "allure_behave.formatter:AllureFormatter", "-o", str(theirs), scenario=SCENARIO)
    suite_reports_are_right(run)
    results = [json.loads(p.read_text()) for p in theirs.glob("*-result.json")]
    assert sorted(r["status"] for r in results) == ["failed", "passed"]
    assert (theirs / "categories.json").is_file() and (theirs / "environment.properties").is_file()
    wavs = list(theirs.glob("*-attachment.wav"))
    assert len(wavs) == 2 - 1  # the passing row's audio (the failed row produced none)


def test_a_mixed_set_on_the_command_line(tmp_path: Path) -> None:
    cucumber, junit, theirs = tmp_path / "c.json", tmp_path / "junit", tmp_path / "theirs"
    run = run_suite(
        # behave pairs each -f with the next -o in order: a console formatter before a file one takes "-o -"
        tmp_path, *TWO_ROWS, "-f", "progress", "-o", "-", "-f", "json", "-o", str(cucumber),
        "-f", "allure_behave.formatter:AllureFormatter", "-o", str(theirs), "-f", "plain",
        "--junit", "--junit-directory", str(junit), scenario=SCENARIO,
    )
    suite_reports_are_right(run)
    check_cucumber(cucumber)
    check_junit(junit)
    assert len(list(theirs.glob("*-result.json"))) == 2
    assert "... passed in" in run.proc.stdout


def project_copy(tmp_path: Path, formats: str) -> Path:
    """This project's behave files in a folder of their own, with ``formats`` in its behave.ini."""
    copy = tmp_path / "project"
    for name in ("features", "steps", "fixtures"):
        shutil.copytree(ROOT / name, copy / name)
    shutil.copy(ROOT / "environment.py", copy / "environment.py")
    ini = (ROOT / "behave.ini").read_text(encoding="utf-8")
    start, end = ini.index("format = "), ini.index("default_format = ")
    (copy / "behave.ini").write_text(ini[:start] + formats + ini[end:], encoding="utf-8")
    return copy


def test_a_mixed_set_in_behave_ini(tmp_path: Path) -> None:
    cucumber = tmp_path / "c.json"
    formats = f"format = voicebox-report\n    allure\n    json\n    progress\noutfiles = -\n    -\n    {cucumber}\n    -\n"
    run = run_suite(tmp_path, *TWO_ROWS, scenario=SCENARIO, cwd=project_copy(tmp_path, formats))
    suite_reports_are_right(run)
    check_cucumber(cucumber)
    assert "features/preset_models.feature" in run.proc.stdout


def test_without_a_terminal_each_step_is_printed_once_and_the_reports_come_last(tmp_path: Path) -> None:
    run = run_suite(tmp_path, *TWO_ROWS, scenario=SCENARIO)
    suite_reports_are_right(run)
    lines = run.proc.stdout.splitlines()
    step = 'Given the kokoro preset voice "af_heart"'
    assert sum(step in line for line in lines) == 1, run.proc.stdout
    assert sum("Scenario Outline: Row 10: kokoro" in line for line in lines) == 1
    tail = [line for line in lines if line.strip()][-5:]
    assert tail[0] == "Voicebox E2E reports:" and tail[1].strip().endswith(".json") and tail[2].strip().endswith(".md")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_on_a_terminal_the_console_is_pretty(tmp_path: Path) -> None:
    output = tmp_path / "results"
    env = base_env(VOICEBOX_SIM_SCENARIO=str(write_scenario(tmp_path, SCENARIO)), COLUMNS="200")
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "behave", "--tags=@english", "-D", f"output_dir={output}", *TWO_ROWS, *NO_SPEECH_CHECK],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=secondary, stderr=secondary,
    )
    os.close(secondary)
    text = read_all(primary)
    assert proc.wait(timeout=120) == 1
    assert "# steps/voicebox_steps.py" in text and "\x1b[" in text  # pretty, in colour
    assert "Voicebox E2E reports:" in text


def read_all(fd: int) -> str:
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the terminal closes when the last writer exits
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks).decode("utf-8", errors="replace")
