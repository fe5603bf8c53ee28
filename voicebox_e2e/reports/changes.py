"""What changed since the previous release's run: regressions, fixes, and rows slower or heavier."""

from __future__ import annotations

from typing import Any

from voicebox_e2e.reports.cells import table_cell
from voicebox_e2e.reports.performance import perf_changes, perf_changes_markdown
from voicebox_e2e.reports.rows import STATUS_WORDS, row_identity, row_label
from voicebox_e2e.row.result import PASSED


def compare(previous: list[dict[str, Any]], current: list[dict[str, Any]], slower_factor: float, min_seconds: float = 1.0, heavier_factor: float = 1.25) -> dict[str, Any]:
    """Regressions (passed before, not now), fixes (the reverse), and rows that got slower.

    A row counts as slower when its elapsed time grew by more than ``slower_factor`` times and
    by at least ``min_seconds`` (so sub-second jitter on fast rows is not reported).
    """
    before = {row_identity(r): r for r in previous}
    changes: dict[str, Any] = {
        "regressions": [], "fixes": [], "slower": [], "slower_factor": slower_factor,
        "performance": perf_changes(before, current, row_identity, slower_factor, heavier_factor),
    }
    for row in current:
        old = before.get(row_identity(row))
        if old is None:
            continue
        entry = {"row": row["row"], "label": row_label(row), "was": old["status"], "now": row["status"], "cause": row.get("cause"),
                 "elapsed_before": old.get("elapsed_seconds"), "elapsed_now": row.get("elapsed_seconds")}
        if old["status"] == PASSED and row["status"] != PASSED:
            changes["regressions"].append(entry)
        elif old["status"] != PASSED and row["status"] == PASSED:
            changes["fixes"].append(entry)
        was, now = old.get("elapsed_seconds"), row.get("elapsed_seconds")
        if was and now and now > was * slower_factor and now - was >= min_seconds:
            changes["slower"].append(entry)
    return changes


def changes_markdown(changes: dict[str, Any]) -> list[str]:
    lines = ["", f"## Changes since the previous run ({table_cell(changes.get('previous'), 200)})", ""]
    for title, key in (("Regressions (passed before, not now)", "regressions"), ("Fixes (failed before, pass now)", "fixes")):
        entries = changes[key]
        lines.append(f"- {title}: " + (", ".join(f"row {table_cell(e['row'])} {table_cell(e['label'])} ({STATUS_WORDS.get(e['was'], e['was'])} → {STATUS_WORDS.get(e['now'], e['now'])}{', ' + table_cell(e['cause']) if e.get('cause') else ''})" for e in entries) or "none"))
    slower = changes["slower"]
    lines.append(f"- Slower by more than {changes['slower_factor']:g}× (whole row): " + (", ".join(f"row {table_cell(e['row'])} {table_cell(e['label'])} ({e['elapsed_before']:.1f}s → {e['elapsed_now']:.1f}s)" for e in slower) or "none"))
    if changes.get("performance"):
        lines += perf_changes_markdown(changes["performance"])
    return lines
