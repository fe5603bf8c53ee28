"""Unit tests of the small pure pieces, where that is clearer than a whole run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import wait_for
from voicebox_e2e.server.target import candidates
from voicebox_e2e.config import ConfigError, settings_from_userdata
from voicebox_e2e.server.redaction import redact
from voicebox_e2e.reports.cells import table_cell
from voicebox_e2e.reports.changes import compare
from voicebox_e2e.reports.rows import fenced
from voicebox_e2e.row.spec import make_spec, spec_from_table
from voicebox_sim.engine import audio as sim_audio


def test_synthesized_speech_is_deterministic_for_a_seed_and_follows_the_text() -> None:
    text = "The quick brown fox jumps over the lazy dog."
    assert sim_audio.synthesize(text, 42) == sim_audio.synthesize(text, 42)
    assert sim_audio.synthesize(text, 42) != sim_audio.synthesize(text, 7)
    assert len(sim_audio.synthesize(text + text, 42)) > len(sim_audio.synthesize(text, 42))


def test_the_search_order_follows_the_design_per_platform() -> None:
    repo = Path("/vb")
    assert [str(p) for p in candidates(repo, "darwin")] == ["/vb/backend/dist/voicebox-server-cuda/voicebox-server-cuda", "/vb/backend/dist/voicebox-server"]
    assert [p.name for p in candidates(repo, "win32")] == ["voicebox-server-cuda.exe", "voicebox-server-rocm.exe", "voicebox-server.exe"]
    assert [p.name for p in candidates(repo, "linux")] == ["voicebox-server-cuda", "voicebox-server-rocm", "voicebox-server"]


def test_settings_defaults_and_flags() -> None:
    settings = settings_from_userdata({"only": "kokoro, qwen", "keep_data_dir": "yes", "port": "0"}, environ={})
    assert settings.only == frozenset({"kokoro", "qwen"}) and settings.keep_data_dir and settings.port is None
    assert settings.uses_simulator and settings.timeout_cached == 180 and settings.timeout_download == 1200
    assert settings.selects("kokoro") and not settings.selects("tada")
    with pytest.raises(ConfigError, match="only and skip together leave no engine"):
        settings_from_userdata({"only": "kokoro", "skip": "kokoro"}, environ={})


def test_voicebox_repo_comes_from_the_environment(tmp_path: Path) -> None:
    settings = settings_from_userdata({"skip_build": "true"}, environ={"VOICEBOX_REPO": str(tmp_path)})
    assert settings.voicebox_repo == tmp_path and not settings.uses_simulator


def test_table_cells_cannot_break_the_table_or_inject_html() -> None:
    cell = table_cell("a | b\nc <img src=x> `d`")
    assert "\n" not in cell and "\\|" in cell and "&lt;img" in cell and "\\`" in cell


def test_a_fence_is_longer_than_any_backtick_run_inside() -> None:
    block = fenced("```\ninjected\n````")
    assert block.startswith("`````text\n") and block.endswith("\n`````")


def test_tokens_are_redacted() -> None:
    assert redact("token hf_AbCdEf123456 and s3cret!", {"HF_TOKEN": "s3cret!"}) == "token hf_[redacted] and [redacted]"


def test_compare_finds_regressions_fixes_and_slower_rows() -> None:
    before = [{"row": "1", "engine": "qwen", "model_size": "1.7B", "status": "passed", "elapsed_seconds": 2.0},
              {"row": "2", "engine": "qwen", "model_size": "0.6B", "status": "failed", "elapsed_seconds": 2.0},
              {"row": "3", "engine": "kokoro", "model_size": None, "status": "passed", "elapsed_seconds": 0.2}]
    after = [{"row": "1", "engine": "qwen", "model_size": "1.7B", "status": "passed", "elapsed_seconds": 5.0},
             {"row": "2", "engine": "qwen", "model_size": "0.6B", "status": "passed", "elapsed_seconds": 2.0},
             {"row": "3", "engine": "kokoro", "model_size": None, "status": "timeout", "elapsed_seconds": 0.5}]
    changes = compare(before, after, slower_factor=1.5)
    assert [e["row"] for e in changes["regressions"]] == ["3"]
    assert [e["row"] for e in changes["fixes"]] == ["2"]
    assert [e["row"] for e in changes["slower"]] == ["1"], "row 3 grew 2.5x but by under 1 s"


def test_table_rows_become_specs() -> None:
    spec = spec_from_table({"row": "5", "engine": "luxtts", "model_size": "—", "model_name": "luxtts"}, text="Hi.")
    assert (spec.model_size, spec.label, spec.request_body("p")) == (None, "luxtts", {"profile_id": "p", "text": "Hi.", "language": "en", "engine": "luxtts", "seed": 42, "normalize": True})
    assert make_spec("1", "qwen", "1.7B", "qwen-tts-1.7B", "Hi.", "Japanese").request_body("p")["language"] == "ja"
    with pytest.raises(ValueError, match="Unknown language 'Klingon'"):
        make_spec("1", "qwen", "1.7B", "qwen-tts-1.7B", "Hi.", "Klingon")


def test_expect_gpu_is_auto_true_or_false() -> None:
    assert settings_from_userdata({}, environ={}).expect_gpu is None
    assert settings_from_userdata({"expect_gpu": "true"}, environ={}).expect_gpu is True
    assert settings_from_userdata({"expect_gpu": "false"}, environ={}).expect_gpu is False
    with pytest.raises(ConfigError, match="expect_gpu must be auto, true or false"):
        settings_from_userdata({"expect_gpu": "cuda"}, environ={})


def test_row_language_names_become_api_codes_and_unknown_ones_are_refused() -> None:
    assert spec_from_table({"row": "M13", "engine": "chatterbox", "model_size": "—", "model_name": "chatterbox-tts", "language": "Hebrew"}).language == "he"
    with pytest.raises(ValueError, match="Unknown language 'Klingon'"):
        make_spec("M99", "qwen", "1.7B", "qwen-tts-1.7B", "Qapla'", "Klingon")


def test_the_server_log_file_is_redacted_as_written_even_when_a_token_spans_two_reads(tmp_path: Path) -> None:
    from voicebox_e2e.server.logs import LogCapture

    log = LogCapture(tmp_path / "server.log")
    reader, writer = os.pipe()
    with os.fdopen(reader, "rb", buffering=0) as stream:
        log.pump(stream, "stdout")
        first = b"INFO token=hf_AbCdEf"  # the read ends inside the token
        os.write(writer, first)
        wait_for(lambda: log.bytes_seen >= len(first), 5, "the log reader to read the first chunk")  # before the rest is written
        os.write(writer, b"123456789 loaded\n\xff not utf-8\nlast line without newline hf_ZyXwVu98765")
        os.close(writer)
        log.close()
    text = (tmp_path / "server.log").read_bytes()
    assert b"hf_AbCdEf" not in text and b"hf_ZyXwVu" not in text
    assert text == b"INFO token=hf_[redacted] loaded\n\xff not utf-8\nlast line without newline hf_[redacted]"
