"""A models folder of the user's own choosing (``VOICEBOX_MODELS_DIR``), made for one row.

Users move their models to another drive (upstream 640, 432, 885); the real server reads
``VOICEBOX_MODELS_DIR`` and points ``HF_HUB_CACHE`` at it (``backend/config.py``). The suite asks
the running server where its cache is (``GET /models/cache-dir``), links (or copies) the row's model folder
(``models--<org>--<name>``, the repository ``GET /models/status`` names) into a folder of its own,
and relaunches the server with ``VOICEBOX_MODELS_DIR`` there and ``HF_HUB_CACHE`` and ``HF_HOME``
at an empty folder: a build that ignored the setting would find nothing and download again, as it
would for a user who had moved the models. The user's cache is only read.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


class ModelsDirError(RuntimeError):
    """The model cannot be copied, in one sentence saying why."""


def repo_folder(repo_id: str) -> str:
    return "models--" + repo_id.replace("/", "--")


def link_or_copy(source: str, target: str) -> None:
    """A hard link (no time, no space: a model is gigabytes), or a copy across file systems."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


class ModelsFolder:
    """A folder in the run's data dir holding copies of models (removed with the data dir), and
    the environment that points a server at it."""

    def __init__(self, data_dir: Path, name: str = "moved-models") -> None:
        self.models = data_dir / name
        self.empty_cache = data_dir / "empty-default-cache"
        self.models.mkdir(exist_ok=True)
        self.empty_cache.mkdir(exist_ok=True)

    def copy_from(self, cache: Path, repo_id: str) -> Path:
        """Copy one repository's folder from the server's cache; returns where it went."""
        source = cache / repo_folder(repo_id)
        if not source.is_dir():
            raise ModelsDirError(
                f"{repo_id} is not in the server's model cache {cache} (GET /models/cache-dir), so there is "
                "nothing to copy: let the row download it once with the network, then run this again."
            )
        target = self.models / source.name
        if not target.exists():
            shutil.copytree(source, target, symlinks=True, copy_function=link_or_copy)
        return target

    def environment(self) -> dict[str, str]:
        return {
            "VOICEBOX_MODELS_DIR": str(self.models),
            "HF_HUB_CACHE": str(self.empty_cache / "hub"),
            "HF_HOME": str(self.empty_cache),
        }

    def describe(self) -> str:
        return f"the models in a folder of their own (VOICEBOX_MODELS_DIR={self.models}), the default cache empty"
