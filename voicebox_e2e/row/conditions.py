"""What a row ran under beyond its spec: the network cut off, its models moved (``@offline``),
another model downloading (``@while_downloading``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class OfflineCondition:
    """How an ``@offline`` row ran: what was cut or moved, and what it is held against."""

    how: str  # for the reports: how the network was cut, or where the models were moved
    online_load_seconds: Optional[float] = None  # the same model's load with the network, this run
    models_dir: Optional[str] = None  # a models folder of its own (VOICEBOX_MODELS_DIR)


@dataclass(frozen=True)
class DownloadCondition:
    """How a ``@while_downloading`` row ran: the other model's download it was sent during."""

    model_name: str  # the model downloading
    progress_when_sent: float  # its progress (%) just before the generation was sent
    running_after: bool  # whether it was still downloading when the generation ended
    error: Optional[str] = None  # how the download ended, if not with the model downloaded

    def describe(self) -> str:
        after = "still downloading when the generation ended" if self.running_after else "finished before the generation did"
        return f"sent while {self.model_name} was downloading ({self.progress_when_sent:.0f} %), {after}"
