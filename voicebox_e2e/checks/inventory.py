"""What a server lists and serves of the user's data, and what an upgrade lost of it.

The real backend stores (``backend/routes`` at v0.5.0): profiles with their samples and default
effects chain, generations with their audio (the history), stories that lay generations on
tracks, and effect presets (built in, and the user's). Captures (voice input, 0.5.0 and later)
are not made: making one runs the recognizer on the previous build, which a sign-off machine may
not have downloaded.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Callable

from voicebox_e2e.api.client import VoiceboxClient
from voicebox_e2e.api.errors import ApiError


@dataclass
class Inventory:
    """What a server lists and serves of the user's data: ids, names and the bytes' digests."""

    version: str = "unknown"
    profiles: dict[str, str] = field(default_factory=dict)  # id -> name
    profile_effects: dict[str, str] = field(default_factory=dict)  # profile id -> its effects chain (JSON), if any
    samples: dict[str, str] = field(default_factory=dict)  # id -> sha256 of GET /samples/{id} (or the error)
    sample_owner: dict[str, str] = field(default_factory=dict)  # sample id -> profile name
    generations: dict[str, str] = field(default_factory=dict)  # id -> status
    audio: dict[str, str] = field(default_factory=dict)  # generation id -> sha256 of GET /audio/{id} (or the error)
    stories: dict[str, str] = field(default_factory=dict)  # id -> name
    story_items: dict[str, list[str]] = field(default_factory=dict)  # story id -> its generations, in order
    presets: dict[str, str] = field(default_factory=dict)  # the user's effect presets: id -> name
    preset_chains: dict[str, str] = field(default_factory=dict)  # preset id -> its chain (JSON)


def digest(read: Callable[[], bytes]) -> str:
    """The bytes' sha256, or what the server answered instead ("HTTP 404: Audio file not found")."""
    try:
        return hashlib.sha256(read()).hexdigest()
    except ApiError as exc:
        return f"HTTP {exc.status}: {str(exc).split(': ', 1)[-1]}"


def effects_chain(words: str) -> list[dict[str, Any]]:
    """An effects chain from a feature file's words: "reverb room_size=0.7, gain gain_db=3"."""
    chain = []
    for part in words.split(","):
        kind, *params = part.split()
        chain.append({"type": kind, "enabled": True, "params": {k: float(v) for k, v in (p.split("=", 1) for p in params)}})
    return chain


def _chain(chain: Any) -> str:
    return json.dumps(chain, sort_keys=True)


def take_inventory(client: VoiceboxClient) -> Inventory:
    found = Inventory(client.version() or "unknown")
    for profile in client.list_profiles():
        profile_id = str(profile["id"])
        found.profiles[profile_id] = str(profile["name"])
        if profile.get("effects_chain"):
            found.profile_effects[profile_id] = _chain(profile["effects_chain"])
        for sample in client.list_samples(profile_id):
            sample_id = str(sample["id"])
            found.sample_owner[sample_id] = str(profile["name"])
            found.samples[sample_id] = digest(lambda: client.sample_audio(sample_id))
    for entry in client.list_history():
        generation_id = str(entry["id"])
        found.generations[generation_id] = str(entry.get("status"))
        if entry.get("status") == "completed":
            found.audio[generation_id] = digest(lambda: client.audio(generation_id))
    for story in client.list_stories():
        story_id = str(story["id"])
        found.stories[story_id] = str(story["name"])
        found.story_items[story_id] = [str(item["generation_id"]) for item in client.get_story(story_id).get("items", [])]
    for preset in client.list_effect_presets():
        if not preset.get("is_builtin"):
            found.presets[str(preset["id"])] = str(preset["name"])
            found.preset_chains[str(preset["id"])] = _chain(preset.get("effects_chain"))
    return found


def _changed(now: str) -> str:
    return f"answered {now}" if now.startswith("HTTP") else "changed its bytes"


def losses(before: Inventory, after: Inventory) -> list[str]:
    """What the user had before the upgrade and does not have after it, one phrase each."""
    lost = [f"profile {name!r} is gone" for pid, name in before.profiles.items() if pid not in after.profiles]
    for profile_id, chain in before.profile_effects.items():
        if profile_id in after.profiles and after.profile_effects.get(profile_id) != chain:
            lost.append(f"profile {before.profiles[profile_id]!r} lost its effects chain")
    for sample_id, was in before.samples.items():
        owner = before.sample_owner[sample_id]
        now = after.samples.get(sample_id)
        if now is None:
            lost.append(f"sample {sample_id} of {owner!r} is no longer listed")
        elif now != was:
            lost.append(f"sample {sample_id} of {owner!r} {_changed(now)}")
    for generation_id in before.generations:
        if generation_id not in after.generations:
            lost.append(f"generation {generation_id} is gone from the history")
    for generation_id, was in before.audio.items():
        now = after.audio.get(generation_id)
        if now is not None and now != was:
            lost.append(f"the audio of generation {generation_id} {_changed(now)}")
    for story_id, name in before.stories.items():
        if story_id not in after.stories:
            lost.append(f"story {name!r} is gone")
        elif after.story_items.get(story_id) != before.story_items[story_id]:
            lost.append(f"story {name!r} has {len(after.story_items.get(story_id, []))} of its {len(before.story_items[story_id])} generations")
    for preset_id, name in before.presets.items():
        if preset_id not in after.presets:
            lost.append(f"effect preset {name!r} is gone")
        elif after.preset_chains.get(preset_id) != before.preset_chains[preset_id]:
            lost.append(f"effect preset {name!r} changed its effects")
    return lost
