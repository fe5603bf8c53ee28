"""The @workload rows in the reports: what each sent beyond the matrix's sentence and WAV."""

from __future__ import annotations

from typing import Any

from voicebox_e2e.reports.cells import table_cell
from voicebox_e2e.reports.rows import STATUS_WORDS


def workload_table(rows: list[dict[str, Any]]) -> list[str]:
    """One line per workload row ([] without such rows)."""
    sent = [r for r in rows if r.get("workload")]
    if not sent:
        return []
    lines = ["| # | Engine | Size | Lang | Sends | Status | Cause |", "|---|--------|------|------|-------|--------|-------|"]
    for row in sent:
        lines.append(
            f"| {table_cell(row['row'])} | {table_cell(row['engine'])} | {table_cell(row.get('model_size') or '—')} | {table_cell(row.get('language') or 'en')} "
            f"| {table_cell(row['workload'], 300)} | {STATUS_WORDS.get(row['status'], row['status'].upper())} | {table_cell(row.get('cause'))} |"
        )
    return lines
