"""Which device a row's model ran on, read from the server's own "Loading ..." log line.

Every Voicebox backend logs ``Loading <model> on <device>...`` when it loads a model (cpu, cuda,
mps, xpu; ROCm builds say cuda, as torch names it); the MLX backend on Apple Silicon says
``Loading MLX TTS model <size>...``. A row whose model was already loaded prints no such line:
the device of its earlier load stands (``DeviceMemory``).
"""

from __future__ import annotations

import re
from typing import Optional, Sequence

_LOADING_ON = re.compile(r"\bLoading\b.*\bon ([A-Za-z_]+(?::\d+)?|privateuseone:\d+)\.\.\.")
_LOADING_MLX = re.compile(r"\bLoading MLX\b")


def device_loaded(lines: Sequence[str]) -> Optional[str]:
    """The device named by the last model-loading line, or None when no model was loaded."""
    for line in reversed(lines):
        found = _LOADING_ON.search(line)
        if found:
            return found.group(1).lower()
        if _LOADING_MLX.search(line):
            return "mlx"
    return None


class DeviceMemory:
    """The device each model was last loaded on in this run, for rows that load nothing."""

    def __init__(self) -> None:
        self._by_model: dict[str, str] = {}

    def resolve(self, model_name: str, seen: Optional[str]) -> Optional[str]:
        if seen is not None:
            self._by_model[model_name] = seen
            return seen
        return self._by_model.get(model_name)
