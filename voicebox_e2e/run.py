"""One sign-off run, as the behave hooks and steps drive it.

``SuiteRun`` is the single object ``environment.py`` keeps on the context. It coordinates and
owns no concern itself: the server is the ``ServerKeeper``'s, the prepare phase the
``PreparePhase``'s, a row the runner's, what a finished row is worth the ``verdicts``', the
signals ``RunSignals``', and the report the formatter's (it hears the run through ``events``).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable, Optional, Sequence

from voicebox_e2e import events
from voicebox_e2e.api.client import VoiceboxClient
from voicebox_e2e.api.errors import Exchange, http_status_in
from voicebox_e2e.checks.upgrade import UpgradeCheck, previous_command
from voicebox_e2e.config import Settings
from voicebox_e2e.console import console
from voicebox_e2e.figures.devices import DeviceMemory
from voicebox_e2e.figures.gpus import list_gpus
from voicebox_e2e.reports.previous import PreviousRun
from voicebox_e2e.reports.rows import platform_tag
from voicebox_e2e.row.downloading import DownloadingRows
from voicebox_e2e.row.offline import OfflineRows
from voicebox_e2e.row.plan import Key, models_in
from voicebox_e2e.row.prepare import PreparePhase, PrepareSettings
from voicebox_e2e.row.progress import RowProgress
from voicebox_e2e.row.result import FAILED, NOT_RUN, TIMEOUT, RowResult, placeholder, with_evidence
from voicebox_e2e.row.runner import RowBudget, run_row
from voicebox_e2e.row.spec import RowSpec
from voicebox_e2e.server.keeper import ServerKeeper
from voicebox_e2e.server.profiles import ProfileKey
from voicebox_e2e.server.redaction import redact
from voicebox_e2e.server.session import Session, SessionError
from voicebox_e2e.server.stale import reap_stale_servers
from voicebox_e2e.server.target import Target, resolve_target
from voicebox_e2e.signals import RunSignals
from voicebox_e2e.verdicts import causes
from voicebox_e2e.verdicts.backend import BackendCheck
from voicebox_e2e.verdicts.base import RowContext, Verdict
from voicebox_e2e.verdicts.leaks import LeakWatch
from voicebox_e2e.verdicts.long_text import LongTextCheck
from voicebox_e2e.verdicts.offline import OfflineCheck
from voicebox_e2e.verdicts.downloading import DownloadDuringCheck
from voicebox_e2e.verdicts.order import OrderCheck
from voicebox_e2e.verdicts.speech import SpeechCheck
from voicebox_e2e.verdicts.voice import VoiceCheck


def utc_stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")


def iso_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class SuiteRun:
    def __init__(
        self, settings: Settings, emit: events.Emit, echo: Callable[[str], None] = console,
        planned: Sequence[tuple[Key, dict[str, str]]] = (),
    ) -> None:
        self.settings, self.emit, self.echo = settings, emit, echo
        self.planned = list(planned)  # the matrix rows this run will reach (plan.selected_rows)
        self.stamp, self.started_at = utc_stamp(), iso_now()
        self.target: Target = resolve_target(settings, settings.output_dir / f"build-{self.stamp}.log", echo)
        binary_name = None if self.target.binary_path is None else self.target.binary_path.name
        self.backend = BackendCheck(binary_name, settings.expect_gpu, machine_gpus=list_gpus())
        self.server = ServerKeeper(settings, self.target, self.stamp, echo, on_health=self.backend.observe)
        limits = PrepareSettings(settings.prepare_parallel, settings.stall_seconds, settings.timeout_download)
        self.preparing = PreparePhase(settings.prepare, models_in(self.planned), limits, echo)
        self.signals = RunSignals(echo)
        self.devices = DeviceMemory()
        self.speech = SpeechCheck(settings.speech, echo)
        self.voice = VoiceCheck(settings.voice, echo)
        # What a finished row is worth, in the order they judge (verdicts/base.py).
        self.verdicts: list[Verdict] = [
            self.backend, LeakWatch(settings.leaks), self.speech, LongTextCheck(self.speech, settings.long_text), self.voice,
            OfflineCheck(settings.offline), OrderCheck(), DownloadDuringCheck(),
        ]
        self.offline = OfflineRows()  # the @offline rows' network cut and models folder
        self.downloading = DownloadingRows()  # the @while_downloading rows' other download
        self.previous = PreviousRun(settings.previous)
        self.rows_reported: set[str] = set()
        self.last_exchanges: list[Exchange] = []
        # Every setting is checked by now: start the server, then do the rest while it starts.
        if self.planned:
            self.server.launch_early()
            self.speech.load_in_background()  # the recognizer loads while the server starts
        self.stale_notes = reap_stale_servers(echo)  # (never this run's own server: its owner lives)
        self.emit(events.RUN_STARTED, self.describe())

    def describe(self) -> dict[str, Any]:
        return {
            "platform": platform_tag(), "target": self.target.kind, "binary": self.target.label,
            "binary_size_mb": self.target.size_mb, "started_at": self.started_at, "stamp": self.stamp,
            "output_dir": str(self.settings.output_dir), "only": sorted(self.settings.only), "skip": sorted(self.settings.skip),
            "previous": None if self.settings.previous is None else str(self.settings.previous),
            "slower_factor": self.settings.slower_factor, "heavier_factor": self.settings.heavier_factor,
            "planned": [{"file": file, "line": line, "cells": cells} for (file, line), cells in self.planned],
        }

    # -- what the steps ask for ----------------------------------------------------------------

    def catch_sigterm(self) -> None:
        self.signals.catch_sigterm()

    def workspace(self) -> Session:
        return self.server.workspace()

    def server_ready(self) -> Session:
        """The running server, after the prepare phase (once). Raises SessionError with the
        reason, led by its cause for Allure's categories."""
        try:
            session = self.server.ready()
        except SessionError as exc:
            raise SessionError(causes.tagged(self.setup_cause(), str(exc)), exc.log_tail) from exc
        if self.preparing.prepared is None:
            self.preparing.run(session.client, session.running, session)
        return session

    def setup_cause(self) -> Optional[str]:
        """Why the server could not be had: startup, or what its last words name (bundle, native...)."""
        error = self.server.setup_error
        return None if error is None else causes.classify(causes.STARTUP_KIND, str(error), error.log_tail.splitlines())

    @property
    def client(self) -> VoiceboxClient:
        return self.server_ready().client

    def profile(self, key: ProfileKey) -> str:
        return self.server_ready().profiles.id_for(key)

    def run(self, spec: RowSpec, profile_id: str, report: bool = True) -> RowResult:
        """One row: generated, followed and fetched by the runner, then judged by each verdict
        (and reported, unless it only prepares another row)."""
        session = self.server_ready()
        fetch = self.preparing.failed_fetch(spec.model_name)
        if fetch is not None:  # the prepare phase could not fetch it: fail at once, with its log
            result = placeholder(spec, FAILED, fetch.sentence(), causes.FETCH_KIND)
            with_evidence(result, self.preparing.log_lines)
            if report:
                self.report_row(result)
            return result
        budget = RowBudget(self.settings.timeout_cached, self.settings.timeout_download, self.settings.status_probe_seconds).times(spec.budget_rows)
        mark, log_mark = len(session.client.exchanges), session.log_mark()
        result = run_row(session, spec, profile_id, budget, session.audio_dir, self.settings.audio, RowProgress(spec, self.echo))
        self.last_exchanges = session.client.exchanges[mark:]
        log_lines = session.log_since(log_mark)
        row = RowContext(
            spec, session.profiles.reference_of(profile_id), session.launches, self.server.read_health(),
            log_lines, self.offline.condition(spec.model_name), self.downloading.condition(session, self.settings.timeout_download),
        )
        result.device = self.devices.resolve(spec.model_name, result.device)  # (rows that load nothing)
        if row.health is not None:
            result.performance.vram_used_mb = row.health.get("vram_used_mb")
        for verdict in self.verdicts:
            verdict.judge(result, row)
        with_evidence(result, log_lines)  # a row a verdict failed: its generation's log
        if report:
            self.report_row(result)
        if result.status == TIMEOUT:
            self.server.free_queue(f"row {spec.row} ({spec.label}) timed out and may still hold the generation queue")
        return result

    # -- the @offline rows (row/offline.py) -------------------------------------------------------

    def load_online(self, spec: RowSpec, profile_id: str) -> None:
        """The row's model loaded once on a fresh server with the network, its load timed."""
        self.offline.load_online(self.server_ready(), spec.model_name, lambda: self.run(spec, profile_id, report=False))

    def cut_hub(self, kind: str) -> None:
        self.offline.cut_hub(self.server_ready(), kind)

    def move_models(self, model_name: str) -> None:
        self.offline.move_models(self.server_ready(), model_name)

    # -- the @while_downloading rows (row/downloading.py) -----------------------------------------

    def download_during(self, spec: RowSpec) -> None:
        """The row's model alone in a models folder, and the row's other model downloading."""
        if spec.downloading is None:
            raise ValueError(f"row {spec.row} has no downloading column naming the model to download")
        self.downloading.start(self.server_ready(), spec.model_name, spec.downloading)

    def upgrade(self) -> UpgradeCheck:
        """The @upgrade check: the previous release's data dir, opened by this build."""
        return UpgradeCheck(self.workspace(), previous_command(self.settings.upgrade_from, self.target.simulated))

    def end_scenario(self) -> None:
        """After each scenario: the server as the run started it (a relaunch after an @offline or
        @while_downloading row)."""
        self.downloading.end()
        self.offline.back_online(self.server.session)

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
        tagged_cause, error = causes.untagged(error or "")
        setup_error, session = self.server.setup_error, self.server.session
        if setup_error is not None:
            kind: Optional[str] = causes.STARTUP_KIND
            tail = setup_error.log_tail
        else:
            kind = causes.HTTP_KIND if http_status_in(error) is not None else None
            tail = "" if session is None or interrupted else session.log_tail(100)
        result = placeholder(spec, NOT_RUN if interrupted else FAILED, error or None, kind, tail.splitlines())
        result.cause = None if interrupted else (tagged_cause or result.cause)
        result.server_log_tail = redact(tail) or None
        self.report_row(result)

    # -- the end -------------------------------------------------------------------------------

    def finish(self, aborted: bool) -> None:
        """Stop everything this run started, then tell the formatter how the run ended."""
        with self.signals.shielded():
            self.offline.close()
            server = self.server.close(self.stale_notes)
        if aborted and self.signals.interrupt_reason is None:
            self.signals.interrupt_reason = "KeyboardInterrupt (Ctrl-C)"
        self.signals.release_sigterm()
        setup_error = self.server.setup_error
        self.emit(events.RUN_FINISHED, {
            "finished_at": iso_now(),
            "binary_version": self.server.binary_version(aborted),
            "interrupted": aborted,
            "interrupt_reason": self.signals.interrupt_reason if aborted else None,
            "setup_error": None if setup_error is None else str(setup_error),
            "setup_cause": self.setup_cause(),
            "setup_log_tail": None if setup_error is None else setup_error.log_tail or None,
            "server": server,
            "profiles_created": [] if self.server.session is None else self.server.session.profiles.created,
            "backend": self.backend.to_json(),
            "speech": self.speech.describe(),
            "voice": self.voice.describe(),
            "prepare": self.preparing.to_json(),
        })
