"""Generations: /generate, its SSE status stream (and its ``sse`` faults), /history (with each
generation's versions, and the favourite toggle), /audio and /tasks/active."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any, AsyncIterator, Optional

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, PlainTextResponse

from voicebox_sim.engine import catalogue, storage, versions
from voicebox_sim.engine.downloads import utcnow
from voicebox_sim.routes.sse import event_stream
from voicebox_sim.schemas import (
    HistoryListResponse,
    ActiveDownloadTask,
    ActiveTasksResponse,
    GenerationRequest,
    GenerationVersionResponse,
    GenerationResponse,
    HistoryResponse,
)
from voicebox_sim.state import SimState, iso

TERMINAL = ("completed", "failed")


def router(state: SimState) -> APIRouter:
    api = APIRouter()

    @api.post("/generate", response_model=GenerationResponse)
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
            "max_chunk_chars": data.max_chunk_chars,  # (kept for the worker; not in the history's answer)
            "crossfade_ms": data.crossfade_ms,
            "effects_chain": None if data.effects_chain is None else [e.model_dump() for e in data.effects_chain],
        }
        state.store.put("generations", row)
        state.queue.put_nowait(row["id"])
        return GenerationResponse(**row)

    @api.get("/generate/{generation_id}/status")
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

        return event_stream(events())

    @api.get("/history", response_model=HistoryListResponse)
    async def list_history(profile_id: Optional[str] = None, search: Optional[str] = None, limit: int = 50, offset: int = 0) -> Any:
        """List generation history with optional filters."""
        rows = [r for r in reversed(state.store.all("generations")) if profile_id is None or r["profile_id"] == profile_id]
        if search:
            rows = [r for r in rows if search.lower() in str(r.get("text", "")).lower()]
        names = {p["id"]: p["name"] for p in state.store.all("profiles")}
        items = []
        for r in rows[offset:offset + limit]:
            listed, active = versions.for_history(state, r["id"])
            fields = {k: v for k, v in r.items() if k not in ("source", "versions", "active_version_id")}
            items.append(HistoryResponse(
                profile_name=names.get(r["profile_id"], ""), active_version_id=active, **fields,
                versions=None if listed is None else [GenerationVersionResponse(**v) for v in listed],
            ))
        return HistoryListResponse(items=items, total=len(rows))

    @api.get("/samples/{sample_id}")
    async def get_sample_audio(sample_id: str):  # type: ignore[no-untyped-def]  # unannotated, as in the real server's schema
        """Serve profile sample audio file."""
        sample = state.store.get("samples", sample_id)
        if sample is None:
            raise HTTPException(status_code=404, detail="Sample not found")
        path = storage.resolve(state.scenario, state.data_dir, sample["audio_path"])
        if not path.is_file():
            raise HTTPException(status_code=404, detail="Audio file not found")
        return FileResponse(path, media_type="audio/wav", filename=f"sample_{sample_id}.wav")

    @api.get("/history/{generation_id}", response_model=HistoryResponse)
    async def get_generation(generation_id: str) -> Any:
        """Get a generation by ID."""
        row = state.store.get("generations", generation_id)
        if row is None:
            raise HTTPException(status_code=404, detail="Generation not found")
        profile = state.store.get("profiles", row["profile_id"]) or {"name": ""}
        return HistoryResponse(profile_name=profile["name"], **{k: v for k, v in row.items() if k != "source"})

    @api.post("/history/{generation_id}/favorite")
    async def toggle_favorite(generation_id: str):  # type: ignore[no-untyped-def]  # unannotated, as in the real server's schema
        """Toggle the favorite status of a generation."""
        row = state.store.get("generations", generation_id)
        if row is None:
            raise HTTPException(status_code=404, detail="Generation not found")
        row = state.store.update("generations", generation_id, is_favorited=not row.get("is_favorited"))
        return {"is_favorited": row["is_favorited"]}

    @api.get("/audio/{generation_id}")
    async def get_audio(generation_id: str):  # type: ignore[no-untyped-def]  # unannotated, as in the real server's schema
        """Serve generated audio file (serves the default version)."""
        row = state.store.get("generations", generation_id)
        if row is None:
            raise HTTPException(status_code=404, detail="Generation not found")
        path = storage.resolve(state.scenario, state.data_dir, row["audio_path"]) if row["audio_path"] else None
        if path is None or not path.is_file():
            raise HTTPException(status_code=404, detail="Audio file not found")
        return FileResponse(path, media_type="audio/x-wav", filename=f"generation_{generation_id}.wav")

    @api.get("/tasks/active", response_model=ActiveTasksResponse)
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

    return api
