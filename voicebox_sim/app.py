"""The simulated Voicebox HTTP API: the FastAPI app, its start-up and shut-down, and its routers."""

from __future__ import annotations

import asyncio
import logging
import platform
from contextlib import asynccontextmanager
from typing import AsyncIterator

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from voicebox_sim import VERSION
from voicebox_sim.engine.worker import generation_worker
from voicebox_sim.faults import server as server_faults
from voicebox_sim.routes import captures, channels, generation, library, models, profiles, settings, system, versions
from voicebox_sim.state import SimState

__all__ = ["SimState", "create_app"]

app_log = logging.getLogger("backend.app")

CORS_ORIGINS = [
    "http://localhost:5173",
    "http://127.0.0.1:5173",
    "tauri://localhost",
    "https://tauri.localhost",
    "http://tauri.localhost",
]


def create_app(state: SimState) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        scenario = state.scenario
        app_log.info("Voicebox v%s starting up", state.version)
        app_log.info("Python %s on %s %s (%s)", platform.python_version(), platform.system(), platform.release(), platform.machine())
        server_faults.at_start(scenario)
        await asyncio.sleep(scenario.startup_seconds)
        await server_faults.hold_if_never_healthy(scenario)
        for row in state.store.all("generations"):
            if row["status"] in ("generating", "loading_model"):
                state.store.update("generations", row["id"], status="failed", error="Server was shut down during generation")
        library.seed_builtin_presets(state)
        channels.seed_default_channel(state)
        app_log.info("Database: %s", state.data_dir / "voicebox.db")
        app_log.info("Data directory: %s", state.data_dir)
        app_log.info("Profiles: %d, Generations: %d", len(state.store.all("profiles")), len(state.store.all("generations")))
        app_log.info("Backend: PYTORCH")
        app_log.info("GPU: %s", state.hardware.gpu_type or "None (CPU only)")
        app_log.info("Model cache: %s", state.cached.folder)
        await server_faults.detach_worker_if_asked(scenario)
        app_log.info("Ready")
        worker = asyncio.create_task(generation_worker(state))
        server_faults.start_threads(state)
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
    # In this order: FastAPI matches routes in the order they are registered.
    for routes in (system, profiles, generation, versions, models, library, channels, settings, captures):
        app.include_router(routes.router(state))
    return app
