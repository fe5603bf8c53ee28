"""Does it say the words? behave runs against the simulator, which speaks the sentence with
eSpeak NG, and the bundled whisper-base hears every completed row. Each speech fault the
simulator can be told to make fails its row with cause audio and a sentence a person understands;
a recognizer that cannot be loaded never lets a row pass silently."""

from __future__ import annotations

import pytest

import json
from pathlib import Path

from conftest import run_suite

pytestmark = [pytest.mark.suite, pytest.mark.hearing]  # every test here runs behave, a simulator or the recognizer

SPEECH_ON = ("-D", "asr=on")
KOKORO_QWEN = ("-D", "only=kokoro,qwen")


def test_the_sentence_is_heard_in_every_english_row(tmp_path: Path) -> None:
    run = run_suite(tmp_path, *SPEECH_ON, *KOKORO_QWEN, scenario="generate_seconds = 1.0\n")
    assert run.code == 0, run.proc.stdout[-3000:]
    for row in run.rows().values():
        speech = row["speech"]
        assert row["status"] == "passed" and speech["checked"] and speech["words_judged"]
        assert speech["language"] == "en" and speech["error_rate"] <= 0.5, speech
        assert "fox" in speech["transcript"].lower() and "lazy dog" in speech["transcript"].lower()
        # the recognizer's seconds are its own: the row's generation phase is the simulator's 1.0 s
        # (less a status probe at most), never that plus the recognizer's time
        assert speech["seconds"] > 0 and 1.0 - 0.1 <= row["performance"]["generate_seconds"] < 1.0 + speech["seconds"]
    cloned = run.rows()["1"]["speech"]["bleed_correlation"]
    assert cloned is not None and cloned < 0.5  # the cloned row's start is not the reference's tail
    assert run.rows()["10"]["speech"]["bleed_correlation"] is None  # a preset voice has no reference
    report = run.report["speech"]
    assert report["rows_checked"] == 3 and report["not_checked"] is None and report["recognizer_seconds"] > 0
    assert "## Speech" in run.markdown and "- Speech: 3 rows heard by the bundled whisper-base (words judged in: en" in run.markdown
    heard = [a for a in _allure_attachments(run.output_dir) if a["name"] == "heard (speech check)"]
    assert len(heard) == 3
    run.assert_clean()


def test_each_speech_fault_fails_its_row_with_a_sentence(tmp_path: Path) -> None:
    faults = (
        '[models."kokoro"]\nspeech = "babble"\n'
        '[models."qwen-tts-1.7B"]\nspeech = "reference_tail"\n'
        '[models."qwen-tts-0.6B"]\nspeech = "truncated"\n'
        '[models."luxtts"]\nspeech = "wrong_language"\n'
        '[models."chatterbox-tts"]\nspeech = "reference_words"\n'
    )
    run = run_suite(tmp_path, *SPEECH_ON, "-D", "only=kokoro,qwen,luxtts,chatterbox", scenario=faults)
    rows = run.rows()
    assert {row["cause"] for row in rows.values()} == {"audio"} and run.code != 0
    # the evidence: each row's own generation, as the server logged it
    assert all('"POST /generate HTTP/1.1" 200' in (row["server_log_tail"] or "") for row in rows.values()), rows
    assert rows["1"]["error"].startswith("the last 1.5 s of the reference recording is at the start of the output (correlation 1.00")
    assert rows["2"]["error"].startswith("the last ") and "of 9 words are missing" in rows["2"]["error"]
    assert rows["5"]["error"].startswith("unintelligible: WER "), rows["5"]["error"]  # German, in the reference's voice
    assert rows["10"]["error"].startswith("unintelligible: WER")
    # the reference transcript ends "The sky is clear today."; spoken again in the model's voice
    assert rows["6"]["error"] == "it starts with the reference recording's last words, 'is clear today', before the sentence", rows["6"]["speech"]
    assert rows["6"]["speech"]["bleed_correlation"] < 0.5  # not the reference's own samples
    # the WAV itself was fine: only the speech step failed
    assert all(row["audio_path"] and row["server_status"] == "completed" for row in rows.values())
    failed_steps = {step["name"] for result in _allure_tests(run.output_dir) for step in result["steps"] if step["status"] == "failed"}
    assert failed_steps == {"And it says the sentence it was given"}, failed_steps
    run.assert_clean()


def test_english_spoken_for_another_language_is_the_wrong_language_judged_or_not(tmp_path: Path) -> None:
    run = run_suite(tmp_path, *SPEECH_ON, "-D", "only=kokoro", tags="@multilingual", scenario='[models."kokoro"]\nspeech = "wrong_language"\n')
    for row_id, language, judged in (("M37", "spanish", True), ("M42", "japanese", False)):
        row = run.rows()[row_id]
        assert row["status"] == "failed" and row["cause"] == "audio"
        assert row["error"].lower().startswith(f"spoke english, asked for {language} (heard 'the quick"), row["speech"]
        assert row["speech"]["words_judged"] is judged and row["speech"]["language_probability"] >= 0.8


def test_every_kokoro_language_is_heard_and_its_words_judged_where_the_recognizer_was_calibrated(tmp_path: Path) -> None:
    # the simulator speaks the real 0.5.0 kokoro recordings in es, fr, hi, it, pt and zh, eSpeak NG in ja
    run = run_suite(tmp_path, *SPEECH_ON, "-D", "only=kokoro", tags="@multilingual", scenario="")
    assert run.code == 0, [(r["row"], r["error"]) for r in run.rows().values()]
    for row in run.rows().values():
        speech = row["speech"]
        assert speech["checked"] and speech["metric"] == "cer" and speech["error_rate"] is not None, speech
        assert speech["words_judged"] is (row["language"] != "ja"), speech
        assert speech["words_judged"] or "not judged" in speech["note"]
    assert "words judged in: es, fr, hi, it, pt, zh; not judged, the recognizer not calibrated there (asr_languages): ja" in run.markdown


def test_a_recognizer_that_cannot_load_is_said_on_every_row_and_in_the_header(tmp_path: Path) -> None:
    empty = tmp_path / "not-a-model"
    empty.mkdir()
    run = run_suite(tmp_path, *SPEECH_ON, "-D", f"asr_model={empty}", *KOKORO_QWEN, scenario="")
    assert run.code == 0  # the WAV checks still decide; the speech is reported as not checked
    for row in run.rows().values():
        assert row["speech"]["checked"] is False and row["speech"]["note"].startswith("speech not checked: the speech recognizer model")
    reason = run.report["speech"]["not_checked"]
    assert reason and str(empty) in reason
    assert "> **Speech not checked**" in run.markdown
    assert run.proc.stderr.count("Speech not checked:") == 1  # said once, on the console


def test_asr_off_is_said_in_the_header(tmp_path: Path) -> None:
    run = run_suite(tmp_path, "-D", "asr=off", "-D", "only=kokoro", scenario="")
    assert run.rows()["10"]["speech"] == {**run.rows()["10"]["speech"], "checked": False, "note": "speech not checked (asr=off)"}
    assert "> **Speech not checked** (asr=off)" in run.markdown


def _allure_tests(output_dir: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(p.read_text(encoding="utf-8")) for p in (output_dir / "allure-results").glob("*-result.json")]


def _allure_attachments(output_dir: Path) -> list[dict]:  # type: ignore[type-arg]
    found: list[dict] = []  # type: ignore[type-arg]
    for result in _allure_tests(output_dir):
        found += result.get("attachments", [])
        for step in result.get("steps", []):
            found += step.get("attachments", [])
    return found


def test_an_ending_cut_off_with_static_is_a_warning_to_listen_to_it(tmp_path: Path) -> None:
    # asr=off: the WAV's ending alone decides the warning (the recognizer might also hear words missing)
    run = run_suite(tmp_path, "-D", "asr=off", *KOKORO_QWEN, scenario='[models."qwen-tts-1.7B"]\nspeech = "cut_off"\n')
    rows = run.rows()
    assert run.code == 0 and {row["status"] for row in rows.values()} == {"passed"}, "a warning, not a failure"
    assert len(rows["1"]["warnings"]) == 1 and "its last word may be cut off; listen to its end" in rows["1"]["warnings"][0]
    assert rows["1"]["audio_trailing_quiet"] < 0.05
    for clean in (rows["2"], rows["10"]):
        assert clean["warnings"] == [] and clean["audio_trailing_quiet"] >= 0.3
    warnings = run.markdown.split("## Warnings")[1]
    assert "- Row 1 qwen: the speech runs to the end of the WAV" in warnings and "Row 10" not in warnings
    run.assert_clean()
