#!/usr/bin/env bash
# Run the sign-off suite: behave --tags=@english (extra arguments go to behave).
# Against the bundled simulator unless a Voicebox is configured (-D binary=..., VOICEBOX_REPO).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/behave --tags=@english "$@"
