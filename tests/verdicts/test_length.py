"""The audio-length window on real outputs: the real Voicebox 0.5.0 kokoro engine in every
language it speaks (voicebox_sim/engine/recordings, copied from shared/data with its README, whose
table names each file's language and text: the simulator's ``recordings()`` reads it)."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import pytest

from voicebox_e2e.verdicts.length import letter_equivalents
from voicebox_e2e.verdicts.wav import check_wav
from voicebox_sim.engine import speech

REAL = speech.RECORDINGS


@pytest.mark.parametrize(("language", "text", "path"), [(language, text, path) for (language, text), path in speech.recordings().items()], ids=lambda value: str(value)[:14])
def test_every_real_output_has_a_plausible_length_for_its_sentence(language: str, text: str, path: Path) -> None:
    report = check_wav(path.read_bytes(), text)
    assert report.ok, f"{path.name} ({language}): {report.problem}"


def test_every_recording_is_read_from_the_table() -> None:
    assert sorted(path.name for path in speech.recordings().values()) == sorted(p.name for p in REAL.glob("*.wav"))


def head(path: Path, seconds: float) -> bytes:
    """The first ``seconds`` of a WAV, as a WAV."""
    with wave.open(str(path), "rb") as source:
        params, frames = source.getparams(), source.readframes(int(seconds * source.getframerate()))
    out = io.BytesIO()
    with wave.open(out, "wb") as target:
        target.setparams(params)
        target.writeframes(frames)
    return out.getvalue()


def test_a_chinese_output_cut_to_half_a_second_is_too_short_for_its_sentence() -> None:
    report = check_wav(head(REAL / "zh-zf_xiaobei-fox.wav", 0.5), "敏捷的棕色狐狸跳过了那只懒狗。")
    assert not report.ok and report.problem is not None
    assert "implausible for 15 characters (57 letters' worth: a Han character" in report.problem, report.problem


def test_syllabic_scripts_count_as_several_letters_and_alphabets_as_one() -> None:
    assert letter_equivalents("The quick brown fox.") == 20
    assert letter_equivalents("तेज़ भूरी") == len("तेज़ भूरी")  # combining marks count, as measured
    assert letter_equivalents("狐狸。") == 9  # two syllables and a full stop
    assert letter_equivalents("きつね") == 6 and letter_equivalents("여우") == 8
