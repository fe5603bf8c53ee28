"""The simulator's speech cache: what a process of its own made (eSpeak NG's or Kokoro's samples,
the voices' ranking against a reference), kept by its request in ``$VOICEBOX_SIM_SPEECH_CACHE``
when that is set, so the same request is made once (the tests set it: each sentence is made once
a machine)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Optional

CACHE_ENV = "VOICEBOX_SIM_SPEECH_CACHE"


def made(name: str, command: tuple[str, ...], request: bytes, timeout: float) -> Optional[bytes]:
    """What ``python -m <command>`` writes on stdout for ``request`` on stdin (None if it fails),
    from the cache under ``name`` when it was made before."""
    folder = os.environ.get(CACHE_ENV)
    kept = None if not folder else Path(folder) / name
    if kept is not None and kept.is_file():
        return kept.read_bytes()
    done = subprocess.run([sys.executable, "-m", *command], input=request, capture_output=True, timeout=timeout)
    if done.returncode != 0:
        sys.stderr.write(done.stderr.decode("utf-8", "replace")[-2000:])
        return None
    if kept is not None:  # written under a name of its own, then renamed: a reader never sees half
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial = kept.with_suffix(f".{os.getpid()}.{threading.get_ident()}.partial")
        partial.write_bytes(done.stdout)
        os.replace(partial, kept)
    return done.stdout
