"""The server's own routes: /, /shutdown and /health."""

from __future__ import annotations

import os
import signal
import threading
import time

from fastapi import APIRouter

from voicebox_sim.schemas import HealthResponse
from voicebox_sim.state import SimState


def router(state: SimState) -> APIRouter:
    api = APIRouter()

    @api.get("/")
    async def root():  # type: ignore[no-untyped-def]  # unannotated, as in the real server's schema
        """Root endpoint — serves SPA index.html in Docker, JSON otherwise."""
        return {"message": "voicebox API", "version": state.version}

    @api.post("/shutdown")
    async def shutdown():  # type: ignore[no-untyped-def]  # unannotated, as in the real server's schema
        """Gracefully shutdown the server."""

        def stop_soon() -> None:
            time.sleep(0.1)
            os.kill(os.getpid(), signal.SIGTERM)

        threading.Thread(target=stop_soon, daemon=True).start()
        return {"message": "Shutting down..."}

    @api.get("/health", response_model=HealthResponse)
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

    return api
