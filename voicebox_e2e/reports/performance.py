"""The performance side of the reports: each row's phase times, real-time factor and memory, the
and what changed since the previous run (slower generation, heavier peak).

A row is "slower" when its generation time (or, failing that, its real-time factor) grew by more
than ``slower_factor`` times and by at least ``min_seconds``; "heavier" when its peak resident
memory grew by more than ``heavier_factor`` times and by at least ``min_mb``.
"""

from __future__ import annotations

from typing import Any, Optional

from voicebox_e2e.reports.cells import table_cell

FIGURES = ("generate_seconds", "real_time_factor", "rss_peak_mb")


def _cell(value: Optional[float], unit: str = "", digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}{unit}"


def performance_table(rows: list[dict[str, Any]]) -> list[str]:
    """Per row: first status, load, generate, audio, RTF, peak / end memory of the server tree, VRAM."""
    lines = [
        "| # | Engine | Size | Lang | First status | Load | Generate | Audio | RTF | Peak MB | End MB | VRAM MB |",
        "|---|--------|------|------|--------------|------|----------|-------|-----|---------|--------|---------|",
    ]
    for row in rows:
        perf = row.get("performance") or {}
        if not any(perf.get(k) is not None for k in perf):
            continue
        lines.append(
            f"| {table_cell(row['row'])} | {table_cell(row['engine'])} | {table_cell(row.get('model_size') or '—')} | {table_cell(row.get('language') or 'en')} | "
            f"{_cell(perf.get('first_status_seconds'), 's')} | {_cell(perf.get('load_seconds'), 's')} | {_cell(perf.get('generate_seconds'), 's')} | "
            f"{_cell(row.get('audio_duration'), 's')} | {_cell(perf.get('real_time_factor'), '', 2)} | {_cell(perf.get('rss_peak_mb'), '', 0)} | "
            f"{_cell(perf.get('rss_end_mb'), '', 0)} | {_cell(perf.get('vram_used_mb'), '', 0)} |"
        )
    return lines if len(lines) > 2 else []


def perf_changes(
    before: dict[Any, dict[str, Any]], current: list[dict[str, Any]], identity: Any,
    slower_factor: float, heavier_factor: float, min_seconds: float = 1.0, min_mb: float = 50.0,
) -> dict[str, Any]:
    """Per row the previous and current figures, and the rows past the factors."""
    changes: dict[str, Any] = {"rows": [], "slower": [], "heavier": [], "slower_factor": slower_factor, "heavier_factor": heavier_factor}
    for row in current:
        old = before.get(identity(row))
        now_perf, old_perf = row.get("performance") or {}, (old or {}).get("performance") or {}
        if old is None or not old_perf or not now_perf:
            continue
        entry = {"row": row["row"], "engine": row["engine"], "language": row.get("language") or "en"}
        for key in FIGURES:
            entry[f"{key}_before"], entry[f"{key}_now"] = old_perf.get(key), now_perf.get(key)
        changes["rows"].append(entry)
        was, now = old_perf.get("generate_seconds"), now_perf.get("generate_seconds")
        if was and now and now > was * slower_factor and now - was >= min_seconds:
            changes["slower"].append(entry)
        else:
            was_rtf, now_rtf = old_perf.get("real_time_factor"), now_perf.get("real_time_factor")
            if was is None and was_rtf and now_rtf and now_rtf > was_rtf * slower_factor:
                changes["slower"].append(entry)
        peak_was, peak_now = old_perf.get("rss_peak_mb"), now_perf.get("rss_peak_mb")
        if peak_was and peak_now and peak_now > peak_was * heavier_factor and peak_now - peak_was >= min_mb:
            changes["heavier"].append(entry)
    return changes


def _delta(before: Optional[float], now: Optional[float], unit: str, digits: int) -> str:
    if before is None or now is None:
        return f"{_cell(before, unit, digits) or '—'} → {_cell(now, unit, digits) or '—'}"
    change = f" ({(now / before - 1) * 100:+.0f}%)" if before else ""
    return f"{before:.{digits}f}{unit} → {now:.{digits}f}{unit}{change}"


def perf_changes_markdown(changes: dict[str, Any]) -> list[str]:
    lines = [
        f"- Slower generation (more than {changes['slower_factor']:g}×): " + (", ".join(
            f"row {table_cell(e['row'])} {table_cell(e['engine'])} ({_delta(e['generate_seconds_before'], e['generate_seconds_now'], 's', 1)})" for e in changes["slower"]) or "none"),
        f"- Heavier (peak memory more than {changes['heavier_factor']:g}×): " + (", ".join(
            f"row {table_cell(e['row'])} {table_cell(e['engine'])} ({_delta(e['rss_peak_mb_before'], e['rss_peak_mb_now'], ' MB', 0)})" for e in changes["heavier"]) or "none"),
    ]
    if changes["rows"]:
        lines += ["", "| # | Engine | Lang | Generate | RTF | Peak memory |", "|---|--------|------|----------|-----|-------------|"]
        for e in changes["rows"]:
            lines.append(
                f"| {table_cell(e['row'])} | {table_cell(e['engine'])} | {table_cell(e['language'])} | {_delta(e['generate_seconds_before'], e['generate_seconds_now'], 's', 1)} | "
                f"{_delta(e['real_time_factor_before'], e['real_time_factor_now'], '', 2)} | {_delta(e['rss_peak_mb_before'], e['rss_peak_mb_now'], ' MB', 0)} |"
            )
    return lines


def performance_text(row: dict[str, Any], previous: Optional[dict[str, Any]]) -> str:
    """One row's figures as the Allure attachment shows them, with the previous run's beside them."""
    perf = row.get("performance") or {}
    lines = [
        f"first status {_cell(perf.get('first_status_seconds'), ' s') or '—'} · load {_cell(perf.get('load_seconds'), ' s') or '—'} · "
        f"generate {_cell(perf.get('generate_seconds'), ' s') or '—'} · audio {_cell(row.get('audio_duration'), ' s') or '—'} · "
        f"real-time factor {_cell(perf.get('real_time_factor'), '', 2) or '—'}",
        f"server memory (process tree, resident): peak {_cell(perf.get('rss_peak_mb'), ' MB', 0) or '—'}, end {_cell(perf.get('rss_end_mb'), ' MB', 0) or '—'}"
        + (f" · VRAM {perf['vram_used_mb']:.0f} MB" if perf.get("vram_used_mb") is not None else ""),
    ]
    old = (previous or {}).get("performance") or {}
    if old:
        lines.append(
            "previous run: generate " + _delta(old.get("generate_seconds"), perf.get("generate_seconds"), " s", 1)
            + " · RTF " + _delta(old.get("real_time_factor"), perf.get("real_time_factor"), "", 2)
            + " · peak " + _delta(old.get("rss_peak_mb"), perf.get("rss_peak_mb"), " MB", 0)
        )
    lines += list(row.get("warnings") or [])
    return "\n".join(lines) + "\n"
