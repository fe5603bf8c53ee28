"""Whose voice: the voice check's calibration and its cost per row. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/voices.py

1. The speaker similarity of every pair of the real Voicebox 0.5.0 kokoro outputs in
   ``voicebox_sim/engine/recordings`` (seven voices; af_heart twice, on two texts).
2. With Kokoro installed (the simulator's voices): the reference recording's voice saying the
   fox sentence in each language of the release run, against the reference (the same voice in
   another language), and the voice the ``voice = "other"`` fault picks.
3. The cost: the embedder's load, and its time per row (a 3-4 s WAV) and for the 64-s recording;
   the speech check's recognizer time per row beside it.
"""

from __future__ import annotations

import itertools
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voicebox_e2e.verdicts.recognizer import Recognizer  # noqa: E402
from voicebox_e2e.verdicts.speaker import SpeakerEmbedder, similarity  # noqa: E402
from voicebox_e2e.verdicts.voice import VoiceSettings  # noqa: E402
from voicebox_sim.engine import kokoro, speech, voices  # noqa: E402
from voicebox_sim.engine.audio import pcm_wav  # noqa: E402

RECORDINGS = speech.RECORDINGS
REFERENCE = ROOT / "fixtures" / "reference_voice.wav"


def write(path: Path, samples: "speech.array[int]") -> Path:
    path.write_bytes(pcm_wav(samples, kokoro.SAMPLE_RATE))
    return path


def main() -> None:
    started = time.monotonic()
    embedder = SpeakerEmbedder()
    embedder.embed(RECORDINGS / "en-af_heart-fox.wav")
    print(f"embedder load and first embedding: {time.monotonic() - started:.2f} s")
    paths = sorted(RECORDINGS.glob("*.wav"))
    vectors = {p.stem: embedder.embed(p) for p in paths}
    names = list(vectors)
    print("\n| | " + " | ".join(n.split("-")[1] + ("(long)" if "long" in n else "") for n in names) + " |")
    print("|---" * (len(names) + 1) + "|")
    for a in names:
        print(f"| {a} | " + " | ".join(f"{similarity(vectors[a], vectors[b]):.2f}" for b in names) + " |")
    others = sorted(similarity(vectors[a], vectors[b]) for a, b in itertools.combinations(names, 2) if a.split("-")[1] != b.split("-")[1])
    print(f"\ndifferent voices: {others[0]:.2f}-{others[-1]:.2f}, next highest {others[-2]:.2f} (limit {VoiceSettings.min_similarity})")
    table = voices.table()
    everyone = sorted(float(table[a] @ table[b]) for a, b in itertools.combinations(sorted(table), 2))
    over = sum(1 for score in everyone if score >= VoiceSettings.min_similarity)
    print(f"all {len(everyone)} pairs of Kokoro's {len(table)} voices: median {everyone[len(everyone) // 2]:.2f}, {over} at or over the limit")

    if kokoro.available() is None:
        reference = embedder.embed(REFERENCE)
        print(f"\nthe reference recording's nearest Kokoro voice: {voices.clone(REFERENCE, 'en')}; the 'other' fault's: {voices.clone(REFERENCE, 'en', other=True)}")
        print("| lang | the clone's voice | similarity to the reference | synthesis s (0: cached) |")
        print("|---|---|---|---|")
        with tempfile.TemporaryDirectory() as work:
            for language, (_, text) in speech.fox_recordings().items():
                voice = voices.clone(REFERENCE, language)
                began = time.monotonic()
                samples = kokoro.say(speech.READINGS.get(text, text), language, voice)
                spent = time.monotonic() - began
                if samples is not None:
                    score = similarity(reference, embedder.embed(write(Path(work) / f"{language}.wav", samples)))
                    print(f"| {language} | {voice} | {score:.2f} | {spent:.1f} |")
    else:
        print(f"\nKokoro is not available here: {kokoro.available()}")

    row = RECORDINGS / "en-af_heart-fox.wav"
    runs = 10
    began = time.monotonic()
    for _ in range(runs):
        embedder.embed(row)
    per_row = (time.monotonic() - began) / runs
    began = time.monotonic()
    embedder.embed(RECORDINGS / "en-af_heart-long.wav")
    long_seconds = time.monotonic() - began
    recognizer = Recognizer()
    recognizer.hear(row, "en")
    began = time.monotonic()
    for _ in range(3):
        recognizer.hear(row, "en")
    hearing = (time.monotonic() - began) / 3
    print(f"\nvoice check per row (3.25 s WAV): {per_row * 1000:.0f} ms; the 64-s recording: {long_seconds:.2f} s")
    print(f"speech check per row (the same WAV, whisper-base): {hearing:.2f} s")


if __name__ == "__main__":
    main()
