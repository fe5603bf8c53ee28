"""The model cache as the real server finds it: a Hugging Face hub cache folder.

The real server (``backend/config.py`` at e766c7c) takes ``VOICEBOX_MODELS_DIR`` when it is set
and points ``HF_HUB_CACHE`` at it; otherwise huggingface_hub's own ``HF_HUB_CACHE`` (or
``$HF_HOME/hub``). A model is there when ``models--<org>--<name>/snapshots/<rev>/`` holds its
files and no ``blobs/*.incomplete`` is left (``backends/base.py``). ``GET /models/cache-dir``
answers the folder.

What the simulator does differently, so that it never writes into someone's real cache:

- With no folder named in the environment it keeps its models in ``<data dir>/models`` (the real
  server's ``get_models_dir()``, which it does not use for the hub) and writes the scenario's
  ``cached_models`` there at start-up, as if they had been downloaded before.
- A folder the environment names is written to (downloads leave small stand-in files under the
  real names) only when it is new, empty, or already the simulator's (``MARKER``). Any other
  folder is read, never written: what it holds decides, as it does for the real server (the
  suite's own models folder, hard links of the simulator's files, is one), and this process's
  downloads are kept in memory. The scenario's ``cached_models`` are not added to such a folder:
  a model missing from it is missing, and downloads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping

from voicebox_sim.engine import catalogue

MARKER = ".voicebox-simulator-cache"
REVISION = "0123456789abcdef0123456789abcdef01234567"  # the one snapshot a stand-in model has

# The files each model's loader asks the hub for. Kokoro's and Qwen's are the real ones (the
# contract's offline trace and upstream 327/557); the others are two names of the same kind.
_HUB_FILES: dict[str, tuple[str, ...]] = {
    "kokoro": ("config.json", "kokoro-v1_0.pth", "voices/af_heart.pt"),
}
_QWEN_FILES = ("config.json", "model.safetensors", "custom_generate/generate.py")
_OTHER_FILES = ("config.json", "model.safetensors")


def hub_files(model_name: str) -> tuple[str, ...]:
    if model_name in _HUB_FILES:
        return _HUB_FILES[model_name]
    return _QWEN_FILES if model_name.startswith("qwen") else _OTHER_FILES


def repo_folder(model_name: str) -> str:
    """``models--hexgrad--Kokoro-82M``: the folder huggingface_hub keeps a repository in."""
    return "models--" + catalogue.MODELS_BY_NAME[model_name].hf_repo_id.replace("/", "--")


def named_folder(environ: Mapping[str, str], honour_models_dir: bool = True) -> Path | None:
    """The cache folder the environment names, in the real server's order, or None."""
    if honour_models_dir and environ.get("VOICEBOX_MODELS_DIR"):
        return Path(environ["VOICEBOX_MODELS_DIR"])
    if environ.get("HF_HUB_CACHE"):
        return Path(environ["HF_HUB_CACHE"])
    if environ.get("HF_HOME"):
        return Path(environ["HF_HOME"]) / "hub"
    return None


class ModelCache:
    """Which models are cached (``in``), and a finished download's files (``add``)."""

    def __init__(self, folder: Path, writable: bool, in_memory: Iterable[str] = ()) -> None:
        self.folder, self.writable = folder, writable
        self._in_memory = set(in_memory)

    @classmethod
    def for_server(cls, data_dir: Path, cached_models: Iterable[str], environ: Mapping[str, str], honour_models_dir: bool = True) -> "ModelCache":
        named = named_folder(environ, honour_models_dir)
        if named is None:
            cache = cls(data_dir / "models", writable=True)
            cache._claim()
            for model_name in cached_models:
                if model_name not in cache:
                    cache.add(model_name)
            return cache
        if cls._ours(named):
            cache = cls(named, writable=True)
            cache._claim()
            return cache
        return cls(named, writable=False)

    @staticmethod
    def _ours(folder: Path) -> bool:
        return not folder.exists() or (folder.is_dir() and (not any(folder.iterdir()) or (folder / MARKER).is_file()))

    def _claim(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / MARKER).write_text("stand-in models written by the Voicebox simulator\n", encoding="utf-8")

    def __contains__(self, model_name: object) -> bool:
        if not isinstance(model_name, str) or model_name not in catalogue.MODELS_BY_NAME:
            return False
        if model_name in self._in_memory:
            return True
        repo = self.folder / repo_folder(model_name)
        if any((repo / "blobs").glob("*.incomplete")):
            return False
        snapshot = repo / "snapshots" / REVISION
        return all((snapshot / name).is_file() for name in hub_files(model_name))

    def add(self, model_name: str) -> None:
        """A finished download: its files in the folder (or remembered, for a folder not ours)."""
        if not self.writable:
            self._in_memory.add(model_name)
            return
        repo = self.folder / repo_folder(model_name)
        (repo / "refs").mkdir(parents=True, exist_ok=True)
        (repo / "refs" / "main").write_text(REVISION, encoding="utf-8")
        for name in hub_files(model_name):
            path = repo / "snapshots" / REVISION / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"stand-in for {name} of {catalogue.MODELS_BY_NAME[model_name].hf_repo_id}\n", encoding="utf-8")
