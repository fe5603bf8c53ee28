"""The run reports: ``e2e-<platform>-<stamp>.json`` (the design's schema, plus what a reader
needs) and ``e2e-<platform>-<stamp>.md`` (the design's table and a Failures section).

All text that came from the server or the user passes through ``redact`` before it is written.
"""

from __future__ import annotations

import json
import platform
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from voicebox_e2e.causes import BY_KEY, CAUSES
from voicebox_e2e.speech_report import speech_banner, speech_line, speech_table
from voicebox_e2e.perf_report import perf_changes, perf_changes_markdown, performance_table
from voicebox_e2e.cells import table_cell
from voicebox_e2e.redaction import redact, redact_tree
from voicebox_e2e.rows import FAILED, NOT_RUN, PASSED, TIMEOUT

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


def prepare_line(prepare: dict[str, Any]) -> str:
    """The prepare phase in one line: what was fetched, how long it took, and what was not."""
    models = prepare.get("models") or []
    done = [m for m in models if m.get("state") == "done"]
    line = f"fetched {len(done)} of {len(models)} uncached model(s) in {prepare.get('seconds', 0):.1f} s before the rows"
    problems = [table_cell(m.get("error"), 300) for m in models if m.get("state") != "done"]
    return line + ("; " + "; ".join(problems) if problems else "")


def row_label(row: dict[str, Any]) -> str:
    label = str(row.get("label") or row["engine"])
    language = row.get("language") or "en"
    return label if language == "en" else f"{label} ({language})"


def fenced(text: str) -> str:
    """A code block that the text inside cannot close early, whatever backticks it holds."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{redact(text)}\n{fence}"


@dataclass
class RunReport:
    platform: str
    target: str
    binary: str
    binary_size_mb: Optional[float]
    binary_version: str
    started_at: str
    finished_at: Optional[str] = None
    interrupted: bool = False
    interrupt_reason: Optional[str] = None
    setup_error: Optional[str] = None
    setup_cause: Optional[str] = None
    setup_log_tail: Optional[str] = None
    server: dict[str, Any] = field(default_factory=dict)
    profiles_created: list[str] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)
    changes: Optional[dict[str, Any]] = None
    backend: dict[str, Any] = field(default_factory=dict)
    prepare: Optional[dict[str, Any]] = None  # the prepare phase's downloads, when it fetched any
    speech: dict[str, Any] = field(default_factory=dict)  # the speech check (speech_check.describe)

    @property
    def simulated(self) -> bool:
        return self.target == "simulator"

    def counts(self) -> dict[str, int]:
        counts = {PASSED: 0, FAILED: 0, TIMEOUT: 0, NOT_RUN: 0}
        for row in self.results:
            counts[row["status"]] = counts.get(row["status"], 0) + 1
        return counts

    def all_passed(self) -> bool:
        return bool(self.results) and all(r["status"] == PASSED for r in self.results) and not self.interrupted

    def to_json(self) -> dict[str, Any]:
        document = {
            "platform": self.platform,
            "binary": self.binary,
            "binary_size_mb": self.binary_size_mb,
            "binary_version": self.binary_version,
            "target": self.target,
            "simulated": self.simulated,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "interrupted": self.interrupted,
            "interrupt_reason": self.interrupt_reason,
            "setup_error": self.setup_error,
            "setup_cause": self.setup_cause,
            "setup_log_tail": self.setup_log_tail,
            "summary": self.counts(),
            "causes": cause_counts(self.results),
            "backend": self.backend,
            "prepare": self.prepare,
            "speech": self.speech,
            "server": self.server,
            "profiles_created": self.profiles_created,
            "results": self.results,
            "checks": self.checks,
            "changes": self.changes,
        }
        return dict(redact_tree(document))


def markdown(report: RunReport) -> str:
    when = report.started_at.replace("T", " ")[:16]
    lines = [f"# Voicebox E2E — {report.platform} — {when}", ""]
    if report.simulated:
        lines += ["> **SIMULATED RUN — not a release sign-off.** These rows ran against the bundled Voicebox simulator, not a frozen binary.", ""]
    if report.interrupted:
        lines += [f"> **The run was interrupted** ({table_cell(report.interrupt_reason) or 'interrupted'}); rows marked NOT RUN did not run.", ""]
    problem = report.backend.get("problem")
    if problem:
        lines += [f"> **Wrong backend:** {table_cell(problem, 400)}", ""]
    lines += speech_banner(report.speech)
    lines += [
        f"- Target: {report.target} — `{report.binary}` ({report.binary_version})",
        f"- Binary size: {report.binary_size_mb if report.binary_size_mb is not None else 'n/a'} MB",
        f"- Started {report.started_at}, finished {report.finished_at or 'n/a'}",
    ]
    if report.backend:
        lines.append(f"- Backend: {backend_line(report.backend)}")
    if report.prepare:
        lines.append(f"- Prepare: {prepare_line(report.prepare)}")
    if report.speech.get("rows_checked"):
        lines.append(f"- Speech: {speech_line(report.speech)}")
    counts = report.counts()
    lines += [f"- Result: {counts[PASSED]} passed, {counts[FAILED]} failed, {counts[TIMEOUT]} timed out, {counts[NOT_RUN]} not run"]
    by_cause = cause_counts(report.results)
    if by_cause:
        lines.append("- Causes: " + ", ".join(f"{key} {n} ({BY_KEY[key].title.lower()})" for key, n in by_cause.items()))
    lines.append("")
    if report.setup_error:
        cause = BY_KEY[report.setup_cause].title if report.setup_cause in BY_KEY else "no cause"
        lines += [f"## Setup failed ({table_cell(cause)})", "", fenced(report.setup_error), ""]
        if report.setup_log_tail:
            lines += ["Server log tail:", "", fenced(report.setup_log_tail), ""]
    if report.results or not report.checks:
        lines += results_table(report.results)
    performance = performance_table(report.results)
    if performance:
        lines += ["", "## Performance", "", "Phase times from the first sighting of each status (the status stream, and the status probe every status_probe_seconds); RTF = generate / audio seconds; memory = the server's process tree (resident).", ""] + performance
    heard = speech_table(report.results)
    if heard:
        lines += ["", "## Speech", "", "What the speech recognizer heard in each WAV, against the sentence asked for.", ""] + heard
    warnings = row_warnings(report.results)
    if warnings:
        lines += ["", "## Warnings", ""] + warnings
    if len(engine_order(report.results)) > 1 and len(report.results) > len(engine_order(report.results)):
        lines += ["", "## By engine", ""] + engine_table(report.results)
    if report.changes is not None:
        lines += changes_markdown(report.changes)
    if report.checks:
        lines += ["", "## Checks", "", "| Feature | Check | Status | Error |", "|---------|-------|--------|-------|"]
        for check in report.checks:
            word = STATUS_WORDS.get(check["status"], check["status"].upper())
            lines.append(f"| {table_cell(check['feature'])} | {table_cell(check['name'])} | {word} | {table_cell(check.get('error'), 300)} |")
    failures = [r for r in report.results if r["status"] in (FAILED, TIMEOUT)]
    if failures:
        lines += ["", "## Failures"]
        for row in failures:
            size = row.get("model_size") or "—"
            cause = BY_KEY[row["cause"]].title if row.get("cause") in BY_KEY else "no cause"
            lines += ["", f"### Row {table_cell(row['row'])}: {table_cell(row['engine'])} {table_cell(size)} {table_cell(row.get('language') or 'en')} — {STATUS_WORDS[row['status']]} ({table_cell(cause)})", ""]
            lines += [fenced(row.get("error") or "(no error text)"), ""]
            if row.get("server_log_tail"):
                lines += ["Server log tail:", "", fenced(row["server_log_tail"])]
    notes = report.server.get("shutdown_notes") or []
    if notes:
        lines += ["", "## Shutdown", ""] + [f"- {table_cell(n, 400)}" for n in notes]
    return "\n".join(lines) + "\n"


def backend_line(backend: dict[str, Any]) -> str:
    gpu = backend.get("gpu_type") or ("no GPU" if backend.get("gpu_available") is False else "GPU unknown")
    vram = backend.get("vram_used_mb")
    return (
        f"{table_cell(backend.get('backend_type')) or 'unknown'}, variant {table_cell(backend.get('backend_variant')) or 'unknown'}, "
        f"{table_cell(gpu)}" + (f", up to {vram:g} MB of VRAM used" if isinstance(vram, (int, float)) else "")
        + f" (GPU expected: {'yes' if backend.get('expects_gpu') else 'no'})"
    )


def results_table(rows: list[dict[str, Any]]) -> list[str]:
    """The design's table (Engine | Size | Status | Elapsed | Error), with the row number, language,
    device and cause beside it."""
    lines = ["| # | Engine | Size | Lang | Device | Status | Elapsed | Cause | Error |", "|---|--------|------|------|--------|--------|---------|-------|-------|"]
    for row in rows:
        elapsed = "" if row.get("elapsed_seconds") is None else f"{row['elapsed_seconds']:.1f}s"
        lines.append(
            f"| {table_cell(row['row'])} | {table_cell(row['engine'])} | {table_cell(row.get('model_size') or '—')} | "
            f"{table_cell(row.get('language') or 'en')} | {table_cell(row.get('device'))} | "
            f"{STATUS_WORDS.get(row['status'], row['status'].upper())} | {elapsed} | {table_cell(row.get('cause'))} | {table_cell(row.get('error'))} |"
        )
    return lines


def engine_table(rows: list[dict[str, Any]]) -> list[str]:
    """One line per engine: how many of its rows passed, and which languages did not."""
    lines = ["| Engine | Rows | Passed | Not passed (language: cause) |", "|--------|------|--------|------------------------------|"]
    for engine in engine_order(rows):
        mine = [r for r in rows if r["engine"] == engine]
        bad = [r for r in mine if r["status"] != PASSED]
        listed = ", ".join(f"{r.get('language') or 'en'}{' ' + str(r['model_size']) if r.get('model_size') else ''}: {r.get('cause') or STATUS_WORDS.get(r['status'], r['status'])}" for r in bad)
        lines.append(f"| {table_cell(engine)} | {len(mine)} | {len(mine) - len(bad)} | {table_cell(listed, 400)} |")
    return lines


def write_reports(report: RunReport, output_dir: Path, stamp: str) -> tuple[Path, Path]:
    output_dir.mkdir(parents=True, exist_ok=True)
    base = output_dir / f"e2e-{report.platform}-{stamp}"
    json_path, md_path = base.with_suffix(".json"), base.with_suffix(".md")
    json_path.write_text(json.dumps(report.to_json(), indent=2) + "\n", encoding="utf-8")
    md_path.write_text(markdown(report), encoding="utf-8")
    return json_path, md_path
