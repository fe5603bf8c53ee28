"""The status probe: a row learns that its generation ended from GET /history/{id} sooner than
the once-a-second status stream says so, and the phase times get that precision too. Each test
runs behave against the simulator, with a status stream slowed to one event every 3 s so the
difference cannot hide in timing noise."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import run_suite

pytestmark = [pytest.mark.suite, pytest.mark.timing]  # behave against the simulator; the point is when the row learns of the end

KOKORO = ("-D", "only=kokoro")
SLOW_STREAM = "status_poll_seconds = 3.0\nload_seconds = 0.3\ngenerate_seconds = 0.6\n"
# A real CUDA out-of-memory text from the Voicebox tracker (tests/data/real_errors.json).
OOM = json.loads((Path(__file__).resolve().parents[1] / "data" / "real_errors.json").read_text(encoding="utf-8"))
OOM_TEXT = next(e["text"] for e in OOM if e["cause"] == "memory" and e["text"].startswith("torch.cuda.OutOfMemoryError"))


def test_the_probe_sees_the_end_before_the_stream_does(tmp_path: Path) -> None:
    probed = run_suite(tmp_path / "probed", *KOKORO, "-D", "status_probe_seconds=0.1", scenario=SLOW_STREAM)
    stream = run_suite(tmp_path / "stream", *KOKORO, "-D", "status_probe_seconds=0", scenario=SLOW_STREAM)
    fast, slow = probed.rows()["10"], stream.rows()["10"]
    assert fast["status"] == slow["status"] == "passed", (probed.proc.stdout[-2000:], stream.proc.stdout[-2000:])
    # What the probe promises, in bounds a loaded machine cannot break: the stream alone learns of
    # the end with its second event, 3 s after the first (status_poll_seconds); the probe learns
    # of it before that, the generation's 0.9 s plus at most a probe (and whatever the machine adds).
    assert slow["elapsed_seconds"] >= 3.0
    assert fast["elapsed_seconds"] < 3.0 <= slow["elapsed_seconds"]
    perf = fast["performance"]
    # each phase no shorter than the simulator's sleep less one probe (0.1 s), and no longer than
    # a generous ceiling; "generating" also holds the server's WAV writing
    assert 0.3 - 0.1 <= perf["load_seconds"] <= 0.3 + 1.5
    assert 0.6 - 0.1 <= perf["generate_seconds"] <= 0.6 + 1.5
    assert slow["performance"]["generate_seconds"] is None  # the stream never showed "generating"
    assert fast["statuses_seen"][-1] == "completed" and fast["reconnects"] == 0
    # the probe read the record about nine times; the row's API exchanges show the one that ended it
    exchanges = [a["name"] for result in _allure_results(probed.output_dir) for step in result["steps"] for a in step.get("attachments", [])]
    assert len([name for name in exchanges if " GET /history/" in name]) == 1, exchanges
    probed.assert_clean()


def test_a_failure_the_probe_reads_keeps_the_servers_words(tmp_path: Path) -> None:
    fault = SLOW_STREAM + f'[models."kokoro"]\nfail = {json.dumps(OOM_TEXT)}\n'
    run = run_suite(tmp_path, *KOKORO, "-D", "status_probe_seconds=0.1", scenario=fault)
    row = run.rows()["10"]
    assert row["status"] == "failed" and row["server_status"] == "failed"
    assert row["error"] == OOM_TEXT and row["cause"] == "memory"
    assert row["elapsed_seconds"] < 3.0  # before the stream's second event, 3 s after its first
    assert run.code != 0
    run.assert_clean()


def _allure_results(output_dir: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in (output_dir / "allure-results").glob("*-result.json")]
