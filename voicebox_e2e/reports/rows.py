"""The report's rows as the reports order, label and count them (shared by the JSON, the
Markdown, the changes and the merge)."""

from __future__ import annotations

import platform
import re
import sys
from typing import Any

from voicebox_e2e.reports.cells import table_cell
from voicebox_e2e.row.result import FAILED, NOT_RUN, PASSED, TIMEOUT
from voicebox_e2e.server.redaction import redact
from voicebox_e2e.verdicts.causes import CAUSES

STATUS_WORDS = {PASSED: "PASS", FAILED: "FAIL", TIMEOUT: "TIMEOUT", NOT_RUN: "NOT RUN"}


def row_warnings(rows: list[dict[str, Any]]) -> list[str]:
    """Each row's warnings (memory growth, a speech that may be cut off), a line each."""
    return [f"- Row {table_cell(r['row'])} {table_cell(r['engine'])}: {table_cell(w, 400)}" for r in rows for w in r.get("warnings") or []]


def platform_tag() -> str:
    """``darwin-arm64``, ``windows-x86_64``, ``linux-x86_64`` as in the design's file names."""
    system = {"win32": "windows", "darwin": "darwin"}.get(sys.platform, sys.platform.rstrip("0123456789"))
    machine = platform.machine().lower()
    machine = {"amd64": "x86_64", "aarch64": "arm64"}.get(machine, machine)
    return f"{system}-{machine}"


def row_identity(row: dict[str, Any]) -> tuple[str, str, str]:
    """What a row is, across runs and releases: its engine, model size and language (row numbers
    may be renumbered as the matrix grows)."""
    return (str(row["engine"]), str(row.get("model_size") or "—"), str(row.get("language") or "en"))


def row_number(row_id: Any) -> tuple[str, int]:
    """"3" -> ("", 3), "M12" -> ("M", 12): row ids sort by their number, not as text."""
    found = re.fullmatch(r"([^\d]*)(\d+)", str(row_id))
    return (found.group(1), int(found.group(2))) if found else (str(row_id), 10**6)


def matrix_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows grouped by engine (engines in the order of their first English row), English first,
    then by row number: each engine's languages sit together under its design rows."""
    numbered = sorted(rows, key=lambda r: (row_number(r["row"])[0] != "", row_number(r["row"])))
    first = {engine: i for i, engine in enumerate(engine_order(numbered))}
    return sorted(numbered, key=lambda r: (first[r["engine"]], row_number(r["row"])[0] != "", row_number(r["row"])))


def engine_order(rows: list[dict[str, Any]]) -> list[str]:
    """The engines in the order their first row appears."""
    seen: list[str] = []
    for row in rows:
        if row["engine"] not in seen:
            seen.append(row["engine"])
    return seen


def cause_counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    """How many rows each cause holds, in the causes table's order (only causes that occur)."""
    counts = {c.key: sum(1 for r in rows if r.get("cause") == c.key) for c in CAUSES}
    return {key: n for key, n in counts.items() if n}


def row_label(row: dict[str, Any]) -> str:
    label = str(row.get("label") or row["engine"])
    language = row.get("language") or "en"
    return label if language == "en" else f"{label} ({language})"


def fenced(text: str) -> str:
    """A code block that the text inside cannot close early, whatever backticks it holds."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{redact(text)}\n{fence}"
