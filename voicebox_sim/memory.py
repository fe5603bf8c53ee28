"""Real memory the simulator holds, so the suite's memory sampling measures something true.

A model holds ``memory_mb`` while it is loaded (freed when another model replaces it), and a
leaking model keeps ``leak_mb_per_generation`` more after every generation, never freed, as
users saw the real server grow from ~350 MB to 12 GB. The bytes are written, not just reserved,
so they count in the process's resident set.
"""

from __future__ import annotations

MB = 1024 * 1024


def resident(megabytes: float) -> bytes:
    """``megabytes`` of memory that is really resident (every page written)."""
    return b"\x01" * int(megabytes * MB)


class ModelMemory:
    def __init__(self) -> None:
        self.loaded: dict[str, bytes] = {}
        self.leaked: list[bytes] = []

    def load(self, model_name: str, megabytes: float) -> None:
        """Hold ``megabytes`` for this model, and only this one (one TTS model at a time)."""
        self.loaded = {model_name: resident(megabytes)} if megabytes > 0 else {}

    def generated(self, leak_megabytes: float) -> None:
        if leak_megabytes > 0:
            self.leaked.append(resident(leak_megabytes))

    @property
    def held_mb(self) -> float:
        return (sum(len(b) for b in self.loaded.values()) + sum(len(b) for b in self.leaked)) / MB
