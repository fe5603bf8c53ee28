"""Voice profiles, their reference samples and the preset voices: /profiles..."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, File, Form, HTTPException, UploadFile
from fastapi.responses import FileResponse

from voicebox_sim.engine import audio, catalogue, effects, images, storage
from voicebox_sim.engine.downloads import utcnow
from voicebox_sim.schemas import ProfileEffectsUpdate, ProfileSampleResponse, VoiceProfileCreate, VoiceProfileResponse
from voicebox_sim.state import SimState, iso
from voicebox_sim.store import Row


def profile_response(state: SimState, row: Row, counts: bool) -> VoiceProfileResponse:
    data = dict(row)
    if counts:
        data["sample_count"] = sum(1 for s in state.store.all("samples") if s["profile_id"] == row["id"])
        data["generation_count"] = sum(
            1 for g in state.store.all("generations") if g["profile_id"] == row["id"]
        )
    return VoiceProfileResponse(**data)


def router(state: SimState) -> APIRouter:
    api = APIRouter()

    @api.get("/profiles", response_model=list[VoiceProfileResponse])
    async def list_profiles() -> Any:
        """List all voice profiles."""
        return [profile_response(state, row, counts=True) for row in state.store.all("profiles")]

    @api.post("/profiles", response_model=VoiceProfileResponse)
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

    # Before /profiles/{profile_id}, or "presets" would be taken for a profile id.
    @api.get("/profiles/presets/{engine}")
    async def list_preset_voices(engine: str):  # type: ignore[no-untyped-def]  # unannotated, as in the real server's schema
        """List available preset voices for an engine."""
        return {"engine": engine, "voices": catalogue.PRESET_VOICES.get(engine, [])}

    @api.get("/profiles/{profile_id}", response_model=VoiceProfileResponse)
    async def get_profile(profile_id: str) -> Any:
        """Get a voice profile by ID."""
        row = state.store.get("profiles", profile_id)
        if row is None:
            raise HTTPException(status_code=404, detail="Profile not found")
        # The real single-profile GET leaves the counts at 0 and touches updated_at.
        row = state.store.update("profiles", profile_id, updated_at=iso(utcnow()))
        return profile_response(state, row, counts=False)

    @api.put("/profiles/{profile_id}/effects", response_model=VoiceProfileResponse)
    async def update_profile_effects(profile_id: str, data: ProfileEffectsUpdate) -> Any:
        """Set or clear the default effects chain for a voice profile."""
        if state.store.get("profiles", profile_id) is None:
            raise HTTPException(status_code=404, detail="Profile not found")
        chain = None if data.effects_chain is None else [e.model_dump() for e in data.effects_chain]
        error = None if chain is None else effects.validate_chain(chain)
        if error is not None:
            raise HTTPException(status_code=400, detail=error)
        row = state.store.update("profiles", profile_id, effects_chain=chain, updated_at=iso(utcnow()))
        return profile_response(state, row, counts=False)

    @api.post("/profiles/{profile_id}/samples", response_model=ProfileSampleResponse)
    async def add_profile_sample(profile_id: str, file: UploadFile = File(...), reference_text: str = Form(...)) -> Any:
        """Add a sample to a voice profile."""
        if state.store.get("profiles", profile_id) is None:
            raise HTTPException(status_code=400, detail=f"Profile {profile_id} not found")
        data = await file.read()
        try:
            stored = audio.validate_reference(data)
        except audio.ReferenceAudioError as exc:
            raise HTTPException(status_code=400, detail=f"Invalid reference audio: {exc}") from None
        sample_id = str(uuid.uuid4())
        relative = f"profiles/{profile_id}/{sample_id}.wav"
        (state.data_dir / relative).parent.mkdir(parents=True, exist_ok=True)
        (state.data_dir / relative).write_bytes(stored)
        row = {"id": sample_id, "profile_id": profile_id, "audio_path": storage.stored(state.scenario, relative), "reference_text": reference_text}
        state.store.put("samples", row)
        return ProfileSampleResponse(**row)

    @api.post("/profiles/{profile_id}/avatar", response_model=VoiceProfileResponse)
    async def upload_profile_avatar(profile_id: str, file: UploadFile = File(...)) -> Any:
        """Upload or update avatar image for a profile."""
        data = await file.read()
        if state.store.get("profiles", profile_id) is None:
            raise HTTPException(status_code=400, detail=f"Profile {profile_id} not found")
        try:
            extension = images.avatar_extension(data, file.filename or "upload")
        except images.ImageError as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from None
        relative = f"profiles/{profile_id}/avatar{extension}"
        (state.data_dir / relative).parent.mkdir(parents=True, exist_ok=True)
        (state.data_dir / relative).write_bytes(data)
        row = state.store.update("profiles", profile_id, avatar_path=storage.stored(state.scenario, relative), updated_at=iso(utcnow()))
        return profile_response(state, row, counts=False)

    @api.get("/profiles/{profile_id}/avatar")
    async def get_profile_avatar(profile_id: str):  # type: ignore[no-untyped-def]  # unannotated, as in the real server's schema
        """Get avatar image for a profile."""
        profile = state.store.get("profiles", profile_id)
        if profile is None:
            raise HTTPException(status_code=404, detail="Profile not found")
        if not profile.get("avatar_path"):
            raise HTTPException(status_code=404, detail="No avatar found for this profile")
        path = storage.resolve(state.scenario, state.data_dir, profile["avatar_path"])
        if not path.is_file():
            raise HTTPException(status_code=404, detail="Avatar file not found")
        return FileResponse(path)

    @api.get("/profiles/{profile_id}/samples", response_model=list[ProfileSampleResponse])
    async def get_profile_samples(profile_id: str) -> Any:
        """Get all samples for a profile."""
        return [s for s in state.store.all("samples") if s["profile_id"] == profile_id]

    return api
