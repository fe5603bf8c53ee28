"""Which Kokoro voice a cloned profile speaks in: the one nearest its reference recording.

A real cloning model speaks in the voice of the reference it was given. The simulator has Kokoro's
54 real voices; it speaks a cloned profile's text in the voice whose speaker embedding is nearest
the reference's (the same reference, the same voice), and for the ``voice = "other"`` fault in the
one farthest from it. The embeddings of the 54 voices are in ``voices.json`` (each voice saying
``TABLE_SENTENCE``), made by ``python -m voicebox_sim.engine.voices`` with the embedder the suite's
voice check uses (``voicebox_e2e/verdicts/speaker.py``; the simulator borrows it rather than keep a
second copy).
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from voicebox_sim.engine import kokoro

TABLE = Path(__file__).resolve().parent / "voices.json"
TABLE_SENTENCE = "The quick brown fox jumps over the lazy dog. We met at noon by the old mill."


@cache
def table() -> dict[str, "np.ndarray[Any, Any]"]:
    stored = json.loads(TABLE.read_text(encoding="utf-8"))
    return {name: np.asarray(vector, dtype=np.float32) for name, vector in stored["voices"].items()}


@cache
def _ranked(reference: Path, size: int, mtime_ns: int) -> list[tuple[float, str]]:
    """Every voice's similarity to the reference, nearest first (cached per file version)."""
    from voicebox_e2e.verdicts.speaker import SpeakerEmbedder

    wanted = SpeakerEmbedder().embed(reference)
    return sorted(((float(np.dot(vector, wanted)), name) for name, vector in table().items()), reverse=True)


def ranked(reference: Path) -> list[tuple[float, str]]:
    stat = reference.stat()
    return _ranked(reference, stat.st_size, stat.st_mtime_ns)


def nearest(reference: Path) -> str:
    return ranked(reference)[0][1]


def farthest(reference: Path) -> str:
    return ranked(reference)[-1][1]


def main() -> int:
    """Write ``voices.json``: each voice's embedding of ``TABLE_SENTENCE`` (a few minutes)."""
    import tempfile
    import wave

    from voicebox_e2e.verdicts.speaker import SpeakerEmbedder

    embedder = SpeakerEmbedder()
    found: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as work:
        for name in kokoro.voice_names():
            samples = kokoro.say(TABLE_SENTENCE, "en", name)
            if samples is None:
                print(f"Kokoro could not speak as {name}: {kokoro.available()}", file=sys.stderr)
                return 1
            path = Path(work) / f"{name}.wav"
            with wave.open(str(path), "wb") as out:
                out.setnchannels(1)
                out.setsampwidth(2)
                out.setframerate(kokoro.SAMPLE_RATE)
                out.writeframes(samples.tobytes())
            found[name] = [round(float(x), 5) for x in embedder.embed(path)]
            print(name, file=sys.stderr)
    document = {"sentence": TABLE_SENTENCE, "model": "kokoro-v1.0 int8 ONNX, npm kokoro-js 1.2.1 voices", "voices": found}
    TABLE.write_text(json.dumps(document, indent=0) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
