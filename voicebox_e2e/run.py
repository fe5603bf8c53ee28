"""One sign-off run, as the behave hooks and steps drive it.

``SuiteRun`` is the single object ``environment.py`` keeps on the context: it resolves the
target, starts the server when the first selected row needs it (and again after a crash),
creates profiles on first use, runs rows, and always shuts everything down.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import time
from dataclasses import asdict
from datetime import datetime, timezone
from types import FrameType
from typing import Any, Callable, Iterator, Optional, Sequence

import requests

from voicebox_e2e import causes, events
from voicebox_e2e.backend import BackendCheck
from voicebox_e2e.binary import Target, read_version, resolve_target
from voicebox_e2e.client import ApiError, Exchange, VoiceboxClient, http_status_in
from voicebox_e2e.devices import DeviceMemory
from voicebox_e2e.config import Settings, read_reference_text
from voicebox_e2e.leaks import LeakWatch
from voicebox_e2e.plan import Key, models_in
from voicebox_e2e.prepare import Prepared, PrepareRecord, PrepareSettings, prepare
from voicebox_e2e.redaction import redact
from voicebox_e2e.previous import PreviousRun
from voicebox_e2e.report import platform_tag
from voicebox_e2e.rows import NOT_RUN, FAILED, TIMEOUT, RowBudget, RowResult, RowSpec, placeholder, run_row
from voicebox_e2e.session import ProfileKey, Session, SessionError, console, reap_stale_servers, utc_stamp
from voicebox_e2e.speech_check import SpeechCheck


PROGRESS_EVERY = 30.0  # seconds between console lines while a row waits on an unchanged status


def iso_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Interrupted(KeyboardInterrupt):
    """Raised in the main thread when the run receives SIGTERM, so behave stops as for Ctrl-C."""


class SuiteRun:
    def __init__(
        self, settings: Settings, emit: events.Emit, echo: Callable[[str], None] = console,
        planned: Sequence[tuple[Key, dict[str, str]]] = (),
    ) -> None:
        self.settings = settings
        self.planned = list(planned)  # the matrix rows this run will reach (plan.selected_rows)
        self.models = models_in(self.planned)  # their models, in the order the rows need them
        self.prepared: Optional[Prepared] = None  # the prepare phase's outcome, once run
        self.prepare_seconds = 0.0
        self.emit = emit
        self.echo = echo
        self.stamp = utc_stamp()
        self.started_at = iso_now()
        self.target: Target = resolve_target(settings, settings.output_dir / f"build-{self.stamp}.log", echo)
        # From the running server's GET / (a onefile build would unpack itself again for
        # --version); --version only if no server ever answers.
        self.version: Optional[str] = None
        self.session: Optional[Session] = None
        self.setup_error: Optional[SessionError] = None
        self.interrupt_reason: Optional[str] = None
        self.rows_reported: set[str] = set()
        self.last_exchanges: list[Exchange] = []
        binary_name = None if self.target.binary_path is None else self.target.binary_path.name
        self.backend = BackendCheck(binary_name, settings.expect_gpu)
        self.devices = DeviceMemory()
        self.leaks = LeakWatch(settings.leaks)
        self.previous = PreviousRun(settings.previous)
        self.speech = SpeechCheck(settings.speech, settings.reference_wav, read_reference_text(settings), echo)
        self._health_read_for_launch = 0
        self._previous_sigterm: Any = None
        # Every setting is checked by now: start the server, then do the rest while it starts.
        self.launch_early()
        if self.planned:  # the recognizer loads while the server starts, not on the first row
            self.speech.load_in_background()
        self.stale_notes = reap_stale_servers(echo)  # (never this run's own server: its owner lives)
        self.emit(events.RUN_STARTED, self.describe())

    def describe(self) -> dict[str, Any]:
        return {
            "platform": platform_tag(),
            "target": self.target.kind,
            "binary": self.target.label,
            "binary_size_mb": self.target.size_mb,
            "started_at": self.started_at,
            "stamp": self.stamp,
            "output_dir": str(self.settings.output_dir),
            "only": sorted(self.settings.only),
            "skip": sorted(self.settings.skip),
            "previous": None if self.settings.previous is None else str(self.settings.previous),
            "slower_factor": self.settings.slower_factor,
            "heavier_factor": self.settings.heavier_factor,
            "planned": [{"file": file, "line": line, "cells": cells} for (file, line), cells in self.planned],
        }

    # -- signals -------------------------------------------------------------------------------

    def catch_sigterm(self) -> None:
        """behave dies on SIGTERM without running after_all; turn it into an orderly stop."""
        if sys.platform == "win32":
            return

        def on_sigterm(sig: int, frame: Optional[FrameType]) -> None:
            self.interrupt_reason = "SIGTERM"
            raise Interrupted("SIGTERM")

        self._previous_sigterm = signal.signal(signal.SIGTERM, on_sigterm)

    def release_sigterm(self) -> None:
        if self._previous_sigterm is not None:
            signal.signal(signal.SIGTERM, self._previous_sigterm)
            self._previous_sigterm = None

    @contextlib.contextmanager
    def shielded(self) -> Iterator[None]:
        """Let the teardown finish: a second Ctrl-C or SIGTERM during it is noted, not raised."""
        def note(sig: int, frame: Optional[FrameType]) -> None:
            self.echo(f"Received {signal.Signals(sig).name} while shutting down; finishing the cleanup first.")

        names = ["SIGINT"] if sys.platform == "win32" else ["SIGINT", "SIGTERM"]
        saved = {name: signal.signal(getattr(signal, name), note) for name in names}
        try:
            yield
        finally:
            for name, handler in saved.items():
                signal.signal(getattr(signal, name), handler)

    # -- server --------------------------------------------------------------------------------

    def workspace(self) -> Session:
        """The run's session (temp data dir, port, environment), without starting its server."""
        if self.session is None:
            self.session = Session(self.settings, self.target, self.stamp, self.echo)
        return self.session

    def launch_early(self) -> None:
        """Start the server now when rows will need it, so its start-up (a onefile build's
        unpack) runs while behave and the reports get ready; the first row waits for /health.
        A launch that fails here fails the first row that needs the server, with the reason."""
        if not self.planned:
            return
        try:
            self.workspace().launch()
        except SessionError as exc:
            self.setup_error = exc

    def server_ready(self) -> Session:
        """The running server: launched on first need, relaunched (a bounded number of times)
        after it died. Raises SessionError with the reason when it cannot be had."""
        session = self.workspace()
        if session.server is None and self.setup_error is not None:
            raise self._tagged(self.setup_error)
        try:
            if session.server is None or session.awaiting_health:
                session.start()
            else:
                session.ensure_running()
        except SessionError as exc:
            self.setup_error = exc
            raise self._tagged(exc) from exc
        self.setup_error = None
        if self._health_read_for_launch != session.launches:  # a new server: what backend is it on?
            self._health_read_for_launch = session.launches
            self.read_backend(session)
            if self.version is None:
                self.read_version(session)
        if self.prepared is None:
            self.prepare(session)
        return session

    def prepare(self, session: Session) -> None:
        """Fetch every selected model that is not cached, before the first row (prepare=true)."""
        self.prepared = Prepared()
        if not self.settings.prepare or not self.models:
            return
        started = time.monotonic()
        limits = PrepareSettings(self.settings.prepare_parallel, self.settings.stall_seconds, self.settings.timeout_download)
        try:
            self.prepared = prepare(session.client, self.models, limits, self.echo, session.running)
        except (ApiError, requests.RequestException, ValueError) as exc:
            self.echo(f"Prepare: skipped ({exc.__class__.__name__}: {exc}); each row fetches its own model.")
        self.prepare_seconds = time.monotonic() - started

    def setup_cause(self) -> Optional[str]:
        """Why the server could not be had: startup, or what its last words name (bundle, native...)."""
        if self.setup_error is None:
            return None
        return causes.classify(causes.STARTUP_KIND, str(self.setup_error), self.setup_error.log_tail.splitlines())

    def _tagged(self, exc: SessionError) -> SessionError:
        """The error as the failed step shows it: led by its cause, for Allure's categories."""
        return SessionError(causes.tagged(self.setup_cause(), str(exc)), exc.log_tail)

    def read_version(self, session: Session) -> None:
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

    def read_backend(self, session: Session) -> Optional[dict[str, Any]]:
        """Take in /health (after start-up and after each row); a failed read changes nothing."""
        try:
            health = session.client.health()
        except (ApiError, requests.RequestException, ValueError):
            return None
        self.backend.observe(health)
        return health

    @property
    def client(self) -> VoiceboxClient:
        return self.server_ready().client

    def profile(self, key: ProfileKey) -> str:
        return self.server_ready().profile_id(key)

    # -- rows ----------------------------------------------------------------------------------

    def run(self, spec: RowSpec, profile_id: str) -> RowResult:
        session = self.server_ready()
        fetch = None if self.prepared is None else self.prepared.fetches.get(spec.model_name)
        if fetch is not None and not fetch.ok:  # the prepare phase could not fetch it: fail at once
            result = placeholder(spec, FAILED, fetch.sentence(), causes.FETCH_KIND)
            self.report_row(result)
            return result
        budget = RowBudget(self.settings.timeout_cached, self.settings.timeout_download, self.settings.status_probe_seconds)
        last_status: list[str] = []
        started = time.monotonic()
        said = [started]

        def on_status(event: dict[str, Any]) -> None:
            """Console progress: each status change, download progress, and a line at least
            every PROGRESS_EVERY seconds, so a long wait is never silent."""
            now = time.monotonic()
            if "progress" in event:
                self.echo(f"row {spec.row} {spec.label}: {event['progress']}")
                said[0] = now
                return
            status = str(event.get("status"))
            if not last_status or last_status[-1] != status:
                last_status.append(status)
                self.echo(f"row {spec.row} {spec.label}: {status}")
                said[0] = now
            elif now - said[0] >= PROGRESS_EVERY:
                self.echo(f"row {spec.row} {spec.label}: still {status} after {now - started:.0f} s")
                said[0] = now

        mark = len(session.client.exchanges)
        result = run_row(session, spec, profile_id, budget, session.audio_dir, self.settings.audio, on_status)
        self.last_exchanges = session.client.exchanges[mark:]
        result.device = self.devices.resolve(spec.model_name, result.device)
        if session.running():  # (not alive(): that waits a second for a dying server)
            health = self.read_backend(session)
            result.performance.vram_used_mb = None if health is None else health.get("vram_used_mb")
        problem = self.backend.problem()
        if problem is not None and result.passed:
            result.fail(causes.BACKEND_KIND, problem)
            result.decide_cause([])
        self.leaks.check(result, session.launches)
        self.speech.check(result, spec.text, cloned=profile_id == session.profiles.get(ProfileKey("cloned")))
        self.report_row(result)
        if result.status == TIMEOUT and session.running():
            # A generation that never ends holds the server's one-at-a-time queue: every later
            # row would time out behind it. A fresh server (same data dir) frees the queue.
            try:
                session.restart(f"row {spec.row} ({spec.label}) timed out and may still hold the generation queue")
            except SessionError as exc:
                self.setup_error = exc
        return result

    def previous_of(self, result: RowResult) -> Optional[dict[str, Any]]:
        """The same row in the previous run's report (``previous=``), if there is one."""
        return self.previous.row(result.to_json())

    def report_row(self, result: RowResult) -> None:
        self.rows_reported.add(result.row)
        self.emit(events.ROW_RESULT, result.to_json())

    def report_unfinished(self, spec: RowSpec, error: Optional[str], interrupted: bool) -> None:
        """A row whose steps ended without a result of their own (setup failed, or interrupted)."""
        if spec.row in self.rows_reported:
            return
        status = NOT_RUN if interrupted else FAILED
        tagged_cause, error = causes.untagged(error or "")
        if self.setup_error is not None:
            kind: Optional[str] = causes.STARTUP_KIND
            tail = self.setup_error.log_tail
        else:
            kind = causes.HTTP_KIND if http_status_in(error) is not None else None
            tail = "" if self.session is None or interrupted else self.session.log_tail(100)
        result = placeholder(spec, status, error or None, kind, tail.splitlines())
        result.cause = None if interrupted else (tagged_cause or result.cause)
        result.server_log_tail = redact(tail) or None
        self.report_row(result)

    # -- the end -------------------------------------------------------------------------------

    def finish(self, aborted: bool) -> None:
        """Stop everything this run started, then tell the formatter how the run ended."""
        notes: list[str] = []
        launches, health = 0, []
        with self.shielded():
            if self.session is not None:
                notes = self.session.close()
                launches, health = self.session.launches, self.session.health_seconds
        if aborted and self.interrupt_reason is None:
            self.interrupt_reason = "KeyboardInterrupt (Ctrl-C)"
        self.release_sigterm()
        self.emit(
            events.RUN_FINISHED,
            {
                "finished_at": iso_now(),
                "binary_version": self.binary_version(aborted),
                "interrupted": aborted,
                "interrupt_reason": self.interrupt_reason if aborted else None,
                "setup_error": None if self.setup_error is None else str(self.setup_error),
                "setup_cause": self.setup_cause(),
                "setup_log_tail": None if self.setup_error is None else self.setup_error.log_tail or None,
                "server": {
                    "port": None if self.session is None else self.session.port,
                    "launches": launches,
                    "restarts": [] if self.session is None else self.session.restarts,
                    "health_seconds": [round(s, 2) for s in health],
                    "log": None if self.session is None else str(self.session.log_path),
                    "data_dir": None if self.session is None else str(self.session.data_dir),
                    "data_dir_kept": self.settings.keep_data_dir,
                    "shutdown_notes": notes,
                    "log_bytes": 0 if self.session is None else self.session.log_bytes,
                    "stale_servers_stopped": self.stale_notes,
                },
                "profiles_created": [] if self.session is None else self.session.profiles_created,
                "backend": self.backend.to_json(),
                "speech": self.speech.describe(),
                "prepare": None if self.prepared is None or not self.prepared.fetches else asdict(PrepareRecord.of(self.prepared, self.prepare_seconds)),
            },
        )
