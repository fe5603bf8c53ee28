"""Captures, 0.5.0's voice input (``routes/captures.py`` and ``services/captures.py`` at v0.5.0):
an uploaded recording kept under ``captures/<id>.<ext>`` with its transcript, and whether the
speech-to-text and LLM models the capture settings name are downloaded (``/capture/readiness``).

The simulator does not transcribe: a capture's ``transcript_raw`` is empty, and one whose
speech-to-text model is not in the cache is refused with a 500 (the real server would try to
download the model). A simulator playing a release before 0.5.0 has none of these routes.
"""

from __future__ import annotations

import io
import uuid
import wave
from pathlib import PurePath
from typing import Any, Optional

from fastapi import APIRouter, File, Form, HTTPException, UploadFile
from fastapi.responses import FileResponse

from voicebox_sim.engine import catalogue, storage
from voicebox_sim.engine.downloads import utcnow
from voicebox_sim.routes.settings import settings_of, since_0_5
from voicebox_sim.schemas import (
    CaptureCreateResponse, CaptureListResponse, CaptureReadinessResponse, CaptureResponse, CaptureSettingsResponse, ModelReadiness,
)
from voicebox_sim.state import SimState, iso

VALID_SOURCES = {"dictation", "recording", "file"}
SUFFIXES = (".wav", ".mp3", ".m4a", ".flac", ".ogg", ".webm")


def stt_model_name(size: str) -> str:
    return f"whisper-{size}"


def llm_model_name(size: str) -> str:
    return f"qwen3-{size.lower()}"


def _readiness(state: SimState, model_name: str, size: str) -> ModelReadiness:
    info = catalogue.MODELS_BY_NAME[model_name]
    return ModelReadiness(ready=model_name in state.cached, model_name=model_name, display_name=info.display_name, size=size, size_mb=int(info.size_mb) or None)


def _duration_ms(data: bytes) -> Optional[int]:
    try:
        with wave.open(io.BytesIO(data)) as wav:
            return int(wav.getnframes() / wav.getframerate() * 1000)
    except (wave.Error, EOFError, ZeroDivisionError):
        return None


def router(state: SimState) -> APIRouter:
    api = APIRouter(dependencies=[since_0_5(state)])

    @api.post("/captures", response_model=CaptureCreateResponse)
    async def create_capture_endpoint(
        file: UploadFile = File(...), source: str = Form("file"), language: str | None = Form(None), stt_model: str | None = Form(None),
    ) -> Any:
        """Upload audio, run STT, persist the capture."""
        data = await file.read()
        if not data:
            raise HTTPException(status_code=400, detail="Uploaded file is empty")
        saved = settings_of(state, "captures", CaptureSettingsResponse)
        resolved_stt = stt_model or saved["stt_model"]
        wanted = language if language is not None else saved["language"]
        resolved_language = None if wanted == "auto" else wanted
        if source not in VALID_SOURCES:
            raise HTTPException(status_code=400, detail=f"Invalid source '{source}'. Must be one of {sorted(VALID_SOURCES)}")
        if stt_model_name(resolved_stt) not in state.cached:
            raise HTTPException(status_code=500, detail=f"{stt_model_name(resolved_stt)} is not downloaded (the simulator does not download speech-to-text models)")
        capture_id = str(uuid.uuid4())
        suffix = PurePath(file.filename or "capture.wav").suffix.lower() or ".wav"
        relative = f"captures/{capture_id}{suffix if suffix in SUFFIXES else '.wav'}"
        (state.data_dir / relative).write_bytes(data)
        row: dict[str, Any] = {
            "id": capture_id, "audio_path": storage.stored(state.scenario, relative), "source": source, "language": resolved_language,
            "duration_ms": _duration_ms(data), "transcript_raw": "", "transcript_refined": None, "stt_model": resolved_stt,
            "llm_model": None, "refinement_flags": None, "created_at": iso(utcnow()),
        }
        state.store.put("captures", row)
        return CaptureCreateResponse(**row, auto_refine=bool(saved["auto_refine"]), allow_auto_paste=bool(saved["allow_auto_paste"]))

    @api.get("/captures", response_model=CaptureListResponse)
    async def list_captures_endpoint(limit: int = 50, offset: int = 0) -> Any:
        if limit < 1 or limit > 200:
            raise HTTPException(status_code=400, detail="limit must be between 1 and 200")
        if offset < 0:
            raise HTTPException(status_code=400, detail="offset must be >= 0")
        rows = list(reversed(state.store.all("captures")))
        return CaptureListResponse(items=[CaptureResponse(**r) for r in rows[offset:offset + limit]], total=len(rows))

    @api.get("/captures/{capture_id}", response_model=CaptureResponse)
    async def get_capture_endpoint(capture_id: str) -> Any:
        row = state.store.get("captures", capture_id)
        if row is None:
            raise HTTPException(status_code=404, detail="Capture not found")
        return CaptureResponse(**row)

    @api.get("/captures/{capture_id}/audio")
    async def get_capture_audio_endpoint(capture_id: str):  # type: ignore[no-untyped-def]  # unannotated, as in the real server's schema
        """Stream the original capture audio file."""
        row = state.store.get("captures", capture_id)
        if row is None:
            raise HTTPException(status_code=404, detail="Capture not found")
        path = storage.resolve(state.scenario, state.data_dir, row["audio_path"])
        if not path.is_file():
            raise HTTPException(status_code=404, detail="Audio file not found")
        return FileResponse(path, media_type="audio/wav", filename=f"capture_{capture_id}.wav")

    @api.get("/capture/readiness", response_model=CaptureReadinessResponse)
    async def capture_readiness_endpoint() -> Any:
        """Whether the STT and LLM models the user has selected are downloaded.

        The frontend gates the global hotkey on this — pressing the chord with
        a missing model would otherwise produce a stuck "transcribing" pill that
        waits forever for a download to finish. Checks on-disk cache, not RAM
        load, so the answer survives backend restarts.
        """
        saved = settings_of(state, "captures", CaptureSettingsResponse)
        return CaptureReadinessResponse(
            stt=_readiness(state, stt_model_name(saved["stt_model"]), saved["stt_model"]),
            llm=_readiness(state, llm_model_name(saved["llm_model"]), saved["llm_model"]),
        )

    return api
