"""The @samples, @long_reference and @foreign_reference rows against the simulator: what each
profile is made from, and each of their faults failing its row for the right reason while the
rows beside it pass."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from conftest import ROOT, run_suite
from voicebox_e2e.row.references import Recording, make_reference, reference_title

REFERENCE = Recording(ROOT / "fixtures" / "reference_voice.wav", (ROOT / "fixtures" / "reference_voice.txt").read_text().strip())


def seconds(wav: Path) -> float:
    with wave.open(str(wav), "rb") as source:
        return source.getnframes() / source.getframerate()


def test_each_reference_is_made_as_its_cell_says(tmp_path: Path) -> None:
    three = make_reference("three samples", REFERENCE, tmp_path)
    assert len(three.samples) == 3 and len({s.text for s in three.samples}) == 3
    assert all(2.0 <= seconds(s.wav) <= 30.0 for s in three.samples)  # each one the server takes
    assert three.voice == REFERENCE and three.tail == three.samples[-1]
    long = make_reference("28 s", REFERENCE, tmp_path)
    assert 25.0 <= seconds(long.samples[0].wav) <= 28.0, seconds(long.samples[0].wav)
    assert long.samples[0].text == " ".join([REFERENCE.text] * 4) and long.voice == REFERENCE
    french = make_reference("French", REFERENCE, tmp_path)
    assert french.language == "fr" and french.voice == french.samples[0] and french.voice.text.startswith("Bonjour.")
    assert reference_title("28 s") == "the reference repeated to about 28 s"


@pytest.mark.parametrize("key, problem", [
    ("Klingon", r"^Unknown reference 'Klingon' in the feature file; use a format \(wav-44k, mp3"),
    ("German", r"reference_voice_de\.wav or its transcript reference_voice_de\.txt is missing; add both"),
    ("5 s", r"^reference_voice\.wav \(6\.4 s\) does not fit twice in 5 s; name a longer reference length\.$"),
])
def test_a_reference_that_cannot_be_made_says_what_to_do(tmp_path: Path, key: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        make_reference(key, REFERENCE, tmp_path)


SCENARIO = """
[models."qwen-tts-0.6B"]
samples = "other"
[models."luxtts"]
reference_words_over = 20
[models."chatterbox-tts"]
foreign_reference = "Generation failed: ref_text is required when x_vector_only_mode=False (ICL mode). Bad index=0"
[models."tada-3b-ml"]
foreign_reference = "babble"
"""


@pytest.mark.suite
@pytest.mark.hearing
def test_each_reference_fault_fails_its_row_and_only_its_row(tmp_path: Path) -> None:
    run = run_suite(
        tmp_path, "--name", r"^Row (S1|S2|S3|R3|R4|X6|X7|X9|X10|X11):", "-D", "asr=on",
        tags="@samples or @long_reference or @foreign_reference", scenario=SCENARIO, timeout=600,
    )
    assert run.statuses() == {
        "S1": "passed", "S2": "failed", "S3": "passed", "R3": "failed", "R4": "passed",
        "X6": "failed", "X7": "failed", "X9": "passed", "X10": "failed", "X11": "failed",
    }, run.proc.stdout[-3000:]
    rows = run.rows()
    assert rows["S2"]["error"].startswith("the voice does not match the reference: similarity"), rows["S2"]
    assert rows["S2"]["workload"] == "three samples of the reference voice"
    assert rows["R3"]["error"] == "it starts with the reference recording's last words, 'is clear today', before the sentence", rows["R3"]
    for row in ("X6", "X7"):
        assert rows[row]["error"].endswith("ref_text is required when x_vector_only_mode=False (ICL mode). Bad index=0"), rows[row]
        assert rows[row]["cause"] == "engine", rows[row]
    for row in ("X10", "X11"):
        assert rows[row]["cause"] == "audio" and rows[row]["error"].startswith("unintelligible"), rows[row]
    assert rows["X9"]["voice"]["similarity"] >= 0.75 and rows["X11"]["workload"] == "a reference recording in French"
    assert "| S2 | qwen | 0.6B | en | three samples of the reference voice | FAIL | audio |" in run.markdown
    run.assert_clean()
