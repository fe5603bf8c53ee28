"""What a server lists and serves of the user's data (``checks/losses.py`` says what an upgrade
lost of it).

The real backend stores (``backend/routes`` at v0.5.0): profiles with their samples, avatar,
default effects chain and audio channels; generations with their audio, their versions (a clean one, one
per effects chain applied) and a favourite mark; stories that lay generations on tracks; effect
presets (built in, and the user's); audio channels; and, since 0.5.0, the generation and capture
settings, the MCP clients' voice bindings and captures (voice input: a recording and its
transcript). A server without a route (an older release) has ``None`` for what it would list.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, TypeVar

from voicebox_e2e.api.client import VoiceboxClient
from voicebox_e2e.api.errors import ApiError

T = TypeVar("T")
SETTINGS = ("generation", "captures")


@dataclass
class Inventory:
    """What a server lists and serves of the user's data: ids, names and the bytes' digests."""

    version: str = "unknown"
    profiles: dict[str, str] = field(default_factory=dict)  # id -> name
    profile_effects: dict[str, str] = field(default_factory=dict)  # profile id -> its effects chain (JSON), if any
    profile_channels: dict[str, list[str]] = field(default_factory=dict)  # profile id -> its channels' ids, sorted
    avatars: dict[str, str] = field(default_factory=dict)  # profile id -> sha256 of GET /profiles/{id}/avatar (or the error)
    samples: dict[str, str] = field(default_factory=dict)  # id -> sha256 of GET /samples/{id} (or the error)
    sample_owner: dict[str, str] = field(default_factory=dict)  # sample id -> profile name
    generations: dict[str, str] = field(default_factory=dict)  # id -> status
    favourites: set[str] = field(default_factory=set)  # generation ids marked favourite
    audio: dict[str, str] = field(default_factory=dict)  # generation id -> sha256 of GET /audio/{id} (or the error)
    versions: dict[str, dict[str, str]] = field(default_factory=dict)  # generation id -> {version id: label}
    default_version: dict[str, str] = field(default_factory=dict)  # generation id -> its default version's id
    version_audio: dict[str, str] = field(default_factory=dict)  # version id -> sha256 of GET /audio/version/{id}
    stories: dict[str, str] = field(default_factory=dict)  # id -> name
    story_items: dict[str, list[str]] = field(default_factory=dict)  # story id -> its generations, in order
    presets: dict[str, str] = field(default_factory=dict)  # the user's effect presets: id -> name
    preset_chains: dict[str, str] = field(default_factory=dict)  # preset id -> its chain (JSON)
    channels: dict[str, str] = field(default_factory=dict)  # audio channel id -> name
    channel_devices: dict[str, list[str]] = field(default_factory=dict)  # channel id -> its output devices
    settings: dict[str, Optional[dict[str, Any]]] = field(default_factory=dict)  # "generation"/"captures" -> the settings (None: no route)
    mcp_bindings: Optional[dict[str, dict[str, Any]]] = None  # client id -> its binding (None: no route)
    captures: Optional[dict[str, str]] = None  # capture id -> its transcript (None: no route)
    capture_audio: dict[str, str] = field(default_factory=dict)  # capture id -> sha256 of GET /captures/{id}/audio


def digest(read: Callable[[], bytes]) -> str:
    """The bytes' sha256, or what the server answered instead ("HTTP 404: Audio file not found")."""
    try:
        return hashlib.sha256(read()).hexdigest()
    except ApiError as exc:
        return f"HTTP {exc.status}: {str(exc).split(': ', 1)[-1]}"


def if_served(read: Callable[[], T]) -> Optional[T]:
    """What ``read`` lists, or None where the server has no such route (HTTP 404)."""
    try:
        return read()
    except ApiError as exc:
        if exc.status == 404:
            return None
        raise


def effects_chain(words: str) -> list[dict[str, Any]]:
    """An effects chain from a feature file's words: "reverb room_size=0.7, gain gain_db=3"."""
    chain = []
    for part in words.split(","):
        kind, *params = part.split()
        chain.append({"type": kind, "enabled": True, "params": {k: float(v) for k, v in (p.split("=", 1) for p in params)}})
    return chain


def settings_patch(words: str) -> dict[str, Any]:
    """Settings from a feature file's words: "max_chunk_chars=400, normalize_audio=false, stt_model=small"."""
    patch: dict[str, Any] = {}
    for part in words.split(","):
        key, value = (s.strip() for s in part.split("=", 1))
        patch[key] = {"true": True, "false": False}.get(value, int(value) if value.isdigit() else value)
    return patch


def _chain(chain: Any) -> str:
    return json.dumps(chain, sort_keys=True)


def _profiles(client: VoiceboxClient, found: Inventory) -> None:
    for profile in client.list_profiles():
        profile_id = str(profile["id"])
        found.profiles[profile_id] = str(profile["name"])
        if profile.get("effects_chain"):
            found.profile_effects[profile_id] = _chain(profile["effects_chain"])
        found.profile_channels[profile_id] = sorted(client.profile_channels(profile_id))
        if profile.get("avatar_path"):
            found.avatars[profile_id] = digest(lambda: client.avatar(profile_id))
        for sample in client.list_samples(profile_id):
            sample_id = str(sample["id"])
            found.sample_owner[sample_id] = str(profile["name"])
            found.samples[sample_id] = digest(lambda: client.sample_audio(sample_id))


def _generations(client: VoiceboxClient, found: Inventory) -> None:
    for entry in client.list_history():
        generation_id = str(entry["id"])
        found.generations[generation_id] = str(entry.get("status"))
        if entry.get("is_favorited"):
            found.favourites.add(generation_id)
        if entry.get("status") != "completed":
            continue
        found.audio[generation_id] = digest(lambda: client.audio(generation_id))
        versions = if_served(lambda: client.list_versions(generation_id)) or []
        found.versions[generation_id] = {str(v["id"]): str(v["label"]) for v in versions}
        found.default_version.update({generation_id: str(v["id"]) for v in versions if v.get("is_default")})
        for version in versions:
            version_id = str(version["id"])
            found.version_audio[version_id] = digest(lambda: client.version_audio(version_id))


def _library(client: VoiceboxClient, found: Inventory) -> None:
    for story in client.list_stories():
        story_id = str(story["id"])
        found.stories[story_id] = str(story["name"])
        found.story_items[story_id] = [str(item["generation_id"]) for item in client.get_story(story_id).get("items", [])]
    for preset in client.list_effect_presets():
        if not preset.get("is_builtin"):
            found.presets[str(preset["id"])] = str(preset["name"])
            found.preset_chains[str(preset["id"])] = _chain(preset.get("effects_chain"))
    for channel in client.list_channels():
        found.channels[str(channel["id"])] = str(channel["name"])
        found.channel_devices[str(channel["id"])] = sorted(str(d) for d in channel.get("device_ids") or [])
    for which in SETTINGS:
        found.settings[which] = if_served(lambda: client.settings(which))
    bindings = if_served(client.mcp_bindings)
    if bindings is not None:
        found.mcp_bindings = {str(b["client_id"]): {k: b.get(k) for k in ("label", "profile_id", "default_engine", "default_personality")} for b in bindings}


def _captures(client: VoiceboxClient, found: Inventory) -> None:
    captures = if_served(client.list_captures)
    if captures is None:
        return
    found.captures = {str(c["id"]): str(c.get("transcript_raw")) for c in captures}
    for capture_id in found.captures:
        found.capture_audio[capture_id] = digest(lambda: client.capture_audio(capture_id))


def take_inventory(client: VoiceboxClient) -> Inventory:
    found = Inventory(client.version() or "unknown")
    _profiles(client, found)
    _generations(client, found)
    _library(client, found)
    _captures(client, found)
    return found
