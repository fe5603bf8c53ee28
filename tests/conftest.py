"""Shared helpers: run the real suite (behave) or the simulator as subprocesses, and check that
nothing they started is left behind."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import tempfile
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional

import psutil
import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
from voicebox_e2e.server.markers import OWNER_ENV, SCOPE_ENV, marked  # noqa: E402  (the marker on everything the suite launches)
from voicebox_e2e.server.process import port_is_free  # noqa: E402
from voicebox_sim.engine.made import CACHE_ENV as SPEECH_CACHE_ENV  # noqa: E402

# Fast timings for the simulator in tests (the real server polls its status stream every 1.0 s).
FAST = (ROOT / "tests" / "fast.toml").read_text(encoding="utf-8")


# The simulator's speech, kept by request for this test session and the ones beside and after it
# (the synthesiser's own source is part of each key).
SPEECH_CACHE = Path(tempfile.gettempdir()) / f"voicebox-sim-speech-{os.getuid() if hasattr(os, 'getuid') else 0}"

# The speech recognizer takes seconds a row on this machine; tests that are not about the speech
# check turn it off.
NO_SPEECH_CHECK = ("-D", "asr=off")


def with_default_sigint() -> None:
    """Run in a child before it starts: SIGINT as a terminal's Ctrl-C delivers it. A test session
    started in the background of a shell without job control inherits SIGINT ignored, and a
    Python child keeps ignoring it: the tests that interrupt a run would wait for nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


# What every child a test starts gets (POSIX only: Windows has no preexec_fn).
CHILD: dict[str, Any] = {} if os.name == "nt" else {"preexec_fn": with_default_sigint}


def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VOICEBOX_REPO", "VOICEBOX_SIM_SCENARIO", "HF_TOKEN")}
    env["PYTHONPATH"] = str(ROOT)
    env["PYTHONUNBUFFERED"] = "1"
    env[SCOPE_ENV] = f"pytest-{os.getpid()}"  # a test session's runs reap only its own stale servers
    env[SPEECH_CACHE_ENV] = str(SPEECH_CACHE)  # each sentence and pitch synthesised once a session
    env.update(extra)
    return env


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(value)


def write_scenario(directory: Path, text: str, fast: bool = True) -> Path:
    """Write a scenario file: the test's TOML over the fast timings (the test's keys win)."""
    data: dict[str, Any] = dict(tomllib.loads(FAST)) if fast else {}
    for key, value in tomllib.loads(text).items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key].update(value)
        else:
            data[key] = value
    lines = [f"{k} = {_toml_value(v)}" for k, v in data.items() if not isinstance(v, dict)]
    for model, fault in data.get("models", {}).items():
        lines.append(f'[models."{model}"]')
        lines += [f"{k} = {_toml_value(v)}" for k, v in fault.items()]
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "scenario.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def leftovers(owner_pid: int) -> list[psutil.Process]:
    """Processes launched by the suite run whose pid was ``owner_pid`` that still exist."""
    return marked(OWNER_ENV, str(owner_pid))


def describe(proc: psutil.Process) -> str:
    """A leftover process as a person can identify it: its pid and command line."""
    try:
        return f"{proc.pid} ({' '.join(proc.cmdline())})"
    except psutil.Error:
        return f"{proc.pid} (gone)"


@dataclass
class SuiteResult:
    proc: subprocess.CompletedProcess[str]
    output_dir: Path
    pid: int

    @property
    def code(self) -> int:
        return self.proc.returncode

    @property
    def report(self) -> dict[str, Any]:
        files = sorted(self.output_dir.glob("e2e-*.json"))
        assert len(files) == 1, f"expected one JSON report in {self.output_dir}, found {files}\n{self.proc.stdout[-3000:]}\n{self.proc.stderr[-3000:]}"
        return dict(json.loads(files[0].read_text(encoding="utf-8")))

    @property
    def markdown(self) -> str:
        files = sorted(self.output_dir.glob("e2e-*.md"))
        assert len(files) == 1, f"expected one Markdown report, found {files}"
        return files[0].read_text(encoding="utf-8")

    def rows(self) -> dict[str, dict[str, Any]]:
        return {r["row"]: r for r in self.report["results"]}

    def statuses(self) -> dict[str, str]:
        return {row: r["status"] for row, r in self.rows().items()}

    def assert_clean(self) -> None:
        """Nothing the run launched is alive, its port is free and its temp data dir is gone."""
        left = leftovers(self.pid)
        assert not left, f"processes left running: {[describe(p) for p in left]}"
        server = self.report["server"]
        if server.get("data_dir") and not server.get("data_dir_kept"):
            assert not Path(server["data_dir"]).exists(), f"data dir {server['data_dir']} was not removed"
        assert not [n for n in server.get("shutdown_notes", []) if "still in use" in n]
        if server.get("port"):
            assert port_is_free(server["port"]), f"port {server['port']} is still in use"


def run_suite(
    tmp_path: Path,
    *args: str,
    scenario: Optional[str] = None,
    env: Optional[dict[str, str]] = None,
    timeout: float = 240,
    tags: str = "@english",
    cwd: Path = ROOT,
) -> SuiteResult:
    """Run ``behave`` on this project, as QA would, against the simulator."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    output = tmp_path / "results"
    extra = dict(env or {})
    if scenario is not None:
        extra["VOICEBOX_SIM_SCENARIO"] = str(write_scenario(tmp_path, scenario))
    if not any(arg.startswith("asr") for arg in args):
        args = (*args, *NO_SPEECH_CHECK)  # seconds a row: only the speech tests hear the WAVs
    cmd = [sys.executable, "-m", "behave", f"--tags={tags}", "--no-color", "-D", f"output_dir={output}", *args]
    proc = subprocess.Popen(cmd, cwd=cwd, env=base_env(**extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **CHILD)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError(f"behave did not finish within {timeout} s\n{out[-3000:]}\n{err[-3000:]}")
    return SuiteResult(subprocess.CompletedProcess(cmd, proc.returncode, out, err), output, proc.pid)


def wait_for(condition: Any, timeout: float, what: str, interval: float = 0.05) -> Any:
    """Poll ``condition`` until it returns something truthy; fail with ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


class Simulator:
    """The simulator run directly as the binary would be, for contract and fault tests."""

    def __init__(self, tmp_path: Path, scenario: Optional[str] = None, fast: bool = True, args: tuple[str, ...] = (), parent_pid: Optional[int] = None, launcher: tuple[str, ...] = (sys.executable, "-m", "voicebox_sim")) -> None:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.data_dir = tmp_path / "data"
        self.stdout_path, self.stderr_path = tmp_path / "sim-stdout.log", tmp_path / "sim-stderr.log"
        env = base_env()
        if scenario is not None or fast:
            env["VOICEBOX_SIM_SCENARIO"] = str(write_scenario(tmp_path, scenario or "", fast=fast))
        argv = [*launcher, "--host", "127.0.0.1", "--port", str(self.port), "--data-dir", str(self.data_dir), *args]
        if parent_pid is not None:
            argv += ["--parent-pid", str(parent_pid)]
        self.proc = subprocess.Popen(
            argv, cwd=tmp_path, env=env, stdout=self.stdout_path.open("wb"), stderr=self.stderr_path.open("wb"),
            start_new_session=True, **CHILD,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        self.http = requests.Session()

    def wait_healthy(self, timeout: float = 20) -> None:
        def healthy() -> bool:
            assert self.proc.poll() is None, f"simulator exited with {self.proc.returncode}: {self.stderr()[-2000:]}"
            try:
                return self.http.get(self.url + "/health", timeout=1).json()["status"] == "healthy"
            except requests.RequestException:
                return False

        wait_for(healthy, timeout, "the simulator to answer /health")

    def stderr(self) -> str:
        return self.stderr_path.read_bytes().decode("utf-8", errors="replace")

    def stdout(self) -> str:
        return self.stdout_path.read_bytes().decode("utf-8", errors="replace")

    def tree(self) -> list[psutil.Process]:
        try:
            root = psutil.Process(self.proc.pid)
            return [root, *root.children(recursive=True)]
        except psutil.Error:
            return []

    def stop(self) -> None:
        procs = self.tree()
        for p in procs:
            try:
                p.kill()
            except psutil.Error:
                pass
        psutil.wait_procs(procs, timeout=5)
        self.proc.wait(timeout=5)


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[Any]:
    started: list[Simulator] = []

    def start(scenario: Optional[str] = None, fast: bool = True, args: tuple[str, ...] = (), parent_pid: Optional[int] = None, healthy: bool = True, **kwargs: Any) -> Simulator:
        workdir = tmp_path / f"sim{len(started)}"
        workdir.mkdir()
        sim = Simulator(workdir, scenario, fast, args, parent_pid, **kwargs)
        started.append(sim)
        if healthy:
            sim.wait_healthy()
        return sim

    yield start
    for sim in started:
        sim.stop()


def gpu_named_simulator(directory: Path, name: str = "voicebox-server-cuda", argv_log: Optional[Path] = None) -> Path:
    """An executable file with the GPU build's name that runs the simulator (and, with
    ``argv_log``, appends each command line it was started with to that file)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    log = "" if argv_log is None else f"open({str(argv_log)!r}, 'a').write(' '.join(sys.argv[1:]) + '\\n')\n"
    path.write_text(
        f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(ROOT)!r})\n{log}"
        "from voicebox_sim.cli import main\nmain()\n",
        encoding="utf-8",
    )
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


# -- the tiers -------------------------------------------------------------------------------------
# `scripts/test.sh --fast` (pytest --fast) runs the unit tier: the tests marked neither `suite`
# (they run behave, a simulator or the recognizer, as a subprocess or for real) nor anything slower.


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--fast", action="store_true", help="the unit tier only: no behave run, no simulator, no recognizer")
    # CI shares the suite tier out between its two Python sessions (.ci/run): the unit tier runs in
    # both, each suite-tier test in one.
    parser.addoption("--suite-from", default="", help="comma-separated folders of tests/: the suite tier only from these")
    parser.addoption("--suite-not-from", default="", help="comma-separated folders of tests/: the suite tier from all but these")


def _in_folders(item: pytest.Item, option: str) -> bool:
    folders = [f.strip().strip("/") for f in option.split(",") if f.strip()]
    relative = Path(str(item.fspath)).resolve().relative_to(ROOT / "tests").as_posix()
    return any(relative.startswith(f"{folder}/") for folder in folders)


# Fixtures that start a simulator or run behave: a test that uses one is in the suite tier.
SUITE_FIXTURES = frozenset({"simulator", "green", "faulty", "cause_run", "openapi_pair", "error_server", "recognizer"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if SUITE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.suite)
    only, never = config.getoption("--suite-from"), config.getoption("--suite-not-from")

    def left_out(item: pytest.Item) -> bool:
        if config.getoption("--fast"):
            return item.get_closest_marker("suite") is not None
        if item.get_closest_marker("suite") is None and item.get_closest_marker("hearing") is None:
            return False  # the unit tier runs in every share (the tests that hear audio go to one)
        return bool((only and not _in_folders(item, only)) or (never and _in_folders(item, never)))

    slow = [item for item in items if left_out(item)]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not left_out(item)]
