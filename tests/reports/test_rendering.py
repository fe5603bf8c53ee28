"""The reports rendered from real runs' JSON (``tests/data/reports/``: a long-text run with rows
that failed, a run of every language, offline rows slowed by a build that asks the hub (with the
changes against the run before), an upgrade check that noted what it could not make; each written
by the suite against the simulator): the Markdown of each, and the
merge of two platforms, are the approved ones beside them (``*.approved.md``).

A change to a report shows here as a diff to read; when it is meant, approve it with
``VOICEBOX_E2E_APPROVE=1 pytest tests/reports/test_rendering.py`` and commit the new files.
"""

from __future__ import annotations

import json
import os
from dataclasses import fields
from pathlib import Path

import pytest

from voicebox_e2e.reports.markdown import markdown
from voicebox_e2e.reports.merge import combined_markdown, load_runs
from voicebox_e2e.reports.run_report import RunReport

DATA = Path(__file__).resolve().parents[1] / "data" / "reports"
APPROVE = os.environ.get("VOICEBOX_E2E_APPROVE") == "1"
RUNS = ["long-text", "languages", "offline", "upgrade"]


def report_of(run: str) -> RunReport:
    document = json.loads(next((DATA / run).glob("e2e-*.json")).read_text(encoding="utf-8"))
    return RunReport(**{f.name: document[f.name] for f in fields(RunReport) if f.name in document})


def approved(name: str, rendered: str) -> str:
    path = DATA / f"{name}.approved.md"
    if APPROVE:
        path.write_text(rendered, encoding="utf-8")
    assert path.is_file(), f"no approved report {path.name}: run with VOICEBOX_E2E_APPROVE=1 once and read it"
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("run", RUNS)
def test_the_markdown_of_a_real_run_is_the_approved_one(run: str) -> None:
    report = report_of(run)
    rendered = markdown(report)
    assert rendered == approved(run, rendered)
    assert report.to_json()["summary"] == json.loads(next((DATA / run).glob("e2e-*.json")).read_text(encoding="utf-8"))["summary"]


def test_the_merge_of_two_platforms_is_the_approved_one() -> None:
    runs = load_runs([DATA / "languages", DATA / "long-text", DATA / "offline"])
    rendered = combined_markdown(runs)
    assert rendered == approved("merged", rendered)
