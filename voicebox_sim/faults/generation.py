"""Faults that break a generation: a model that fails to fetch or load, a crash or a hang
mid-inference, a damaged WAV, log bytes that are not UTF-8 while a model loads, and a load broken by
another model loaded before it."""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Optional

from voicebox_sim.engine import audio
from voicebox_sim.faults.server import write_raw_log
from voicebox_sim.scenario import ModelFault
from voicebox_sim.state import SimState

app_log = logging.getLogger("backend.app")
progress_log = logging.getLogger("backend.utils.progress")


# The exception the real server's traceback ends in for an error text it gives (contract sections
# 4 and 10: huggingface_hub's offline errors, transformers' OSError raised from them, torch's OOM).
HUB_OFFLINE = "huggingface_hub.errors.LocalEntryNotFoundError"
DISK_CACHE_ONLY = (
    "Cannot find the requested files in the disk cache and outgoing traffic has been disabled. "
    "To enable hf.co look-ups and downloads online, set 'local_files_only' to False."
)
CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
GENERATION_FRAME = (
    "Traceback (most recent call last):\n"
    '  File "backend/services/generation.py", line 64, in run_generation\n'
    "    await load_engine_model(engine, model_size)\n"
)


def traceback_text(error: str) -> str:
    """What ``traceback.print_exc()`` prints for this error text, ending in the real exception's name."""
    if error.startswith("An error happened while trying to locate the file"):
        return f"{GENERATION_FRAME}{HUB_OFFLINE}: {error}\n"
    if error.startswith("We couldn't connect to 'https://huggingface.co'"):
        hub = '  File ".../huggingface_hub/file_download.py", line 1550, in _get_metadata_or_catch_error\n'
        return f"Traceback (most recent call last):\n{hub}{HUB_OFFLINE}: {DISK_CACHE_ONLY}\n{CAUSE}{GENERATION_FRAME}OSError: {error}\n"
    if "CUDA out of memory" in error:
        return f"{GENERATION_FRAME}torch.OutOfMemoryError: {error}\n"
    return f"{GENERATION_FRAME}RuntimeError: {error}\n"


def fail_generation(state: SimState, gen_id: str, error: str, model_name: str, download: bool) -> None:
    """The model could not be fetched (``download``) or loaded: a traceback, and the row failed."""
    progress_log.error("Marked %s as error: %s", model_name, error)
    write_raw_log(traceback_text(error).encode("utf-8"))
    if download:
        state.downloads.fail(model_name, error)
    state.store.update("generations", gen_id, status="failed", error=error)


# The real text of a model broken by another engine's load (upstream commit 6bf40bd: TADA's
# tokenizer patch broke AutoTokenizer, and Qwen loaded after TADA failed with it).
TOKENIZER_NOT_LOADED = "Tokenizer not loaded"


def broken_by_order(state: SimState, fault: ModelFault) -> Optional[str]:
    """``broken_after``: the load fails once the named model was loaded in this process."""
    if fault.broken_after is not None and fault.broken_after in state.ever_loaded:
        return TOKENIZER_NOT_LOADED
    return None


def refused_while_downloading(state: SimState, model_name: str, fault: ModelFault) -> Optional[str]:
    """``while_downloading``: the generation fails while another model's download runs (upstream
    17: Qwen 0.6B failed while 1.7B downloaded; the real download is that model's load)."""
    if fault.while_downloading is None:
        return None
    running = [d.model_name for d in state.downloads.entries.values() if d.status == "downloading" and d.model_name != model_name]
    return fault.while_downloading if running else None


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
