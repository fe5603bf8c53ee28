#!/usr/bin/env bash
# Turn a run's allure-results/ into one self-contained HTML report:
#   scripts/report.sh [OUTPUT_DIR] [--history FILE]
# Installs the pinned Allure Report 3 (package.json; Node.js, no Java) on first use. The history
# file (default OUTPUT_DIR/allure-history.jsonl) carries earlier runs of the platform into the report.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
[ -d node_modules/allure ] || npm ci --no-audit --no-fund --silent
exec .venv/bin/python -m voicebox_e2e.reports.html "${@:-results}"
