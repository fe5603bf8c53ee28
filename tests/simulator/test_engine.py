"""The simulator's engine: its speech."""

from __future__ import annotations

from pathlib import Path

import pytest

from voicebox_sim.engine import audio as sim_audio
from voicebox_sim.engine import made, speech

pytestmark = pytest.mark.suite  # eSpeak NG speaks in every test here


def test_synthesized_speech_is_deterministic_for_a_seed_and_follows_the_text() -> None:
    text = "The quick brown fox jumps over the lazy dog."
    assert sim_audio.synthesize(text, 42) == sim_audio.synthesize(text, 42)
    assert sim_audio.synthesize(text, 42) != sim_audio.synthesize(text, 7)
    assert len(sim_audio.synthesize(text + text, 42)) > len(sim_audio.synthesize(text, 42))


def test_the_same_speech_is_synthesised_once_where_a_cache_is_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(made.CACHE_ENV, str(tmp_path))
    first = speech.synthesize("The quick brown fox.", "en", 40)
    kept = list(tmp_path.glob("*.pcm"))
    assert first is not None and len(kept) == 1 and kept[0].read_bytes() == first.tobytes()
    kept[0].write_bytes(bytes(8))  # the second time comes from the cache, not from eSpeak NG
    assert list(speech.synthesize("The quick brown fox.", "en", 40) or []) == [0, 0, 0, 0]
    other = speech.synthesize("The quick brown fox.", "en", 41)
    assert other is not None and other != first and len(list(tmp_path.glob("*.pcm"))) == 2
    assert not list(tmp_path.glob("*.partial"))
