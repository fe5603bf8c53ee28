"""Put the runs of one release side by side: one matrix (rows = models, columns = platforms) and
one Allure report over all of them.

    python -m voicebox_e2e.reports.merge results-macos results-windows results-linux --output signoff
    scripts/report.sh signoff        # the combined single-file HTML report

Each input is a run's output_dir (its newest ``e2e-*.json`` is used). The combined Allure results
keep each platform's rows apart: every test gets a ``platform`` parameter and parent suite.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

from voicebox_e2e.reports.cells import table_cell
from voicebox_e2e.reports.rows import STATUS_WORDS, fenced, matrix_order
from voicebox_e2e.reports.speech import judged_and_not
from voicebox_e2e.reports.long_text import long_text_cell
from voicebox_e2e.reports.offline import offline_cell
from voicebox_e2e.reports.voice import voice_cell, voice_said


class MergeError(ValueError):
    pass


@dataclass(frozen=True)
class Run:
    directory: Path
    column: str
    report: dict[str, Any]


def row_key(row: dict[str, Any]) -> tuple[str, str, str, str]:
    return (str(row["row"]), str(row["engine"]), str(row.get("model_size") or "—"), str(row.get("language") or "en"))


def load_runs(directories: Sequence[Path]) -> list[Run]:
    runs: list[Run] = []
    for directory in directories:
        reports = sorted(directory.glob("e2e-*.json"))
        if not reports:
            raise MergeError(f"{directory} holds no e2e-*.json report; pass the output_dir of a run.")
        report = json.loads(reports[-1].read_text(encoding="utf-8"))
        column = report["platform"]
        if any(r.column == column for r in runs):
            column = f"{column} ({report['started_at']})"
        runs.append(Run(directory, column, report))
    return runs


def figures(row: dict[str, Any]) -> str:
    """A row's generation time, real-time factor, peak memory and speech error rate, for its
    platform's cell."""
    perf = row.get("performance") or {}
    speech = row.get("speech") or {}
    parts = []
    if perf.get("generate_seconds") is not None:
        parts.append(f"gen {perf['generate_seconds']:.1f}s")
    if perf.get("real_time_factor") is not None:
        parts.append(f"RTF {perf['real_time_factor']:.2f}")
    if perf.get("rss_peak_mb") is not None:
        parts.append(f"peak {perf['rss_peak_mb']:.0f} MB")
    if speech.get("checked") and speech.get("error_rate") is not None:
        judged = "" if speech.get("words_judged") else " (not judged)"
        parts.append(f"{str(speech.get('metric')).upper()} {speech['error_rate']:.2f}{judged}")
    if voice_cell(row):
        parts.append(voice_cell(row))
    if offline_cell(row):
        parts.append(offline_cell(row))
    if long_text_cell(row):
        parts.append(long_text_cell(row))
    elif row.get("workload"):
        parts.append(str(row["workload"]))
    return f" · {', '.join(parts)}" if parts else ""


def speech_said(speech: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    """A platform's speech check in its header line; a platform whose speech was not checked
    says so, as its own report does, and so does a language whose words were not judged."""
    if speech.get("not_checked"):
        return f"; **speech not checked** ({table_cell(speech['not_checked'], 200)})"
    if speech.get("rows_checked"):
        judged, unjudged = judged_and_not(speech, rows)
        not_judged = f"; not judged in: {table_cell(', '.join(unjudged))}" if unjudged else ""
        return f"; speech heard in {speech['rows_checked']} rows (words judged in: {table_cell(judged)}{not_judged})"
    return ""


def combined_markdown(runs: list[Run]) -> str:
    every = {row_key(r): r for run in runs for r in run.report["results"]}
    keys = [row_key(r) for r in matrix_order(list(every.values()))]
    by_run = [{row_key(r): r for r in run.report["results"]} for run in runs]
    lines = ["# Voicebox model sign-off — all platforms", ""]
    if any(run.report.get("simulated") for run in runs):
        simulated = ", ".join(run.column for run in runs if run.report.get("simulated"))
        lines += [f"> **Includes SIMULATED runs ({simulated}) — not a release sign-off.**", ""]
    for run in runs:
        counts = run.report.get("summary", {})
        by_cause = run.report.get("causes") or {}
        backend = run.report.get("backend") or {}
        lines.append(
            f"- **{table_cell(run.column)}**: {table_cell(run.report['binary'])} ({table_cell(run.report.get('binary_version'))}), "
            f"{counts.get('passed', 0)} passed, {counts.get('failed', 0)} failed, {counts.get('timeout', 0)} timed out"
            + (", interrupted" if run.report.get("interrupted") else "")
            + (f"; causes: {table_cell(', '.join(f'{k} {n}' for k, n in by_cause.items()))}" if by_cause else "")
            + (f"; backend {table_cell(backend.get('backend_variant'))} on {table_cell(backend.get('gpu_type') or 'CPU')}" if backend else "")
            + (f"; **a GPU went unused**: {table_cell(backend['unused_gpu'], 300)}" if backend.get("unused_gpu") else "")
            + (f"; **a GPU that is not there**: {table_cell(backend['false_gpu'], 300)}" if backend.get("false_gpu") else "")
            + speech_said(run.report.get("speech") or {}, run.report.get("results") or [])
            + voice_said(run.report.get("voice") or {}, run.report.get("results") or [])
        )
    header = "| # | Engine | Size | Lang | " + " | ".join(table_cell(run.column) for run in runs) + " |"
    lines += ["", header, "|" + "---|" * (4 + len(runs))]
    for key in keys:
        cells = []
        for rows in by_run:
            row = rows.get(key)
            if row is None:
                cells.append("—")
            else:
                elapsed = "" if row.get("elapsed_seconds") is None else f" {row['elapsed_seconds']:.1f}s"
                cause = f" ({table_cell(row['cause'])})" if row.get("cause") else ""
                cells.append(STATUS_WORDS.get(row["status"], row["status"].upper()) + cause + elapsed + figures(row))
        lines.append(f"| {table_cell(key[0])} | {table_cell(key[1])} | {table_cell(key[2])} | {table_cell(key[3])} | " + " | ".join(cells) + " |")
    failures = [(run, r) for run in runs for r in run.report["results"] if r["status"] in ("failed", "timeout")]
    if failures:
        lines += ["", "## Failures"]
        for run, row in failures:
            lines += ["", f"### {table_cell(run.column)} — row {table_cell(row['row'])}: {table_cell(row['engine'])} {table_cell(row.get('model_size') or '—')} {table_cell(row.get('language') or 'en')} — cause {table_cell(row.get('cause')) or 'none'}", "", fenced(row.get("error") or "")]
    return "\n".join(lines) + "\n"


def merge_allure(runs: list[Run], target: Path) -> int:
    """Copy every run's Allure results into ``target``, each test marked with its platform."""
    target.mkdir(parents=True, exist_ok=True)
    tests = 0
    environment: list[str] = []
    for run in runs:
        source = run.directory / "allure-results"
        if not source.is_dir():
            continue
        for path in source.iterdir():
            if path.name.endswith("-result.json"):
                result = json.loads(path.read_text(encoding="utf-8"))
                result.setdefault("parameters", []).append({"name": "platform", "value": run.column})
                result.setdefault("labels", []).append({"name": "parentSuite", "value": run.column})
                result["historyId"] = hashlib.md5(f"{result.get('historyId')}:{run.column}".encode()).hexdigest()
                (target / path.name).write_text(json.dumps(result), encoding="utf-8")
                tests += 1
            elif path.name == "environment.properties":
                environment += [f"{run.column}.{line}" for line in path.read_text(encoding="utf-8").splitlines() if line]
            elif path.name == "categories.json":
                shutil.copyfile(path, target / path.name)
            elif path.is_file() and path.name != "executor.json":
                shutil.copyfile(path, target / path.name)
    (target / "environment.properties").write_text("\n".join(environment) + "\n", encoding="utf-8")
    return tests


def merge(directories: Sequence[Path], output: Path) -> tuple[Path, Path, int]:
    runs = load_runs(directories)
    output.mkdir(parents=True, exist_ok=True)
    md = output / "signoff-matrix.md"
    md.write_text(combined_markdown(runs), encoding="utf-8")
    combined = {
        "runs": [{"column": run.column, "directory": str(run.directory), **{k: run.report.get(k) for k in ("platform", "target", "binary", "binary_version", "started_at", "finished_at", "summary", "causes", "backend", "interrupted")}} for run in runs],
        "results": {run.column: run.report["results"] for run in runs},
    }
    js = output / "signoff-matrix.json"
    js.write_text(json.dumps(combined, indent=2), encoding="utf-8")
    tests = merge_allure(runs, output / "allure-results")
    return md, js, tests


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m voicebox_e2e.reports.merge", description="Combine the runs of several platforms.")
    parser.add_argument("runs", nargs="+", type=Path, help="the output_dir of each run")
    parser.add_argument("--output", type=Path, default=Path("signoff"), help="where the combined reports go (default: signoff)")
    args = parser.parse_args(argv)
    try:
        md, js, tests = merge(args.runs, args.output)
    except (MergeError, OSError, ValueError, KeyError) as exc:
        print(f"voicebox-e2e: error: {exc}", file=sys.stderr)
        return 2
    print(f"Combined matrix: {md}\nCombined JSON: {js}\nCombined Allure results: {args.output / 'allure-results'} ({tests} tests)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
