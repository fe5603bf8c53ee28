"""How a server's processes are stopped for good, and how the ones that escaped its tree are found.

The ladder: SIGTERM first (the onefile bootloader forwards it), then SIGINT (uvicorn's forced
exit: the real server hangs on SIGTERM while a progress stream is open), then SIGKILL. On
Windows the tree is killed with taskkill /T /F, as the design and Tauri do.

A tree listed before the ladder misses what the server starts while it shuts down, and what it
detached (re-parented away, as a daemonised worker is). Every process the server starts
inherits its environment, so after the ladder the processes still carrying this server's
markers (the launching pid and its data dir) are the stragglers: they are stopped the same way
and named in a note, since a server that leaves processes behind is a bug worth reporting.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from voicebox_e2e.server.markers import DATA_DIR_ENV, OWNER_ENV, marked
from voicebox_e2e.server.redaction import redact


def is_alive(proc: psutil.Process) -> bool:
    """Running and not a zombie (a dead child not yet reaped)."""
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def wait_gone(procs: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Wait up to ``timeout`` seconds for ``procs`` to end; those still alive. A zombie counts as
    ended: an orphan's zombie lasts until its new parent reaps it, which some inits do late."""
    deadline = time.monotonic() + timeout
    alive = [p for p in procs if is_alive(p)]
    while alive and time.monotonic() < deadline:
        _, alive = psutil.wait_procs(alive, timeout=min(0.05, max(0.0, deadline - time.monotonic())))
        alive = [p for p in alive if is_alive(p)]
    return alive


def stop_tree(tree: list[psutil.Process], grace: float) -> list[str]:
    """Stop ``tree`` (its root first); returns what did not go as planned (empty if clean)."""
    notes: list[str] = []
    if not tree:
        return notes
    if sys.platform == "win32":
        subprocess.run(["taskkill", "/T", "/F", "/PID", str(tree[0].pid)], capture_output=True, check=False)
        alive = wait_gone(tree, grace)
    else:
        alive, prev_name = tree, "SIGTERM"
        for sig, wait in ((signal.SIGTERM, grace), (signal.SIGINT, 3.0), (signal.SIGKILL, 5.0)):
            alive = [p for p in alive if is_alive(p)]
            if not alive:
                break
            if sig != signal.SIGTERM:
                notes.append(f"{len(alive)} server process(es) outlived {prev_name}; sent {sig.name}")
            for proc in alive:
                try:
                    proc.send_signal(sig)
                except psutil.Error:
                    pass
            alive = wait_gone(alive, wait)
            prev_name = sig.name
    alive = [p for p in alive if is_alive(p)]
    if alive:
        notes.append("server processes still alive after SIGKILL: " + ", ".join(str(p.pid) for p in alive))
    return notes


def stragglers(owner_pid: int, data_dir: Path) -> list[psutil.Process]:
    """Live processes started by the server that ``owner_pid`` launched on ``data_dir``."""
    return marked(DATA_DIR_ENV, str(data_dir), also={OWNER_ENV: str(owner_pid)})


def stop_all(procs: list[psutil.Process], grace: float) -> list[psutil.Process]:
    """SIGTERM, then SIGKILL what is left after ``grace`` seconds; returns what still lives."""
    for proc in procs:
        try:
            proc.terminate()
        except psutil.Error:
            pass
    alive = wait_gone(procs, grace)
    for proc in alive:
        try:
            proc.kill()
        except psutil.Error:
            pass
    return wait_gone(alive, 5.0)


def stop_stragglers(owner_pid: int, data_dir: Path, grace: float = 3.0) -> list[str]:
    """Stop the server's processes that outlived it; notes naming them (none if there were none)."""
    left = stragglers(owner_pid, data_dir)
    if not left:
        return []
    names = ", ".join(f"{p.pid} ({_command(p)})" for p in left)
    notes = [redact(f"{len(left)} process(es) the server started outlived it: {names}; stopped them")]
    alive = stop_all(left, grace)
    if alive:
        notes.append("server processes still alive after SIGKILL: " + ", ".join(str(p.pid) for p in alive))
    return notes


def _command(proc: psutil.Process, limit: int = 120) -> str:
    try:
        text = " ".join(proc.cmdline()) or proc.name()
    except psutil.Error:
        return "gone"
    return text if len(text) <= limit else text[: limit - 1] + "…"
