"""The run's Markdown report (and ``write_reports``, which writes it beside the JSON): the design's table, the Failures section, and what a reader needs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from voicebox_e2e.reports.cells import table_cell
from voicebox_e2e.reports.changes import changes_markdown
from voicebox_e2e.reports.long_text import long_text_table
from voicebox_e2e.reports.workloads import workload_table
from voicebox_e2e.reports.offline import offline_table
from voicebox_e2e.reports.performance import performance_table
from voicebox_e2e.reports.rows import STATUS_WORDS, cause_counts, engine_order, fenced, row_warnings
from voicebox_e2e.reports.run_report import RunReport
from voicebox_e2e.row.result import FAILED, NOT_RUN, PASSED, TIMEOUT
from voicebox_e2e.reports.speech import speech_banner, speech_line, speech_table
from voicebox_e2e.reports.voice import voice_banner, voice_line, voice_table
from voicebox_e2e.verdicts.causes import BY_KEY


def prepare_line(prepare: dict[str, Any]) -> str:
    """The prepare phase in one line: what was fetched, how long it took, and what was not."""
    models = prepare.get("models") or []
    done = [m for m in models if m.get("state") == "done"]
    line = f"fetched {len(done)} of {len(models)} uncached model(s) in {prepare.get('seconds', 0):.1f} s before the rows"
    problems = [table_cell(m.get("error"), 300) for m in models if m.get("state") != "done"]
    return line + ("; " + "; ".join(problems) if problems else "")


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
    idle_gpu = report.backend.get("unused_gpu")
    if idle_gpu:
        lines += [f"> **A GPU went unused:** {table_cell(idle_gpu, 400)}.", ""]
    false_gpu = report.backend.get("false_gpu")
    if false_gpu:
        lines += [f"> **A GPU that is not there:** {table_cell(false_gpu, 400)}.", ""]
    lines += speech_banner(report.speech)
    lines += voice_banner(report.voice, report.results)
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
        lines.append(f"- Speech: {speech_line(report.speech, report.results)}")
    if report.voice.get("rows_checked"):
        lines.append(f"- Voice: {voice_line(report.voice)}")
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
    voices = voice_table(report.results)
    if voices:
        lines += ["", "## Voice", "", "Each cloned row's speaker similarity to the reference recording (cosine of d-vectors).", ""] + voices
    sent = workload_table(report.results)
    if sent:
        lines += ["", "## Workloads", "", "Rows that send what users send beyond the matrix's one sentence and WAV (features tagged @workload).", ""] + sent
    chunked = long_text_table(report.results)
    if chunked:
        lines += ["", "## Long text", "", "Rows whose text the server chunks, heard window by window and aligned with the text sentence by sentence (share of words missed, in English; of letters, elsewhere).", ""] + chunked
    offline = offline_table(report.results)
    if offline:
        lines += ["", "## Offline", "", "Rows run with the hub cut off for the server alone, or with their models in a folder of their own; each load against the same model's load with the network in this run.", ""] + offline
    warnings = row_warnings(report.results)
    if warnings:
        lines += ["", "## Warnings", ""] + warnings
    if len(engine_order(report.results)) > 1 and len(report.results) > len(engine_order(report.results)):
        lines += ["", "## By engine", ""] + engine_table(report.results)
    if report.changes is not None:
        lines += changes_markdown(report.changes)
    if report.checks:
        lines += ["", "## Checks", "", "| Feature | Check | Status | Error or note |", "|---------|-------|--------|-------|"]
        for check in report.checks:
            word = STATUS_WORDS.get(check["status"], check["status"].upper())
            said = check.get("error") or " ".join(check.get("notes") or []) or None
            lines.append(f"| {table_cell(check['feature'])} | {table_cell(check['name'])} | {word} | {table_cell(said, 300)} |")
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
        + "; this machine: " + (", ".join(table_cell(g.get("name")) for g in backend.get("machine_gpus") or []) or "no GPU listed")
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
