"""Every setting behave.ini documents, set with ``-D`` as QA would, changes what the run does: a
setting that is read but ignored fails its test here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_suite

pytestmark = pytest.mark.suite  # every test here runs behave against the simulator

KOKORO = ("-D", "only=kokoro")  # row 10: kokoro's af_heart says the fox sentence (a real recording)
SPEECH = ("-D", "asr=on")
KOKORO_ROW = {"tags": "@multilingual and @kokoro"}


def row_named(row: str) -> tuple[str, ...]:
    return ("--name", f"^Row {row}:")


def test_prepare_parallel_limits_the_downloads_at_once(tmp_path: Path) -> None:
    # the same two uncached models the prepare test fetches side by side under the default 3
    scenario = "download_mb_per_s = 50\nlink_mb_per_s = 100\ndownload_size_scale = 0.2\ncached_models = []\n"
    run = run_suite(tmp_path, "-D", "only=kokoro,luxtts", "-D", "prepare_parallel=1", scenario=scenario)
    assert run.statuses() == {"5": "passed", "10": "passed"}
    assert run.report["prepare"]["parallel"] == 1, run.report["prepare"]


def test_slower_and_heavier_factors_decide_what_counts_as_a_change(tmp_path: Path) -> None:
    # a second of generating: long enough for the status probe to time it
    before = run_suite(tmp_path / "before", *KOKORO, scenario="generate_seconds = 1.0\n")
    assert before.rows()["10"]["performance"]["generate_seconds"] is not None
    previous = next(before.output_dir.glob("e2e-*.json"))
    # 4 s instead of 1 s generating, 300 MB more resident: slower and heavier by the defaults
    worse = "generate_seconds = 1.0\n[models.kokoro]\nslow_seconds = 4\nmemory_mb = 300\n"

    def flagged(*settings: str) -> tuple[bool, bool]:
        run = run_suite(tmp_path / "-".join(settings or ("defaults",)), *KOKORO, "-D", f"previous={previous}", *settings, scenario=worse)
        changes = run.report["changes"]["performance"]
        return bool(changes["slower"]), bool(changes["heavier"])

    assert flagged() == (True, True)
    assert flagged("-D", "slower_factor=100") == (False, True)
    assert flagged("-D", "heavier_factor=100") == (True, False)


@pytest.mark.hearing
def test_asr_languages_chooses_where_the_words_are_judged(tmp_path: Path) -> None:
    babble = "[models.kokoro]\nspeech = \"babble\"\n"
    judged = run_suite(tmp_path / "judged", *SPEECH, *row_named("M37"), scenario=babble, **KOKORO_ROW)
    assert judged.rows()["M37"]["error"].startswith("unintelligible: CER "), judged.rows()["M37"]
    not_judged = run_suite(tmp_path / "not", *SPEECH, "-D", "asr_languages=en", *row_named("M37"), scenario=babble, **KOKORO_ROW)
    row = not_judged.rows()["M37"]
    assert row["status"] == "passed" and "words not judged in Spanish (asr_languages)" in row["speech"]["note"], row


@pytest.mark.hearing
def test_speech_max_error_rate_is_the_english_limit(tmp_path: Path) -> None:
    run = run_suite(tmp_path, *KOKORO, *SPEECH, "-D", "speech_max_error_rate=2", scenario="[models.kokoro]\nspeech = \"babble\"\n")
    row = run.rows()["10"]
    assert row["status"] == "passed" and row["speech"]["error_rate"] > 0.5, row  # past the default 0.5


@pytest.mark.hearing
def test_speech_max_cer_is_the_limit_in_the_other_languages(tmp_path: Path) -> None:
    # the real French recording's reading is close but not exact (CER above zero)
    run = run_suite(tmp_path, *SPEECH, "-D", "speech_max_cer=0", *row_named("M38"), scenario="", **KOKORO_ROW)
    error = run.rows()["M38"]["error"]
    assert error.startswith("unintelligible: CER 0.") and "heard '" in error, error


@pytest.mark.hearing
def test_speech_min_language_probability_decides_when_english_is_sure(tmp_path: Path) -> None:
    english = "[models.kokoro]\nspeech = \"wrong_language\"\n"
    words_aside = ("-D", "asr_languages=en", *row_named("M37"))  # Spanish words not judged: only the language is
    sure = run_suite(tmp_path / "sure", *SPEECH, *words_aside, scenario=english, **KOKORO_ROW)
    assert sure.rows()["M37"]["error"].startswith("spoke English, asked for Spanish"), sure.rows()["M37"]
    never = run_suite(tmp_path / "never", *SPEECH, *words_aside, "-D", "speech_min_language_probability=1", scenario=english, **KOKORO_ROW)
    assert never.rows()["M37"]["status"] == "passed", never.rows()["M37"]


@pytest.mark.hearing
def test_bleed_max_correlation_is_the_bleed_limit(tmp_path: Path) -> None:
    # any output correlates with the reference's tail a little: at a limit of 0 every cloned row bleeds
    run = run_suite(tmp_path, "-D", "only=luxtts", *SPEECH, "-D", "bleed_max_correlation=0", scenario="")
    error = run.rows()["5"]["error"]
    assert error.startswith("the last ") and "of the reference recording is at the start of the output (correlation 0." in error, error


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("audio_min_seconds_per_char=0.25", "s of audio is implausible for 44 characters (expected 11.0-13.2 s)"),
        ("audio_max_seconds_per_char=0.03", "s of audio is implausible for 44 characters (expected 0.9-1.3 s)"),
    ],
)
def test_the_length_window_is_a_setting(tmp_path: Path, setting: str, message: str) -> None:
    run = run_suite(tmp_path, *KOKORO, "-D", setting, scenario="")
    error = run.rows()["10"]["error"]
    assert error.startswith("bad audio: ") and message in error, error


def test_audio_max_clipped_share_is_the_clipping_limit(tmp_path: Path) -> None:
    clipped = "[models.kokoro]\nwav = \"clipped\"\n"
    run = run_suite(tmp_path / "default", *KOKORO, scenario=clipped)
    assert run.rows()["10"]["error"].startswith("bad audio: the audio is clipped throughout ("), run.rows()["10"]
    allowed = run_suite(tmp_path / "allowed", *KOKORO, "-D", "audio_max_clipped_share=1", scenario=clipped)
    assert allowed.rows()["10"]["status"] == "passed", allowed.rows()["10"]


def test_audio_min_trailing_quiet_is_the_cut_off_warning(tmp_path: Path) -> None:
    run = run_suite(tmp_path, *KOKORO, "-D", "audio_min_trailing_quiet=5", scenario="")
    row = run.rows()["10"]
    assert row["status"] == "passed"
    assert any("its last word may be cut off" in warning for warning in row["warnings"]), row["warnings"]


def test_reference_text_is_the_transcript_sent_with_the_sample(tmp_path: Path) -> None:
    # the simulator's reference_words fault says the stored transcript's last words again: the ones sent
    transcript = "Green apples grow near the old stone house."
    run = run_suite(tmp_path, "-D", "only=luxtts", *SPEECH, "-D", f"reference_text={transcript}", scenario="[models.luxtts]\nspeech = \"reference_words\"\n")
    error = run.rows()["5"]["error"]
    assert "it starts with the reference recording's last words, '" in error and "old stone" in error, error


def test_simulator_true_ignores_a_configured_binary(tmp_path: Path) -> None:
    started = tmp_path / "started"
    binary = tmp_path / "voicebox-server"
    binary.write_text(f"#!/bin/sh\ntouch {started}\nexit 3\n")
    binary.chmod(0o755)
    run = run_suite(tmp_path, *KOKORO, "-D", f"binary={binary}", "-D", "simulator=true", scenario="")
    assert run.statuses() == {"10": "passed"}
    assert run.report["target"] == "simulator", json.dumps(run.report)[:500]
    assert not started.exists()  # the binary was never run
