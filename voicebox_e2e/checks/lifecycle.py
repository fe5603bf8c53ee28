"""Server lifecycle checks (features/server_lifecycle.feature): each launches its own server.

Written so that they FAIL, with a sentence saying what the server did, against a server with the
real Voicebox bugs (the --parent-pid watchdog that never starts; SIGTERM that hangs while a
/models/progress stream is open), and pass against one without them.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import psutil
import requests

from voicebox_e2e.server.markers import DATA_DIR_PREFIX, OWNER_ENV
from voicebox_e2e.server.process import LaunchSpec, ServerProcess, free_port, port_is_free, wait_until
from voicebox_e2e.server.session import HOST, Session
from voicebox_e2e.server.stopping import is_alive, wait_gone


@dataclass(frozen=True)
class VersionAnswer:
    code: Optional[int]
    output: str
    seconds: float
    leftovers: list[int]


def ask_version(session: Session, timeout: float = 60.0) -> VersionAnswer:
    """Run ``<binary> --version`` and note any process it leaves behind."""
    started = time.monotonic()
    proc = psutil.Popen([*session.target.command, "--version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=session.environment())
    family: set[psutil.Process] = set()
    done = threading.Event()

    def watch() -> None:  # collect descendants while it runs: they are what could be left over
        while not done.wait(0.05):
            try:
                family.update(proc.children(recursive=True))
            except psutil.Error:
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        out, _ = proc.communicate(timeout=timeout)
        code: Optional[int] = proc.returncode
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        code = None
    done.set()
    watcher.join()
    seconds = time.monotonic() - started
    left = [p.pid for p in family if is_alive(p)]
    return VersionAnswer(code, out.decode("utf-8", "replace").strip(), seconds, left)


@dataclass
class FreshServer:
    """A server of its own for one lifecycle scenario, always removed by ``discard``."""

    process: ServerProcess
    data_dir: Path
    tree: list[psutil.Process] = field(default_factory=list)
    streams: list[requests.Response] = field(default_factory=list)
    parent: Optional[subprocess.Popen[bytes]] = None
    event: str = ""  # what the scenario did to it: "SIGTERM", or "its --parent-pid process died"

    @property
    def port(self) -> int:
        return self.process.spec.port

    def discard(self) -> None:
        for stream in self.streams:
            stream.close()
        self.process.stop(grace=3.0)
        for proc in self.tree:
            if is_alive(proc):
                proc.kill()
        if self.parent is not None and self.parent.poll() is None:
            self.parent.kill()
            self.parent.wait()
        shutil.rmtree(self.data_dir, ignore_errors=True)


def launch_fresh(session: Session, with_helper_parent: bool = False) -> FreshServer:
    """Launch a server on a new port and temp data dir; optionally its --parent-pid is a helper
    process the scenario can kill, rather than this suite."""
    parent = None
    parent_pid = None
    if with_helper_parent:
        # Marked like a server: if behave dies mid-scenario, the reaper stops this helper too.
        marked = {**os.environ, OWNER_ENV: str(os.getpid())}
        parent = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)"], stdin=subprocess.DEVNULL, env=marked)
        parent_pid = parent.pid
    data_dir = Path(tempfile.mkdtemp(prefix=DATA_DIR_PREFIX))
    log = session.settings.output_dir / f"lifecycle-server-{session.stamp}.log"
    spec = LaunchSpec(session.target.command, HOST, free_port(HOST), data_dir, log, session.environment(), parent_pid)
    return FreshServer(ServerProcess(spec), data_dir, parent=parent)


def healthy_within(server: FreshServer, seconds: float) -> float:
    return server.process.wait_healthy(seconds, requests.Session())


def hold_progress_stream(server: FreshServer, model_name: str) -> None:
    """Open GET /models/progress/{model} and keep it open (it heartbeats once a second)."""
    http = requests.Session()
    stream = http.get(f"{server.process.base_url}/models/progress/{model_name}", stream=True, timeout=30)
    stream.raw.readline()  # the first heartbeat: the subscription is live
    server.streams.append(stream)


def send_sigterm(server: FreshServer) -> None:
    server.event = "SIGTERM"
    server.tree = server.process.process_tree()
    if sys.platform == "win32":  # no SIGTERM there: the closest is CTRL_BREAK to the group
        server.process.proc.send_signal(signal.CTRL_BREAK_EVENT)  # type: ignore[attr-defined]
    else:
        server.process.proc.send_signal(signal.SIGTERM)


def kill_parent(server: FreshServer) -> None:
    assert server.parent is not None
    server.event = "its --parent-pid process died"
    server.tree = server.process.process_tree()
    server.parent.kill()
    server.parent.wait()


def expect_exit_within(server: FreshServer, seconds: float) -> None:
    """Fail unless the server's whole process tree is gone within ``seconds``, saying why not."""
    tree = server.tree or server.process.process_tree()
    alive = wait_gone(tree, seconds)
    if alive:
        raise AssertionError(
            f"The server was still running {seconds:g} s after {server.event} "
            f"(pids {', '.join(str(p.pid) for p in alive)}): {_why(server)}"
        )
    server.process.confirm_exit(timeout=1.0)


def _why(server: FreshServer) -> str:
    if server.parent is not None:
        return "its --parent-pid watchdog did not stop it, so a server orphaned by a crashed app lives on."
    if server.streams:
        return "SIGTERM does not end it while a /models/progress stream is open (the real server waits on that stream forever)."
    return "SIGTERM did not end it."


def expect_port_free(server: FreshServer, seconds: float = 5.0) -> None:
    if not wait_until(lambda: port_is_free(server.port, HOST), timeout=seconds):
        raise AssertionError(f"Port {server.port} was still in use {seconds:g} s after the server exited.")
