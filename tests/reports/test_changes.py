"""What changed since the previous run."""

from __future__ import annotations

from voicebox_e2e.reports.changes import compare


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
