"""One Voicebox server process: launch, readiness, and a shutdown that always ends.

``ServerProcess`` owns the whole life of one server, like a testcontainers container: start it,
wait for it with a deadline, read its logs, and stop its whole process tree.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Optional, Sequence

import psutil
import requests

from voicebox_e2e.server.markers import DATA_DIR_ENV, OWNER_ENV
from voicebox_e2e.server.reaper import Order, Reaper
from voicebox_e2e.server.logs import LogCapture
from voicebox_e2e.server.stopping import stop_stragglers, stop_tree



class ServerExited(RuntimeError):
    """The server process ended when it should have been running."""

    def __init__(self, code: Optional[int], tail: str) -> None:
        super().__init__(f"server exited (code {code})")
        self.code = code
        self.tail = tail


class ServerNotHealthy(RuntimeError):
    pass


def free_port(host: str = "127.0.0.1") -> int:
    """Bind to port 0 and hand back the number the OS chose, as the design says."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        if sys.platform != "win32":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def wait_until(condition: Callable[[], bool], timeout: float, interval: float = 0.05) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` seconds pass; True if it held."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(min(interval, max(0.0, deadline - time.monotonic())))


@dataclass(frozen=True)
class LaunchSpec:
    command: Sequence[str]
    host: str
    port: int
    data_dir: Path
    log_path: Path
    env: Mapping[str, str]
    parent_pid: Optional[int] = None  # --parent-pid; this process when None
    keep_data_dir: bool = False  # what the reaper does with data_dir should this process die


class ServerProcess:
    """A launched Voicebox server and everything needed to stop it for good."""

    def __init__(self, spec: LaunchSpec) -> None:
        self.spec = spec
        self.base_url = f"http://{spec.host}:{spec.port}"
        self.logs = LogCapture(spec.log_path)
        env = dict(spec.env)
        env[OWNER_ENV] = str(os.getpid())
        env[DATA_DIR_ENV] = str(spec.data_dir)
        argv = [
            *spec.command, "--host", spec.host, "--port", str(spec.port),
            "--data-dir", str(spec.data_dir), "--parent-pid", str(spec.parent_pid or os.getpid()),
        ]
        # Its own process group/session: a Ctrl-C in the terminal reaches the suite, which then
        # stops the server in order, instead of reaching both at once.
        new_group = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
        try:
            self.proc = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                start_new_session=sys.platform != "win32", creationflags=new_group if sys.platform == "win32" else 0,
            )
        except OSError as exc:
            self.logs.close()
            raise ServerNotHealthy(f"The server could not be started ({exc.strerror or exc}); check the binary path and permissions.") from exc
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self.logs.pump(self.proc.stdout, "stdout")
        self.logs.pump(self.proc.stderr, "stderr")
        self.started_at = time.monotonic()
        self.stopped = False
        # Should this process die without stop() (SIGKILL, OOM killer), the watcher stops the server.
        self.reaper = Reaper.start(Order(self.proc.pid, os.getpid(), spec.data_dir, spec.keep_data_dir, spec.log_path))

    @property
    def pid(self) -> int:
        return self.proc.pid

    def exit_code(self) -> Optional[int]:
        return self.proc.poll()

    def is_running(self) -> bool:
        return self.proc.poll() is None

    def confirm_exit(self, timeout: float = 1.0) -> Optional[int]:
        """The exit code if the process ends within ``timeout`` seconds, else None (still alive)."""
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def log_tail(self, lines: int = 100) -> str:
        return "\n".join(self.settled_logs().tail(lines))

    def settled_logs(self) -> LogCapture:
        """The logs; once the server has exited, with its last lines read from the pipes first
        (a crash's own last words are the evidence)."""
        if self.proc.poll() is not None:
            self.logs.drained(2.0)
        return self.logs

    def wait_healthy(self, timeout: float, session: requests.Session) -> float:
        """Poll GET /health until status == "healthy"; seconds taken.

        Fails at once (with the log tail) if the process exits, and after ``timeout`` seconds if it
        never answers healthy. The real server refuses connections until it is ready.
        """
        deadline = time.monotonic() + timeout
        while True:
            code = self.proc.poll()
            if code is not None:
                raise ServerExited(code, self.log_tail())
            try:
                answer = session.get(self.base_url + "/health", timeout=1.0)
                if answer.status_code == 200 and answer.json().get("status") == "healthy":
                    return time.monotonic() - self.started_at
            except (requests.RequestException, ValueError):
                pass
            if time.monotonic() >= deadline:
                raise ServerNotHealthy(
                    f"The server did not become healthy within {timeout:g} s; see the log tail below."
                )
            time.sleep(0.05)

    def stop(self, grace: float = 10.0) -> list[str]:
        """Stop the whole process tree, then what the server started that escaped it (see
        ``stopping``); returns what did not go as planned (empty if clean)."""
        if self.stopped:
            return []
        self.stopped = True
        notes = stop_tree(self.process_tree(), grace)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        notes += stop_stragglers(os.getpid(), self.spec.data_dir)
        self.reaper.release()
        self.logs.close()
        if not wait_until(lambda: port_is_free(self.spec.port, self.spec.host), timeout=5.0):
            notes.append(f"port {self.spec.port} is still in use after shutdown (a ghost server?)")
        return notes

    def process_tree(self) -> list[psutil.Process]:
        try:
            root = psutil.Process(self.pid)
            return [root, *root.children(recursive=True)]
        except psutil.Error:
            return []

