"""A typed client for the parts of the Voicebox HTTP API the suite uses, one class per resource.

Every call raises ``ApiError`` (with the HTTP status and body) for an answer that is not 200, and
``requests`` errors for a connection that fails. ``status_stream.follow_status`` reads the SSE
status stream of one generation until a terminal status, the deadline, or the server's death.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from voicebox_e2e.api.errors import ApiError
from voicebox_e2e.api.transport import Transport


class ServerCalls(Transport):
    """``GET /health`` and ``GET /``."""

    def health(self) -> dict[str, Any]:
        return dict(self._call("GET", "/health", timeout=5.0).json())

    def version(self) -> Optional[str]:
        """The running server's version, as its ``--version`` prints it ("voicebox-server 0.5.0").

        ``GET /`` answers ``{"message": "voicebox API", "version": ...}`` (a Docker build serves
        its web app there instead: no version then).
        """
        try:
            body = self._call("GET", "/", timeout=5.0).json()
        except ValueError:
            return None
        version = body.get("version") if isinstance(body, dict) else None
        return None if version is None else f"voicebox-server {version}"


class ProfileCalls(Transport):
    """``/profiles`` and their samples."""

    def create_profile(self, body: dict[str, Any]) -> dict[str, Any]:
        return dict(self._call("POST", "/profiles", body=body).json())

    def list_profiles(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/profiles").json())

    def get_profile(self, profile_id: str) -> Optional[dict[str, Any]]:
        try:
            return dict(self._call("GET", f"/profiles/{profile_id}").json())
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise

    def list_samples(self, profile_id: str) -> list[dict[str, Any]]:
        return list(self._call("GET", f"/profiles/{profile_id}/samples").json())

    def sample_audio(self, sample_id: str) -> bytes:
        """GET /samples/{id}: a sample's stored recording."""
        return bytes(self._call("GET", f"/samples/{sample_id}", timeout=60.0).content)

    def upload_sample(self, profile_id: str, wav: Path, reference_text: str) -> dict[str, Any]:
        with wav.open("rb") as handle:
            files = {"file": (wav.name, handle, "audio/wav")}
            answer = self._call(
                "POST", f"/profiles/{profile_id}/samples", files=files, data={"reference_text": reference_text}, timeout=120.0
            )
        return dict(answer.json())

    def upload_avatar(self, profile_id: str, image: Path) -> dict[str, Any]:
        with image.open("rb") as handle:
            files = {"file": (image.name, handle, "image/png")}
            return dict(self._call("POST", f"/profiles/{profile_id}/avatar", files=files, timeout=60.0).json())

    def avatar(self, profile_id: str) -> bytes:
        return bytes(self._call("GET", f"/profiles/{profile_id}/avatar", timeout=60.0).content)


class ModelCalls(Transport):
    """``/models`` and the downloads in ``/tasks/active``."""

    def model_status(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/models/status", timeout=15.0).json()["models"])

    def cache_dir(self) -> str:
        """Where the server keeps its models (GET /models/cache-dir: huggingface_hub's cache)."""
        return str(self._call("GET", "/models/cache-dir", timeout=10.0).json()["path"])

    def start_download(self, model_name: str) -> None:
        """POST /models/download: the server fetches (and loads) the model in the background."""
        self._call("POST", "/models/download", body={"model_name": model_name})

    def active_downloads(self) -> dict[str, dict[str, Any]]:
        """GET /tasks/active's downloads by model name (a finished one is no longer listed)."""
        answer = self._call("GET", "/tasks/active", timeout=10.0).json()
        return {str(d["model_name"]): dict(d) for d in answer.get("downloads", [])}


class GenerationCalls(Transport):
    """``/generate``, its status stream, ``/history`` and ``/audio``."""

    def generate(self, body: dict[str, Any]) -> dict[str, Any]:
        return dict(self._call("POST", "/generate", body=body).json())

    def history(self, generation_id: str, record: bool = True) -> dict[str, Any]:
        return dict(self._call("GET", f"/history/{generation_id}", record=record).json())

    def list_history(self, limit: int = 500) -> list[dict[str, Any]]:
        """GET /history: every generation, newest first."""
        return list(self._call("GET", "/history", params={"limit": limit}).json()["items"])

    def audio(self, generation_id: str) -> bytes:
        return bytes(self._call("GET", f"/audio/{generation_id}", timeout=60.0).content)


class LibraryCalls(Transport):
    """What users build from generations: ``/stories`` and ``/effects/presets``, and a profile's
    default effects chain."""

    def set_profile_effects(self, profile_id: str, chain: Optional[list[dict[str, Any]]]) -> dict[str, Any]:
        return dict(self._call("PUT", f"/profiles/{profile_id}/effects", body={"effects_chain": chain}).json())

    def create_effect_preset(self, name: str, chain: list[dict[str, Any]]) -> dict[str, Any]:
        return dict(self._call("POST", "/effects/presets", body={"name": name, "effects_chain": chain}).json())

    def list_effect_presets(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/effects/presets").json())

    def create_story(self, name: str) -> dict[str, Any]:
        return dict(self._call("POST", "/stories", body={"name": name}).json())

    def add_story_item(self, story_id: str, generation_id: str) -> dict[str, Any]:
        return dict(self._call("POST", f"/stories/{story_id}/items", body={"generation_id": generation_id}).json())

    def list_stories(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/stories").json())

    def get_story(self, story_id: str) -> dict[str, Any]:
        return dict(self._call("GET", f"/stories/{story_id}").json())


class VersionCalls(Transport):
    """A generation's audio versions, and its favourite mark."""

    def list_versions(self, generation_id: str) -> list[dict[str, Any]]:
        return list(self._call("GET", f"/generations/{generation_id}/versions").json())

    def apply_effects(self, generation_id: str, chain: list[dict[str, Any]], label: str) -> dict[str, Any]:
        body = {"effects_chain": chain, "label": label, "set_as_default": True}
        return dict(self._call("POST", f"/generations/{generation_id}/versions/apply-effects", body=body).json())

    def version_audio(self, version_id: str) -> bytes:
        return bytes(self._call("GET", f"/audio/version/{version_id}", timeout=60.0).content)

    def toggle_favorite(self, generation_id: str) -> bool:
        return bool(self._call("POST", f"/history/{generation_id}/favorite").json()["is_favorited"])


class SettingsCalls(Transport):
    """Audio channels; since 0.5.0 the settings, MCP clients' bindings and captures."""

    def create_channel(self, name: str, device_ids: list[str]) -> dict[str, Any]:
        return dict(self._call("POST", "/channels", body={"name": name, "device_ids": device_ids}).json())

    def list_channels(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/channels").json())

    def set_profile_channels(self, profile_id: str, channel_ids: list[str]) -> None:
        self._call("PUT", f"/profiles/{profile_id}/channels", body={"channel_ids": channel_ids})

    def profile_channels(self, profile_id: str) -> list[str]:
        return [str(c) for c in self._call("GET", f"/profiles/{profile_id}/channels").json()["channel_ids"]]

    def settings(self, which: str) -> dict[str, Any]:
        """``which``: "generation" or "captures"."""
        return dict(self._call("GET", f"/settings/{which}").json())

    def update_settings(self, which: str, patch: dict[str, Any]) -> dict[str, Any]:
        return dict(self._call("PUT", f"/settings/{which}", body=patch).json())

    def create_capture(self, wav: Path, stt_model: str) -> dict[str, Any]:
        """POST /captures (0.5.0 and later): the recording kept with its transcript."""
        with wav.open("rb") as handle:
            files = {"file": (wav.name, handle, "audio/wav")}
            answer = self._call("POST", "/captures", files=files, data={"source": "file", "stt_model": stt_model}, timeout=300.0)
        return dict(answer.json())

    def list_captures(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/captures", params={"limit": 200}).json()["items"])

    def capture_audio(self, capture_id: str) -> bytes:
        return bytes(self._call("GET", f"/captures/{capture_id}/audio", timeout=60.0).content)

    def bind_mcp_client(self, body: dict[str, Any]) -> dict[str, Any]:
        return dict(self._call("PUT", "/mcp/bindings", body=body).json())

    def mcp_bindings(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/mcp/bindings").json()["items"])


class VoiceboxClient(ServerCalls, ProfileCalls, ModelCalls, GenerationCalls, LibraryCalls, VersionCalls, SettingsCalls):
    """Every resource's calls over one transport."""
