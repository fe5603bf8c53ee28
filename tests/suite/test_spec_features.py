"""The features beyond the matrix: API contract, server lifecycle, multilingual rows, tags."""

from __future__ import annotations

import pytest

import json

from pathlib import Path

from voicebox_e2e.verdicts.languages import JUDGED
from conftest import ROOT, run_suite

pytestmark = pytest.mark.suite  # every test here runs behave, a simulator or the recognizer

LIFECYCLE_CHECKS = {
    "--version answers without starting a server",
    "A new server becomes healthy within the start-up budget",
    "SIGTERM stops an idle server and frees its port",
    "SIGTERM stops the server even while a client watches a model download",
    "The server stops by itself when the process that launched it dies",
}


def checks(run):  # type: ignore[no-untyped-def]
    return {c["name"]: c for c in run.report["checks"]}


def test_the_api_contract_holds_on_a_server_that_behaves(tmp_path: Path) -> None:
    run = run_suite(tmp_path, tags="@contract", scenario="")
    assert run.code == 0, run.proc.stdout[-3000:]
    found = checks(run)
    assert len(found) == 16 and all(c["status"] == "passed" for c in found.values())
    assert "A reference sample that is not usable speech is refused: three seconds of silence" in found
    assert run.report["results"] == []
    assert "## Checks" in run.markdown
    run.assert_clean()


def test_the_api_contract_fails_clearly_on_a_server_that_answers_500(tmp_path: Path) -> None:
    run = run_suite(tmp_path, tags="@contract", scenario="generate_http_500 = true\n")
    assert run.code != 0
    failed = checks(run)["Generating for a profile that does not exist is refused"]
    assert failed["status"] == "failed"
    assert failed["error"] == "expected HTTP 404 with detail 'Profile not found', got HTTP 500: \"Internal Server Error\""
    assert checks(run)["A second profile with a name already taken is refused"]["status"] == "passed"


def test_the_lifecycle_holds_on_a_server_without_the_real_bugs(tmp_path: Path) -> None:
    run = run_suite(tmp_path, tags="@lifecycle", scenario="")
    assert run.code == 0, run.proc.stdout[-3000:]
    assert {name: c["status"] for name, c in checks(run).items()} == {name: "passed" for name in LIFECYCLE_CHECKS}
    run.assert_clean()


def test_the_lifecycle_catches_the_real_watchdog_and_shutdown_bugs(tmp_path: Path) -> None:
    run = run_suite(tmp_path, tags="@lifecycle", scenario="watchdog_bug = true\nshutdown_bug = true\n")
    assert run.code != 0
    found = checks(run)
    watchdog = found["The server stops by itself when the process that launched it dies"]
    assert watchdog["status"] == "failed"
    assert watchdog["error"].startswith("The server was still running 5 s after its --parent-pid process died")
    assert "its --parent-pid watchdog did not stop it" in watchdog["error"]
    shutdown = found["SIGTERM stops the server even while a client watches a model download"]
    assert shutdown["status"] == "failed" and "while a /models/progress stream is open" in shutdown["error"]
    assert found["SIGTERM stops an idle server and frees its port"]["status"] == "passed"
    assert "| FAIL | The server was still running 5 s after its --parent-pid process died" in run.markdown
    run.assert_clean()


# Languages the feature covers through another row, because they share its front-end (the
# feature's description says why): Chatterbox's generic tokenizer path, covered by German.
CHATTERBOX_MERGED = {"fr", "es", "it", "pt", "da", "fi", "ms", "nl", "no", "pl", "sv", "sw", "tr"}


def contract_languages() -> dict[str, set[str]]:
    """Contract §9's table: the languages each /models/status model lists."""
    text = (ROOT / "tests" / "contract" / "REAL_SERVER_BEHAVIOUR.md").read_text(encoding="utf-8")
    section = text[text.index("### Languages each model supports"):text.index("### Preset voices")]
    table: dict[str, set[str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 2 and cells[0] and not cells[0].startswith(("model", "-")):
            for model in cells[0].split(","):
                table[model.strip()] = set(cells[1].split())
    return table


@pytest.mark.hearing
def test_every_language_of_the_release_run_passes_the_speech_and_voice_checks(tmp_path: Path) -> None:
    # one row per language beyond the kokoro rows' (their own test hears those): TADA's nine
    # cloned languages, Chatterbox's ko, he, ru, el and hi, and the preset rows in ja, ko, de, ru
    rows = ("--name", r"^Row M(12|13|14|16|18|19|2[0-7]|29|30|31|33):")
    run = run_suite(tmp_path, "-D", "asr=on", *rows, tags="@multilingual", scenario="", timeout=600)
    assert len(run.rows()) == 18 and {r["language"] for r in run.rows().values()} >= {"ar", "zh", "de", "es", "fr", "it", "ja", "pl", "pt", "ko", "he", "ru", "el", "hi"}
    assert all(r["status"] == "passed" for r in run.rows().values()), [(r["row"], r["error"]) for r in run.rows().values() if r["error"]]
    for row in run.rows().values():
        assert row["speech"]["checked"] and row["speech"]["words_judged"] is (row["language"] in JUDGED), row
        assert (row["voice"] or {}).get("checked", False) is (row["engine"] != "qwen_custom_voice"), row
    assert "(words judged in: es, fr, hi, it, pt, zh; not judged, the recognizer not calibrated there (asr_languages): ar, de, el, he, ja, ko, pl, ru" in run.markdown


def test_multilingual_rows_cover_every_language_of_every_engine(tmp_path: Path) -> None:
    run = run_suite(tmp_path, tags="@multilingual", scenario="")
    assert run.code == 0 and all(r["status"] == "passed" for r in run.rows().values())
    by_engine: dict[str, set[str]] = {}
    for model, languages in contract_languages().items():
        engine = {"qwen-tts": "qwen", "qwen-custom-voice": "qwen_custom_voice", "chatterbox-tts": "chatterbox", "tada-3b-ml": "tada", "kokoro": "kokoro"}
        key = next((e for prefix, e in engine.items() if model.startswith(prefix)), None)
        if key is not None:
            by_engine.setdefault(key, set()).update(languages - {"en"})
    covered_by_engine: dict[str, set[str]] = {}
    for r in run.rows().values():
        covered_by_engine.setdefault(r["engine"], set()).add(r["language"])
    by_engine["chatterbox"] -= CHATTERBOX_MERGED
    assert covered_by_engine == by_engine
    assert len(run.rows()) == sum(len(v) for v in by_engine.values()), "one row per engine and language"
    # Preset engines speak with a voice of that language wherever the engine has one.
    presets = json.loads((ROOT / "tests" / "contract" / "captures" / "presets-kokoro.json").read_text(encoding="utf-8"))
    voice_language = {v["voice_id"]: v["language"] for v in presets["voices"]}
    kokoro_voices = {name.removeprefix("e2e-kokoro-") for name in run.report["profiles_created"] if name.startswith("e2e-kokoro-")}
    assert {voice_language[v] for v in kokoro_voices} == covered_by_engine["kokoro"]
    assert "## By engine" in run.markdown and "| M15 | chatterbox | — | de | cpu | PASS |" in run.markdown
    english = run_suite(tmp_path / "english", "-D", "only=kokoro", scenario="")
    assert set(english.rows()) == {"10"}


def test_the_release_run_puts_english_and_every_language_in_one_report_grouped_by_engine(tmp_path: Path) -> None:
    run = run_suite(tmp_path, "-D", "only=kokoro,luxtts", tags="@english or @multilingual", scenario="")
    assert [r["row"] for r in run.report["results"]] == ["5", "10", "M37", "M38", "M39", "M40", "M41", "M42", "M43"]
    assert run.code == 0


def test_tags_select_by_engine_across_features_and_by_profile_kind(tmp_path: Path) -> None:
    kokoro = run_suite(tmp_path, tags="@kokoro and not @offline and not @workload", scenario="")
    assert set(kokoro.rows()) == {"10", *(f"M{n}" for n in range(37, 44))}
    # the offline and long-text rows carry their engine's tag too (listed, not run)
    listed = run_suite(tmp_path / "listed", "--dry-run", tags="@kokoro and (@offline or @long_text)", scenario="")
    assert {"O11", "O12", "O22", "L11", "L12", "L13"} <= set(listed.proc.stdout.replace(":", " ").split())
    preset = run_suite(tmp_path / "preset", tags="@english and @preset and not @kokoro", scenario="")
    assert set(preset.rows()) == {"3", "4"}
