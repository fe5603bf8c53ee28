#!/usr/bin/env bash
# The release run: English and every language of every engine, what users send (long text), the
# same models without the network, and the upgrade from the last release, in one run and one report
# (behave --tags="@english or @multilingual or @workload or @offline or @upgrade"; extra arguments
# go to behave: -D upgrade_from=<the last release's voicebox-server> for a real build).
# Against the bundled simulator unless a Voicebox is configured (-D binary=..., VOICEBOX_REPO).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/behave --tags="@english or @multilingual or @workload or @offline or @upgrade" "$@"
