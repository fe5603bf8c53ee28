"""A generation's audio versions (``routes/effects.py`` and ``routes/audio.py`` at v0.5.0, since
0.3.0): list them, apply an effects chain as a new version, choose the default, serve one's audio.
What a version is lives in ``engine/versions.py``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

from voicebox_sim.engine import effects, storage, versions
from voicebox_sim.schemas import ApplyEffectsRequest, GenerationVersionResponse
from voicebox_sim.state import SimState


def router(state: SimState) -> APIRouter:
    api = APIRouter()

    @api.get("/audio/version/{version_id}")
    async def get_version_audio(version_id: str):  # type: ignore[no-untyped-def]  # unannotated, as in the real server's schema
        """Serve audio for a specific version."""
        version = state.store.get("versions", version_id)
        if version is None:
            raise HTTPException(status_code=404, detail="Version not found")
        path = storage.resolve(state.scenario, state.data_dir, version["audio_path"])
        if not path.is_file():
            raise HTTPException(status_code=404, detail="Audio file not found")
        return FileResponse(path, media_type="audio/x-wav", filename=f"generation_{version['generation_id']}_{version['label']}.wav")

    @api.get("/generations/{generation_id}/versions", response_model=list[GenerationVersionResponse])
    async def list_generation_versions(generation_id: str) -> Any:
        """List all versions for a generation."""
        if state.store.get("generations", generation_id) is None:
            raise HTTPException(status_code=404, detail="Generation not found")
        return versions.listed(state, generation_id)

    @api.post("/generations/{generation_id}/versions/apply-effects", response_model=GenerationVersionResponse)
    async def apply_effects_to_generation(generation_id: str, data: ApplyEffectsRequest) -> Any:
        """Apply an effects chain to an existing generation, creating a new version."""
        generation = state.store.get("generations", generation_id)
        if generation is None:
            raise HTTPException(status_code=404, detail="Generation not found")
        if (generation.get("status") or "completed") != "completed":
            raise HTTPException(status_code=400, detail="Generation is not completed")
        chain = [e.model_dump() for e in data.effects_chain]
        error = effects.validate_chain(chain)
        if error:
            raise HTTPException(status_code=400, detail=error)
        existing = versions.listed(state, generation_id)
        source_id = data.source_version_id
        if source_id:
            source = next((v for v in existing if v["id"] == source_id), None)
            if source is None:
                raise HTTPException(status_code=404, detail="Source version not found")
            source_path = source["audio_path"]
        else:
            clean = next((v for v in existing if v["effects_chain"] is None), None)
            source_path = generation["audio_path"] if clean is None else clean["audio_path"]
            source_id = None if clean is None else clean["id"]
        if not source_path or not storage.resolve(state.scenario, state.data_dir, source_path).is_file():
            raise HTTPException(status_code=404, detail="Source audio file not found")
        name = f"{generation_id}_{len(existing) + 1:08d}"
        path = versions.processed(state, source_path, chain, name)
        return versions.create(
            state, generation_id, data.label or f"version-{len(existing) + 1}", path,
            chain=chain, is_default=data.set_as_default, source_version_id=source_id,
        )

    @api.put("/generations/{generation_id}/versions/{version_id}/set-default", response_model=GenerationVersionResponse)
    async def set_default_version(generation_id: str, version_id: str) -> Any:
        """Set a specific version as the default for a generation."""
        version = state.store.get("versions", version_id)
        if version is None or version["generation_id"] != generation_id:
            raise HTTPException(status_code=404, detail="Version not found")
        return versions.set_default(state, version)

    return api
