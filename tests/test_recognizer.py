"""The recognizer and the scoring together, on speech recordings made offline: the project's
reference recording (a person-like voice reading its transcript) and the simulator's eSpeak NG
speech, correct and with the faults users reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from voicebox_e2e.recognizer import PARTS, Recognizer, bundled_model
from voicebox_e2e.speech_score import SpeechLimits, score
from voicebox_sim import speech

ROOT = Path(__file__).resolve().parent.parent
FOX = "The quick brown fox jumps over the lazy dog."


@pytest.fixture(scope="module")
def recognizer() -> Recognizer:
    return Recognizer()


def spoken(tmp_path: Path, text: str, language: str = "en", fault: str | None = None, seed: int = 42) -> Path:
    samples = speech.speak(text, language, seed, fault)
    assert samples is not None, "eSpeak NG (espeakng-loader) is part of the requirements"
    path = tmp_path / f"{fault or 'clean'}-{language}.wav"
    path.write_bytes(speech.wav_bytes(samples))
    return path


def test_the_reference_recording_is_heard_as_its_transcript(recognizer: Recognizer) -> None:
    wav = ROOT / "fixtures" / "reference_voice.wav"
    heard = recognizer.hear(wav)
    result = score(wav.with_suffix(".txt").read_text(encoding="utf-8"), "en", heard, SpeechLimits())
    assert result.problem is None and result.language == "en"
    assert result.error_rate is not None and result.error_rate <= 0.2, result.transcript


def test_the_simulators_english_passes_and_its_faults_fail(recognizer: Recognizer, tmp_path: Path) -> None:
    limits = SpeechLimits()
    clean = score(FOX, "en", recognizer.hear(spoken(tmp_path, FOX)), limits)
    assert clean.problem is None and clean.error_rate is not None and clean.error_rate <= 0.3, clean.transcript
    cut = score(FOX, "en", recognizer.hear(spoken(tmp_path, FOX, fault="truncated")), limits)
    assert cut.problem is not None and " of 9 words are missing" in cut.problem
    babble = score(FOX, "en", recognizer.hear(spoken(tmp_path, FOX, fault="babble")), limits)
    assert babble.problem is not None and babble.problem.startswith("unintelligible: WER ")


def test_the_words_are_written_in_the_language_asked_and_the_detection_is_kept(recognizer: Recognizer, tmp_path: Path) -> None:
    spanish = "El rápido zorro marrón salta sobre el perro perezoso."
    # left to itself, whisper-base took this for Italian and wrote "il rapivo solo marron salta
    # solo il perro per il toso"
    heard = recognizer.hear(spoken(tmp_path, spanish, "es", seed=7), "es", max_tokens=150)
    assert "salta sobre el perro" in heard.text.lower(), heard
    # babble asked for in English: written in English letters whatever it sounded like (whisper
    # took it for Thai, unsure, and wrote Thai script), and that detection is what is reported
    babble = recognizer.hear(spoken(tmp_path, FOX, fault="babble"), "en", max_tokens=130)
    assert babble.language != "en" and babble.probability is not None and babble.probability < 0.8, babble
    assert babble.text.isascii() and any(char.isalpha() for char in babble.text), babble


def test_the_simulators_speech_is_the_same_for_a_seed_and_24_khz_mono() -> None:
    once, again = speech.speak(FOX, "en", 42), speech.speak(FOX, "en", 42)
    other = speech.speak(FOX, "en", 43)
    assert once is not None and once == again and once != other
    wav = speech.wav_bytes(once)
    assert wav[22:24] == (1).to_bytes(2, "little") and wav[24:28] == (24_000).to_bytes(4, "little")


def test_the_bundled_model_is_put_together_once_in_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    model = bundled_model()
    assert model is not None, f"{PARTS} are part of the requirements"
    assert (model / "model.bin").stat().st_size == 145_217_532  # the two parts, end to end
    stamp = (model / "model.bin").stat().st_mtime_ns
    assert bundled_model() == model and (model / "model.bin").stat().st_mtime_ns == stamp  # not again
    assert not list(model.glob("*.partial"))
