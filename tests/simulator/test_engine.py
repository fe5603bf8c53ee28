"""The simulator's engine: its speech."""

from __future__ import annotations

import pytest

from voicebox_sim.engine import audio as sim_audio

pytestmark = pytest.mark.suite  # every test here runs behave, a simulator or the recognizer


def test_synthesized_speech_is_deterministic_for_a_seed_and_follows_the_text() -> None:
    text = "The quick brown fox jumps over the lazy dog."
    assert sim_audio.synthesize(text, 42) == sim_audio.synthesize(text, 42)
    assert sim_audio.synthesize(text, 42) != sim_audio.synthesize(text, 7)
    assert len(sim_audio.synthesize(text + text, 42)) > len(sim_audio.synthesize(text, 42))
