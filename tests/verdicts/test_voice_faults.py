"""Whose voice, through behave against the simulator: a cloned profile speaks in the Kokoro voice
nearest its reference (and passes), the ``voice = "other"`` fault fails its row with cause audio,
and the ``language`` fault (another language's sentence) fails the speech check."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_suite

pytestmark = [pytest.mark.suite, pytest.mark.hearing]  # every test here runs behave against the simulator

LUXTTS = ("-D", "only=luxtts")  # row 5: luxtts speaks with the cloned voice


def test_a_clone_in_the_references_voice_passes_and_its_similarity_is_reported(tmp_path: Path) -> None:
    run = run_suite(tmp_path, *LUXTTS, scenario="")
    row = run.rows()["5"]
    assert row["status"] == "passed", row
    assert row["voice"]["checked"] and row["voice"]["similarity"] >= 0.75 and row["voice"]["limit"] == 0.75, row["voice"]
    assert run.report["voice"]["rows_checked"] == 1 and run.report["voice"]["not_checked"] is None
    assert "- Voice: 1 cloned rows compared with the reference recording's voice" in run.markdown
    assert f"| 5 | luxtts | en | {row['voice']['similarity']:.2f} | the reference's voice |" in run.markdown


def test_another_speakers_voice_fails_the_row_with_cause_audio(tmp_path: Path) -> None:
    run = run_suite(tmp_path, *LUXTTS, scenario='[models.luxtts]\nvoice = "other"\n')
    row = run.rows()["5"]
    assert row["status"] == "failed" and row["cause"] == "audio", row
    assert row["error"].startswith("the voice does not match the reference: similarity "), row["error"]
    assert row["voice"]["similarity"] < 0.5
    assert "another voice (limit 0.75)" in run.markdown
    # the evidence of a failed row: its generation's server log lines
    assert row["server_log_tail"] and "POST /generate" in row["server_log_tail"]


def test_voice_min_similarity_and_voice_check_are_settings(tmp_path: Path) -> None:
    strict = run_suite(tmp_path / "strict", *LUXTTS, "-D", "voice_min_similarity=0.999", scenario="")
    assert strict.rows()["5"]["error"].endswith("(the same speaker scores about 0.9; limit 0.999)"), strict.rows()["5"]
    off = run_suite(tmp_path / "off", *LUXTTS, "-D", "voice_check=off", scenario='[models.luxtts]\nvoice = "other"\n')
    row = off.rows()["5"]
    assert row["status"] == "passed" and row["voice"]["note"] == "voice not checked (voice_check=off)"
    assert "> **Voice not checked** (voice_check=off)" in off.markdown


def test_another_languages_sentence_fails_the_speech_check(tmp_path: Path) -> None:
    # row M22: tada 3B, cloned, asked for Spanish; the model says the Italian fox sentence
    run = run_suite(
        tmp_path, "-D", "asr=on", "--name", "^Row M22:", scenario='[models."tada-3b-ml"]\nlanguage = "it"\n', tags="@multilingual and @tada",
    )
    row = run.rows()["M22"]
    assert row["status"] == "failed" and row["cause"] == "audio", row
    assert row["error"].startswith(("unintelligible: CER ", "spoke Italian, asked for Spanish")), row["error"]
