"""Faults of the server process itself: start-up crashes and stalls, the parent watchdog (and its
``watchdog_bug``), a log flood, log bytes that are not UTF-8, and a worker that detaches."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import threading
import time

import psutil

from voicebox_sim import detached
from voicebox_sim.engine.downloads import utcnow
from voicebox_sim.scenario import Scenario
from voicebox_sim.state import SimState, iso

app_log = logging.getLogger("backend.app")
watchdog_log = logging.getLogger("__main__")


def write_raw_log(data: bytes) -> None:
    """Write bytes straight to stderr, bypassing logging (the way tracebacks and warnings land)."""
    try:
        os.write(2, data)
    except OSError:
        pass


def at_start(scenario: Scenario) -> None:
    """The first moments of start-up: bytes that are not UTF-8 in the log, a crash before healthy."""
    if scenario.non_utf8_log:
        write_raw_log(b"startup note: \xff\xfe\xfd bytes that are not UTF-8 \xe9t\xe9\n")
    if scenario.crash_before_healthy is not None:
        app_log.error("Simulated crash during start-up")
        logging.shutdown()
        os._exit(scenario.crash_before_healthy)


async def hold_if_never_healthy(scenario: Scenario) -> None:
    """``never_healthy``: start-up waits for ever, so /health never answers."""
    if scenario.never_healthy:
        app_log.info("Waiting for a resource that never comes (never_healthy)")
        await asyncio.Event().wait()


async def detach_worker_if_asked(scenario: Scenario) -> None:
    """``detached_worker``: start a process that leaves the server's tree (see voicebox_sim/detached.py)."""
    if scenario.detached_worker:
        app_log.info("Started a worker process (pid %d) outside the server's process tree", await asyncio.to_thread(detached.start_detached_worker))


def start_threads(state: SimState) -> None:
    """The background threads: the parent watchdog (unless ``watchdog_bug``) and the log flood."""
    threads = []
    if state.parent_pid is not None and not state.scenario.watchdog_bug:
        threads.append(threading.Thread(target=watch_parent, args=(state,), daemon=True))
    if state.scenario.log_flood_mb_per_s > 0:
        threads.append(threading.Thread(target=flood_log, args=(state,), daemon=True))
    for thread in threads:
        thread.start()


def _parent_alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def watch_parent(state: SimState, poll_seconds: float = 0.5, grace_seconds: float = 1.0) -> None:
    """The watchdog as server.py intends it: stop 1-3 s after the --parent-pid process dies."""
    pid = state.parent_pid
    assert pid is not None
    logs = state.data_dir / "logs"
    logs.mkdir(exist_ok=True)
    record = logs / "watchdog.log"

    def note(message: str) -> None:
        with record.open("a", encoding="utf-8") as out:
            out.write(f"{iso(utcnow())} {message}\n")

    note(f"Parent watchdog started for pid {pid}")
    watchdog_log.info("Parent watchdog started for pid %s", pid)
    while not state.stopping.wait(poll_seconds):
        if _parent_alive(pid):
            continue
        if state.stopping.wait(grace_seconds):
            return
        sentinel = state.data_dir / ".keep-running"
        if sentinel.exists():
            sentinel.unlink(missing_ok=True)
            note("Parent gone but .keep-running was set; staying up")
            continue
        note(f"Parent process {pid} is gone, shutting down")
        watchdog_log.info("Parent process %s is gone, shutting down", pid)
        if sys.platform == "win32":
            os._exit(0)
        os.kill(os.getpid(), signal.SIGTERM)
        return


def flood_log(state: SimState) -> None:
    """Write log_flood_mb_per_s megabytes a second of ordinary-looking log lines to stderr."""
    line = (b"2026-01-01 00:00:00,000 - backend.utils.flood - INFO - " + b"x" * 120 + b"\n")
    per_second = int(state.scenario.log_flood_mb_per_s * 1024 * 1024)
    burst = line * max(1, per_second // (10 * len(line)))
    while not state.stopping.is_set():
        started = time.monotonic()
        write_raw_log(burst)
        state.stopping.wait(max(0.0, 0.1 - (time.monotonic() - started)))
