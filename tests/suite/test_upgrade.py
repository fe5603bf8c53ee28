"""The @upgrade check against the simulator: from the simulator playing 0.3.0 (media paths stored
as "data/profiles/...") to this build, clean, with the real 0.4.0 path bug, and with a migration
that loses a table; and an upgrade_from that does not exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_suite

pytestmark = pytest.mark.suite

UPGRADE = {"tags": "@upgrade"}


def check_of(run) -> dict:  # type: ignore[no-untyped-def, type-arg]
    checks = run.report["checks"]
    assert len(checks) == 1, checks
    return dict(checks[0])


def test_an_upgrade_that_keeps_everything_passes(tmp_path: Path) -> None:
    run = run_suite(tmp_path, scenario="", **UPGRADE)
    assert run.code == 0 and check_of(run)["status"] == "passed", run.proc.stdout[-3000:]
    log = next(run.output_dir.glob("upgrade-new-*.log")).read_text(errors="replace")
    assert "Migrating data from Voicebox 0.3.0 to 0.5.0" in log  # this build really opened the old data
    run.assert_clean()


def test_the_0_4_0_path_bug_fails_naming_every_sample_and_audio_it_lost(tmp_path: Path) -> None:
    run = run_suite(tmp_path, scenario="upgrade_bug = true\n", **UPGRADE)
    check = check_of(run)
    assert run.code != 0 and check["status"] == "failed"
    error = check["error"]
    assert error.startswith("[upgrade] The upgrade from ") and " 0.3.0 to " in error and " 0.5.0 lost what the user had: " in error
    assert len(re.findall(r"sample [0-9a-f-]{36} of 'e2e-upgrade-cloned' answered HTTP 404: Audio file not found", error)) == 2
    assert re.search(r"the audio of generation [0-9a-f-]{36} answered HTTP 404: Audio file not found", error)
    assert "Upgrade lost the user's data" in (run.output_dir / "allure-results" / "categories.json").read_text()
    run.assert_clean()


@pytest.mark.parametrize("table,named", [
    ("profiles", ["profile 'e2e-upgrade-cloned' is gone", "profile 'e2e-upgrade-kokoro-af_heart' is gone"]),
    ("story_items", ["story 'e2e-upgrade-story' has 0 of its 1 generations"]),
    ("effect_presets", ["effect preset 'e2e-upgrade-preset' is gone"]),
])
def test_a_migration_that_drops_a_table_fails_naming_it(tmp_path: Path, table: str, named: list[str]) -> None:
    run = run_suite(tmp_path, scenario=f'upgrade_loses = "{table}"\n', **UPGRADE)
    error = check_of(run)["error"]
    assert all(phrase in error for phrase in named), error


def test_an_upgrade_from_that_does_not_exist_is_refused_before_anything_runs(tmp_path: Path) -> None:
    run = run_suite(tmp_path, "-D", f"upgrade_from={tmp_path / 'voicebox-server-0.4.5'}", **UPGRADE)
    assert run.code == 2
    assert run.proc.stderr.strip().endswith(f"upgrade_from names {tmp_path / 'voicebox-server-0.4.5'}, which does not exist; pass the previous release's voicebox-server.")
