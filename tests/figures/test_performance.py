"""How fast and how heavy each model is: the figures the reports give agree with what the
simulator was told, a leaking model is flagged, and a slowed / heavier model shows as a change
against the previous run. Each test runs behave against the simulator as QA would."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from conftest import gpu_named_simulator, run_suite
from voicebox_sim.engine.speech import RECORDINGS
from voicebox_e2e.verdicts.leaks import LeakLimits, LeakWatch

KOKORO = ("-D", "only=kokoro")
# the real 0.5.0 server's kokoro af_heart recording of the fox sentence, which the simulator serves
with wave.open(str(RECORDINGS / "en-af_heart-fox.wav"), "rb") as _fox:
    FOX_SECONDS = _fox.getnframes() / _fox.getframerate()


# The real server's status stream (one event a second) and the suite's default status probe.
REAL_POLL = "status_poll_seconds = 1.0\n"
PROBE = 0.25  # behave.ini's status_probe_seconds: a phase is known to within one probe
CEILING = 1.5  # what a loaded 2-core machine may add to a phase, generously


@pytest.mark.suite
@pytest.mark.timing
def test_the_figures_agree_with_the_simulated_model(tmp_path: Path) -> None:
    """At the real server's 1 s status stream: each phase no shorter than what the simulator was
    told less one probe, and no longer than that plus a generous ceiling."""
    binary = gpu_named_simulator(tmp_path / "dist")  # a CUDA build: /health reports VRAM
    run = run_suite(tmp_path, *KOKORO, "-D", f"binary={binary}", scenario=REAL_POLL + '[models."kokoro"]\nrtf = 0.5\nmemory_mb = 200\n')
    row = run.rows()["10"]
    perf = row["performance"]
    assert row["status"] == "passed" and row["audio_duration"] == pytest.approx(FOX_SECONDS, abs=0.01)
    generate = 0.5 * FOX_SECONDS  # rtf 0.5 of the speech made
    assert generate - PROBE <= perf["generate_seconds"] <= generate + CEILING, perf
    assert perf["real_time_factor"] == pytest.approx(perf["generate_seconds"] / FOX_SECONDS, abs=0.01)
    assert 0.1 - PROBE <= perf["load_seconds"] <= 0.1 + CEILING, perf  # fast.toml's load_seconds
    assert perf["first_status_seconds"] <= 1.0 + CEILING  # the stream's first event, within its first second
    assert perf["rss_peak_mb"] >= 200 and perf["rss_end_mb"] >= 200  # the model's 200 MB, held by the server tree
    assert perf["rss_peak_mb"] < 200 + 400
    assert perf["vram_used_mb"] == pytest.approx(312.8, abs=0.1)  # /health: the simulated weights on the GPU
    assert "## Performance" in run.markdown and "| 10 | kokoro |" in run.markdown.split("## Performance")[1]


@pytest.mark.suite
def test_a_model_whose_memory_keeps_growing_is_flagged_then_failed(tmp_path: Path) -> None:
    fault = '[models."kokoro"]\nleak_mb_per_generation = 120\n'
    run = run_suite(tmp_path, *KOKORO, "-D", "leak_warn_mb=200", "-D", "leak_fail_mb=500", scenario=fault, tags="@english or @multilingual")
    by_row = run.rows()
    # behave runs the feature files in name order: the seven other Kokoro languages, then row 10
    rows = [by_row[n] for n in ("M37", "M38", "M39", "M40", "M41", "M42", "M43", "10")]
    # the baseline row, then +120 MB per generation: warned from 2 generations on, failed from 5
    assert [r["status"] for r in rows[:5]] == ["passed"] * 5
    assert not rows[0]["warnings"] and not rows[1]["warnings"] and rows[2]["warnings"]
    assert "server memory grew by" in rows[2]["warnings"][0] and "leak_warn_mb = 200" in rows[2]["warnings"][0]
    failed = rows[5:]
    assert all(r["status"] == "failed" and r["cause"] == "memory" for r in failed), [(r["row"], r["status"], r["cause"]) for r in failed]
    assert "leak_fail_mb = 500" in failed[0]["error"] and "of kokoro while it stayed loaded" in failed[0]["error"]
    assert "## Warnings" in run.markdown
    run.assert_clean()


@pytest.mark.suite
@pytest.mark.timing
def test_a_slower_heavier_model_shows_against_the_previous_run(tmp_path: Path) -> None:
    before = run_suite(tmp_path / "before", *KOKORO, scenario='[models."kokoro"]\nrtf = 0.2\nmemory_mb = 100\n')
    previous = next(before.output_dir.glob("e2e-*.json"))
    after = run_suite(tmp_path / "after", *KOKORO, "-D", f"previous={previous}", scenario='[models."kokoro"]\nrtf = 1.0\nmemory_mb = 400\n')
    performance = after.report["changes"]["performance"]
    assert [e["row"] for e in performance["slower"]] == ["10"] and [e["row"] for e in performance["heavier"]] == ["10"]
    entry = performance["rows"][0]
    assert entry["generate_seconds_now"] > 3 * entry["generate_seconds_before"]
    markdown = after.markdown
    assert "Slower generation (more than 1.5×): row 10 kokoro" in markdown and "Heavier (peak memory more than 1.25×): row 10 kokoro" in markdown
    assert after.statuses() == {"10": "passed"}  # slower is reported, not failed


@pytest.mark.suite
def test_an_unchanged_model_is_neither_slower_nor_heavier(tmp_path: Path) -> None:
    scenario = '[models."kokoro"]\nrtf = 0.3\nmemory_mb = 100\n'
    before = run_suite(tmp_path / "before", *KOKORO, scenario=scenario)
    after = run_suite(tmp_path / "after", *KOKORO, "-D", f"previous={next(before.output_dir.glob('e2e-*.json'))}", scenario=scenario)
    performance = after.report["changes"]["performance"]
    assert performance["slower"] == [] and performance["heavier"] == [] and len(performance["rows"]) == 1


def test_the_leak_watch_starts_afresh_for_another_model_or_server() -> None:
    watch = LeakWatch(LeakLimits(warn_mb=100, fail_mb=300))
    assert watch.observe("a", 1, 500.0, True) is None  # baseline
    growth = watch.observe("a", 1, 650.0, True)
    assert growth is not None and not growth.failed and growth.grown_mb == 150 and growth.generations == 1
    assert watch.observe("b", 1, 2000.0, True) is None  # another model: a new baseline
    assert watch.observe("b", 2, 4000.0, True) is None  # a relaunched server: a new baseline
    failed = watch.observe("b", 2, 4300.0, True)
    assert failed is not None and failed.failed
    assert watch.observe("b", 2, 9000.0, False) is None  # a failed generation resets
