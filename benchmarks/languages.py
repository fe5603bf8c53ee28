"""How the speech check judges each language, measured on real outputs. Prints a table; asserts nothing.

    .venv/bin/python benchmarks/languages.py

For each real Voicebox 0.5.0 kokoro output in ``voicebox_sim/engine/recordings`` (the fox sentence
in its own language), the speech check's score of:
- the real output for its own row (it must pass, with room to spare);
- every other language's real output served for this row (it must fail);
- the real output served for a row that asked for another sentence (it must fail);
- the simulator's babble in this language (it must fail).
A language is judged by default only where all four hold.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voicebox_e2e.verdicts.languages import ANOTHER_SENTENCE  # noqa: E402
from voicebox_e2e.verdicts.recognizer import Recognizer  # noqa: E402
from voicebox_e2e.verdicts.speech_score import SpeechLimits, score  # noqa: E402
from voicebox_sim.engine import speech  # noqa: E402
from voicebox_sim.engine.audio import pcm_wav  # noqa: E402

FOX = speech.fox_recordings()


def main() -> None:
    recognizer = Recognizer()
    limits = SpeechLimits(judged_languages=frozenset(FOX))
    scratch = Path(tempfile.mkdtemp(prefix="languages-"))
    print("| lang | own output | worst other language (passes?) | another sentence | babble | seconds |")
    print("|---|---|---|---|---|---|")
    for language, (recording, text) in FOX.items():
        started = time.monotonic()
        own = score(text, language, recognizer.hear(recording, language), limits)
        others = []
        for other, (other_recording, _) in FOX.items():
            if other != language:
                result = score(text, language, recognizer.hear(other_recording, language), limits)
                others.append((result.problem is None, result.error_rate or 0.0, other, result.transcript))
        worst = min(others, key=lambda o: (not o[0], o[1]))
        sentence = score(ANOTHER_SENTENCE[language], language, recognizer.hear(recording, language), limits)
        babbled = speech.speak(text, language, 42, "babble")
        wav = scratch / f"babble-{language}.wav"
        assert babbled is not None, "eSpeak NG (espeakng-loader) is part of the requirements"
        wav.write_bytes(pcm_wav(babbled))
        babble = score(text, language, recognizer.hear(wav, language), limits)
        passed_others = sum(1 for o in others if o[0])
        print(
            f"| {language} | {own.metric} {own.error_rate:.2f} '{own.transcript}' {'PASS' if own.problem is None else 'FAIL: ' + own.problem} "
            f"| {passed_others}/{len(others)} pass; lowest {worst[2]} {worst[1]:.2f} '{worst[3][:40]}' "
            f"| {sentence.error_rate:.2f} {'PASS' if sentence.problem is None else 'fails'} "
            f"| {babble.error_rate:.2f} {'PASS' if babble.problem is None else 'fails'} | {time.monotonic() - started:.0f} |"
        )


if __name__ == "__main__":
    main()
