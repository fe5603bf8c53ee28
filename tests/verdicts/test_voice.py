"""Whose voice is it: the voice check judged on real Voicebox 0.5.0 kokoro outputs.

The same real voice on another sentence passes; each real recording in another speaker's voice
fails with cause audio and a sentence a person understands; a reference that cannot tell whose
voice it is (too short, noisy) is said and fails nothing.
"""

from __future__ import annotations

import itertools
import re
import wave
from pathlib import Path
from typing import Optional

import numpy as np
import pytest

from voicebox_e2e.row.references import Recording, make_reference
from voicebox_e2e.row.result import PASSED, RowResult
from voicebox_e2e.row.spec import make_spec
from voicebox_e2e.verdicts.base import RowContext
from voicebox_e2e.verdicts.speaker import SpeakerEmbedder, read_16k, similarity
from voicebox_e2e.verdicts.voice import VoiceCheck, VoiceSettings, reference_problem
from voicebox_sim.engine.speech import RECORDINGS

pytestmark = pytest.mark.hearing  # the recognizer or the embedder on audio (CI runs these on one Python)

FOX = sorted(RECORDINGS.glob("*-fox.wav"))  # seven real voices: af_heart, ef_dora, ff_siwis, hf_alpha, ...
LONG = RECORDINGS / "en-af_heart-long.wav"  # af_heart again, another text, 64 s


def cloned_row(wav: Path, reference: Optional[Path]) -> tuple[RowResult, RowContext]:
    """A passed row whose output is ``wav``, spoken through a profile cloned from ``reference``
    (None: a preset voice)."""
    spec = make_spec("1", "qwen", "1.7B", "qwen-tts-1.7B", "The quick brown fox jumps over the lazy dog.", "English")
    result = RowResult(spec.row, spec.label, spec.engine, spec.model_size, spec.model_name, spec.language, status=PASSED)
    result.audio_path = str(wav)
    made = None if reference is None else make_reference(None, Recording(reference, "A transcript."), reference.parent)
    return result, RowContext(spec, made, 1, None)


def judged(reference: Path, output: Path, settings: VoiceSettings = VoiceSettings()) -> RowResult:
    result, row = cloned_row(output, reference)
    VoiceCheck(settings, lambda line: None).judge(result, row)
    return result


def write_wav(path: Path, samples: "np.ndarray", rate: int = 16000) -> Path:
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return path


def test_the_same_real_voice_on_another_sentence_passes() -> None:
    result = judged(LONG, RECORDINGS / "en-af_heart-fox.wav")
    assert result.status == PASSED and result.voice is not None and result.voice.checked
    assert result.voice.similarity is not None and result.voice.similarity >= 0.85, result.voice


DORA = {"es-ef_dora-fox", "pt-pf_dora-fox"}  # Kokoro's Spanish and Portuguese Dora: one speaker, it seems
OTHERS = [(a, b) for a, b in itertools.permutations(FOX, 2) if {a.stem, b.stem} != DORA]


@pytest.mark.parametrize(("reference", "output"), OTHERS, ids=lambda p: p.stem)
def test_a_real_recording_in_another_speakers_voice_fails(reference: Path, output: Path) -> None:
    result = judged(reference, output)
    assert result.status == "failed" and result.cause == "audio", result
    assert result.error is not None and result.error.startswith("the voice does not match the reference: similarity 0.")
    assert result.error.endswith("(the same speaker scores about 0.9; limit 0.75)")


def test_the_limit_lies_between_other_voices_and_the_same_voice_with_room() -> None:
    embedder = SpeakerEmbedder()
    vectors = {path.stem: embedder.embed(path) for path in FOX}
    pairs = {frozenset((a, b)): similarity(vectors[a], vectors[b]) for a, b in itertools.combinations(vectors, 2)}
    dora = pairs.pop(frozenset(DORA))
    assert max(pairs.values()) < VoiceSettings.min_similarity - 0.05, max(pairs.values())
    assert similarity(embedder.embed(LONG), vectors["en-af_heart-fox"]) > VoiceSettings.min_similarity + 0.15
    # the check's known blind spot: Kokoro's es and pt Dora sound alike to it (and to the ear)
    assert dora > VoiceSettings.min_similarity


def test_the_limit_is_a_setting_and_the_check_can_be_turned_off() -> None:
    other = FOX[1]
    assert judged(FOX[0], other, VoiceSettings(min_similarity=0.0)).status == PASSED
    off = judged(FOX[0], other, VoiceSettings(enabled=False))
    assert off.status == PASSED and off.voice is not None and off.voice.note == "voice not checked (voice_check=off)"
    assert off.voice.checked is False


def test_a_preset_row_is_not_asked_whose_voice_it_is() -> None:
    result, row = cloned_row(FOX[1], None)
    VoiceCheck(VoiceSettings(), lambda line: None).judge(result, row)
    assert result.status == PASSED and result.voice is None


def test_a_reference_that_cannot_tell_whose_voice_it_is_is_said_and_fails_nothing(tmp_path: Path) -> None:
    speech = read_16k(RECORDINGS / "en-af_heart-fox.wav")
    short = write_wav(tmp_path / "short.wav", speech[4000:4000 + 16000])  # one second of it
    rng = np.random.default_rng(7)
    noisy = write_wav(tmp_path / "noisy.wav", speech + rng.normal(0.0, 0.1, len(speech)))
    assert "of sound, under the 2 s a voice needs" in (reference_problem(read_16k(short)) or "")
    assert "the reference recording is noisy" in (reference_problem(read_16k(noisy)) or "")
    assert reference_problem(speech) is None
    said: list[str] = []
    for reference in (short, noisy):
        result, row = cloned_row(FOX[1], reference)
        VoiceCheck(VoiceSettings(), said.append).judge(result, row)
        assert result.status == PASSED and result.voice is not None and not result.voice.checked
        assert result.voice.note is not None and result.voice.note.startswith("voice not checked: the reference recording ")
    assert len(said) == 2 and all(line.startswith("Voice not checked: the reference recording ") for line in said)


# -- what the check records and says, pinned (what the mutation run showed the tests above let through) --


def test_a_failed_row_records_its_score_and_says_it_to_two_places() -> None:
    settings = VoiceSettings(min_similarity=0.8)
    check = VoiceCheck(settings, lambda line: None)
    result, row = cloned_row(FOX[1], FOX[0])
    check.judge(result, row)
    voice = result.voice
    assert voice is not None and voice.checked and voice.limit == 0.8 and voice.seconds is not None and 0 < voice.seconds < 60
    assert voice.similarity is not None and voice.similarity == round(voice.similarity, 3) and voice.similarity < 0.8
    assert result.error == (
        f"the voice does not match the reference: similarity {voice.similarity:.2f} (the same speaker scores about 0.9; limit 0.8)"
    )
    assert result.cause == "audio"
    passed, row = cloned_row(RECORDINGS / "en-af_heart-fox.wav", LONG)
    check.judge(passed, row)
    assert passed.status == PASSED and passed.error is None and passed.voice is not None and passed.voice.limit == 0.8
    described = check.describe()
    assert described["embedder_seconds"] == round(check.seconds, 2) and 0 < check.seconds != round(check.seconds)
    assert check.seconds >= voice.seconds + (passed.voice.seconds or 0.0) - 0.002  # both rows' time, not the last one's
    assert {k: v for k, v in described.items() if k != "embedder_seconds"} == {
        "voice_check": "on", "min_similarity": 0.8, "not_checked": None, "rows_checked": 2,
    }


def test_a_row_that_failed_or_has_no_audio_is_not_judged() -> None:
    check = VoiceCheck(VoiceSettings(), lambda line: None)
    failed, row = cloned_row(FOX[1], FOX[0])
    failed.fail("generation", "CUDA out of memory")
    check.judge(failed, row)
    silent, row = cloned_row(FOX[1], FOX[0])
    silent.audio_path = None
    check.judge(silent, row)
    assert failed.voice is None and silent.voice is None and failed.error == "CUDA out of memory"
    assert check.describe() == {"voice_check": "on", "min_similarity": 0.75, "not_checked": None, "rows_checked": 0, "embedder_seconds": 0.0}
    assert VoiceCheck(VoiceSettings(enabled=False), lambda line: None).describe() == {
        "voice_check": "off", "min_similarity": 0.75, "not_checked": "voice_check=off", "rows_checked": 0, "embedder_seconds": 0.0,
    }


def test_an_unreadable_output_or_reference_is_said_on_the_row_and_a_reference_is_said_once(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.wav"
    garbage.write_bytes(b"RIFF\x00\x00\x00\x00WAVEnot audio at all")
    said: list[str] = []
    check = VoiceCheck(VoiceSettings(), said.append)
    output, row = cloned_row(garbage, LONG)
    check.judge(output, row)
    assert output.status == PASSED and output.voice is not None and output.voice.checked is False
    assert output.voice.note is not None and output.voice.note.startswith("voice not checked: the embedder failed on this WAV (")
    for _ in range(2):  # two rows cloned from one unreadable reference: said on both rows, echoed once
        result, row = cloned_row(FOX[1], garbage)
        check.judge(result, row)
        assert result.voice is not None and result.voice.note is not None and result.voice.checked is False
        assert result.voice.note.startswith("voice not checked: the reference recording cannot be read (")
    assert len(said) == 1 and said[0].startswith("Voice not checked: the reference recording cannot be read (") and said[0].endswith(").")
    assert check.unavailable is None  # the run's own reference (LONG) was read first: only this one is unreadable
    first = VoiceCheck(VoiceSettings(), lambda line: None)
    result, row = cloned_row(FOX[1], garbage)
    first.judge(result, row)
    assert first.unavailable is not None and first.unavailable.startswith("the reference recording cannot be read (")


def test_a_reference_is_judged_by_its_sound_and_its_noise_with_exact_words() -> None:
    speech = read_16k(RECORDINGS / "en-af_heart-fox.wav")
    assert reference_problem(np.zeros(100, dtype=np.float32)) == "the reference recording is empty"
    one_second = reference_problem(speech[4000:4000 + 16000])
    assert one_second is not None and re.fullmatch(r"the reference recording holds [01]\.\d s of sound, under the 2 s a voice needs", one_second)
    rng = np.random.default_rng(7)
    noisy = reference_problem(speech + rng.normal(0.0, 0.1, len(speech)))
    assert noisy is not None and re.fullmatch(r"the reference recording is noisy \(its speech is \d+ dB over its quiet, under 15 dB\)", noisy)
    assert reference_problem(speech[: 16000 * 2]) is not None and reference_problem(speech) is None
