"""One Voicebox server process: launch, log capture, readiness, and a shutdown that always ends.

``ServerProcess`` owns the whole life of one server, like a testcontainers container: start it,
wait for it with a deadline, read its logs, and stop its whole process tree.
"""

from __future__ import annotations

import collections
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable, Mapping, Optional, Sequence

import psutil
import requests

from voicebox_e2e.markers import DATA_DIR_ENV, OWNER_ENV
from voicebox_e2e.reaper import Order, Reaper
from voicebox_e2e.redaction import redact_bytes
from voicebox_e2e.stopping import stop_stragglers, stop_tree

MAX_LINE_CHARS = 2000
MAX_UNWRITTEN_BYTES = 64 * 1024


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


class LogCapture:
    """Tees the server's stdout and stderr to a log file and a bounded ring buffer of lines.

    Reading never blocks the server (a thread per pipe drains it as fast as it writes), memory
    stays bounded whatever the server writes (the ring holds at most ``ring_lines`` lines of at
    most ``MAX_LINE_CHARS`` characters), and undecodable bytes are replaced, never raised.
    """

    def __init__(self, log_path: Path, ring_lines: int = 500, max_file_bytes: int = 256 * 1024 * 1024) -> None:
        self.log_path = log_path
        self._ring: collections.deque[str] = collections.deque(maxlen=ring_lines)
        self._lock = threading.Lock()
        self._file = log_path.open("ab")
        self._unwritten = b""  # the file gets whole lines only, so a token is never split by a chunk
        self._file_bytes = 0
        self._max_file_bytes = max_file_bytes
        self._threads: list[threading.Thread] = []
        self.bytes_seen = 0
        self.lines_seen = 0  # every line ever appended to the ring, for marks (since())

    def pump(self, stream: IO[bytes], name: str) -> None:
        thread = threading.Thread(target=self._drain, args=(stream,), name=f"server-{name}", daemon=True)
        thread.start()
        self._threads.append(thread)

    def _drain(self, stream: IO[bytes]) -> None:
        partial = b""
        read = getattr(stream, "read1", stream.read)
        while True:
            try:
                chunk = read(65536)
            except (OSError, ValueError):
                break
            if not chunk:
                break
            self._write_file(chunk)
            lines = (partial + chunk).split(b"\n")
            partial = lines.pop()[-4 * MAX_LINE_CHARS:]
            with self._lock:
                self.bytes_seen += len(chunk)
                self.lines_seen += len(lines)
                for line in lines[-(self._ring.maxlen or 1):]:
                    self._ring.append(self._decode(line))
        if partial:
            with self._lock:
                self.lines_seen += 1
                self._ring.append(self._decode(partial))

    @staticmethod
    def _decode(raw: bytes) -> str:
        text = raw.rstrip(b"\r").decode("utf-8", errors="replace")
        return text if len(text) <= MAX_LINE_CHARS else text[:MAX_LINE_CHARS] + " …[line truncated]"

    def _write_file(self, chunk: bytes) -> None:
        """Append to the log file, redacted as it is written (the file is a CI artifact too)."""
        with self._lock:
            if self._file.closed:
                return
            data = self._unwritten + chunk
            cut = data.rfind(b"\n") + 1
            if cut == 0 and len(data) > MAX_UNWRITTEN_BYTES:  # one endless line: keep a token's length back
                cut = len(data) - 256
            self._unwritten = data[cut:]
            self._append(redact_bytes(data[:cut]))

    def _append(self, chunk: bytes) -> None:
        if chunk:
            if self._file_bytes + len(chunk) > self._max_file_bytes:
                if self._file_bytes < self._max_file_bytes:
                    self._file.write(b"\n[voicebox-e2e: log file size limit reached; further output dropped]\n")
                    self._file_bytes = self._max_file_bytes
                return
            self._file.write(chunk)
            self._file.flush()
            self._file_bytes += len(chunk)

    def tail(self, lines: int = 100) -> list[str]:
        with self._lock:
            return list(self._ring)[-lines:]

    def since(self, mark: int) -> list[str]:
        """The lines appended after ``lines_seen`` was ``mark`` (those the ring still holds)."""
        with self._lock:
            count = max(0, min(self.lines_seen - mark, len(self._ring)))
            return list(self._ring)[len(self._ring) - count:]

    def close(self, timeout: float = 5.0) -> None:
        for thread in self._threads:
            thread.join(timeout)
        with self._lock:
            if not self._file.closed:
                self._append(redact_bytes(self._unwritten))
                self._unwritten = b""
                self._file.close()


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
        return "\n".join(self.logs.tail(lines))

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

