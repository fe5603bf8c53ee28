"""Turn ``<output_dir>/allure-results`` into the single-file Allure HTML sign-off report.

    scripts/report.sh [OUTPUT_DIR]             # installs the pinned Allure CLI (npm), then this
    python -m voicebox_e2e.html_report results  # when node_modules/ is already installed

The report is one self-contained ``allure-report/index.html`` that can be attached to a release
ticket. Allure's command line needs Java (8 or newer) on the PATH.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Optional, Sequence

from voicebox_e2e.config import PROJECT_ROOT


class ReportToolMissing(RuntimeError):
    pass


def allure_command() -> list[str]:
    name = "allure.cmd" if sys.platform == "win32" else "allure"
    local = PROJECT_ROOT / "node_modules" / ".bin" / name
    if local.exists():
        return [str(local)]
    found = shutil.which("allure")
    if found:
        return [found]
    raise ReportToolMissing("The Allure command line is not installed; run scripts/report.sh (or npm ci) in the project first.")


def generate(output_dir: Path, report_dir: Optional[Path] = None) -> Path:
    """Write ``<output_dir>/allure-report/index.html`` from ``<output_dir>/allure-results``."""
    results = output_dir / "allure-results"
    if not results.is_dir() or not any(results.glob("*-result.json")):
        raise ReportToolMissing(f"{results} holds no Allure results; run the suite with output_dir={output_dir} first.")
    target = report_dir or output_dir / "allure-report"
    if shutil.which("java") is None:
        raise ReportToolMissing("Allure's command line needs Java on the PATH (any JRE 8 or newer).")
    done = subprocess.run(
        [*allure_command(), "generate", "--single-file", str(results), "-o", str(target), "--clean"],
        capture_output=True, text=True, errors="replace",
    )
    if done.returncode != 0 or not (target / "index.html").is_file():
        raise ReportToolMissing(f"allure generate failed (exit code {done.returncode}): {(done.stderr or done.stdout).strip()[-500:]}")
    return target / "index.html"


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m voicebox_e2e.html_report", description=__doc__.split("\n")[0])
    parser.add_argument("output_dir", nargs="?", default="results", help="the run's output_dir (default: results)")
    args = parser.parse_args(argv)
    try:
        index = generate(Path(args.output_dir))
    except ReportToolMissing as exc:
        print(f"voicebox-e2e: error: {exc}", file=sys.stderr)
        return 2
    print(f"Allure HTML report: {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
