"""Hugging Face tokens never reach a report, an attachment or an assertion message."""

from __future__ import annotations

import os
import re
from typing import Any, Mapping, Optional

HF_TOKEN_PATTERN = re.compile(r"hf_[A-Za-z0-9]{6,}")


def redact(text: str, environ: Optional[Mapping[str, str]] = None) -> str:
    """Hide Hugging Face tokens: anything shaped like ``hf_...`` and the value of HF_TOKEN."""
    env = os.environ if environ is None else environ
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"):
        secret = env.get(name, "")
        if len(secret) >= 4:
            text = text.replace(secret, "[redacted]")
    return HF_TOKEN_PATTERN.sub("hf_[redacted]", text)


def redact_bytes(raw: bytes) -> bytes:
    """``redact`` for raw output: bytes that are not UTF-8 pass through unchanged."""
    if not raw:
        return raw
    return redact(raw.decode("utf-8", errors="surrogateescape")).encode("utf-8", errors="surrogateescape")


def redact_tree(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [redact_tree(v) for v in value]
    if isinstance(value, dict):
        return {k: redact_tree(v) for k, v in value.items()}
    return value
