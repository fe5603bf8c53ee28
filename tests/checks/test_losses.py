"""What an upgrade lost, from two inventories: each kind of loss gets its own phrase, and what a
new build adds (a backfilled version, a Default channel, settings at their defaults) is none."""

from __future__ import annotations

import copy

import pytest

from voicebox_e2e.checks.inventory import Inventory, effects_chain, settings_patch
from voicebox_e2e.checks.losses import losses

GEN = "9b1f0000-0000-4000-8000-000000000001"


def before() -> Inventory:
    return Inventory(
        version="voicebox-server 0.5.0",
        profiles={"p1": "e2e-upgrade-cloned"}, profile_effects={"p1": "[gain]"}, profile_channels={"p1": ["c1"]}, avatars={"p1": "ff"},
        samples={"s1": "aa"}, sample_owner={"s1": "e2e-upgrade-cloned"},
        generations={GEN: "completed"}, favourites={GEN}, audio={GEN: "bb"},
        versions={GEN: {"v1": "clean", "v2": "e2e-upgrade-effects"}}, default_version={GEN: "v2"}, version_audio={"v1": "cc", "v2": "dd"},
        stories={"st": "e2e-upgrade-story"}, story_items={"st": [GEN]}, presets={"pr": "e2e-upgrade-preset"}, preset_chains={"pr": "[gain]"},
        channels={"c0": "Default", "c1": "e2e-upgrade-channel"}, channel_devices={"c0": [], "c1": ["e2e-speakers"]},
        settings={"generation": {"max_chunk_chars": 400}, "captures": None}, mcp_bindings={"claude": {"profile_id": "p1"}},
        captures={"cap": ""}, capture_audio={"cap": "11"},
    )


def test_an_inventory_kept_whole_loses_nothing_and_additions_are_not_losses() -> None:
    after = copy.deepcopy(before())
    after.versions[GEN]["v3"] = "clean"  # a version the new build backfilled
    after.channels["c9"] = "Studio"
    after.settings["captures"] = {"stt_model": "turbo"}  # a route the old release did not have
    after.version = "voicebox-server 0.6.0"
    assert losses(before(), after) == []


@pytest.mark.parametrize("change,phrase", [
    (lambda a: a.avatars.clear(), "profile 'e2e-upgrade-cloned' lost its avatar"),
    (lambda a: a.avatars.update({"p1": "HTTP 404: Avatar file not found"}), "the avatar of profile 'e2e-upgrade-cloned' answered HTTP 404: Avatar file not found"),
    (lambda a: a.favourites.clear(), f"generation {GEN} is no longer a favourite"),
    (lambda a: a.default_version.update({GEN: "v1"}), f"generation {GEN} no longer plays its version 'e2e-upgrade-effects'"),
    (lambda a: a.versions[GEN].pop("v2"), f"version 'e2e-upgrade-effects' of generation {GEN} is gone"),
    (lambda a: a.version_audio.update({"v1": "ee"}), f"the audio of version 'clean' of generation {GEN} changed its bytes"),
    (lambda a: a.version_audio.update({"v1": "HTTP 404: Audio file not found"}), f"the audio of version 'clean' of generation {GEN} answered HTTP 404: Audio file not found"),
    (lambda a: a.profile_channels.update({"p1": []}), "profile 'e2e-upgrade-cloned' is no longer on audio channel 'e2e-upgrade-channel'"),
    (lambda a: a.channels.pop("c1"), "audio channel 'e2e-upgrade-channel' is gone"),
    (lambda a: a.channel_devices.update({"c1": []}), "audio channel 'e2e-upgrade-channel' lost its output devices"),
    (lambda a: a.settings.update({"generation": {"max_chunk_chars": 800}}), "generation setting max_chunk_chars is 800, was 400"),
    (lambda a: a.settings.update({"generation": None}), "the generation settings are gone"),
    (lambda a: a.mcp_bindings.clear(), "the MCP binding of client 'claude' is gone"),
    (lambda a: a.mcp_bindings.update({"claude": {"profile_id": None}}), "the MCP binding of client 'claude' changed"),
    (lambda a: setattr(a, "mcp_bindings", None), "the MCP binding of client 'claude' is gone"),
    (lambda a: setattr(a, "captures", None), "capture cap is gone"),
    (lambda a: a.captures.update({"cap": "hello"}), "capture cap changed its transcript"),
    (lambda a: a.capture_audio.update({"cap": "HTTP 404: Audio file not found"}), "the audio of capture cap answered HTTP 404: Audio file not found"),
])
def test_each_loss_is_named(change, phrase) -> None:  # type: ignore[no-untyped-def]
    after = copy.deepcopy(before())
    change(after)
    assert losses(before(), after) == [phrase]


def test_a_generation_gone_is_named_once_not_once_per_version() -> None:
    after = copy.deepcopy(before())
    for table in (after.generations, after.audio, after.versions, after.default_version):
        table.pop(GEN)
    after.favourites.clear()
    after.story_items["st"] = []
    assert losses(before(), after) == [f"generation {GEN} is gone from the history", "story 'e2e-upgrade-story' has 0 of its 1 generations"]


def test_feature_file_words_become_an_effects_chain_and_a_settings_patch() -> None:
    assert effects_chain("gain gain_db=-6") == [{"type": "gain", "enabled": True, "params": {"gain_db": -6.0}}]
    assert settings_patch("max_chunk_chars=400, normalize_audio=false, stt_model=small, hotkey_enabled=true") == {
        "max_chunk_chars": 400, "normalize_audio": False, "stt_model": "small", "hotkey_enabled": True,
    }
