"""Audio channels, and which a profile plays on (``routes/channels.py``, ``services/channels.py``
and ``routes/profiles.py`` at v0.5.0, since 0.3.0). The database's start-up adds a "Default"
channel once, with every profile then present on it (``database/session.py``)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, HTTPException

from voicebox_sim.engine.downloads import utcnow
from voicebox_sim.schemas import AudioChannelCreate, AudioChannelResponse, ProfileChannelAssignment
from voicebox_sim.state import SimState, iso
from voicebox_sim.store import Row


def seed_default_channel(state: SimState) -> None:
    if any(c["is_default"] for c in state.store.all("channels")):
        return
    channel_id = str(uuid.uuid4())
    state.store.put("channels", {"id": channel_id, "name": "Default", "is_default": True, "device_ids": [], "created_at": iso(utcnow())})
    for profile in state.store.all("profiles"):
        _assign(state, profile["id"], channel_id)


def _assign(state: SimState, profile_id: str, channel_id: str) -> None:
    state.store.put("profile_channels", {"id": f"{profile_id}:{channel_id}", "profile_id": profile_id, "channel_id": channel_id})


def _channel(row: Row) -> AudioChannelResponse:
    return AudioChannelResponse(**row)


def router(state: SimState) -> APIRouter:
    api = APIRouter()

    @api.get("/channels", response_model=list[AudioChannelResponse])
    async def list_channels() -> Any:
        """List all audio channels."""
        return [_channel(row) for row in state.store.all("channels")]

    @api.post("/channels", response_model=AudioChannelResponse)
    async def create_channel(data: AudioChannelCreate) -> Any:
        """Create a new audio channel."""
        if any(c["name"] == data.name for c in state.store.all("channels")):
            raise HTTPException(status_code=400, detail=f"Channel with name '{data.name}' already exists")
        row = {"id": str(uuid.uuid4()), "name": data.name, "is_default": False, "device_ids": data.device_ids, "created_at": iso(utcnow())}
        state.store.put("channels", row)
        return _channel(row)

    @api.get("/channels/{channel_id}", response_model=AudioChannelResponse)
    async def get_channel(channel_id: str) -> Any:
        """Get an audio channel by ID."""
        row = state.store.get("channels", channel_id)
        if row is None:
            raise HTTPException(status_code=404, detail="Channel not found")
        return _channel(row)

    @api.get("/profiles/{profile_id}/channels")
    async def get_profile_channels(profile_id: str):  # type: ignore[no-untyped-def]  # unannotated, as in the real server's schema
        """Get list of channel IDs assigned to a profile."""
        return {"channel_ids": [m["channel_id"] for m in state.store.all("profile_channels") if m["profile_id"] == profile_id]}

    @api.put("/profiles/{profile_id}/channels")
    async def set_profile_channels(profile_id: str, data: ProfileChannelAssignment):  # type: ignore[no-untyped-def]  # unannotated, as in the real server's schema
        """Set which channels a profile is assigned to."""
        if state.store.get("profiles", profile_id) is None:
            raise HTTPException(status_code=400, detail=f"Profile {profile_id} not found")
        for channel_id in data.channel_ids:
            if state.store.get("channels", channel_id) is None:
                raise HTTPException(status_code=400, detail=f"Channel {channel_id} not found")
        for mapping in state.store.all("profile_channels"):
            if mapping["profile_id"] == profile_id:
                state.store.delete("profile_channels", mapping["id"])
        for channel_id in data.channel_ids:
            _assign(state, profile_id, channel_id)
        return {"message": "Profile channels updated successfully"}

    return api
