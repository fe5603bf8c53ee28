"""A run's session with Voicebox: the server (relaunched after a crash), its data dir, the profiles.

``environment.py`` opens one ``Session`` before the first row and always closes it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Optional

import psutil
import requests

from voicebox_e2e.server.target import Target
from voicebox_e2e.api.client import VoiceboxClient
from voicebox_e2e.config import PROJECT_ROOT, Settings, read_reference_text
from voicebox_e2e.server.markers import DATA_DIR_PREFIX
from voicebox_e2e.server.profiles import ProfileBook
from voicebox_e2e.server.process import LaunchSpec, ServerExited, ServerNotHealthy, ServerProcess, free_port, port_is_free

HOST = "127.0.0.1"
# Seconds a server that never finished its start-up gets after SIGTERM (uvicorn handles SIGTERM
# only once its start-up is done, so a longer wait only delays the SIGINT and SIGKILL after it).
STUCK_GRACE = 2.0


class SessionError(RuntimeError):
    """The server cannot be brought up (or back up); the message says why, the tail shows it."""

    def __init__(self, message: str, log_tail: str = "") -> None:
        super().__init__(message)
        self.log_tail = log_tail


def launch_environment(settings: Settings, target: Target, data_dir: Path, extra: Optional[dict[str, str]] = None) -> dict[str, str]:
    """The server's environment: ours, with an isolated model cache in its data dir if asked,
    the project on the path of a simulated server, and ``extra`` last (a network cut, a models
    folder of its own: ``Session.relaunch_with``)."""
    env = dict(os.environ)
    if settings.isolated_cache:
        cache = data_dir / "hf-cache"
        cache.mkdir(exist_ok=True)
        env["HF_HUB_CACHE"] = str(cache)
        env["VOICEBOX_MODELS_DIR"] = str(cache)
    if target.simulated:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH", "")]))
    env.update(extra or {})
    return env


class Session:
    """A run's server and its workspace: temp data dir, port, log, and the profiles on it."""

    def __init__(self, settings: Settings, target: Target, stamp: str, echo: Callable[[str], None]) -> None:
        self.settings = settings
        self.target = target
        self.stamp = stamp
        self.echo = echo
        settings.output_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = settings.output_dir / f"server-{stamp}.log"
        self.audio_dir = settings.output_dir / f"audio-{stamp}"
        self.data_dir = Path(tempfile.mkdtemp(prefix=DATA_DIR_PREFIX))
        self.port = settings.port or free_port(HOST)
        self.server: Optional[ServerProcess] = None
        self._client: Optional[VoiceboxClient] = None
        self.launches = 0
        self.restarts: list[str] = []
        self.health_seconds: list[float] = []
        self.profiles = ProfileBook(lambda: self.client, settings.reference_wav, read_reference_text(settings), self.data_dir / "references")
        self.shutdown_notes: list[str] = []
        self.log_bytes = 0  # everything the server(s) printed, including what the ring buffer dropped
        self._awaiting_health = False
        self.extra_env: dict[str, str] = {}  # what the running server was launched with beyond ours

    # -- what a row needs (rows.RowServer) -----------------------------------------------------

    @property
    def client(self) -> VoiceboxClient:
        assert self._client is not None, "the session has no server yet"
        return self._client

    def alive(self) -> bool:
        """False once the server has exited (waiting up to 1 s for a dying one to finish): for
        deciding that a broken stream means a dead server."""
        return self.server is not None and self.server.confirm_exit(timeout=1.0) is None

    def running(self) -> bool:
        """Whether the server process is running now, without waiting."""
        return self.server is not None and self.server.is_running()

    def exit_code(self) -> Optional[int]:
        return None if self.server is None else self.server.exit_code()

    def log_tail(self, lines: int) -> str:
        return "" if self.server is None else self.server.log_tail(lines)

    def process_tree(self) -> list[psutil.Process]:
        """The running server's processes (the onefile bootloader and its child), for sampling."""
        return [] if self.server is None else self.server.process_tree()

    def log_mark(self) -> int:
        return 0 if self.server is None else self.server.logs.lines_seen

    def log_since(self, mark: int) -> list[str]:
        """What the server printed since ``log_mark`` (all it holds if it was relaunched since)."""
        if self.server is None:
            return []
        logs = self.server.settled_logs()
        return logs.since(mark if mark <= logs.lines_seen else 0)

    # -- lifecycle -----------------------------------------------------------------------------

    def environment(self) -> dict[str, str]:
        return launch_environment(self.settings, self.target, self.data_dir, self.extra_env)

    def start(self) -> None:
        """Launch the server (unless ``launch`` already did) and wait until it is healthy, or
        say clearly why it is not."""
        if self.server is None or self.server.stopped:
            self.launch()
        self.wait_healthy()

    @property
    def awaiting_health(self) -> bool:
        """Launched (``launch``), but nobody has waited for its /health yet."""
        return self.server is not None and not self.server.stopped and self._awaiting_health

    def launch(self) -> None:
        """Start the server process and return at once (``wait_healthy`` waits for it), so the
        run can do its own start-up work while a onefile build unpacks itself."""
        if self.launches and not port_is_free(self.port, HOST):
            self.port = free_port(HOST)
        if not port_is_free(self.port, HOST):
            raise SessionError(
                f"Port {self.port} is already in use; free it or pass port=0 to pick a free one."
            )
        self.launches += 1
        spec = LaunchSpec(
            self.target.command, HOST, self.port, self.data_dir, self.log_path, self.environment(),
            keep_data_dir=self.settings.keep_data_dir,
        )
        try:
            self.server = ServerProcess(spec)
        except ServerNotHealthy as exc:
            raise SessionError(str(exc)) from exc
        self._client = VoiceboxClient(self.server.base_url)
        self._awaiting_health = True
        self.echo(f"Launched {self.target.label} (pid {self.server.pid}) on port {self.port}; waiting for /health...")

    def wait_healthy(self) -> None:
        """Wait for the launched server's /health (its launch is the clock's start)."""
        assert self.server is not None, "wait_healthy before launch"
        self._awaiting_health = False
        try:
            seconds = self.server.wait_healthy(self.settings.health_timeout, requests.Session())
        except ServerExited as exc:
            tail = exc.tail
            self._stop_server()
            raise SessionError(f"The server exited with code {exc.code} before it became healthy.", tail) from exc
        except ServerNotHealthy as exc:
            tail = self.server.log_tail()
            self._stop_server(grace=STUCK_GRACE)  # stuck in start-up: it will not shut down gracefully
            raise SessionError(str(exc), tail) from exc
        self.health_seconds.append(seconds)
        self.echo(f"Server healthy after {seconds:.1f} s.")

    def ensure_running(self) -> None:
        """Relaunch a server that died (same data dir), a bounded number of times."""
        if self.server is not None and self.server.is_running():
            return
        code = None if self.server is None else self.server.exit_code()
        if self.server is not None:
            self._stop_server()
        relaunches = self.launches - 1 - len(self.restarts)
        if relaunches >= self.settings.max_relaunches:
            raise SessionError(
                f"The server exited (code {code}) and has been relaunched {relaunches} time(s) already; giving up."
            )
        self.echo(f"The server exited (code {code}); relaunching it on the same data dir.")
        self.start()

    def restart(self, reason: str) -> None:
        """Stop the server and start a fresh one on the same data dir (not counted as a crash)."""
        self.echo(f"Restarting the server: {reason}.")
        self._stop_server()
        self.restarts.append(reason)
        self.start()

    def relaunch_with(self, reason: str, extra_env: dict[str, str]) -> None:
        """A fresh server on the same data dir whose environment has ``extra_env`` (replacing
        what the last relaunch added), as a restart."""
        self.extra_env = dict(extra_env)
        self.restart(reason)

    def _stop_server(self, grace: float = 10.0) -> None:
        if self.server is None or self.server.stopped:
            return
        if self._client is not None:
            self._client.close_streams()
        self.shutdown_notes.extend(self.server.stop(grace))
        self.log_bytes += self.server.logs.bytes_seen

    def close(self) -> list[str]:
        """Stop everything this session started and remove its temp data dir unless kept."""
        self._stop_server()
        if self.settings.keep_data_dir:
            self.echo(f"Kept the data dir: {self.data_dir}")
        else:
            shutil.rmtree(self.data_dir, ignore_errors=True)
        return self.shutdown_notes
