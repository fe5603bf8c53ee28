"""What 0.5.0 added for the user to keep: the capture and generation settings (one row each,
created with the defaults when first read; ``routes/settings.py``, ``services/settings.py``) and
the MCP clients' voice bindings (``routes/mcp_bindings.py``). A simulator playing an earlier
release (``version`` below 0.5.0) has none of these routes: they answer 404, as 0.4.5's would."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel

from voicebox_sim.schemas import (
    CaptureSettingsResponse, CaptureSettingsUpdate, GenerationSettingsResponse, GenerationSettingsUpdate,
    MCPClientBindingListResponse, MCPClientBindingResponse, MCPClientBindingUpsert,
)
from voicebox_sim.state import SimState, iso

SINCE = (0, 5, 0)


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("-")[0].split(".")[:3] if part.isdigit())


def settings_of(state: SimState, which: str, model: type[BaseModel]) -> dict[str, Any]:
    row = state.store.get("settings", which)
    if row is None:
        row = {"id": which, **model().model_dump()}
        state.store.put("settings", row)
    return row


def _update(state: SimState, which: str, model: type[BaseModel], patch: dict[str, Any]) -> dict[str, Any]:
    """The patch's fields set, a None kept only where the field may be None (``_apply_patch``)."""
    row = settings_of(state, which, model)
    nullable = {name for name, field in model.model_fields.items() if field.default is None}
    row.update({k: v for k, v in patch.items() if k in model.model_fields and (v is not None or k in nullable)})
    state.store.put("settings", row)
    return row


def since_0_5(state: SimState) -> Any:
    """A router dependency: 404 for every route when the simulator plays a release before 0.5.0."""
    async def released() -> None:
        if _release(state.version) < SINCE:
            raise HTTPException(status_code=404, detail="Not Found")
    return Depends(released)


def router(state: SimState) -> APIRouter:
    api = APIRouter(dependencies=[since_0_5(state)])
    settings = APIRouter(prefix="/settings", tags=["settings"])

    @settings.get("/captures", response_model=CaptureSettingsResponse)
    async def get_capture_settings_endpoint() -> Any:
        return settings_of(state, "captures", CaptureSettingsResponse)

    @settings.put("/captures", response_model=CaptureSettingsResponse)
    async def update_capture_settings_endpoint(patch: CaptureSettingsUpdate) -> Any:
        return _update(state, "captures", CaptureSettingsResponse, patch.model_dump(exclude_unset=True))

    @settings.get("/generation", response_model=GenerationSettingsResponse)
    async def get_generation_settings_endpoint() -> Any:
        return settings_of(state, "generation", GenerationSettingsResponse)

    @settings.put("/generation", response_model=GenerationSettingsResponse)
    async def update_generation_settings_endpoint(patch: GenerationSettingsUpdate) -> Any:
        return _update(state, "generation", GenerationSettingsResponse, patch.model_dump(exclude_unset=True))

    @api.get("/mcp/bindings", response_model=MCPClientBindingListResponse)
    async def list_mcp_bindings() -> Any:
        rows = sorted(state.store.all("mcp_bindings"), key=lambda r: r["client_id"])
        return MCPClientBindingListResponse(items=[MCPClientBindingResponse(**r) for r in rows])

    @api.put("/mcp/bindings", response_model=MCPClientBindingResponse)
    async def upsert_mcp_binding(data: MCPClientBindingUpsert) -> Any:
        """Create-or-update a binding. Matches by client_id."""
        now = iso(datetime.now(timezone.utc))
        row = state.store.get("mcp_bindings", data.client_id) or {"id": data.client_id, "created_at": now, "last_seen_at": None}
        row.update(data.model_dump(), updated_at=now)
        state.store.put("mcp_bindings", row)
        return MCPClientBindingResponse(**row)

    api.include_router(settings)
    return api
