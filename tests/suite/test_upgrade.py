"""The @upgrade check against the simulator: from the simulator playing 0.3.0 (media paths stored
as "data/profiles/...") to this build, clean, with the real 0.4.0 path bug, and with a migration
that loses a table; and an upgrade_from that does not exist."""

from __future__ import annotations

import re
import sys
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
    check = check_of(run)
    assert run.code == 0 and check["status"] == "passed", run.proc.stdout[-3000:]
    log = next(run.output_dir.glob("upgrade-new-*.log")).read_text(errors="replace")
    assert "Migrating data from Voicebox 0.3.0 to 0.5.0" in log  # this build really opened the old data
    # 0.3.0 has no settings and no MCP bindings: said, not taken for kept
    assert check["notes"] == [
        "Not made, so not checked (voicebox-server 0.3.0 has no route for them): "
        "the generation settings, the captures settings, an MCP binding.",
        "Not made, so not checked: a capture (whisper-base, its speech-to-text model, is not downloaded for the previous build).",
    ]
    assert "Not made, so not checked (voicebox-server 0.3.0" in run.markdown
    run.assert_clean()


def previous_release(tmp_path: Path, version: str) -> Path:
    """A stand-in for a previous release's voicebox-server: the simulator playing ``version``."""
    scenario = tmp_path / "previous.toml"
    scenario.write_text(
        f'version = "{version}"\nstartup_seconds = 0.1\ngenerate_seconds = 0.1\ncached_models = ["kokoro", "whisper-base"]\n', encoding="utf-8"
    )
    binary = tmp_path / f"voicebox-server-{version}"
    binary.write_text(f'#!/bin/sh\nVOICEBOX_SIM_SCENARIO="{scenario}" exec "{sys.executable}" -m voicebox_sim "$@"\n', encoding="utf-8")
    binary.chmod(0o755)
    return binary


def test_from_0_5_0_the_settings_mcp_bindings_and_captures_are_kept_too(tmp_path: Path) -> None:
    run = run_suite(tmp_path, "-D", f"upgrade_from={previous_release(tmp_path, '0.5.0')}", scenario='version = "0.6.0"\n', **UPGRADE)
    check = check_of(run)
    assert run.code == 0 and check["status"] == "passed" and check["notes"] == [], run.proc.stdout[-3000:]
    assert "Migrating data from Voicebox 0.5.0 to 0.6.0" in next(run.output_dir.glob("upgrade-new-*.log")).read_text(errors="replace")


def test_a_migration_that_drops_versions_channels_settings_bindings_and_captures_names_each(tmp_path: Path) -> None:
    tables = '["versions", "channels", "profile_channels", "settings", "mcp_bindings", "captures"]'
    run = run_suite(tmp_path, "-D", f"upgrade_from={previous_release(tmp_path, '0.5.0')}", scenario=f'version = "0.6.0"\nupgrade_loses = {tables}\n', **UPGRADE)
    error = check_of(run)["error"]
    assert run.code != 0 and error.startswith("[upgrade] The upgrade from voicebox-server 0.5.0 to voicebox-server 0.6.0 lost what the user had: ")
    for phrase in (
        r"version 'clean' of generation [0-9a-f-]{36} is gone", r"version 'e2e-upgrade-effects' of generation [0-9a-f-]{36} is gone",
        "audio channel 'e2e-upgrade-channel' is gone", "profile 'e2e-upgrade-cloned' is no longer on audio channel 'e2e-upgrade-channel'",
        "generation setting max_chunk_chars is 800, was 400", "generation setting normalize_audio is True, was False",
        "captures setting stt_model is 'turbo', was 'small'", "the MCP binding of client 'e2e-upgrade-client' is gone",
        r"capture [0-9a-f-]{36} is gone",
    ):
        assert re.search(phrase, error), f"{phrase!r} not in {error}"


def test_the_0_4_0_path_bug_fails_naming_every_sample_and_audio_it_lost(tmp_path: Path) -> None:
    run = run_suite(tmp_path, scenario="upgrade_bug = true\n", **UPGRADE)
    check = check_of(run)
    assert run.code != 0 and check["status"] == "failed"
    error = check["error"]
    assert error.startswith("[upgrade] The upgrade from ") and " 0.3.0 to " in error and " 0.5.0 lost what the user had: " in error
    assert len(re.findall(r"sample [0-9a-f-]{36} of 'e2e-upgrade-cloned' answered HTTP 404: Audio file not found", error)) == 2
    assert re.search(r"the audio of generation [0-9a-f-]{36} answered HTTP 404: Audio file not found", error)
    assert "the avatar of profile 'e2e-upgrade-cloned' answered HTTP 404: Avatar file not found" in error
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
