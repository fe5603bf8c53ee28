#!/usr/bin/env bash
# The release run: English and every language of every engine, then the same models without the
# network, in one run and one report (behave --tags="@english or @multilingual or @offline"; extra
# arguments go to behave).
# Against the bundled simulator unless a Voicebox is configured (-D binary=..., VOICEBOX_REPO).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/behave --tags="@english or @multilingual or @offline" "$@"
