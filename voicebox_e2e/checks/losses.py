"""What the user had before an upgrade and does not have after it, one phrase each, from two
inventories (``checks/inventory.py``). What a new build adds (a clean version it backfills, a
"Default" channel, settings it creates with their defaults) is not a loss."""

from __future__ import annotations

from voicebox_e2e.checks.inventory import Inventory


def _changed(now: str) -> str:
    return f"answered {now}" if now.startswith("HTTP") else "changed its bytes"


def _profiles(before: Inventory, after: Inventory) -> list[str]:
    lost = [f"profile {name!r} is gone" for pid, name in before.profiles.items() if pid not in after.profiles]
    for profile_id, chain in before.profile_effects.items():
        if profile_id in after.profiles and after.profile_effects.get(profile_id) != chain:
            lost.append(f"profile {before.profiles[profile_id]!r} lost its effects chain")
    for profile_id, was in before.avatars.items():
        if profile_id in after.profiles:
            now = after.avatars.get(profile_id)
            if now is None:
                lost.append(f"profile {before.profiles[profile_id]!r} lost its avatar")
            elif now != was:
                lost.append(f"the avatar of profile {before.profiles[profile_id]!r} {_changed(now)}")
    for profile_id, channels in before.profile_channels.items():
        if profile_id in after.profiles:
            for channel_id in set(channels) - set(after.profile_channels.get(profile_id, [])):
                lost.append(f"profile {before.profiles[profile_id]!r} is no longer on audio channel {before.channels.get(channel_id, channel_id)!r}")
    for sample_id, was in before.samples.items():
        owner = before.sample_owner[sample_id]
        now = after.samples.get(sample_id)
        if now is None:
            lost.append(f"sample {sample_id} of {owner!r} is no longer listed")
        elif now != was:
            lost.append(f"sample {sample_id} of {owner!r} {_changed(now)}")
    return lost


def _generations(before: Inventory, after: Inventory) -> list[str]:
    lost = [f"generation {gid} is gone from the history" for gid in before.generations if gid not in after.generations]
    lost += [f"generation {gid} is no longer a favourite" for gid in sorted(before.favourites) if gid in after.generations and gid not in after.favourites]
    for generation_id, was in before.audio.items():
        now = after.audio.get(generation_id)
        if now is not None and now != was:
            lost.append(f"the audio of generation {generation_id} {_changed(now)}")
    for generation_id, versions in before.versions.items():
        if generation_id not in after.generations:
            continue
        for version_id, label in versions.items():
            if version_id not in after.versions.get(generation_id, {}):
                lost.append(f"version {label!r} of generation {generation_id} is gone")
            elif after.version_audio[version_id] != before.version_audio[version_id]:
                lost.append(f"the audio of version {label!r} of generation {generation_id} {_changed(after.version_audio[version_id])}")
        default = before.default_version.get(generation_id)
        if default in after.versions.get(generation_id, {}) and after.default_version.get(generation_id) != default:
            lost.append(f"generation {generation_id} no longer plays its version {versions[default]!r}")
    return lost


def _library(before: Inventory, after: Inventory) -> list[str]:
    lost = []
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
    for channel_id, name in before.channels.items():
        if channel_id not in after.channels:
            lost.append(f"audio channel {name!r} is gone")
        elif after.channel_devices.get(channel_id) != before.channel_devices[channel_id]:
            lost.append(f"audio channel {name!r} lost its output devices")
    return lost


def _settings(before: Inventory, after: Inventory) -> list[str]:
    lost = []
    for which, was in before.settings.items():
        now = after.settings.get(which)
        if was is None:
            continue
        if now is None:
            lost.append(f"the {which} settings are gone")
            continue
        lost += [f"{which} setting {key} is {now.get(key)!r}, was {value!r}" for key, value in was.items() if now.get(key) != value]
    for client_id, binding in (before.mcp_bindings or {}).items():
        now_binding = (after.mcp_bindings or {}).get(client_id)
        if now_binding is None:
            lost.append(f"the MCP binding of client {client_id!r} is gone")
        elif now_binding != binding:
            lost.append(f"the MCP binding of client {client_id!r} changed")
    return lost


def _captures(before: Inventory, after: Inventory) -> list[str]:
    lost = []
    for capture_id, transcript in (before.captures or {}).items():
        now = (after.captures or {}).get(capture_id)
        if now is None:
            lost.append(f"capture {capture_id} is gone")
        elif now != transcript:
            lost.append(f"capture {capture_id} changed its transcript")
        elif after.capture_audio.get(capture_id) != before.capture_audio[capture_id]:
            lost.append(f"the audio of capture {capture_id} {_changed(after.capture_audio[capture_id])}")
    return lost


def losses(before: Inventory, after: Inventory) -> list[str]:
    """What the user had before the upgrade and does not have after it, one phrase each."""
    return _profiles(before, after) + _generations(before, after) + _library(before, after) + _settings(before, after) + _captures(before, after)
