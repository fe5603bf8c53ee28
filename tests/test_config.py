"""The settings, as behave's -D and the environment give them."""

from __future__ import annotations

from pathlib import Path

import pytest

from voicebox_e2e.config import ConfigError, settings_from_userdata


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


def test_expect_gpu_is_auto_true_or_false() -> None:
    assert settings_from_userdata({}, environ={}).expect_gpu is None
    assert settings_from_userdata({"expect_gpu": "true"}, environ={}).expect_gpu is True
    assert settings_from_userdata({"expect_gpu": "false"}, environ={}).expect_gpu is False
    with pytest.raises(ConfigError, match="expect_gpu must be auto, true or false"):
        settings_from_userdata({"expect_gpu": "cuda"}, environ={})
