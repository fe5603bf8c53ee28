#!/usr/bin/env bash
# The project's own tests: type checks, then pytest (which runs behave and the simulator for real).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
