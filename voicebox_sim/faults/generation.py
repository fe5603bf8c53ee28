"""Faults that break a generation: a model that fails to fetch or load, a crash or a hang
mid-inference, a damaged WAV, and log bytes that are not UTF-8 while a model loads."""

from __future__ import annotations

import asyncio
import logging
import os

from voicebox_sim.engine import audio
from voicebox_sim.faults.server import write_raw_log
from voicebox_sim.scenario import ModelFault
from voicebox_sim.state import SimState

app_log = logging.getLogger("backend.app")
progress_log = logging.getLogger("backend.utils.progress")


def fail_generation(state: SimState, gen_id: str, error: str, model_name: str, download: bool) -> None:
    """The model could not be fetched (``download``) or loaded: a traceback, and the row failed."""
    progress_log.error("Marked %s as error: %s", model_name, error)
    write_raw_log(
        b"Traceback (most recent call last):\n"
        b'  File "backend/services/generation.py", line 64, in run_generation\n'
        b"    await load_engine_model(engine, model_size)\n"
        + f"RuntimeError: {error}\n".encode("utf-8")
    )
    if download:
        state.downloads.fail(model_name, error)
    state.store.update("generations", gen_id, status="failed", error=error)


def loading_log(state: SimState) -> None:
    """``non_utf8_log``: a loader warning with bytes that are not UTF-8."""
    if state.scenario.non_utf8_log:
        write_raw_log(b"warning: voice table caf\xe9 \xff\xfe not utf-8\n")


async def crash_or_hang(state: SimState, model_name: str, fault: ModelFault) -> None:
    """``crash``: the process exits mid-inference; ``hang``: the generation never ends."""
    if fault.crash is not None:
        await asyncio.sleep(state.scenario.generate_seconds)
        app_log.error("Fatal error in %s inference; the process is exiting", model_name)
        logging.shutdown()
        os._exit(fault.crash)
    if fault.hang:
        await asyncio.Event().wait()


def damage(wav: bytes, fault: ModelFault) -> bytes:
    """``wav = "empty"``, ``"corrupt"`` or ``"clipped"``: the finished WAV, broken."""
    if fault.wav == "empty":
        return b""
    if fault.wav == "corrupt":
        return audio.corrupt(wav)
    if fault.wav == "clipped":
        return audio.overdriven(wav)
    return wav
