"""Does the speech end, or is it cut off? ``ending.trailing_quiet`` on real recordings: a real TTS
model's output (Kokoro-82M, tests/data) and the project's reference recording end in quiet; the
same recordings cut inside a word, and the simulator's ``cut_off`` fault, do not."""

from __future__ import annotations

import wave
from array import array
from pathlib import Path

import pytest

from voicebox_e2e.verdicts.wav import AudioLimits, check_wav
from voicebox_e2e.verdicts.ending import abrupt_end, trailing_quiet
from voicebox_sim.engine import speech
from voicebox_sim.engine.audio import SAMPLE_RATE, speech_duration

ROOT = Path(__file__).resolve().parents[2]
KOKORO = ROOT / "tests" / "data" / "kokoro82m_fox.wav"
REFERENCE = ROOT / "fixtures" / "reference_voice.wav"
LIMIT = AudioLimits().min_trailing_quiet


def samples(path: Path) -> tuple["array[int]", int]:
    with wave.open(str(path), "rb") as wav:
        assert wav.getsampwidth() == 2 and wav.getnchannels() == 1
        return array("h", wav.readframes(wav.getnframes())), wav.getframerate()


@pytest.mark.parametrize("path, at_least", [(KOKORO, 0.5), (REFERENCE, 0.3)], ids=["kokoro-82m", "reference-recording"])
def test_real_speech_ends_in_quiet(path: Path, at_least: float) -> None:
    pcm, rate = samples(path)
    quiet = trailing_quiet(pcm, rate)
    assert quiet is not None and quiet >= at_least
    assert abrupt_end(quiet, LIMIT) is None


@pytest.mark.parametrize("path, share", [(KOKORO, 0.5), (KOKORO, 0.7), (REFERENCE, 0.5)], ids=["kokoro-half", "kokoro-70pc", "reference-half"])
def test_real_speech_cut_inside_a_word_gets_the_warning(path: Path, share: float) -> None:
    pcm, rate = samples(path)
    quiet = trailing_quiet(pcm[: int(len(pcm) * share)], rate)
    assert quiet is not None and quiet < LIMIT
    warning = abrupt_end(quiet, LIMIT)
    assert warning is not None and "its last word may be cut off; listen to its end" in warning


def test_the_wav_check_reports_the_quiet_of_a_real_recording() -> None:
    report = check_wav(KOKORO.read_bytes(), "The quick brown fox jumps over the lazy dog.")
    assert report.ok and report.trailing_quiet is not None and report.trailing_quiet >= 0.5


def test_silence_has_no_speech_to_end() -> None:
    assert trailing_quiet(array("h", bytes(2 * SAMPLE_RATE)), SAMPLE_RATE) is None
    assert abrupt_end(None, LIMIT) is None


@pytest.mark.suite
def test_the_simulators_speech_ends_in_quiet_and_its_cut_off_fault_does_not() -> None:
    text = "The quick brown fox jumps over the lazy dog."
    clean = speech.speak(text, "en", 42)
    chopped = speech.speak(text, "en", 42, "cut_off")
    # eSpeak NG is a pinned requirement (espeakng-loader): missing, it fails here, never skips
    assert clean is not None and chopped is not None, "eSpeak NG did not speak: is espeakng-loader installed?"
    assert (trailing_quiet(clean, SAMPLE_RATE) or 0.0) >= LIMIT
    assert (trailing_quiet(chopped, SAMPLE_RATE) or 0.0) < LIMIT
    # as long as the sentence's expected length, so the server pads no quiet after the static
    assert len(chopped) >= int(speech_duration(text) * SAMPLE_RATE)


# -- the measure itself, pinned (what the mutation run showed the range checks above let through) --


def test_the_real_recordings_quiet_is_measured_to_the_frame() -> None:
    kokoro, rate = samples(KOKORO)
    reference, _ = samples(REFERENCE)
    assert (trailing_quiet(kokoro, rate), trailing_quiet(reference, rate)) == (0.62, 0.74)  # README: 0.6 s and 0.74 s
    assert trailing_quiet(kokoro[: len(kokoro) // 2], rate) == 0.0
    stereo = array("h")
    for value in kokoro:  # the same speech, its right channel at half: frames span both channels
        stereo.extend((value, value // 2))
    assert trailing_quiet(stereo, rate, channels=2) == 0.62


def tone(rate: int, *parts: tuple[float, int]) -> "array[int]":
    """Stretches of a square wave: (seconds, amplitude) each."""
    out = array("h")
    for seconds, amplitude in parts:
        out.extend((amplitude if i % 2 else -amplitude) for i in range(int(seconds * rate)))
    return out


def test_a_frame_is_speech_from_a_tenth_of_the_typical_level_and_quiet_frames_do_not_set_it() -> None:
    rate = 8000
    assert trailing_quiet(tone(rate, (1.0, 1000), (0.5, 50)), rate) == 0.5  # under a tenth of 1000: quiet
    assert trailing_quiet(tone(rate, (1.0, 1000), (0.5, 100)), rate) == 0.0  # a tenth exactly: speech
    # frames under 5 % of the loudest are left out of the typical level; a longer stretch above it sets it
    assert trailing_quiet(tone(rate, (0.3, 1000), (1.0, 40)), rate) == 1.0
    assert trailing_quiet(tone(rate, (0.3, 1000), (1.0, 60)), rate) == 0.0
    # a last partial frame is not measured
    assert trailing_quiet(tone(rate, (1.0, 1000), (0.5, 10), (0.01, 1000)), rate) == 0.5


def test_the_warning_names_the_quiet_and_the_setting_and_the_limit_itself_passes() -> None:
    assert abrupt_end(0.012, 0.2) == (
        "the speech runs to the end of the WAV (0.01 s of quiet after it, under audio_min_trailing_quiet = 0.2 s): "
        "its last word may be cut off; listen to its end"
    )
    assert abrupt_end(0.2, 0.2) is None and abrupt_end(0.0, 0.2) is not None


def test_the_edges_of_the_measure() -> None:
    rate = 8000
    assert trailing_quiet(array("h", [5] * 10), rate) is None  # shorter than a frame: nothing to measure
    assert trailing_quiet(tone(rate, (1.0, 1), (0.5, 0)), rate) == 0.5  # the faintest sound is still sound
    # a frame at exactly 5 % of the loudest does not set the typical level
    assert trailing_quiet(tone(rate, (0.3, 1000), (1.0, 50)), rate) == 1.0
    # a partial frame one sample short of whole is not measured either
    assert trailing_quiet(tone(rate, (1.0, 1000), (0.5, 10), (159 / rate, 1000)), rate) == 0.5
