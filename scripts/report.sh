#!/usr/bin/env bash
# Turn a run's allure-results/ into one self-contained HTML report: scripts/report.sh [OUTPUT_DIR]
# Installs the pinned Allure command line (package.json) on first use; needs Java.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
[ -x node_modules/.bin/allure ] || npm ci --no-audit --no-fund --silent
exec .venv/bin/python -m voicebox_e2e.html_report "${1:-results}"
