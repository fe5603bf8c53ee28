"""What a user keeps beyond profiles and generations, in the simulator as the real backend keeps
it (v0.5.0): a generation's versions and favourite mark (``services/versions.py``,
``services/generation.py``), audio channels (``routes/channels.py``), settings and MCP bindings
(0.5.0 and later), and a profile's avatar (``utils/images.py``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

import pytest

from conftest import wait_for

pytestmark = pytest.mark.suite

ROOT = Path(__file__).resolve().parents[2]
FOX = "The quick brown fox jumps over the lazy dog."


def finished(sim: Any, generation_id: str) -> dict[str, Any]:
    def done() -> Any:
        entry = sim.http.get(f"{sim.url}/history/{generation_id}").json()
        return entry if entry["status"] in ("completed", "failed") else None
    return dict(wait_for(done, 30, "the generation to finish"))


def listed(sim: Any, generation_id: str) -> dict[str, Any]:
    return next(e for e in sim.http.get(f"{sim.url}/history").json()["items"] if e["id"] == generation_id)


def test_a_profiles_effects_make_a_default_processed_version_beside_the_clean_one(simulator: Callable[..., Any]) -> None:
    sim = simulator()
    profile = sim.http.post(sim.url + "/profiles", json={"name": "K", "voice_type": "preset", "preset_engine": "kokoro", "preset_voice_id": "af_heart"}).json()
    chain = [{"type": "gain", "enabled": True, "params": {"gain_db": -6.0}}]
    assert sim.http.put(f"{sim.url}/profiles/{profile['id']}/effects", json={"effects_chain": chain}).status_code == 200
    gen = sim.http.post(sim.url + "/generate", json={"profile_id": profile["id"], "text": FOX, "engine": "kokoro", "seed": 42}).json()
    assert finished(sim, gen["id"])["status"] == "completed"
    assert sim.http.get(f"{sim.url}/history/{gen['id']}").json()["versions"] is None  # GET /history/{id} lists none, as the real one
    entry = listed(sim, gen["id"])
    clean, processed = entry["versions"]
    assert (clean["label"], clean["is_default"], clean["effects_chain"]) == ("clean", False, None)
    assert (processed["label"], processed["is_default"], processed["effects_chain"]) == ("version-2", True, chain)
    assert entry["active_version_id"] == processed["id"] and entry["audio_path"] == f"generations/{gen['id']}_processed.wav"
    served = sim.http.get(f"{sim.url}/audio/{gen['id']}").content
    assert served == sim.http.get(f"{sim.url}/audio/version/{processed['id']}").content
    assert served != sim.http.get(f"{sim.url}/audio/version/{clean['id']}").content  # 6 dB quieter


def test_apply_effects_adds_a_default_version_from_the_clean_one_and_a_favourite_toggles(simulator: Callable[..., Any]) -> None:
    sim = simulator()
    profile = sim.http.post(sim.url + "/profiles", json={"name": "K", "voice_type": "preset", "preset_engine": "kokoro", "preset_voice_id": "af_heart"}).json()
    gen = sim.http.post(sim.url + "/generate", json={"profile_id": profile["id"], "text": FOX, "engine": "kokoro", "seed": 42}).json()
    finished(sim, gen["id"])
    clean = sim.http.get(f"{sim.url}/generations/{gen['id']}/versions").json()
    assert [(v["label"], v["is_default"]) for v in clean] == [("clean", True)]
    bad = sim.http.post(f"{sim.url}/generations/{gen['id']}/versions/apply-effects", json={"effects_chain": [{"type": "wobble"}]})
    assert bad.status_code == 400 and bad.json()["detail"].startswith("Unknown effect type 'wobble' at index 0.")
    made = sim.http.post(f"{sim.url}/generations/{gen['id']}/versions/apply-effects", json={"effects_chain": [{"type": "gain", "params": {"gain_db": 3}}]}).json()
    assert (made["label"], made["is_default"], made["source_version_id"]) == ("version-2", True, clean[0]["id"])
    assert sim.http.get(f"{sim.url}/audio/{gen['id']}").content == sim.http.get(f"{sim.url}/audio/version/{made['id']}").content
    back = sim.http.put(f"{sim.url}/generations/{gen['id']}/versions/{clean[0]['id']}/set-default").json()
    assert back["is_default"] and listed(sim, gen["id"])["active_version_id"] == clean[0]["id"]
    assert sim.http.post(f"{sim.url}/history/{gen['id']}/favorite").json() == {"is_favorited": True}
    assert listed(sim, gen["id"])["is_favorited"] is True
    assert sim.http.post(f"{sim.url}/history/{gen['id']}/favorite").json() == {"is_favorited": False}
    assert sim.http.post(f"{sim.url}/history/nope/favorite").json() == {"detail": "Generation not found"}


def test_channels_start_with_the_default_and_a_profile_can_be_put_on_one(simulator: Callable[..., Any]) -> None:
    sim = simulator()
    [default] = sim.http.get(sim.url + "/channels").json()
    assert (default["name"], default["is_default"], default["device_ids"]) == ("Default", True, [])
    channel = sim.http.post(sim.url + "/channels", json={"name": "Desk", "device_ids": ["speakers"]}).json()
    again = sim.http.post(sim.url + "/channels", json={"name": "Desk"})
    assert again.status_code == 400 and again.json() == {"detail": "Channel with name 'Desk' already exists"}
    profile = sim.http.post(sim.url + "/profiles", json={"name": "C", "voice_type": "cloned", "language": "en"}).json()
    assert sim.http.get(f"{sim.url}/profiles/{profile['id']}/channels").json() == {"channel_ids": []}
    assert sim.http.put(f"{sim.url}/profiles/{profile['id']}/channels", json={"channel_ids": [channel["id"]]}).json() == {"message": "Profile channels updated successfully"}
    assert sim.http.get(f"{sim.url}/profiles/{profile['id']}/channels").json() == {"channel_ids": [channel["id"]]}
    missing = sim.http.put(f"{sim.url}/profiles/{profile['id']}/channels", json={"channel_ids": ["nope"]})
    assert missing.status_code == 400 and missing.json() == {"detail": "Channel nope not found"}


def test_settings_and_mcp_bindings_exist_from_0_5_0_only(simulator: Callable[..., Any]) -> None:
    sim = simulator()
    assert sim.http.get(sim.url + "/settings/generation").json() == {"max_chunk_chars": 800, "crossfade_ms": 50, "normalize_audio": True, "autoplay_on_generate": True}
    changed = sim.http.put(sim.url + "/settings/generation", json={"max_chunk_chars": 400, "normalize_audio": None}).json()
    assert changed["max_chunk_chars"] == 400 and changed["normalize_audio"] is True  # a None for a field that cannot be None is dropped
    assert sim.http.get(sim.url + "/settings/captures").json()["chord_toggle_to_talk_keys"] == ["ControlRight", "ShiftRight", "Space"]
    bound = sim.http.put(sim.url + "/mcp/bindings", json={"client_id": "claude", "default_engine": "kokoro"}).json()
    assert bound["client_id"] == "claude" and bound["created_at"] == bound["updated_at"]
    later = sim.http.put(sim.url + "/mcp/bindings", json={"client_id": "claude", "label": "Claude"}).json()
    assert later["created_at"] == bound["created_at"] and (later["label"], later["default_engine"]) == ("Claude", None)  # the whole binding replaced
    assert [b["client_id"] for b in sim.http.get(sim.url + "/mcp/bindings").json()["items"]] == ["claude"]
    old = simulator('version = "0.4.5"\n')
    assert old.http.get(old.url + "/settings/generation").status_code == 404
    assert old.http.put(old.url + "/mcp/bindings", json={"client_id": "claude"}).status_code == 404


def test_an_avatar_is_kept_as_sent_and_a_file_that_is_not_an_image_gets_the_real_words(simulator: Callable[..., Any]) -> None:
    sim = simulator()
    profile = sim.http.post(sim.url + "/profiles", json={"name": "C", "voice_type": "cloned", "language": "en"}).json()
    assert sim.http.get(f"{sim.url}/profiles/{profile['id']}/avatar").json() == {"detail": "No avatar found for this profile"}
    png = (ROOT / "fixtures" / "avatar.png").read_bytes()
    updated = sim.http.post(f"{sim.url}/profiles/{profile['id']}/avatar", files={"file": ("me.png", png, "image/png")}).json()
    assert updated["avatar_path"] == f"profiles/{profile['id']}/avatar.png"
    assert sim.http.get(f"{sim.url}/profiles/{profile['id']}/avatar").content == png
    gif = sim.http.post(f"{sim.url}/profiles/{profile['id']}/avatar", files={"file": ("me.gif", b"GIF89a" + bytes(40), "image/gif")})
    assert gif.status_code == 400 and gif.json() == {"detail": "Invalid format 'GIF'. Allowed formats: PNG, JPEG, WEBP"}
    text = sim.http.post(f"{sim.url}/profiles/{profile['id']}/avatar", files={"file": ("me.txt", b"hello", "text/plain")})
    assert text.status_code == 400 and re.fullmatch(r"Invalid image file: cannot identify image file '/tmp/tmp\w+\.txt'", text.json()["detail"])


def test_a_capture_is_kept_with_its_audio_where_its_speech_to_text_model_is_downloaded(simulator: Callable[..., Any]) -> None:
    sim = simulator('cached_models = ["kokoro", "whisper-base"]\n')
    ready = sim.http.get(sim.url + "/capture/readiness").json()
    assert ready == {
        "stt": {"ready": False, "model_name": "whisper-turbo", "display_name": "Whisper Turbo", "size": "turbo", "size_mb": 1543},
        "llm": {"ready": False, "model_name": "qwen3-0.6b", "display_name": "Qwen3 0.6B", "size": "0.6B", "size_mb": 1433},
    }
    wav = (ROOT / "fixtures" / "reference_voice.wav").read_bytes()
    refused = sim.http.post(sim.url + "/captures", files={"file": ("me.wav", wav, "audio/wav")})
    assert refused.status_code == 500 and "whisper-turbo is not downloaded" in refused.json()["detail"]
    made = sim.http.post(sim.url + "/captures", files={"file": ("me.wav", wav, "audio/wav")}, data={"stt_model": "base"}).json()
    assert (made["source"], made["stt_model"], made["duration_ms"], made["auto_refine"]) == ("file", "base", 6425, True)
    assert made["audio_path"] == f"captures/{made['id']}.wav"
    assert sim.http.get(f"{sim.url}/captures/{made['id']}/audio").content == wav
    assert [c["id"] for c in sim.http.get(sim.url + "/captures").json()["items"]] == [made["id"]]
    empty = sim.http.post(sim.url + "/captures", files={"file": ("me.wav", b"", "audio/wav")}, data={"stt_model": "base"})
    assert empty.status_code == 400 and empty.json() == {"detail": "Uploaded file is empty"}
    old = simulator('version = "0.4.5"\n')
    assert old.http.get(old.url + "/captures").status_code == 404
