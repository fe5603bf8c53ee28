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

import hashlib
import json
import sys
from functools import cache
from pathlib import Path
from typing import Any, Optional

import numpy as np

from voicebox_sim.engine import kokoro
from voicebox_sim.engine.audio import pcm_wav
from voicebox_sim.engine.made import made

TABLE = Path(__file__).resolve().parent / "voices.json"
TABLE_SENTENCE = "The quick brown fox jumps over the lazy dog. We met at noon by the old mill."


@cache
def table() -> dict[str, "np.ndarray[Any, Any]"]:
    stored = json.loads(TABLE.read_text(encoding="utf-8"))
    return {name: np.asarray(vector, dtype=np.float32) for name, vector in stored["voices"].items()}


def ranked(reference: Path) -> list[tuple[float, str]]:
    """Every voice's similarity to the reference, nearest first. Embedded in a process of its own
    (the embedder never counts in the server's memory) and kept in the speech cache by the
    recording's bytes."""
    data = reference.read_bytes()
    return _ranked(hashlib.sha256(data).hexdigest(), str(reference))


@cache
def _ranked(digest: str, path: str) -> list[tuple[float, str]]:
    ranking = made(f"voices-{digest}.json", ("voicebox_sim.engine.voices", "--rank"), path.encode(), timeout=120)
    if ranking is None:
        raise OSError(f"the Kokoro voices could not be ranked against {path}")
    return [(float(score), str(name)) for score, name in json.loads(ranking)]


def rank(reference: Path) -> list[tuple[float, str]]:
    from voicebox_e2e.verdicts.speaker import SpeakerEmbedder, similarity

    wanted = SpeakerEmbedder().embed(reference)
    return sorted(((round(similarity(vector, wanted), 5), name) for name, vector in table().items()), reverse=True)


# A Kokoro voice id's first letter is its language (a/b: American/British English).
LANGUAGES = {"a": "en", "b": "en", "e": "es", "f": "fr", "h": "hi", "i": "it", "j": "ja", "p": "pt", "z": "zh"}
# A clone in another language than its voice's: the voice's sound (80 %) with the prosody (80 %) of
# a native voice, as a cloning model keeps the speaker and speaks the language. Kokoro reads
# foreign phonemes with its own language's timing, which the recognizer hears as that language.
SOUND, PROSODY = 0.8, 0.2


def language_of(voice: str) -> str:
    return LANGUAGES.get(voice[:1], "")


def speaking(voice: str, language: str, by_nearness: list[tuple[float, str]]) -> str:
    """``voice`` speaking ``language``: itself in its own language, else blended with that
    language's default voice (Kokoro's first of the language, the one the real recordings speak
    in); for a language Kokoro has no voice of, with the nearest voice that is not English.

    The default voice rather than the one nearest the reference: measured on the Hindi fox
    sentence, blending with hf_beta (nearest) was heard at CER 0.24 or 0.37 depending on the
    silence after it, with hf_alpha at 0.21 either way (and 0.87 of the reference's voice)."""
    if language_of(voice) == language:
        return voice
    default = preset(None, language)
    natives = [default] if default is not None else [name for _, name in by_nearness if language_of(name) not in ("en", "")]
    if not natives:
        return voice
    return f"{voice}:{SOUND}/{PROSODY}+{natives[0]}:{1 - SOUND:.1f}/{1 - PROSODY:.1f}"


def clone(reference: Path, language: str, other: bool = False) -> str:
    """The voice a cloned profile speaks ``language`` in: the nearest to its reference (``other``:
    the farthest), as a Kokoro voice spec (``kokoro.blend``)."""
    by_nearness = ranked(reference)
    return speaking(by_nearness[-1 if other else 0][1], language, by_nearness)


def preset(voice_id: Optional[str], language: str) -> Optional[str]:
    """The Kokoro voice a preset profile speaks ``language`` in: its own where it is a Kokoro
    voice of that language, else Kokoro's first voice of the language; None where Kokoro has none."""
    if voice_id in table() and language_of(voice_id) == language:
        return voice_id
    return next((name for name in sorted(table()) if language_of(name) == language), None)


def main() -> int:
    """``--rank`` (a WAV's path on stdin): every voice's similarity to it, as JSON on stdout. Without: write
    ``voices.json``, each voice's embedding of ``TABLE_SENTENCE`` (a few minutes)."""
    if sys.argv[1:] == ["--rank"]:  # a reference recording's path on stdin
        print(json.dumps(rank(Path(sys.stdin.read().strip()))))
        return 0
    import tempfile

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
            path.write_bytes(pcm_wav(samples, kokoro.SAMPLE_RATE))
            found[name] = [round(float(x), 5) for x in embedder.embed(path)]
            print(name, file=sys.stderr)
    model = f"kokoro-v1.0 int8 ONNX, npm {kokoro.VOICES_PACKAGE} voices"
    rows = [f"    {json.dumps(name)}: {json.dumps(found[name])}" for name in sorted(found)]  # a voice a line
    head = f'{{\n  "sentence": {json.dumps(TABLE_SENTENCE)},\n  "model": {json.dumps(model)},\n  "voices": {{\n'
    TABLE.write_text(head + ",\n".join(rows) + "\n  }\n}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
