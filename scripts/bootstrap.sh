#!/usr/bin/env bash
# Create the virtual environment (if needed) and install the pinned requirements into it. Used by
# the other scripts. PYTHON picks the interpreter (python3), VENV the folder (.venv):
#   PYTHON=python3.12 VENV=.venv-py312 scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
VENV="${VENV:-.venv}"
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.installed-$(cat requirements.txt requirements-nodeps.txt requirements-dev.txt pyproject.toml | cksum | cut -d' ' -f1)"
if [ ! -f "$stamp" ]; then
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-nodeps.txt
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e .
  rm -f "$VENV"/.installed-*
  touch "$stamp"
fi

# Kokoro's 54 voice packs for the simulator's neural voices (npm kokoro-js 1.2.1, checked against
# its sha256). Without them the simulator says so and speaks with eSpeak NG.
if [ ! -f "$VENV/share/kokoro-js/voices/af_heart.bin" ]; then
  "$VENV/bin/python" -m voicebox_sim.engine.kokoro --install-voices >/dev/null || true
fi
