"""Servers an earlier run of this suite launched and then abandoned: found by the launch marker,
stopped, and their temp data dirs removed (the reaper's second line of defence)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable

import psutil

from voicebox_e2e.server.markers import DATA_DIR_ENV, OWNER_ENV, SCOPE_ENV, is_suite_data_dir
from voicebox_e2e.server.stopping import is_alive


def reap_stale_servers(echo: Callable[[str], None]) -> list[str]:
    """Stop servers an earlier run of this suite launched and then abandoned (its process gone).

    The real server's --parent-pid watchdog never runs, so a run that was SIGKILLed leaves its
    server behind. Only processes carrying this suite's launch marker are considered, and only
    those whose launching process is gone; their temp data dirs (voicebox-e2e-*) are removed.
    """
    notes: list[str] = []
    for proc in psutil.process_iter(["pid"]):
        try:
            env = proc.environ()
        except (psutil.Error, OSError):
            continue
        owner = env.get(OWNER_ENV)
        if not owner or not owner.isdigit() or proc.pid == os.getpid():
            continue
        if env.get(SCOPE_ENV, "") != os.environ.get(SCOPE_ENV, ""):
            continue
        if _pid_alive(int(owner)):
            continue
        data_dir = env.get(DATA_DIR_ENV, "")
        try:
            tree = [proc, *proc.children(recursive=True)]
        except psutil.Error:
            continue
        for member in tree:
            try:
                member.kill()
            except psutil.Error:
                pass
        psutil.wait_procs(tree, timeout=5)
        removed = ""
        path = Path(data_dir)
        if data_dir and is_suite_data_dir(path) and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
            removed = f" and removed its data dir {path}"
        note = f"Stopped a stale Voicebox server (pid {proc.pid}) left by an earlier run (pid {owner}){removed}."
        echo(note)
        notes.append(note)
    return notes


def _pid_alive(pid: int) -> bool:
    try:
        return is_alive(psutil.Process(pid))
    except psutil.Error:
        return False
