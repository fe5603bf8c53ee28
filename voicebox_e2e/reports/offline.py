"""The @offline rows in the reports: how each was cut off or moved, and its load against the
same model's online load (verdicts/offline.py)."""

from __future__ import annotations

from typing import Any

from voicebox_e2e.reports.cells import table_cell


def _seconds(value: Any) -> str:
    return f"{value:.1f}s" if isinstance(value, (int, float)) else ""


def offline_table(rows: list[dict[str, Any]]) -> list[str]:
    """One line per @offline row: how, the online and offline loads ([] without such rows)."""
    offline = [r for r in rows if r.get("network")]
    if not offline:
        return []
    lines = ["| # | Engine | Size | How | Online load | Offline load |", "|---|--------|------|-----|-------------|--------------|"]
    for row in offline:
        perf = row.get("performance") or {}
        lines.append(
            f"| {table_cell(row['row'])} | {table_cell(row['engine'])} | {table_cell(row.get('model_size') or '—')} "
            f"| {table_cell(row['network'], 300)} | {_seconds(perf.get('online_load_seconds'))} | {_seconds(perf.get('load_seconds'))} |"
        )
    return lines


def offline_cell(row: dict[str, Any]) -> str:
    """An @offline row's loads for its platform's cell in the merge ("" for other rows)."""
    if not row.get("network"):
        return ""
    perf = row.get("performance") or {}
    online, offline = perf.get("online_load_seconds"), perf.get("load_seconds")
    if isinstance(online, (int, float)) and isinstance(offline, (int, float)):
        return f"load {offline:.1f}s offline, {online:.1f}s online"
    return "offline"


def offline_text(row: dict[str, Any]) -> str:
    """The Allure attachment of an @offline row."""
    perf = row.get("performance") or {}
    return (
        f"How: {row['network']}\n"
        f"Load with the network (this run): {_seconds(perf.get('online_load_seconds')) or 'n/a'}\n"
        f"Load in this row: {_seconds(perf.get('load_seconds')) or 'n/a'}\n"
    )
