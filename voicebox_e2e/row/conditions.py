"""What a row ran under beyond its spec: the network cut off, its models moved (``@offline``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class OfflineCondition:
    """How an ``@offline`` row ran: what was cut or moved, and what it is held against."""

    how: str  # for the reports: how the network was cut, or where the models were moved
    online_load_seconds: Optional[float] = None  # the same model's load with the network, this run
    models_dir: Optional[str] = None  # a models folder of its own (VOICEBOX_MODELS_DIR)
