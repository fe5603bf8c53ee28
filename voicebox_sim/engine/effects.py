"""Effects chains as the real server checks them, and its built-in presets (``effects.json``:
``backend/utils/effects.py`` at v0.5.0, MIT: each effect's parameters with their bounds)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

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
