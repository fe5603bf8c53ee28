"""Real, intelligible speech for completed generations, 24 kHz mono 16-bit like the real server:
- a preset profile asking for a sentence the real Voicebox 0.5.0 kokoro engine was recorded
  saying (``recordings/``): that recording, as the real server returned it;
- else Kokoro-82M's real neural voices (``kokoro.py``): a cloned profile in the voice nearest its
  reference, in every language (``voices.py``); a preset profile in its Kokoro voice, or Kokoro's
  voice of the language;
- else (a language Kokoro has no voice of, or no Kokoro here) eSpeak NG (through the package
  index's ``espeakng-loader``, driven with ctypes) reading the requested text in the requested
  language, deterministic for a seed (the seed sets eSpeak NG's pitch).

The per-model ``speech`` faults produce what Voicebox users reported: ``babble`` (speech-like,
not the words), ``wrong_language`` (the English pipeline used for another language; German
for an English row), ``truncated`` (the sentence's last words missing) and ``reference_tail``
(the end of the reference recording pasted in front of the output), ``reference_words`` (its
transcript's last words spoken again before the sentence, as Voicebox issues 383 and 604 describe
the Qwen engine doing), ``cut_off`` (the last word chopped inside a sound and static after it, as
Voicebox issues 597 and 614 describe). Made speech ends in 0.3 s of quiet, as real outputs do
(eSpeak NG stops on its last sound). Without eSpeak NG the simulator falls back to a voiced buzz
of the sentence's length.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import math
import random
import sys
import wave
from array import array
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Optional

from voicebox_sim.engine import chunks, kokoro, voices
from voicebox_sim.engine.audio import SAMPLE_RATE, TAIL_SECONDS, pcm_wav, speech_duration
from voicebox_sim.engine.made import made

ENGLISH_FOX = "The quick brown fox jumps over the lazy dog."
GERMAN_FOX = "Der schnelle braune Fuchs springt über den faulen Hund."
# The API's language codes, as eSpeak NG names its voices.
VOICES = {"zh": "cmn", "no": "nb"}
SPEECH_FAULTS = ("babble", "wrong_language", "truncated", "reference_tail", "reference_words", "cut_off")
WORDS_PER_MINUTE = 165
# Real Voicebox outputs the simulator speaks with (README.md there says what they are).
RECORDINGS = Path(__file__).resolve().parent / "recordings"
QUIET = 200  # |sample| under this, at a recording's end, is its trailing quiet (-44 dBFS)
# eSpeak NG's Japanese voice reads kana only (kanji come out as their names, three times too
# long): the matrix's Japanese sentence is read from its kana.
READINGS = {"素早い茶色の狐がのろまな犬を飛び越える。": "すばやい ちゃいろの きつねが のろまな いぬを とびこえる。"}

_AUDIO_OUTPUT_SYNCHRONOUS = 0x02
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_PARAM_RATE, _PARAM_PITCH = 1, 3
_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


class Espeak:
    """eSpeak NG in this process. It keeps state from one synthesis to the next (the same text
    comes out a few samples different each time), so ``synthesize`` runs each one in a fresh
    process, where it is the first: the same seed gives the same WAV."""

    def __init__(self) -> None:
        import espeakng_loader

        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self.rate = int(self.lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, espeakng_loader.get_data_path().encode(), 0))
        if self.rate <= 0:
            raise OSError("eSpeak NG did not initialise")
        self._chunks: list[bytes] = []
        self._callback = _CALLBACK(self._collect)  # kept referenced: eSpeak calls it later
        self.lib.espeak_SetSynthCallback(self._callback)

    def _collect(self, wav: Any, samples: int, events: Any) -> int:
        if samples > 0:
            self._chunks.append(ctypes.string_at(wav, samples * 2))
        return 0

    def say(self, text: str, language: str, pitch: int) -> "array[int]":
        """16-bit samples at ``self.rate``."""
        self._chunks = []
        self.lib.espeak_SetVoiceByName(VOICES.get(language, language).encode())
        self.lib.espeak_SetParameter(_PARAM_PITCH, pitch, 0)
        self.lib.espeak_SetParameter(_PARAM_RATE, WORDS_PER_MINUTE, 0)
        data = text.encode("utf-8")
        self.lib.espeak_Synth(ctypes.c_char_p(data), ctypes.c_size_t(len(data) + 1), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
        self.lib.espeak_Synchronize()
        return array("h", b"".join(self._chunks))


# A folder where synthesised speech is kept by its request, so the same sentence at the same pitch
# is synthesised once (the project's tests run hundreds of generations of a few sentences).


def synthesize(text: str, language: str, pitch: int) -> "Optional[array[int]]":
    """``text`` spoken at 24 kHz, by eSpeak NG in a process of its own (None without eSpeak NG);
    from ``$VOICEBOX_SIM_SPEECH_CACHE`` when it was synthesised before."""
    request = json.dumps({"text": text, "language": language, "pitch": pitch}, sort_keys=True).encode()
    # (this module's own text is part of the key: a change to how speech is made starts afresh)
    key = hashlib.sha256(Path(__file__).read_bytes() + request).hexdigest()
    pcm = made(f"{key}.pcm", ("voicebox_sim.engine.speech",), request, timeout=60)
    return None if pcm is None else array("h", pcm)


def main() -> int:
    """``python -m voicebox_sim.engine.speech``: one request (JSON) on stdin, 24 kHz PCM on stdout."""
    request = json.loads(sys.stdin.buffer.read())
    try:
        engine = Espeak()
    except (ImportError, OSError) as exc:
        print(f"eSpeak NG is not available: {exc}", file=sys.stderr)
        return 1
    samples = engine.say(str(request["text"]), str(request["language"]), int(request["pitch"]))
    sys.stdout.buffer.write(resample(samples, engine.rate).tobytes())
    return 0


def resample(samples: "array[int]", rate: int, target: int = SAMPLE_RATE) -> "array[int]":
    """Linear interpolation to ``target`` Hz."""
    if rate == target or not samples:
        return samples
    count = int(len(samples) * target / rate)
    out = array("h", bytes(2 * count))
    step = rate / target
    last = len(samples) - 1
    for i in range(count):
        position = i * step
        left = int(position)
        right = min(left + 1, last)
        fraction = position - left
        out[i] = int(samples[left] * (1.0 - fraction) + samples[right] * fraction)
    return out


def babble(text: str, seed: Optional[int]) -> str:
    """As many made-up two-syllable words as the text has words: speech, not the words."""
    rng = random.Random(f"babble:{seed}:{text}")
    syllables = ["ba", "lo", "ki", "mu", "re", "to", "na", "shi", "du", "pe", "go", "va"]
    return " ".join("".join(rng.choice(syllables) for _ in range(2)) for _ in text.split())


def truncated(text: str) -> str:
    """The first half of the words (rounded up): the rest are missing."""
    words = text.split()
    return " ".join(words[: (len(words) + 1) // 2])


def cut_off(speech: "array[int]", text: str, seed: Optional[int]) -> "array[int]":
    """The speech chopped at the loudest 20 ms of its last 40 %, then static at half its level up
    to the sentence's length (at least 0.3 s), so the WAV ends loud."""
    frame = SAMPLE_RATE // 50
    starts = range(int(len(speech) * 0.6) // frame * frame, len(speech) - frame + 1, frame)
    if not starts:
        return speech
    loudest = max(starts, key=lambda start: sum(abs(s) for s in speech[start:start + frame]))
    kept = speech[:loudest + frame]
    level = 0.5 * math.sqrt(sum(s * s for s in kept) / len(kept))
    rng = random.Random(f"static:{seed}:{text}")
    count = max(int(TAIL_SECONDS * SAMPLE_RATE), int(speech_duration(text) * SAMPLE_RATE) - len(kept))
    return kept + array("h", (max(-32767, min(32767, int(rng.gauss(0.0, level)))) for _ in range(count)))


def reference_tail(path: Optional[Path], seconds: float = 1.5) -> "array[int]":
    """The last ``seconds`` of a reference recording, as 24 kHz samples (empty if unreadable)."""
    if path is None or not path.is_file():
        return array("h")
    try:
        with wave.open(str(path), "rb") as wav:
            rate, channels, width = wav.getframerate(), wav.getnchannels(), wav.getsampwidth()
            raw = wav.readframes(wav.getnframes())
    except (wave.Error, EOFError):
        return array("h")
    if width != 2:
        return array("h")
    pcm = array("h", raw[: len(raw) - len(raw) % 2])[::channels]
    return resample(pcm[-int(seconds * rate):], rate)


@dataclass(frozen=True)
class Reference:
    """A cloned profile's reference recording and its transcript (its samples joined, as the real
    server's ``combine_voice_prompts`` joins them)."""

    wav: Path
    text: str
    samples: int = 1


def joined(samples: list[Reference], folder: Path) -> Reference:
    """A profile's samples as one reference: their audio one after another at 24 kHz and their
    words joined (the real server's ``combine_voice_prompts``), written once into ``folder``."""
    if len(samples) == 1:
        return samples[0]
    name = hashlib.sha256("\0".join(str(s.wav) for s in samples).encode()).hexdigest()[:16]
    target = folder / f"combined-{name}.wav"
    if not target.is_file():
        pcm = array("h")
        for sample in samples:
            with wave.open(str(sample.wav), "rb") as source:
                pcm += resample(array("h", source.readframes(source.getnframes())), source.getframerate())
        folder.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        partial.write_bytes(pcm_wav(pcm))
        partial.replace(target)
    return Reference(target, " ".join(s.text for s in samples), len(samples))


def last_words(text: str, count: int = 3) -> str:
    return " ".join(text.split()[-count:])


@cache
def recordings() -> dict[tuple[str, str], Path]:
    """The real Voicebox outputs in ``recordings/`` by (language, text), from its README's table (a
    text given as a ``.txt`` file is that file's)."""
    found: dict[tuple[str, str], Path] = {}
    for line in (RECORDINGS / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0].endswith(".wav") and (RECORDINGS / cells[0]).is_file():
            text = cells[3]
            if text.split(" ", 1)[0].endswith(".txt"):
                text = (RECORDINGS / text.split(" ", 1)[0]).read_text(encoding="utf-8").strip()
            found[(cells[1], text)] = RECORDINGS / cells[0]
    return found


def fox_recordings() -> dict[str, tuple[Path, str]]:
    """The matrix's fox sentence as the real server spoke it, by language: (recording, sentence)."""
    return {language: (path, text) for (language, text), path in recordings().items() if path.name.endswith("-fox.wav")}


def recorded(text: str, language: str, trimmed: bool = False) -> "Optional[array[int]]":
    """The real recording of ``text`` in ``language`` as the real server returned it (``trimmed``:
    without its last quiet, as ``say`` gives it to the faults that end it otherwise), or None
    where there is none."""
    path = recordings().get((language, text.strip()))
    if path is None:
        return None
    with wave.open(str(path), "rb") as wav:
        samples = array("h", wav.readframes(wav.getnframes()))
    end = len(samples)
    while trimmed and end > 0 and abs(samples[end - 1]) < QUIET:
        end -= 1
    return samples[:end]


def say(text: str, language: str, pitch: int) -> "Optional[array[int]]":
    """Real speech where a recording of the sentence exists, else eSpeak NG's."""
    return recorded(text, language, trimmed=True) or synthesize(READINGS.get(text.strip(), text), language, pitch)


def kokoro_voice(reference: Optional[Reference], language: str, voice: Optional[str] = None, preset: Optional[str] = None) -> Optional[str]:
    """The Kokoro voice a generation speaks in (``voices.py``): a cloned profile's, derived from its
    reference (``voice = "other"``: another speaker's); a preset profile's, where Kokoro has a voice
    of the language. None where Kokoro cannot speak here (eSpeak NG speaks instead)."""
    if kokoro.available() is not None:
        return None
    if reference is None:
        return voices.preset(preset, language)
    if not reference.wav.is_file():
        return None
    try:
        return voices.clone(reference.wav, language, other=voice == "other")
    except Exception as exc:  # no embedder, or a reference it cannot read: eSpeak NG speaks
        print(f"The cloned voice could not be chosen ({exc.__class__.__name__}: {exc}); eSpeak NG speaks.", file=sys.stderr)
        return None


def speak(
    text: str, language: str, seed: Optional[int], fault: Optional[str] = None, reference: Optional[Reference] = None,
    voice: Optional[str] = None, spoken_language: Optional[str] = None, preset: Optional[str] = None,
    max_chunk_chars: int = chunks.DEFAULT_CHUNK_CHARS, crossfade_ms: int = 50, chunk_fault: Optional[str] = None, falloff: bool = False,
) -> "Optional[array[int]]":
    """The generation's speech at 24 kHz (None when neither Kokoro nor eSpeak NG can speak here).

    A real recording of the sentence where a preset profile asks for one, as the real server
    returned it; else Kokoro in the profile's voice (``kokoro_voice``), else eSpeak NG.
    ``spoken_language``: the fox sentence of that language instead of the text (the model spoke
    another language). Text longer than ``max_chunk_chars`` goes through the chunker
    (``chunks.py``), with its faults."""
    if spoken_language is not None and spoken_language != language:
        language, text = spoken_language, fox_recordings()[spoken_language][1]
    pitch = 35 + (seed or 0) % 30
    speaker = kokoro_voice(reference, language, voice, preset)

    def make(words: str, lang: str) -> "Optional[array[int]]":
        words = READINGS.get(words.strip(), words)
        neural = None if speaker is None else kokoro.say(words, lang, speaker)
        return neural if neural is not None else synthesize(words, lang, pitch)

    if fault == "babble":
        speech = make(babble(READINGS.get(text.strip(), text), seed), language)
    elif fault == "wrong_language":  # the English pipeline for another language; German for English
        if language != "en":
            speech = say(ENGLISH_FOX, "en", pitch) if reference is None else make(ENGLISH_FOX, "en")
        else:
            speech = make(GERMAN_FOX, "de")
    elif fault == "truncated":
        speech = make(truncated(READINGS.get(text.strip(), text)), language)
    elif fault == "reference_words" and reference is not None:  # the model speaks them again
        speech = make(f"{last_words(reference.text)} {READINGS.get(text.strip(), text)}", language)
    else:
        damaged = chunk_fault is not None or falloff or max_chunk_chars != chunks.DEFAULT_CHUNK_CHARS
        real = recorded(text, language) if reference is None and fault is None and not damaged else None
        if real is not None:  # what the real server returned, sample for sample
            return real
        if len(text.strip()) > max_chunk_chars:
            speech = chunks.speak_chunked(
                text, max_chunk_chars, crossfade_ms, SAMPLE_RATE, lambda chunk: make(chunk, language), chunk_fault, falloff,
            )
        else:
            speech = make(text, language)
    if speech is None:
        return None
    if fault == "cut_off":
        return cut_off(speech, READINGS.get(text.strip(), text), seed)
    if fault == "reference_tail" and reference is not None:
        speech = reference_tail(reference.wav) + speech
    return speech + array("h", bytes(2 * int(TAIL_SECONDS * SAMPLE_RATE)))


if __name__ == "__main__":
    sys.exit(main())
