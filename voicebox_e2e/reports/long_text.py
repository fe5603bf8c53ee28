"""The long-text rows in the reports (verdicts/long_text.py): how long, in how many chunks, how
much of each third was heard, the longest pause, and what broke."""

from __future__ import annotations

from typing import Any

from voicebox_e2e.reports.cells import table_cell


def long_text_table(rows: list[dict[str, Any]]) -> list[str]:
    """One line per row the server chunked ([] without such rows)."""
    chunked = [r for r in rows if r.get("long_text")]
    if not chunked:
        return []
    lines = [
        "| # | Engine | Size | Lang | Characters | Chunks | Sentences | Windows heard | First third missed | Last third missed | Longest pause | Problems |",
        "|---|--------|------|------|------------|--------|-----------|---------------|--------------------|-------------------|---------------|----------|",
    ]
    for row in chunked:
        long = row["long_text"]
        lines.append(
            f"| {table_cell(row['row'])} | {table_cell(row['engine'])} | {table_cell(row.get('model_size') or '—')} | {table_cell(row.get('language'))} "
            f"| {long.get('characters')} | {long.get('chunks')} | {long.get('sentences')} | {long.get('windows')} "
            f"| {long.get('first_third_missed', 0):.0%} | {long.get('last_third_missed', 0):.0%} | {long.get('longest_pause', 0):.1f}s "
            f"| {table_cell('; '.join(long.get('problems') or []), 400)} |"
        )
    return lines


def long_text_cell(row: dict[str, Any]) -> str:
    """A chunked row's figures for its platform's cell in the merge ("" for other rows)."""
    long = row.get("long_text")
    if not long:
        return ""
    return f"{long.get('characters')} chars in {long.get('chunks')} chunks, last third missed {long.get('last_third_missed', 0):.0%}"


def long_text_text(long: dict[str, Any]) -> str:
    """The Allure attachment of a chunked row."""
    shares = ", ".join(f"{i + 1}: {v:.0%}" for i, v in enumerate(long.get("sentence_heard") or []))
    return (
        f"{long.get('characters')} characters in {long.get('chunks')} chunks, {long.get('sentences')} sentences, heard in {long.get('windows')} windows\n"
        f"Each sentence's words heard: {shares}\n"
        f"Missed: first third {long.get('first_third_missed', 0):.0%}, last third {long.get('last_third_missed', 0):.0%}; longest pause {long.get('longest_pause', 0):.1f} s\n"
        f"Problems: {'; '.join(long.get('problems') or []) or 'none'}\n\nHeard:\n{long.get('heard')}\n"
    )
