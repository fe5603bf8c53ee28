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

# Kokoro's 54 voice packs for the simulator's neural voices: npm kokoro-js 1.2.1 (Apache-2.0), its
# voices/ folder only, checked against the tarball's sha256. Without npm the simulator says so and
# speaks with eSpeak NG.
voices="$VENV/share/kokoro-js"
if [ ! -f "$voices/voices/af_heart.bin" ]; then
  if command -v npm >/dev/null 2>&1; then
    work=$(mktemp -d)
    if (cd "$work" && npm pack --silent kokoro-js@1.2.1 >/dev/null 2>&1) \
      && echo "1f0d0383ef0349af0bd9440d81dc12abbea3a5392eb645283eda876f537f5860  $work/kokoro-js-1.2.1.tgz" | sha256sum -c --quiet; then
      mkdir -p "$voices"
      tar -xzf "$work/kokoro-js-1.2.1.tgz" -C "$work" package/voices package/LICENSE
      mv "$work/package/voices" "$work/package/LICENSE" "$voices/"
    else
      echo "warning: could not fetch kokoro-js 1.2.1's voices; the simulator will speak with eSpeak NG" >&2
    fi
    rm -rf "$work"
  else
    echo "warning: npm is missing: the simulator will speak with eSpeak NG, not Kokoro's voices" >&2
  fi
fi
