"""Real memory the simulator holds, so the suite's memory sampling measures something true.

A model holds ``memory_mb`` while it is loaded (freed when another model replaces it), and a
leaking model keeps ``leak_mb_per_generation`` more after every generation, never freed, as
users saw the real server grow from ~350 MB to 12 GB. The bytes are written, not just reserved,
so they count in the process's resident set. Writing hundreds of MB takes a while, so the server
does it off its event loop (``resident`` in a thread), during the phase it belongs to.
"""

from __future__ import annotations

MB = 1024 * 1024
CHUNK = 4 * MB


def resident(megabytes: float) -> list[bytes]:
    """``megabytes`` of memory that is really resident (every page written), in pieces of a few
    MB, so a thread writing it lets the event loop run between the pieces."""
    size = int(megabytes * MB)
    return [b"\x01" * min(CHUNK, size - start) for start in range(0, size, CHUNK)]


class ModelMemory:
    def __init__(self) -> None:
        self.loaded: dict[str, list[bytes]] = {}
        self.leaked: list[list[bytes]] = []

    def load(self, model_name: str, block: list[bytes]) -> None:
        """Hold ``block`` (from ``resident``) for this model, and only this one (one TTS model at a time)."""
        self.loaded = {model_name: block} if block else {}

    def generated(self, leaked: list[bytes]) -> None:
        """Keep ``leaked`` (from ``resident``) for good."""
        if leaked:
            self.leaked.append(leaked)

    @property
    def held_mb(self) -> float:
        return sum(len(piece) for block in (*self.loaded.values(), *self.leaked) for piece in block) / MB
