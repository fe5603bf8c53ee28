"""The leak watch on its own: the limits are inclusive, the sentence names the growth and the
setting, and a row that passed fails with cause memory past fail_mb while a row that failed for
its own reason keeps it and gets the growth as a warning."""

from __future__ import annotations

from typing import Optional

from voicebox_e2e.row.result import FAILED, PASSED, RowResult
from voicebox_e2e.verdicts.leaks import LeakLimits, LeakWatch

LIMITS = LeakLimits(warn_mb=100, fail_mb=300)


def row(end_mb: Optional[float], error: Optional[str] = None) -> RowResult:
    result = RowResult("1", "kokoro", "kokoro", None, "kokoro", "en", status=PASSED)
    result.server_status = "completed"
    result.performance.rss_end_mb = end_mb
    if error is not None:
        result.fail("audio", error)
        result.decide_cause([])
    return result


def test_growth_of_exactly_the_limits_warns_and_fails_and_counts_the_generations() -> None:
    watch = LeakWatch(LIMITS)
    assert watch.observe("kokoro", 1, 500.0, True) is None
    assert watch.observe("kokoro", 1, 599.0, True) is None  # under warn_mb
    warned = watch.observe("kokoro", 1, 600.0, True)
    assert warned is not None and (warned.baseline_mb, warned.end_mb, warned.generations, warned.failed) == (500.0, 600.0, 2, False)
    failed = watch.observe("kokoro", 1, 800.0, True)
    assert failed is not None and failed.failed and failed.generations == 3
    assert failed.sentence(LIMITS) == (
        "server memory grew by 300 MB over 3 more generation(s) of kokoro while it stayed loaded (500 → 800 MB; leak_fail_mb = 300)"
    )
    assert warned.sentence(LIMITS).endswith("(500 → 600 MB; leak_warn_mb = 100)")


def test_an_unknown_memory_figure_starts_the_baseline_again() -> None:
    watch = LeakWatch(LIMITS)
    watch.observe("kokoro", 1, 500.0, True)
    assert watch.observe("kokoro", 1, None, True) is None
    assert watch.observe("kokoro", 1, 900.0, True) is None  # the new baseline
    growth = watch.observe("kokoro", 1, 1000.0, True)
    assert growth is not None and growth.baseline_mb == 900.0 and growth.generations == 1


def test_a_passing_row_fails_with_cause_memory_and_a_failed_row_gets_a_warning() -> None:
    watch = LeakWatch(LIMITS)
    watch.check(row(500.0), 1)
    warned = row(650.0)
    watch.check(warned, 1)
    assert warned.status == PASSED and warned.warnings == [
        "server memory grew by 150 MB over 1 more generation(s) of kokoro while it stayed loaded (500 → 650 MB; leak_warn_mb = 100)"
    ]
    leaking = row(900.0)
    watch.check(leaking, 1)
    assert leaking.status == FAILED and leaking.cause == "memory" and leaking.warnings == []
    assert leaking.error is not None and leaking.error.startswith("server memory grew by 400 MB over 2 more generation(s)")
    own = row(1000.0, error="the WAV is silent")
    watch.check(own, 1)
    assert own.error == "the WAV is silent" and own.cause == "audio" and len(own.warnings) == 1
