"""The simulator checks effects chains as the real server does (``validate_effects_chain`` at
v0.5.0) and seeds its four built-in presets."""

from __future__ import annotations

from voicebox_sim.engine.effects import BUILTIN_PRESETS, validate_chain


def test_a_chain_the_real_server_takes_is_taken() -> None:
    assert validate_chain([{"type": "reverb", "params": {"room_size": 0.7}}, {"type": "gain", "params": {"gain_db": 3.0}}]) is None


def test_a_bad_chain_gets_the_real_servers_words() -> None:
    assert validate_chain([{"type": "wobble"}]) == (
        "Unknown effect type 'wobble' at index 0. Available: "
        "['chorus', 'reverb', 'delay', 'compressor', 'gain', 'highpass', 'lowpass', 'pitch_shift']"
    )
    assert validate_chain([{"type": "reverb", "params": {"size": 1}}]) == "Effect 'reverb' at index 0: unknown param 'size'"
    assert validate_chain([{"type": "reverb", "params": {"room_size": 2.0}}]) == (
        "Effect 'reverb' at index 0: param 'room_size' must be between 0.0 and 1.0 (got 2.0)"
    )


def test_the_built_in_presets_are_the_real_ones() -> None:
    assert [p["name"] for p in BUILTIN_PRESETS] == ["Robotic", "Radio", "Echo Chamber", "Deep Voice"]
    assert all(validate_chain(p["effects_chain"]) is None for p in BUILTIN_PRESETS)
