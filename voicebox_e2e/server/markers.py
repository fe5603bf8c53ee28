"""How the suite recognises what it launched and made, so that its clean-ups touch nothing else.

Every server carries ``OWNER_ENV`` (the launching process's pid) and ``DATA_DIR_ENV`` in its
environment, and the reaper watching it ``WATCHER_ENV``; a data dir is the suite's only if ``mkdtemp`` made it with
``DATA_DIR_PREFIX`` directly in the system temp dir.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Mapping, Optional

import psutil

OWNER_ENV = "VOICEBOX_E2E_OWNER_PID"
DATA_DIR_ENV = "VOICEBOX_E2E_DATA_DIR"
WATCHER_ENV = "VOICEBOX_E2E_WATCHER_FOR"
# Runs in different scopes never reap each other's stale servers (the suite's own tests run two
# Python versions side by side; each test session is a scope). Unset: one scope for all runs.
SCOPE_ENV = "VOICEBOX_E2E_SCOPE"
DATA_DIR_PREFIX = "voicebox-e2e-"


def is_suite_data_dir(path: Path) -> bool:
    return path.name.startswith(DATA_DIR_PREFIX) and path.parent == Path(tempfile.gettempdir())


def marked(name: str, value: str, also: Optional[Mapping[str, str]] = None) -> list[psutil.Process]:
    """The live processes whose environment has ``name`` = ``value``, and each of ``also``
    (zombies left out)."""
    required = {name: value, **(also or {})}
    found = []
    for proc in psutil.process_iter(["pid"]):
        try:
            env = proc.environ()
            if all(env.get(key) == wanted for key, wanted in required.items()) and proc.status() != psutil.STATUS_ZOMBIE:
                found.append(proc)
        except (psutil.Error, OSError):
            continue
    return found
