"""Models: /models/download, its SSE progress stream and /models/status."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any, AsyncIterator, Optional

from fastapi import APIRouter, HTTPException
from fastapi.responses import PlainTextResponse

from voicebox_sim.engine import catalogue
from voicebox_sim.engine.memory import resident
from voicebox_sim.routes.sse import event_stream
from voicebox_sim.schemas import ModelDownloadRequest, ModelStatus, ModelStatusListResponse
from voicebox_sim.state import SimState

progress_log = logging.getLogger("backend.utils.progress")


def router(state: SimState) -> APIRouter:
    api = APIRouter()

    @api.post("/models/download")
    async def trigger_model_download(request: ModelDownloadRequest):  # type: ignore[no-untyped-def]  # unannotated, as in the real server's schema
        """Trigger download of a specific model."""
        name = request.model_name
        info = catalogue.MODELS_BY_NAME.get(name)
        if info is None:
            raise HTTPException(status_code=400, detail=f"Unknown model: {name}")

        async def load_after(error: Optional[str]) -> None:
            """The real server's download is its model loader: the model ends up loaded."""
            if error is not None:
                state.downloads.fail(name, error)
                return
            if info.is_tts:
                block = await asyncio.to_thread(resident, state.scenario.fault_for(name).memory_mb)
                state.loaded = {m for m in state.loaded if not catalogue.MODELS_BY_NAME[m].is_tts}
                state.memory.load(name, block)
            state.loaded.add(name)

        state.downloads.start(name, state.scenario.fault_for(name), catalogue.engine_of(name), load_after)
        return {"message": f"Model {name} download started"}

    @api.get("/models/progress/{model_name}")
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
                            # the real progress manager writes compact JSON (contract section 4)
                            yield "data: " + json.dumps(event, separators=(",", ":")) + "\n\n"
                            if event["status"] in ("complete", "error"):
                                return
                        sent = len(entry.events)
                    # shutdown_bug: the real server's SIGTERM hangs while this stream is open.
                    if state.stopping.is_set() and not state.scenario.shutdown_bug:
                        return
                    now = time.monotonic()
                    if now - last_beat >= 1.0:  # heartbeats once a second; events as they happen
                        yield ": heartbeat\n\n"
                        last_beat = now
                    await asyncio.sleep(0.1)
            finally:
                progress_log.info("SSE client unsubscribed from %s, remaining listeners: 0", model_name)

        return event_stream(events())

    @api.get("/models/cache-dir")
    async def get_models_cache_dir():  # type: ignore[no-untyped-def]  # unannotated, as in the real server's schema
        """Get the path to the HuggingFace model cache directory."""
        return {"path": str(state.cached.folder)}

    @api.get("/models/status", response_model=ModelStatusListResponse)
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

    return api
