"""Effects chains as the real server checks them, and its built-in presets (``effects.json``:
``backend/utils/effects.py`` at v0.5.0, MIT: each effect's parameters with their bounds)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

import numpy as np

_DATA = json.loads((Path(__file__).with_name("effects.json")).read_text(encoding="utf-8"))
REGISTRY: dict[str, dict[str, list[float]]] = _DATA["registry"]
BUILTIN_PRESETS: list[dict[str, Any]] = _DATA["builtin_presets"]


def validate_chain(chain: list[dict[str, Any]]) -> Optional[str]:
    """None for a chain the real server takes, else its error text (``validate_effects_chain``)."""
    for index, effect in enumerate(chain):
        kind = effect.get("type")
        if kind not in REGISTRY:
            return f"Unknown effect type '{kind}' at index {index}. Available: {list(REGISTRY.keys())}"
        for name, value in (effect.get("params") or {}).items():
            if name not in REGISTRY[kind]:
                return f"Effect '{kind}' at index {index}: unknown param '{name}'"
            if not isinstance(value, (int, float)):
                return f"Effect '{kind}' at index {index}: param '{name}' must be a number"
            low, high = REGISTRY[kind][name]
            if value < low or value > high:
                return f"Effect '{kind}' at index {index}: param '{name}' must be between {low} and {high} (got {value})"
    return None


def apply_gain(wav: bytes, chain: list[dict[str, Any]]) -> bytes:
    """A 16-bit PCM WAV with each enabled ``gain`` effect's ``gain_db`` applied (clipped); the
    chain's other effects leave the samples as they are (the simulator does not imitate them)."""
    gain_db = sum(float((e.get("params") or {}).get("gain_db", 0.0)) for e in chain if e.get("type") == "gain" and e.get("enabled", True))
    if not gain_db:
        return wav
    header, data = wav[:44], wav[44:]
    samples = np.frombuffer(data[: len(data) - len(data) % 2], dtype="<i2").astype(np.float64)
    scaled = np.clip(np.round(samples * 10 ** (gain_db / 20)), -32768, 32767).astype("<i2")
    return header + scaled.tobytes()
