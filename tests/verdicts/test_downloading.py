"""The download a @while_downloading row ran during, judged on its own: the row's workload says
what the download was doing, and a download that did not end with the model fails a row that
otherwise passed (cause download) or is a warning on a row that failed for its own reason."""

from __future__ import annotations

from typing import Optional

from voicebox_e2e.row.conditions import DownloadCondition
from voicebox_e2e.row.result import FAILED, PASSED, RowResult
from voicebox_e2e.row.spec import make_spec
from voicebox_e2e.verdicts.base import RowContext
from voicebox_e2e.verdicts.downloading import DownloadDuringCheck

STALLED = "did not finish within 30 s (timeout_download): it was at 50 %"


def judged(download: Optional[DownloadCondition], error: Optional[str] = None) -> RowResult:
    spec = make_spec("W1", "qwen", "0.6B", "qwen-tts-0.6B", "The quick brown fox jumps over the lazy dog.", "English", {})
    result = RowResult(spec.row, spec.label, spec.engine, spec.model_size, spec.model_name, spec.language, status=PASSED)
    if error is not None:
        result.fail("generation", error)
        result.decide_cause([])
    DownloadDuringCheck().judge(result, RowContext(spec, None, 1, None, downloading=download))
    return result


def test_a_row_not_run_during_a_download_is_left_alone() -> None:
    result = judged(None)
    assert (result.status, result.workload, result.warnings) == (PASSED, None, [])


def test_a_download_that_finished_leaves_the_row_passed_with_its_workload() -> None:
    result = judged(DownloadCondition("qwen-tts-1.7B", 37.4, True))
    assert result.status == PASSED and result.cause is None and result.warnings == []
    assert result.workload == "sent while qwen-tts-1.7B was downloading (37 %), still downloading when the generation ended"
    assert judged(DownloadCondition("qwen-tts-1.7B", 99.6, False)).workload == (
        "sent while qwen-tts-1.7B was downloading (100 %), finished before the generation did"
    )


def test_a_download_that_did_not_finish_fails_a_passing_row_with_cause_download() -> None:
    result = judged(DownloadCondition("chatterbox-turbo", 50.0, True, STALLED))
    assert result.status == FAILED and result.cause == "download"
    assert result.error == f"the download of chatterbox-turbo, which the row ran during, {STALLED}"
    assert result.warnings == []


def test_a_row_that_failed_for_its_own_reason_keeps_it_and_the_download_is_a_warning() -> None:
    result = judged(DownloadCondition("chatterbox-turbo", 50.0, True, "failed: disk full"), error="CUDA out of memory")
    assert result.status == FAILED and result.cause == "memory" and result.error == "CUDA out of memory"
    assert result.warnings == ["the download of chatterbox-turbo, which the row ran during, failed: disk full"]
