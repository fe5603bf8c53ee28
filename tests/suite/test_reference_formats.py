"""The @formats rows against the simulator: the reference re-encoded six ways at run time; the
formats the real 0.5.0 takes pass, M4A and WebM are refused with the real server's text and fail
at the profile with cause reference, the report naming the format."""

from __future__ import annotations

from pathlib import Path

import av
import pytest

from conftest import ROOT, run_suite
from voicebox_e2e.row.references import FORMATS, encode

REFERENCE = ROOT / "fixtures" / "reference_voice.wav"


def test_each_format_is_made_from_the_reference_and_reads_back_as_it(tmp_path: Path) -> None:
    for fmt in FORMATS.values():
        made = encode(REFERENCE, fmt, tmp_path)
        with av.open(str(made)) as container:
            stream = container.streams.audio[0]
            family = fmt.codec.removeprefix("lib").removesuffix("lame")  # libmp3lame is decoded as mp3float
            assert stream.codec_context.name.startswith(family), (fmt.name, stream.codec_context.name)
            assert stream.codec_context.sample_rate == fmt.rate
            assert container.duration is not None and abs(container.duration / 1e6 - 6.43) < 0.1, (fmt.name, container.duration)
    with pytest.raises(ValueError, match=r"^Unknown reference format 'aiff' in the feature file; use one of: wav-44k, mp3, m4a, ogg-opus, webm-opus, flac\.$"):
        from voicebox_e2e.row.references import reference_format

        reference_format("aiff")


@pytest.mark.suite
def test_the_formats_the_server_refuses_fail_at_the_profile_naming_the_format(tmp_path: Path) -> None:
    run = run_suite(tmp_path, "-D", "voice_check=off", tags="@formats", scenario="")
    rows = run.rows()
    assert run.statuses() == {"F1": "passed", "F2": "passed", "F3": "failed", "F4": "passed", "F5": "failed", "F6": "passed"}, run.proc.stdout[-3000:]
    for row_id, title, suffix in (("F3", "M4A (AAC)", "m4a"), ("F5", "WebM Opus", "webm")):
        row = rows[row_id]
        assert row["cause"] == "reference" and row["workload"] == f"the reference recording as {title}", row
        assert row["error"].startswith(f"The server refused the reference recording as {title} (reference_voice-")
        assert row["error"].endswith("answered HTTP 400: Invalid reference audio: Error validating audio:"), row["error"]
        assert f".{suffix})" in row["error"]
    markdown = run.markdown
    assert "## Workloads" in markdown and "| F3 | qwen | 0.6B | en | the reference recording as M4A (AAC) | FAIL | reference |" in markdown
    assert "Reference recording refused" in (run.output_dir / "allure-results" / "categories.json").read_text()
    run.assert_clean()
