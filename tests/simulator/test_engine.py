"""The simulator's engine: its speech."""

from __future__ import annotations

import os
import subprocess
import sys
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


def install_voices(voices: Path, path: str) -> "subprocess.CompletedProcess[str]":
    env = {**os.environ, "PATH": path, "VOICEBOX_SIM_KOKORO_VOICES": str(voices)}
    return subprocess.run([sys.executable, "-m", "voicebox_sim.engine.kokoro", "--install-voices"], env=env, capture_output=True, text=True, timeout=60)


def test_installing_the_voice_packs_without_npm_says_what_to_install_and_leaves_nothing(tmp_path: Path) -> None:
    voices = tmp_path / "share" / "kokoro-js" / "voices"
    done = install_voices(voices, str(tmp_path / "no-npm-here"))
    assert done.returncode == 1
    assert done.stderr.strip() == "warning: npm is missing: install Node.js to fetch Kokoro's voice packs (the simulator speaks with eSpeak NG without them)."
    assert not (tmp_path / "share").exists()


def test_voice_packs_already_in_place_are_not_fetched_again(tmp_path: Path) -> None:
    voices = tmp_path / "voices"
    voices.mkdir()
    (voices / "af_heart.bin").write_bytes(bytes(16))
    done = install_voices(voices, str(tmp_path / "no-npm-here"))  # npm is never reached for
    assert done.returncode == 0 and done.stdout.strip() == f"Kokoro's voice packs are already in {voices}."
    assert [p.name for p in voices.iterdir()] == ["af_heart.bin"]
