#!/usr/bin/env bash
# The mutation score of the verdicts, the cause classifier and the reports: mutmut (pinned here;
# not part of CI) changes the modules [tool.mutmut] names one mutant at a time and runs the unit
# tier (--fast) against each; a mutant the tests do not notice "survived". Mutants mutmut's clock
# cut short are run again (scripts/mutation_recheck.py). Prints the counts per module, then the score.
#   scripts/mutation.sh            (about an hour on two cores; the work stays in mutants/)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
VENV="${VENV:-.venv}"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check mutmut==3.8.1
"$VENV/bin/mutmut" run --max-children "${MUTATION_WORKERS:-2}" >/dev/null 2>&1 || true
"$VENV/bin/mutmut" export-cicd-stats >/dev/null 2>&1 || true
# mutmut's CPU-time limit ends many mutants before their first failing test: run those again
"$VENV/bin/python" scripts/mutation_recheck.py >/dev/null
"$VENV/bin/python" scripts/mutation_score.py
