"""The voice check in the reports: a banner when cloned rows' voices were not compared, a line in
the header, a table of each cloned row's similarity, its merge cell and its Allure text."""

from __future__ import annotations

from typing import Any

from voicebox_e2e.reports.cells import table_cell


def compared(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rows if (r.get("voice") or {}).get("checked")]


def voice_banner(voice: dict[str, Any], rows: list[dict[str, Any]]) -> list[str]:
    """The header's warning when cloned rows ran but whose voice it was went unchecked."""
    reason = voice.get("not_checked")
    if not reason or not any(r.get("voice") for r in rows):
        return []
    return [f"> **Voice not checked** ({table_cell(reason, 300)}): cloned rows passed without asking whose voice they speak in.", ""]


def voice_line(voice: dict[str, Any]) -> str:
    return (
        f"{voice.get('rows_checked', 0)} cloned rows compared with the reference recording's voice "
        f"(speaker similarity limit {voice.get('min_similarity')}), {voice.get('embedder_seconds', 0)} s in all, "
        "not counted in the rows' times"
    )


def voice_table(rows: list[dict[str, Any]]) -> list[str]:
    matched = compared(rows)
    if not matched:
        return []
    lines = ["| # | Engine | Lang | Similarity | Verdict |", "|---|--------|------|------------|---------|"]
    for row in matched:
        voice = row["voice"]
        verdict = "the reference's voice" if voice["similarity"] >= voice["limit"] else f"another voice (limit {voice['limit']})"
        lines.append(
            f"| {table_cell(row['row'])} | {table_cell(row['engine'])} | {table_cell(row.get('language') or 'en')} | "
            f"{voice['similarity']:.2f} | {verdict} |"
        )
    return lines


def voice_cell(row: dict[str, Any]) -> str:
    """A cloned row's similarity for its platform's cell in the merge ("" for other rows)."""
    voice = row.get("voice") or {}
    return f"voice {voice['similarity']:.2f}" if voice.get("checked") else ""


def voice_said(voice: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    """A platform's voice check in the merge's header line."""
    if voice.get("not_checked") and any(r.get("voice") for r in rows):
        return f"; **voice not checked** ({table_cell(voice['not_checked'], 200)})"
    if voice.get("rows_checked"):
        return f"; voice compared in {voice['rows_checked']} cloned rows (limit {voice.get('min_similarity')})"
    return ""


def voice_text(voice: dict[str, Any]) -> str:
    """One row's voice check as plain text (the Allure attachment under the audio player)."""
    if not voice.get("checked"):
        return str(voice.get("note") or "voice not checked") + "\n"
    return (
        f"Speaker similarity to the reference recording: {voice['similarity']:.3f} (limit {voice['limit']}; "
        "the same speaker scores about 0.9, most other speakers under 0.7)\n"
        f"Embedder time: {voice.get('seconds')} s (not in the row's timings)\n"
    )
