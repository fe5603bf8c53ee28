"""The simulator's model cache and hub client: where its models live, that it never writes into a
cache that is not its own, and what it logs when the hub cannot be reached."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from voicebox_e2e.server.network import HubCut
from voicebox_sim.engine import hub
from voicebox_sim.engine.cache import MARKER, ModelCache, repo_folder


def test_without_a_folder_named_its_models_live_in_the_data_dir_as_the_scenario_says(tmp_path: Path) -> None:
    cache = ModelCache.for_server(tmp_path, ["kokoro"], {})
    assert cache.folder == tmp_path / "models" and "kokoro" in cache and "luxtts" not in cache
    assert (tmp_path / "models" / "models--hexgrad--Kokoro-82M" / "snapshots").is_dir()
    cache.add("luxtts")
    assert "luxtts" in ModelCache.for_server(tmp_path, [], {})  # kept for the next start


def test_voicebox_models_dir_comes_first_and_starts_empty(tmp_path: Path) -> None:
    env = {"VOICEBOX_MODELS_DIR": str(tmp_path / "moved"), "HF_HUB_CACHE": str(tmp_path / "hub")}
    cache = ModelCache.for_server(tmp_path, ["kokoro"], env)
    assert cache.folder == tmp_path / "moved" and "kokoro" not in cache  # nothing written there unasked
    assert ModelCache.for_server(tmp_path, ["kokoro"], env, honour_models_dir=False).folder == tmp_path / "hub"
    assert ModelCache.for_server(tmp_path, [], {"HF_HOME": str(tmp_path / "home")}).folder == tmp_path / "home" / "hub"


def test_a_cache_that_is_not_its_own_is_read_and_never_written(tmp_path: Path) -> None:
    users = tmp_path / "users-cache"
    (users / "models--someone--else").mkdir(parents=True)
    before = sorted(p.relative_to(users) for p in users.rglob("*"))
    cache = ModelCache.for_server(tmp_path, ["kokoro"], {"HF_HUB_CACHE": str(users)})
    assert "kokoro" not in cache  # the folder decides, not the scenario: kokoro is not in it
    cache.add("luxtts")
    assert "luxtts" in cache  # remembered in memory
    assert sorted(p.relative_to(users) for p in users.rglob("*")) == before and not (users / MARKER).exists()


def test_a_download_left_incomplete_is_not_cached(tmp_path: Path) -> None:
    cache = ModelCache.for_server(tmp_path, ["kokoro"], {})
    blobs = cache.folder / repo_folder("kokoro") / "blobs"
    blobs.mkdir(parents=True)
    (blobs / "0a1b.incomplete").write_bytes(b"")
    assert "kokoro" not in cache


def test_with_the_hub_refused_each_file_is_asked_for_six_times_in_the_hub_clients_words(caplog: pytest.LogCaptureFixture) -> None:
    cut = HubCut("refused")
    try:
        with caplog.at_level(logging.WARNING, logger="huggingface_hub.utils._http"):
            failed = hub.ask_for_files("kokoro", cut.environment(), backoff_scale=0.0, timeout=5.0)
    finally:
        cut.close()
    lines = [r.getMessage() for r in caplog.records]
    assert failed == 18  # 3 files, 6 tries each
    assert [line for line in lines if line.startswith("Retrying in")][:5] == [
        "Retrying in 1s [Retry 1/5].", "Retrying in 2s [Retry 2/5].", "Retrying in 4s [Retry 3/5].",
        "Retrying in 8s [Retry 4/5].", "Retrying in 8s [Retry 5/5].",
    ]
    asked = [line for line in lines if "thrown while requesting HEAD" in line]
    assert len(asked) == 18 and "Unable to connect to proxy" in asked[0] and "Connection refused" in asked[0]
    assert asked[0].endswith("thrown while requesting HEAD https://huggingface.co/hexgrad/Kokoro-82M/resolve/main/config.json")


def test_the_hub_is_not_asked_offline_or_without_a_proxy() -> None:
    cut = HubCut("refused")
    try:
        assert hub.ask_for_files("kokoro", {**cut.environment(), "HF_HUB_OFFLINE": "1"}, 0.0, 5.0) == 0
    finally:
        cut.close()
    assert hub.ask_for_files("kokoro", {}, 0.0, 5.0) == 0


def test_a_folder_not_its_own_holds_what_its_files_say(tmp_path: Path) -> None:
    """The suite's models folder: hard links of some of the simulator's models, no marker."""
    own = ModelCache.for_server(tmp_path / "data", ["kokoro", "luxtts"], {})
    moved = tmp_path / "moved"
    shutil.copytree(own.folder / repo_folder("kokoro"), moved / repo_folder("kokoro"))
    cache = ModelCache.for_server(tmp_path / "data", ["kokoro", "luxtts"], {"VOICEBOX_MODELS_DIR": str(moved)})
    assert not cache.writable and "kokoro" in cache and "luxtts" not in cache
