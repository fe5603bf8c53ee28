"""Turn ``<output_dir>/allure-results`` into the single-file Allure HTML sign-off report.

    scripts/report.sh [OUTPUT_DIR] [--history FILE]   # installs the pinned Allure 3 (npm), then this
    python -m voicebox_e2e.reports.html results        # when node_modules/ is already installed

Allure Report 3 (npm package ``allure``; Node.js only, no Java) writes one self-contained
``allure-report/index.html`` to attach to a release ticket. Its history file (one JSON line per
report) carries each row's earlier results into the next report of the same platform, so the
report shows what changed release over release: keep that file between runs (the CI template
caches it per platform).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Optional, Sequence

from voicebox_e2e.verdicts.causes import allure3_categories
from voicebox_e2e.config import PROJECT_ROOT

HISTORY_FILE = "allure-history.jsonl"


class ReportToolMissing(RuntimeError):
    pass


def allure_command() -> list[str]:
    name = "allure.cmd" if sys.platform == "win32" else "allure"
    local = PROJECT_ROOT / "node_modules" / ".bin" / name
    if local.exists():
        return [str(local)]
    raise ReportToolMissing("Allure Report 3 is not installed in this checkout; run scripts/report.sh (or npm ci) first.")


def report_config(target: Path, history: Path, name: str) -> dict[str, Any]:
    """Allure 3's configuration: the awesome report as one file, with history."""
    return {
        "name": name,
        "output": str(target),
        "historyPath": str(history),
        "categories": {"rules": allure3_categories()},
        "plugins": {"awesome": {"options": {"singleFile": True, "reportName": name, "reportLanguage": "en"}}},
    }


def report_name(output_dir: Path) -> str:
    runs = sorted(output_dir.glob("e2e-*.json"))
    if not runs:
        return "Voicebox model sign-off"
    run = json.loads(runs[-1].read_text(encoding="utf-8"))
    simulated = " (SIMULATED)" if run.get("target") == "simulator" else ""
    return f"Voicebox model sign-off — {run.get('platform', '')}{simulated}"


def generate(output_dir: Path, report_dir: Optional[Path] = None, history: Optional[Path] = None) -> Path:
    """Write ``<output_dir>/allure-report/index.html`` from ``<output_dir>/allure-results`` and add
    this run to the history file (default ``<output_dir>/allure-history.jsonl``)."""
    results = output_dir / "allure-results"
    if not results.is_dir() or not any(results.glob("*-result.json")):
        raise ReportToolMissing(f"{results} holds no Allure results; run the suite with output_dir={output_dir} first.")
    if shutil.which("node") is None:
        raise ReportToolMissing("Allure Report 3 needs Node.js (18 or newer) on the PATH.")
    target = (report_dir or output_dir / "allure-report").resolve()
    history = (history or output_dir / HISTORY_FILE).resolve()
    history.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        shutil.rmtree(target)
    with tempfile.TemporaryDirectory(prefix="voicebox-e2e-allure-") as tmp:
        config = Path(tmp) / "allurerc.json"
        config.write_text(json.dumps(report_config(target, history, report_name(output_dir)), indent=2), encoding="utf-8")
        done = subprocess.run(
            [*allure_command(), "generate", "--config", str(config), str(results.resolve())],
            capture_output=True, text=True, errors="replace", cwd=tmp,
        )
    index = target / "index.html"
    if done.returncode != 0 or not index.is_file():
        raise ReportToolMissing(f"allure generate failed (exit code {done.returncode}): {(done.stderr or done.stdout).strip()[-500:]}")
    index.write_text(without_analytics(index.read_text(encoding="utf-8")), encoding="utf-8")
    return index


# Allure Report 3.18's "awesome" report always embeds Google Analytics (its other plugins honour
# ALLURE_NO_ANALYTICS; this one does not). A sign-off artifact must not phone home when opened,
# and it was the report's one network request (a suspect for the loading spinner CI saw now and
# then on this offline machine).
ANALYTICS = re.compile(r'<script async src="https://www\.googletagmanager\.com/gtag/js[^"]*"></script>\s*<script>\s*window\.dataLayer.*?</script>', re.DOTALL)


def without_analytics(html: str) -> str:
    """The report without its analytics tag and the script that configures it."""
    return ANALYTICS.sub("", html, count=1)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m voicebox_e2e.reports.html", description=__doc__.split("\n")[0])
    parser.add_argument("output_dir", nargs="?", default="results", help="the run's output_dir (default: results)")
    parser.add_argument("--history", type=Path, help=f"the platform's history file (default: OUTPUT_DIR/{HISTORY_FILE})")
    args = parser.parse_args(argv)
    try:
        index = generate(Path(args.output_dir), history=args.history)
    except ReportToolMissing as exc:
        print(f"voicebox-e2e: error: {exc}", file=sys.stderr)
        return 2
    print(f"Allure HTML report: {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
