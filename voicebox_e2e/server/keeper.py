"""The run's server, as the rows need it: launched early, waited for on first need, relaunched
after a crash (a bounded number of times), restarted after a row that held its queue, and
always closed. Why it could not be had is kept for every row that needed it."""

from __future__ import annotations

from typing import Any, Callable, Optional

import requests

from voicebox_e2e.api.errors import ApiError
from voicebox_e2e.config import Settings
from voicebox_e2e.server.session import Session, SessionError
from voicebox_e2e.server.target import Target, read_version


class ServerKeeper:
    def __init__(self, settings: Settings, target: Target, stamp: str, echo: Callable[[str], None], on_health: Callable[[dict[str, Any]], None]) -> None:
        self.settings, self.target, self.stamp, self.echo = settings, target, stamp, echo
        self.on_health = on_health  # every /health read (after each start and each row)
        self.session: Optional[Session] = None
        self.setup_error: Optional[SessionError] = None
        # From the running server's GET / (a onefile build would unpack itself again for
        # --version); --version only if no server ever answers.
        self.version: Optional[str] = None
        self._health_read_for_launch = 0

    def workspace(self) -> Session:
        """The run's session (temp data dir, port, environment), without starting its server."""
        if self.session is None:
            self.session = Session(self.settings, self.target, self.stamp, self.echo)
        return self.session

    def launch_early(self) -> None:
        """Start the server now, so its start-up (a onefile build's unpack) runs while behave and
        the reports get ready; the first row waits for /health. A launch that fails here fails
        the first row that needs the server, with the reason."""
        try:
            self.workspace().launch()
        except SessionError as exc:
            self.setup_error = exc

    def ready(self) -> Session:
        """The running server: launched on first need, relaunched after it died. Raises
        SessionError, kept in ``setup_error``, when it cannot be had."""
        session = self.workspace()
        if session.server is None and self.setup_error is not None:
            raise SessionError(str(self.setup_error), self.setup_error.log_tail)
        try:
            if session.server is None or session.awaiting_health:
                session.start()
            else:
                session.ensure_running()
        except SessionError as exc:
            self.setup_error = exc
            raise
        self.setup_error = None
        if self._health_read_for_launch != session.launches:  # a new server: what backend is it on?
            self._health_read_for_launch = session.launches
            self.read_health()
            if self.version is None:
                self._read_version(session)
        return session

    def read_health(self) -> Optional[dict[str, Any]]:
        """/health of the running server, handed to ``on_health``; None when it cannot be read."""
        if self.session is None or not self.session.running():  # (not alive(): that waits a second)
            return None
        try:
            health = self.session.client.health()
        except (ApiError, requests.RequestException, ValueError):
            return None
        self.on_health(health)
        return health

    def free_queue(self, reason: str) -> None:
        """A generation that never ends holds the server's one-at-a-time queue: every later row
        would time out behind it. A fresh server (same data dir) frees the queue."""
        if self.session is None or not self.session.running():
            return
        try:
            self.session.restart(reason)
        except SessionError as exc:
            self.setup_error = exc

    def _read_version(self, session: Session) -> None:
        try:
            self.version = session.client.version()
        except (ApiError, requests.RequestException):
            pass

    def binary_version(self, aborted: bool) -> str:
        """The version the running server gave; else what ``--version`` prints (not after an
        interrupt: a onefile build would take its whole unpack time to answer)."""
        if self.version is not None:
            return self.version
        if aborted:
            return "unknown (the run stopped before a server answered)"
        return read_version(self.target.command)

    def close(self, stale_notes: list[str]) -> dict[str, Any]:
        """Stop everything the run started; the report's ``server`` section."""
        session = self.session
        notes = [] if session is None else session.close()
        return {
            "port": None if session is None else session.port,
            "launches": 0 if session is None else session.launches,
            "restarts": [] if session is None else session.restarts,
            "health_seconds": [] if session is None else [round(s, 2) for s in session.health_seconds],
            "log": None if session is None else str(session.log_path),
            "data_dir": None if session is None else str(session.data_dir),
            "data_dir_kept": self.settings.keep_data_dir,
            "shutdown_notes": notes,
            "log_bytes": 0 if session is None else session.log_bytes,
            "stale_servers_stopped": stale_notes,
        }
