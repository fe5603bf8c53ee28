"""The simulated Voicebox HTTP API (FastAPI), with the generation queue and the faults."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import platform
import signal
import sys
import threading
import time
import uuid
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, AsyncIterator, Optional

import psutil
from fastapi import FastAPI, File, Form, HTTPException, UploadFile
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, PlainTextResponse, StreamingResponse

from voicebox_sim import VERSION, audio, catalogue, detached, hardware, speech
from voicebox_sim.downloads import Downloads, utcnow
from voicebox_sim.memory import ModelMemory, resident
from voicebox_sim.scenario import Scenario
from voicebox_sim.schemas import (
    ActiveDownloadTask,
    ActiveGenerationTask,
    ActiveTasksResponse,
    GenerationRequest,
    GenerationResponse,
    HealthResponse,
    HistoryResponse,
    ModelDownloadRequest,
    ModelStatus,
    ModelStatusListResponse,
    ProfileSampleResponse,
    VoiceProfileCreate,
    VoiceProfileResponse,
)
from voicebox_sim.store import Row, Store

app_log = logging.getLogger("backend.app")
progress_log = logging.getLogger("backend.utils.progress")
generation_log = logging.getLogger("backend.services.generation")
watchdog_log = logging.getLogger("__main__")

TERMINAL = ("completed", "failed")
SSE_HEADERS = {"Cache-Control": "no-cache", "Connection": "keep-alive", "X-Accel-Buffering": "no"}
CORS_ORIGINS = [
    "http://localhost:5173",
    "http://127.0.0.1:5173",
    "tauri://localhost",
    "https://tauri.localhost",
    "http://tauri.localhost",
]




def iso(moment: datetime) -> str:
    return moment.isoformat()


class SimState:
    """Everything one simulated server process knows."""

    def __init__(self, scenario: Scenario, data_dir: Path, parent_pid: Optional[int]) -> None:
        self.scenario = scenario
        self.data_dir = data_dir
        self.parent_pid = parent_pid
        self.hardware = hardware.detect(scenario.gpu_usable, scenario.gpu_name)
        self.cached: set[str] = set(scenario.cached_models)
        self.loaded: set[str] = set()
        self.memory = ModelMemory()
        self.downloads = Downloads(scenario, self.cached)
        self.active: dict[str, ActiveGenerationTask] = {}
        self.queue: asyncio.Queue[str] = asyncio.Queue()
        self.stopping = threading.Event()
        for sub in ("profiles", "generations", "captures", "cache", "backends"):
            (data_dir / sub).mkdir(parents=True, exist_ok=True)
        self.store = Store(data_dir / "voicebox.db")

    def vram_used_mb(self) -> Optional[float]:
        """torch.cuda.memory_allocated() in MB: null without a usable GPU, else the loaded weights."""
        if not self.hardware.gpu_available:
            return None
        return round(sum(catalogue.MODELS_BY_NAME[m].size_mb for m in self.loaded), 1)

    def begin_shutdown(self) -> None:
        self.stopping.set()


def write_raw_log(data: bytes) -> None:
    """Write bytes straight to stderr, bypassing logging (the way tracebacks and warnings land)."""
    try:
        os.write(2, data)
    except OSError:
        pass


# ----------------------------------------------------------------------------------------------
# Background threads: parent watchdog and log flood
# ----------------------------------------------------------------------------------------------


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


# ----------------------------------------------------------------------------------------------
# Generation worker
# ----------------------------------------------------------------------------------------------


class GenerationCrash(Exception):
    pass


def _fail_download(state: SimState, model_name: str, error: str) -> None:
    """A download that ended in an error stays listed, as ``error``, like the real task manager's."""
    entry = state.downloads.entries.get(model_name)
    if entry is not None:
        entry.status, entry.error = "error", error
        entry.events.append(entry.snapshot())
        progress_log.info("Download error for %s, closing SSE connection", model_name)


def _fail_with(state: SimState, gen_id: str, error: str, model_name: str, download: bool) -> None:
    progress_log.error("Marked %s as error: %s", model_name, error)
    write_raw_log(
        b"Traceback (most recent call last):\n"
        b'  File "backend/services/generation.py", line 64, in run_generation\n'
        b"    await load_engine_model(engine, model_size)\n"
        + f"RuntimeError: {error}\n".encode("utf-8")
    )
    if download:
        _fail_download(state, model_name, error)
    state.store.update("generations", gen_id, status="failed", error=error)


def reference_of(state: SimState, profile_id: str) -> Optional[speech.Reference]:
    """The profile's first reference recording and its transcript (None for a preset profile)."""
    sample = next((s for s in state.store.all("samples") if s["profile_id"] == profile_id), None)
    return None if sample is None else speech.Reference(state.data_dir / sample["audio_path"], str(sample.get("reference_text") or ""))


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
            if state.scenario.non_utf8_log:
                write_raw_log(b"warning: voice table caf\xe9 \xff\xfe not utf-8\n")
            if model_name not in state.cached or fault.fail_offline:
                error = await state.downloads.fetch(model_name, fault, engine)
                if error is not None:
                    _fail_with(state, gen_id, error, model_name, download=True)
                    return
            # The model's memory is written during its load time, off the event loop.
            weights = asyncio.ensure_future(asyncio.to_thread(resident, fault.memory_mb))
            await asyncio.sleep(state.scenario.load_seconds)
            block = await weights
            if fault.fail is not None:
                _fail_with(state, gen_id, fault.fail, model_name, download=False)
                return
            # One TTS model in memory at a time (a simplification: the real server evicts by its own rules).
            state.loaded = {m for m in state.loaded if not catalogue.MODELS_BY_NAME[m].is_tts}
            state.loaded.add(model_name)
            state.memory.load(model_name, block)
        elif fault.fail is not None:
            _fail_with(state, gen_id, fault.fail, model_name, download=False)
            return
        state.store.update("generations", gen_id, status="generating")
        if fault.crash is not None:
            await asyncio.sleep(state.scenario.generate_seconds)
            app_log.error("Fatal error in %s inference; the process is exiting", model_name)
            logging.shutdown()
            os._exit(fault.crash)
        if fault.hang:
            await asyncio.Event().wait()
        seconds = audio.speech_duration(row["text"])
        # The speech is synthesised during the model's simulated time, not after it, so a
        # generation takes the time it was told to (or the synthesis's, if that is longer).
        speaking = None if fault.wav == "silent" else asyncio.ensure_future(asyncio.to_thread(
            speech.speak, row["text"], row["language"], row["seed"], fault.speech, reference_of(state, row["profile_id"])
        ))
        leaking = asyncio.ensure_future(asyncio.to_thread(resident, fault.leak_mb_per_generation))
        await asyncio.sleep(fault.slow_seconds or (seconds * fault.rtf if fault.rtf is not None else state.scenario.generate_seconds))
        state.memory.generated(await leaking)
        spoken = None if speaking is None else await speaking
        if spoken is None:  # silence asked for, or no eSpeak NG here: the voiced buzz of the text's length
            wav = audio.synthesize(row["text"], row["seed"], silent=fault.wav == "silent")
        else:
            wav = speech.wav_bytes(spoken, seconds)
            seconds = max(seconds, round(len(spoken) / audio.SAMPLE_RATE, 3))
        if fault.wav == "empty":
            wav = b""
        elif fault.wav == "corrupt":
            wav = audio.corrupt(wav)
        relative = f"generations/{gen_id}.wav"
        (state.data_dir / relative).write_bytes(wav)
        state.store.update(
            "generations", gen_id, status="completed", audio_path=relative, duration=seconds
        )
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


# ----------------------------------------------------------------------------------------------
# The application
# ----------------------------------------------------------------------------------------------


def profile_response(state: SimState, row: Row, counts: bool) -> VoiceProfileResponse:
    data = dict(row)
    if counts:
        data["sample_count"] = sum(1 for s in state.store.all("samples") if s["profile_id"] == row["id"])
        data["generation_count"] = sum(
            1 for g in state.store.all("generations") if g["profile_id"] == row["id"]
        )
    return VoiceProfileResponse(**data)


def create_app(state: SimState) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        scenario = state.scenario
        app_log.info("Voicebox v%s starting up", VERSION)
        app_log.info("Python %s on %s %s (%s)", platform.python_version(), platform.system(), platform.release(), platform.machine())
        if scenario.non_utf8_log:
            write_raw_log(b"startup note: \xff\xfe\xfd bytes that are not UTF-8 \xe9t\xe9\n")
        if scenario.crash_before_healthy is not None:
            app_log.error("Simulated crash during start-up")
            logging.shutdown()
            os._exit(scenario.crash_before_healthy)
        await asyncio.sleep(scenario.startup_seconds)
        if scenario.never_healthy:
            app_log.info("Waiting for a resource that never comes (never_healthy)")
            await asyncio.Event().wait()
        interrupted = 0
        for row in state.store.all("generations"):
            if row["status"] in ("generating", "loading_model"):
                state.store.update("generations", row["id"], status="failed", error="Server was shut down during generation")
                interrupted += 1
        app_log.info("Database: %s", state.data_dir / "voicebox.db")
        app_log.info("Data directory: %s", state.data_dir)
        app_log.info("Profiles: %d, Generations: %d", len(state.store.all("profiles")), len(state.store.all("generations")))
        app_log.info("Backend: PYTORCH")
        app_log.info("GPU: %s", state.hardware.gpu_type or "None (CPU only)")
        app_log.info("Model cache: %s", os.environ.get("HF_HUB_CACHE", "<default Hugging Face cache>"))
        if scenario.detached_worker:
            app_log.info("Started a worker process (pid %d) outside the server's process tree", await asyncio.to_thread(detached.start_detached_worker))
        app_log.info("Ready")
        worker = asyncio.create_task(generation_worker(state))
        threads = []
        if state.parent_pid is not None and not scenario.watchdog_bug:
            threads.append(threading.Thread(target=watch_parent, args=(state,), daemon=True))
        if scenario.log_flood_mb_per_s > 0:
            threads.append(threading.Thread(target=flood_log, args=(state,), daemon=True))
        for thread in threads:
            thread.start()
        try:
            yield
        finally:
            app_log.info("Voicebox server shutting down...")
            state.begin_shutdown()
            worker.cancel()

    app = FastAPI(
        title="voicebox API",
        description="Production-quality Qwen3-TTS voice cloning API",
        version=VERSION,
        lifespan=lifespan,
    )
    app.add_middleware(
        CORSMiddleware, allow_origins=CORS_ORIGINS, allow_credentials=True, allow_methods=["*"], allow_headers=["*"]
    )

    @app.get("/")
    async def root():  # type: ignore[no-untyped-def]  # unannotated, as in the real server's schema
        """Root endpoint — serves SPA index.html in Docker, JSON otherwise."""
        return {"message": "voicebox API", "version": VERSION}

    @app.post("/shutdown")
    async def shutdown():  # type: ignore[no-untyped-def]  # unannotated, as in the real server's schema
        """Gracefully shutdown the server."""

        def stop_soon() -> None:
            time.sleep(0.1)
            os.kill(os.getpid(), signal.SIGTERM)

        threading.Thread(target=stop_soon, daemon=True).start()
        return {"message": "Shutting down..."}

    @app.get("/health", response_model=HealthResponse)
    async def health() -> HealthResponse:
        """Health check endpoint."""
        qwen_loaded = sorted(m for m in state.loaded if m.startswith("qwen-tts-"))
        return HealthResponse(
            status="healthy",
            model_loaded=bool(qwen_loaded),
            model_downloaded=True if "qwen-tts-1.7B" in state.cached else None,
            model_size=qwen_loaded[0].removeprefix("qwen-tts-") if qwen_loaded else None,
            gpu_available=state.hardware.gpu_available,
            gpu_type=state.hardware.gpu_type,
            vram_used_mb=state.vram_used_mb(),
            backend_type="pytorch",
            backend_variant=state.hardware.variant,
            supports_rocm=False,
            gpu_compatibility_warning=None,
        )

    @app.get("/profiles", response_model=list[VoiceProfileResponse])
    async def list_profiles() -> Any:
        """List all voice profiles."""
        return [profile_response(state, row, counts=True) for row in state.store.all("profiles")]

    @app.post("/profiles", response_model=VoiceProfileResponse)
    async def create_profile(data: VoiceProfileCreate) -> Any:
        """Create a new voice profile."""
        if any(p["name"] == data.name for p in state.store.all("profiles")):
            raise HTTPException(
                status_code=400,
                detail=f"A profile with the name '{data.name}' already exists. Please choose a different name.",
            )
        default_engine = data.default_engine
        if data.voice_type == "preset":
            if not data.preset_engine or not data.preset_voice_id:
                raise HTTPException(status_code=400, detail="Preset profiles require both preset_engine and preset_voice_id")
            voices = {v["voice_id"] for v in catalogue.PRESET_VOICES.get(data.preset_engine, [])}
            if data.preset_voice_id not in voices:
                raise HTTPException(
                    status_code=400,
                    detail=f"Preset voice '{data.preset_voice_id}' is not valid for engine '{data.preset_engine}'",
                )
            default_engine = data.preset_engine
        now = utcnow()
        row = {
            "id": str(uuid.uuid4()),
            "name": data.name,
            "description": data.description,
            "language": data.language,
            "avatar_path": None,
            "effects_chain": None,
            "voice_type": data.voice_type or "cloned",
            "preset_engine": data.preset_engine,
            "preset_voice_id": data.preset_voice_id,
            "design_prompt": data.design_prompt,
            "default_engine": default_engine,
            "personality": data.personality,
            "generation_count": 0,
            "sample_count": 0,
            "created_at": iso(now),
            "updated_at": iso(utcnow()),
        }
        state.store.put("profiles", row)
        return profile_response(state, row, counts=False)

    @app.get("/profiles/presets/{engine}")
    async def list_preset_voices(engine: str):  # type: ignore[no-untyped-def]  # unannotated, as in the real server's schema
        """List available preset voices for an engine."""
        return {"engine": engine, "voices": catalogue.PRESET_VOICES.get(engine, [])}

    @app.get("/profiles/{profile_id}", response_model=VoiceProfileResponse)
    async def get_profile(profile_id: str) -> Any:
        """Get a voice profile by ID."""
        row = state.store.get("profiles", profile_id)
        if row is None:
            raise HTTPException(status_code=404, detail="Profile not found")
        # The real single-profile GET leaves the counts at 0 and touches updated_at.
        row = state.store.update("profiles", profile_id, updated_at=iso(utcnow()))
        return profile_response(state, row, counts=False)

    @app.post("/profiles/{profile_id}/samples", response_model=ProfileSampleResponse)
    async def add_profile_sample(profile_id: str, file: UploadFile = File(...), reference_text: str = Form(...)) -> Any:
        """Add a sample to a voice profile."""
        if state.store.get("profiles", profile_id) is None:
            raise HTTPException(status_code=400, detail=f"Profile {profile_id} not found")
        data = await file.read()
        try:
            audio.validate_reference(data)
        except audio.ReferenceAudioError as exc:
            raise HTTPException(status_code=400, detail=f"Invalid reference audio: {exc}") from None
        sample_id = str(uuid.uuid4())
        relative = f"profiles/{profile_id}/{sample_id}.wav"
        (state.data_dir / relative).parent.mkdir(parents=True, exist_ok=True)
        (state.data_dir / relative).write_bytes(data)
        row = {"id": sample_id, "profile_id": profile_id, "audio_path": relative, "reference_text": reference_text}
        state.store.put("samples", row)
        return ProfileSampleResponse(**row)

    @app.get("/profiles/{profile_id}/samples", response_model=list[ProfileSampleResponse])
    async def get_profile_samples(profile_id: str) -> Any:
        """Get all samples for a profile."""
        return [s for s in state.store.all("samples") if s["profile_id"] == profile_id]

    @app.post("/generate", response_model=GenerationResponse)
    async def generate_speech(data: GenerationRequest) -> Any:
        """Generate speech from text using a voice profile."""
        if state.scenario.generate_http_500:
            return PlainTextResponse("Internal Server Error", status_code=500)
        profile = state.store.get("profiles", data.profile_id)
        if profile is None:
            raise HTTPException(status_code=404, detail="Profile not found")
        engine = data.engine or "qwen"
        if profile["voice_type"] == "preset":
            if engine != profile["preset_engine"]:
                raise HTTPException(
                    status_code=400,
                    detail=f"Preset profile {profile['id']} only supports engine '{profile['preset_engine']}', not '{engine}'",
                )
        elif engine in catalogue.PRESET_ONLY_ENGINES:
            raise HTTPException(status_code=400, detail=f"Engine '{engine}' does not support cloned voice profiles")
        row = {
            "id": str(uuid.uuid4()),
            "profile_id": profile["id"],
            "text": data.text,
            "language": data.language,
            "audio_path": "",
            "duration": 0.0,
            "seed": data.seed,
            "instruct": data.instruct,
            "engine": engine,
            "model_size": catalogue.resolve_model_size(engine, data.model_size),
            "status": "generating",
            "error": None,
            "is_favorited": False,
            "source": "manual",
            "created_at": iso(utcnow()),
            "versions": None,
            "active_version_id": None,
        }
        state.store.put("generations", row)
        state.queue.put_nowait(row["id"])
        return GenerationResponse(**row)

    @app.get("/generate/{generation_id}/status")
    async def get_generation_status(generation_id: str):  # type: ignore[no-untyped-def]  # unannotated, as in the real server's schema
        """SSE endpoint that streams generation status updates."""

        async def events() -> AsyncIterator[str]:
            sent = 0
            while True:
                row = state.store.get("generations", generation_id)
                if row is None:
                    yield "data: " + json.dumps({"status": "not_found", "id": generation_id}) + "\n\n"
                    return
                fault = state.scenario.fault_for(catalogue.model_name_for(row["engine"], row["model_size"]))
                terminal = row["status"] in TERMINAL
                if fault.sse == "malformed" and not terminal:
                    yield 'data: {"id": "' + generation_id + '", "status": \n\n'
                    return
                payload = {k: row[k] for k in ("id", "status", "duration", "error", "source")}
                yield "data: " + json.dumps(payload) + "\n\n"
                sent += 1
                if terminal:
                    return
                if fault.sse == "drop":
                    return
                if fault.sse == "stall":
                    while not state.stopping.is_set():
                        await asyncio.sleep(0.2)
                    return
                await asyncio.sleep(state.scenario.status_poll_seconds)

        return StreamingResponse(events(), media_type="text/event-stream", headers=SSE_HEADERS)

    @app.get("/history/{generation_id}", response_model=HistoryResponse)
    async def get_generation(generation_id: str) -> Any:
        """Get a generation by ID."""
        row = state.store.get("generations", generation_id)
        if row is None:
            raise HTTPException(status_code=404, detail="Generation not found")
        profile = state.store.get("profiles", row["profile_id"]) or {"name": ""}
        return HistoryResponse(profile_name=profile["name"], **{k: v for k, v in row.items() if k != "source"})

    @app.get("/audio/{generation_id}")
    async def get_audio(generation_id: str):  # type: ignore[no-untyped-def]  # unannotated, as in the real server's schema
        """Serve generated audio file (serves the default version)."""
        row = state.store.get("generations", generation_id)
        if row is None:
            raise HTTPException(status_code=404, detail="Generation not found")
        path = state.data_dir / row["audio_path"] if row["audio_path"] else None
        if path is None or not path.is_file():
            raise HTTPException(status_code=404, detail="Audio file not found")
        return FileResponse(path, media_type="audio/x-wav", filename=f"generation_{generation_id}.wav")

    @app.get("/tasks/active", response_model=ActiveTasksResponse)
    async def get_active_tasks() -> Any:
        """Return all currently active downloads and generations."""
        downloads = [
            ActiveDownloadTask(
                model_name=d.model_name,
                status=d.status,
                started_at=d.started_at,
                error=d.error,
                progress=d.progress,
                current=d.current,
                total=d.total,
                filename=d.filename,
            )
            for d in state.downloads.entries.values()
        ]
        return ActiveTasksResponse(downloads=downloads, generations=list(state.active.values()))

    @app.post("/models/download")
    async def trigger_model_download(request: ModelDownloadRequest):  # type: ignore[no-untyped-def]  # unannotated, as in the real server's schema
        """Trigger download of a specific model."""
        name = request.model_name
        info = catalogue.MODELS_BY_NAME.get(name)
        if info is None:
            raise HTTPException(status_code=400, detail=f"Unknown model: {name}")

        async def load_after(error: Optional[str]) -> None:
            """The real server's download is its model loader: the model ends up loaded."""
            if error is not None:
                _fail_download(state, name, error)
                return
            if info.is_tts:
                block = await asyncio.to_thread(resident, state.scenario.fault_for(name).memory_mb)
                state.loaded = {m for m in state.loaded if not catalogue.MODELS_BY_NAME[m].is_tts}
                state.memory.load(name, block)
            state.loaded.add(name)

        state.downloads.start(name, state.scenario.fault_for(name), catalogue.engine_of(name), load_after)
        return {"message": f"Model {name} download started"}

    @app.get("/models/progress/{model_name}")
    async def get_model_progress(model_name: str):  # type: ignore[no-untyped-def]  # unannotated, as in the real server's schema
        """Get model download progress via Server-Sent Events."""

        async def events() -> AsyncIterator[str]:
            progress_log.info("SSE client subscribed to %s, total listeners: 1", model_name)
            entry = state.downloads.entries.get(model_name)
            if entry is None:
                progress_log.info("No initial progress available for %s", model_name)
            sent = 0
            last_beat = 0.0
            try:
                while True:
                    entry = state.downloads.entries.get(model_name) or entry
                    if entry is not None:
                        for event in entry.events[sent:]:
                            yield "data: " + json.dumps(event) + "\n\n"
                            if event["status"] in ("complete", "error"):
                                return
                        sent = len(entry.events)
                    if state.stopping.is_set() and not state.scenario.shutdown_bug:
                        return
                    now = time.monotonic()
                    if now - last_beat >= 1.0:  # heartbeats once a second; events as they happen
                        yield ": heartbeat\n\n"
                        last_beat = now
                    await asyncio.sleep(0.1)
            finally:
                progress_log.info("SSE client unsubscribed from %s, remaining listeners: 0", model_name)

        return StreamingResponse(events(), media_type="text/event-stream", headers=SSE_HEADERS)

    @app.get("/models/status", response_model=ModelStatusListResponse)
    async def get_model_status() -> Any:
        """Get status of all available models."""
        if state.scenario.models_status_http_500:
            return PlainTextResponse("Internal Server Error", status_code=500)
        models = []
        for info in catalogue.MODELS:
            downloaded = info.model_name in state.cached
            models.append(
                ModelStatus(
                    model_name=info.model_name,
                    display_name=info.display_name,
                    hf_repo_id=info.hf_repo_id,
                    downloaded=downloaded,
                    # The real server counts every download entry, errors included (contract §3).
                    downloading=info.model_name in state.downloads.entries,
                    size_mb=info.size_mb if downloaded else None,
                    loaded=info.model_name in state.loaded,
                )
            )
        return ModelStatusListResponse(models=models)

    return app
