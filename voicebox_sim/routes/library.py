"""What a user builds from generations, as the real server stores it: stories (generations laid on
tracks) and effect presets, built in and the user's (``routes/stories.py`` and
``routes/effects.py`` at v0.5.0; both since 0.3.0). The upgrade check asks a new build for them."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, HTTPException

from voicebox_sim.engine import effects
from voicebox_sim.engine.downloads import utcnow
from voicebox_sim.schemas import (
    EffectPresetCreate, EffectPresetResponse, StoryCreate, StoryDetailResponse, StoryItemCreate, StoryItemDetail, StoryResponse,
)
from voicebox_sim.state import SimState, iso
from voicebox_sim.store import Row


def seed_builtin_presets(state: SimState) -> None:
    """The built-in presets, each added once by name (``database/seed.py``)."""
    names = {p["name"] for p in state.store.all("effect_presets")}
    for preset in effects.BUILTIN_PRESETS:
        if preset["name"] not in names:
            state.store.put("effect_presets", {
                "id": str(uuid.uuid4()), "name": preset["name"], "description": preset["description"],
                "effects_chain": preset["effects_chain"], "is_builtin": True, "created_at": iso(utcnow()),
                "sort_order": preset["sort_order"],
            })


def _story(state: SimState, row: Row) -> StoryResponse:
    count = sum(1 for item in state.store.all("story_items") if item["story_id"] == row["id"])
    return StoryResponse(**row, item_count=count)


def _item(state: SimState, item: Row) -> StoryItemDetail:
    generation = state.store.get("generations", item["generation_id"]) or {}
    profile = state.store.get("profiles", str(generation.get("profile_id"))) or {}
    return StoryItemDetail(
        **item, profile_id=str(generation.get("profile_id")), profile_name=str(profile.get("name", "Unknown")),
        text=str(generation.get("text", "")), language=str(generation.get("language", "en")),
        audio_path=str(generation.get("audio_path", "")), duration=float(generation.get("duration") or 0.0),
        seed=generation.get("seed"), instruct=generation.get("instruct"), engine=generation.get("engine"),
        generation_created_at=generation.get("created_at") or item["created_at"],
        versions=generation.get("versions"), active_version_id=generation.get("active_version_id"),
    )


def router(state: SimState) -> APIRouter:
    api = APIRouter()

    @api.get("/stories", response_model=list[StoryResponse])
    async def list_stories() -> Any:
        """List all stories."""
        return [_story(state, row) for row in state.store.all("stories")]

    @api.post("/stories", response_model=StoryResponse)
    async def create_story(data: StoryCreate) -> Any:
        """Create a new story."""
        now = iso(utcnow())
        row = {"id": str(uuid.uuid4()), "name": data.name, "description": data.description, "created_at": now, "updated_at": now}
        state.store.put("stories", row)
        return _story(state, row)

    @api.get("/stories/{story_id}", response_model=StoryDetailResponse)
    async def get_story(story_id: str) -> Any:
        """Get a story with all its items."""
        row = state.store.get("stories", story_id)
        if row is None:
            raise HTTPException(status_code=404, detail="Story not found")
        items = [_item(state, item) for item in state.store.all("story_items") if item["story_id"] == story_id]
        return StoryDetailResponse(**row, items=items)

    @api.post("/stories/{story_id}/items", response_model=StoryItemDetail)
    async def add_story_item(story_id: str, data: StoryItemCreate) -> Any:
        """Add a generation to a story."""
        generation = state.store.get("generations", data.generation_id)
        if state.store.get("stories", story_id) is None or generation is None:
            raise HTTPException(status_code=404, detail="Story or generation not found")
        items = [i for i in state.store.all("story_items") if i["story_id"] == story_id]
        same = next((i for i in items if i["generation_id"] == data.generation_id), None)
        if same is not None:
            return _item(state, same)
        track = data.track if data.track is not None else 0
        if data.start_time_ms is not None:
            start = data.start_time_ms
        else:  # after the track's last item, with a 200 ms gap
            ends = [
                i["start_time_ms"] + int(float((state.store.get("generations", i["generation_id"]) or {}).get("duration") or 0) * 1000)
                for i in items if i["track"] == track
            ]
            start = max(ends) + 200 if ends else 0
        item = {
            "id": str(uuid.uuid4()), "story_id": story_id, "generation_id": data.generation_id, "version_id": None,
            "start_time_ms": start, "track": track, "trim_start_ms": 0, "trim_end_ms": 0, "volume": 1.0, "created_at": iso(utcnow()),
        }
        state.store.put("story_items", item)
        return _item(state, item)

    @api.get("/effects/presets", response_model=list[EffectPresetResponse])
    async def list_effect_presets() -> Any:
        """List all effect presets (built-in + user-created)."""
        rows = sorted(state.store.all("effect_presets"), key=lambda p: (p.get("sort_order", 100), p["name"]))
        return [EffectPresetResponse(**p) for p in rows]

    @api.get("/effects/presets/{preset_id}", response_model=EffectPresetResponse)
    async def get_effect_preset(preset_id: str) -> Any:
        """Get a specific effect preset."""
        row = state.store.get("effect_presets", preset_id)
        if row is None:
            raise HTTPException(status_code=404, detail="Preset not found")
        return EffectPresetResponse(**row)

    @api.post("/effects/presets", response_model=EffectPresetResponse)
    async def create_effect_preset(data: EffectPresetCreate) -> Any:
        """Create a new effect preset."""
        chain = [e.model_dump() for e in data.effects_chain]
        error = effects.validate_chain(chain)
        if error is None and any(p["name"] == data.name for p in state.store.all("effect_presets")):
            error = f"A preset named '{data.name}' already exists"
        if error is not None:
            raise HTTPException(status_code=400, detail=error)
        row: Row = {
            "id": str(uuid.uuid4()), "name": data.name, "description": data.description, "effects_chain": chain,
            "is_builtin": False, "created_at": iso(utcnow()), "sort_order": 100,
        }
        state.store.put("effect_presets", row)
        return EffectPresetResponse(**row)

    return api
