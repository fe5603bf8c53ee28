"""The generation queue: one job at a time, in order, from model load to finished WAV."""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Optional

from voicebox_sim.engine import audio, catalogue, hub, speech, storage, versions
from voicebox_sim.engine.downloads import utcnow
from voicebox_sim.engine.memory import resident
from voicebox_sim.faults import generation as faults
from voicebox_sim.faults.references import reference_effect
from voicebox_sim.schemas import ActiveGenerationTask
from voicebox_sim.state import SimState

generation_log = logging.getLogger("backend.services.generation")


def reference_of(state: SimState, profile_id: str) -> Optional[speech.Reference]:
    """The profile's samples joined into one reference, as the real server joins them (None for a
    preset profile)."""
    samples = [
        speech.Reference(storage.resolve(state.scenario, state.data_dir, s["audio_path"]), str(s.get("reference_text") or ""))
        for s in state.store.all("samples") if s["profile_id"] == profile_id
    ]
    return None if not samples else speech.joined(samples, state.data_dir / "cache")


def profile_field(state: SimState, profile_id: str, name: str) -> Optional[str]:
    profile = state.store.get("profiles", profile_id)
    return None if profile is None else profile.get(name)


async def run_generation(state: SimState, gen_id: str) -> None:
    row = state.store.get("generations", gen_id)
    if row is None:
        return
    engine, size = row["engine"], row["model_size"]
    model_name = catalogue.model_name_for(engine, size)
    fault = state.scenario.fault_for(model_name)
    state.active[gen_id] = ActiveGenerationTask(
        task_id=gen_id, profile_id=row["profile_id"], text_preview=row["text"][:50], started_at=utcnow()
    )
    try:
        if model_name not in state.loaded:
            state.store.update("generations", gen_id, status="loading_model")
            logger_name, message = catalogue.LOADER_LOGS[engine]
            logging.getLogger(logger_name).info(message.format(size=size, device=state.hardware.device))
            faults.loading_log(state)
            if model_name not in state.cached or fault.fail_offline:
                error = await state.downloads.fetch(model_name, fault, engine)
                if error is not None:
                    faults.fail_generation(state, gen_id, error, model_name, download=True)
                    return
            elif state.scenario.cached_load == "hub":  # the real 0.5.0: the hub first, then the cache
                await asyncio.to_thread(
                    hub.ask_for_files, model_name, os.environ, state.scenario.hub_backoff_scale, state.scenario.hub_timeout_seconds
                )
            # The model's memory is written during its load time, off the event loop.
            weights = asyncio.ensure_future(asyncio.to_thread(resident, fault.memory_mb))
            await asyncio.sleep(state.scenario.load_seconds)
            block = await weights
            error = fault.fail or faults.broken_by_order(state, fault)
            if error is not None:
                faults.fail_generation(state, gen_id, error, model_name, download=False)
                return
            # One TTS model in memory at a time (a simplification: the real server evicts by its own rules).
            state.loaded = {m for m in state.loaded if not catalogue.MODELS_BY_NAME[m].is_tts}
            state.loaded.add(model_name)
            state.ever_loaded.add(model_name)
            state.memory.load(model_name, block)
        elif fault.fail is not None:
            faults.fail_generation(state, gen_id, fault.fail, model_name, download=False)
            return
        reference = reference_of(state, row["profile_id"])
        effect = reference_effect(fault, reference, profile_field(state, row["profile_id"], "language") or "en")
        error = effect.error or faults.refused_while_downloading(state, model_name, fault)
        if error is not None:
            faults.fail_generation(state, gen_id, error, model_name, download=False)
            return
        state.store.update("generations", gen_id, status="generating")
        await faults.crash_or_hang(state, model_name, fault)
        # The speech is synthesised during the model's simulated time, not after it, so a
        # generation takes the time it was told to (or the synthesis's, if that is longer); an
        # ``rtf`` is held against the length of the speech made.
        began = asyncio.get_running_loop().time()
        speaking = None if fault.wav == "silent" else asyncio.ensure_future(asyncio.to_thread(
            speech.speak, row["text"], row["language"], row["seed"], effect.speech or fault.speech, reference,
            effect.voice or fault.voice, fault.language, profile_field(state, row["profile_id"], "preset_voice_id"),
            row.get("max_chunk_chars") or 800, row.get("crossfade_ms", 50), fault.chunks, fault.falloff,
        ))
        leaking = asyncio.ensure_future(asyncio.to_thread(resident, fault.leak_mb_per_generation))
        if fault.rtf is None:
            await asyncio.sleep(fault.slow_seconds or state.scenario.generate_seconds)
        spoken = None if speaking is None else await speaking
        if spoken is None:  # silence asked for, or no eSpeak NG here: the voiced buzz of the text's length
            wav = audio.synthesize(row["text"], row["seed"], silent=fault.wav == "silent")
            seconds = audio.speech_duration(row["text"])
        else:  # the speech as made, as long as it is (the real server pads nothing)
            wav = audio.pcm_wav(spoken)
            seconds = round(len(spoken) / audio.SAMPLE_RATE, 3)
        if fault.rtf is not None:
            await asyncio.sleep(max(0.0, seconds * fault.rtf - (asyncio.get_running_loop().time() - began)))
        state.memory.generated(await leaking)
        wav = faults.damage(wav, fault)
        relative = f"generations/{gen_id}.wav"
        (state.data_dir / relative).write_bytes(wav)
        clean = storage.stored(state.scenario, relative)
        state.store.update("generations", gen_id, status="completed", audio_path=clean, duration=seconds)
        chain = row.get("effects_chain") or (state.store.get("profiles", row["profile_id"]) or {}).get("effects_chain")
        versions.finished(state, gen_id, clean, chain)
    finally:
        state.active.pop(gen_id, None)


async def generation_worker(state: SimState) -> None:
    """One job at a time, in order, like the real server's serial queue."""
    while True:
        gen_id = await state.queue.get()
        try:
            await run_generation(state, gen_id)
        except Exception as exc:  # a bug in the simulator must not stop the queue
            generation_log.exception("Generation %s failed", gen_id)
            state.store.update("generations", gen_id, status="failed", error=str(exc))
