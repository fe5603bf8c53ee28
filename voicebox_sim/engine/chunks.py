"""Long text as the real server speaks it (``backend/utils/chunked_tts.py`` at e766c7c): split at
sentence ends into chunks of at most ``max_chunk_chars``, each generated alone, joined with a
linear crossfade of ``crossfade_ms``; text within the chunk size takes the one-shot path.

Faults, per model in the scenario: ``chunks = "drop" | "double" | "blend"`` damages the seam
after the middle chunk (the next chunk is left out, said twice, or laid over this one's end), as
users met it (upstream 715); ``falloff = true`` makes the last third of the speech unintelligible
(played backwards), as "the voice goes to crap in the last third" (upstream 363, 307).
"""

from __future__ import annotations

import re
from array import array
from typing import Callable, Optional

CHUNK_FAULTS = ("drop", "double", "blend")
DEFAULT_CHUNK_CHARS = 800
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|[\u3002\uff01\uff1f]")
Speak = Callable[[str], "Optional[array[int]]"]


def split(text: str, max_chars: int) -> list[str]:
    """Chunks of at most ``max_chars``, cut after the last sentence end that fits (else the last
    clause mark, else the last space, else hard), as the real splitter cuts plain prose."""
    remaining, chunks = text.strip(), []
    while remaining:
        if len(remaining) <= max_chars:
            chunks.append(remaining)
            break
        segment = remaining[:max_chars]
        ends = [m.start() for m in _SENTENCE_END.finditer(segment)]
        cut = ends[-1] if ends else -1
        if cut == -1:
            clauses = [m.start() for m in re.finditer(r"[;:,\u2014](?:\s|$)", segment)]
            cut = clauses[-1] if clauses else segment.rfind(" ")
        if cut == -1:
            cut = max_chars - 1
        chunks.append(remaining[: cut + 1].strip())
        remaining = remaining[cut + 1:].lstrip()
    return [c for c in chunks if c]


def join(parts: "list[array[int]]", rate: int, crossfade_ms: int) -> "array[int]":
    """The chunks' samples joined, each seam faded over ``crossfade_ms``."""
    result = array("h", parts[0]) if parts else array("h")
    fade = int(rate * crossfade_ms / 1000)
    for part in parts[1:]:
        overlap = min(fade, len(result), len(part))
        start = len(result) - overlap
        for i in range(overlap):
            w = (i + 1) / (overlap + 1)
            result[start + i] = int(result[start + i] * (1 - w) + part[i] * w)
        result.extend(part[overlap:])
    return result


def speak_chunked(text: str, max_chars: int, crossfade_ms: int, rate: int, speak: Speak, fault: Optional[str] = None, falloff: bool = False) -> "Optional[array[int]]":
    """The speech of ``text`` through the chunker, with the scenario's damage if any."""
    chunks = split(text, max_chars)
    parts = [speak(chunk) for chunk in chunks]
    if any(p is None for p in parts):
        return None
    made: "list[array[int]]" = [p for p in parts if p is not None]
    if fault in CHUNK_FAULTS and len(made) > 1:
        seam = max(0, len(made) // 2 - 1)  # the seam after the middle chunk
        if fault == "drop":
            del made[seam + 1]
        elif fault == "double":
            made.insert(seam + 1, array("h", made[seam + 1]))
        else:  # blend: the next chunk laid over the last 60 % of this one
            here, after = made[seam], made[seam + 1]
            start = int(len(here) * 0.4)
            mixed = array("h", here[:start])
            for i in range(start, len(here)):
                j = i - start
                mixed.append(max(-32768, min(32767, here[i] + (after[j] if j < len(after) else 0))))
            made[seam] = mixed
            made[seam + 1] = array("h", after[len(here) - start:])
    speech = join(made, rate, crossfade_ms)
    if falloff:
        cut = len(speech) * 2 // 3
        speech = speech[:cut] + array("h", reversed(speech[cut:]))
    return speech
