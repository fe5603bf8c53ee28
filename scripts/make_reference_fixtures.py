"""Make the reference recordings the workloads clone from, beside fixtures/reference_voice.wav and
the same way it was made: Kokoro-82M's real voices (the simulator's engine, voicebox_sim/engine/kokoro.py).

    python scripts/make_reference_fixtures.py

fixtures/samples/emma-{1,2,3}.wav: three more recordings of the reference's voice (bf_emma), each
with its words in a .txt beside it, for a profile with several samples. (The reference itself is
6.4 s with one pause: cut in three, two of its pieces would be under the 2 s the real server takes.)
fixtures/reference_voice_fr.wav: the reference's text in French, by Kokoro's French voice (ff_siwis).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voicebox_sim.engine import kokoro  # noqa: E402
from voicebox_sim.engine.audio import pcm_wav  # noqa: E402

RECORDINGS = [
    ("samples/emma-1", "en", "bf_emma", "Good morning. I am reading a few lines so the studio can learn my voice."),
    ("samples/emma-2", "en", "bf_emma", "The train to the coast leaves at nine, and we will be there by lunch."),
    ("samples/emma-3", "en", "bf_emma", "Please keep the windows closed while the rain is still falling outside."),
    ("reference_voice_fr", "fr", "ff_siwis",
     "Bonjour. Ceci est un court enregistrement de référence pour le test de clonage de voix. Le ciel est dégagé aujourd'hui."),
]


def main() -> int:
    problem = kokoro.available()
    if problem is not None:
        print(f"Kokoro cannot speak here ({problem}); run scripts/bootstrap.sh first.", file=sys.stderr)
        return 1
    for name, language, voice, text in RECORDINGS:
        samples = kokoro.say(text, language, voice)
        if samples is None:
            print(f"Kokoro failed on {name}.", file=sys.stderr)
            return 1
        wav = ROOT / "fixtures" / f"{name}.wav"
        wav.parent.mkdir(parents=True, exist_ok=True)
        wav.write_bytes(pcm_wav(samples, kokoro.SAMPLE_RATE))
        wav.with_suffix(".txt").write_text(text + "\n", encoding="utf-8")
        print(f"{wav.relative_to(ROOT)}: {len(samples) / kokoro.SAMPLE_RATE:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
