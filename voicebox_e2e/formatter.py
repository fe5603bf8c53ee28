"""behave formatters: the JSON/Markdown run reports, and Allure results beside them.

Use in behave.ini (as this project does)::

    [behave.formatters]
    voicebox-report = voicebox_e2e.formatter:ReportFormatter
    allure = voicebox_e2e.reports.allure_results:AllureResults
"""

from __future__ import annotations

import atexit
import json
from pathlib import Path
from typing import Any, Optional

from behave.formatter.base import Formatter, StreamOpener

from voicebox_e2e import events
from voicebox_e2e.reports.allure_extras import write_allure_metadata
from voicebox_e2e.reports.allure_results import allure_results_dirs
from voicebox_e2e.config import output_dir_of
from voicebox_e2e.reports.changes import compare
from voicebox_e2e.reports.markdown import write_reports
from voicebox_e2e.reports.rows import matrix_order
from voicebox_e2e.reports.run_report import RunReport
from voicebox_e2e.behave_glue import failure_text
from voicebox_e2e.row.plan import Key, key_of
from voicebox_e2e.row.result import NOT_RUN, placeholder
from voicebox_e2e.row.spec import spec_from_table

class ReportFormatter(Formatter):  # type: ignore[misc]
    """Writes ``e2e-<platform>-<stamp>.json`` and ``.md`` into the run's output dir.

    Every selected matrix row appears in the report: with the result its step recorded, or as
    "not run" when the run stopped before it (an interrupt, a fatal setup error).
    """

    name = "voicebox-report"
    description = "Voicebox E2E JSON and Markdown run reports"

    def __init__(self, stream_opener: StreamOpener, config: Any) -> None:
        super().__init__(stream_opener, config)
        self.run: Optional[dict[str, Any]] = None
        self.finished: dict[str, Any] = {}
        self.planned: dict[Key, dict[str, Any]] = {}
        self.results: dict[Key, dict[str, Any]] = {}
        self.current: Optional[Key] = None
        self.checks: list[Any] = []  # scenarios that are not matrix rows (contract, lifecycle)
        events.channel_of(config).subscribe(self.receive)

    def _plan_all(self) -> None:
        """Plan every row the run will reach (as the run listed them) as "not run" until it
        reports, including those an interrupt keeps behave from reaching (it never hands those
        to a formatter)."""
        assert self.run is not None
        for row in self.run["planned"]:
            key = (str(row["file"]), int(row["line"]))
            self.planned[key] = placeholder(spec_from_table(row["cells"]), NOT_RUN, "the run stopped before this row").to_json()

    def scenario(self, scenario: Any) -> None:
        self.current = key_of(scenario)
        if self.current not in self.planned:
            self.checks.append(scenario)

    def receive(self, kind: str, payload: dict[str, Any]) -> None:
        if kind == events.RUN_STARTED:
            self.run = payload
            self._plan_all()
        elif kind == events.RUN_FINISHED:
            self.finished = payload
        elif self.current is not None:
            self.results[self.current] = payload

    def close(self) -> None:
        if self.run is None:  # the run never started (a bad setting): nothing to report
            return
        rows = [self.results.get(key, planned) for key, planned in self.planned.items()]
        rows += [r for key, r in self.results.items() if key not in self.planned]
        rows = matrix_order(rows)
        report = RunReport(
            platform=self.run["platform"],
            target=self.run["target"],
            binary=self.run["binary"],
            binary_size_mb=self.run["binary_size_mb"],
            binary_version=str(self.finished.get("binary_version", "unknown (the run did not finish)")),
            started_at=self.run["started_at"],
            finished_at=self.finished.get("finished_at"),
            interrupted=bool(self.finished.get("interrupted", not self.finished)),
            interrupt_reason=self.finished.get("interrupt_reason"),
            setup_error=self.finished.get("setup_error"),
            setup_cause=self.finished.get("setup_cause"),
            setup_log_tail=self.finished.get("setup_log_tail"),
            server=self.finished.get("server", {}),
            profiles_created=self.finished.get("profiles_created", []),
            backend=self.finished.get("backend", {}),
            speech=self.finished.get("speech") or {},
            voice=self.finished.get("voice") or {},
            prepare=self.finished.get("prepare"),
            results=rows,
            checks=[check_record(s) for s in self.checks if not s.skip_reason],
        )
        if self.run.get("previous"):
            previous = json.loads(Path(self.run["previous"]).read_text(encoding="utf-8"))
            report.changes = {"previous": self.run["previous"], **compare(previous["results"], rows, self.run["slower_factor"], heavier_factor=self.run["heavier_factor"])}
        output_dir = output_dir_of(self.config.userdata)
        json_path, md_path = write_reports(report, output_dir, self.run["stamp"])
        for results_dir in allure_results_dirs(self.config):
            write_allure_metadata(results_dir, {**self.run, "binary_version": report.binary_version})
        text = f"\nVoicebox E2E reports:\n  {json_path}\n  {md_path}\n  {output_dir / 'allure-results'}/ (Allure results)\n"
        if report.simulated:
            text += "  (SIMULATED RUN: these results come from the bundled simulator, not a Voicebox binary)\n"
        # behave prints its summary after every formatter has closed; at exit these lines come last.
        atexit.register(announce, self.open(), text)


def announce(stream: Any, text: str) -> None:
    stream.write(text)
    stream.flush()


def check_record(scenario: Any) -> dict[str, Any]:
    status = scenario.status.name
    return {
        "feature": scenario.feature.name,
        "name": scenario.name,
        "status": {"untested": "not_run", "skipped": "not_run", "error": "failed"}.get(status, status),
        "error": failure_text(scenario) if status in ("failed", "error") else None,
        "notes": list(getattr(scenario, "notes", [])),  # what a passing check did not cover (upgrade)
    }
