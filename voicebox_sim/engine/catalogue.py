"""What the real server knows about its models, engines and preset voices (contract §3, §9)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional


@dataclass(frozen=True)
class ModelInfo:
    model_name: str
    display_name: str
    hf_repo_id: str
    size_mb: float
    is_tts: bool = True


# The 18 entries of GET /models/status, in the real server's order.
MODELS: tuple[ModelInfo, ...] = (
    ModelInfo("qwen-tts-1.7B", "Qwen TTS 1.7B", "Qwen/Qwen3-TTS-12Hz-1.7B-Base", 4310.2),
    ModelInfo("qwen-tts-0.6B", "Qwen TTS 0.6B", "Qwen/Qwen3-TTS-12Hz-0.6B-Base", 2386.5),
    ModelInfo("qwen-custom-voice-1.7B", "Qwen CustomVoice 1.7B", "Qwen/Qwen3-TTS-12Hz-1.7B-CustomVoice", 4310.9),
    ModelInfo("qwen-custom-voice-0.6B", "Qwen CustomVoice 0.6B", "Qwen/Qwen3-TTS-12Hz-0.6B-CustomVoice", 2387.1),
    ModelInfo("luxtts", "LuxTTS", "YatharthS/LuxTTS", 512.4),
    ModelInfo("chatterbox-tts", "Chatterbox TTS", "ResembleAI/chatterbox", 3020.6),
    ModelInfo("chatterbox-turbo", "Chatterbox Turbo", "ResembleAI/chatterbox-turbo", 1504.3),
    ModelInfo("tada-1b", "TADA 1B", "HumeAI/tada-1b", 4105.8),
    ModelInfo("tada-3b-ml", "TADA 3B Multilingual", "HumeAI/tada-3b-ml", 8092.7),
    ModelInfo("kokoro", "Kokoro 82M", "hexgrad/Kokoro-82M", 312.78831005096436),
    ModelInfo("whisper-base", "Whisper Base", "openai/whisper-base", 277.1, False),
    ModelInfo("whisper-small", "Whisper Small", "openai/whisper-small", 922.0, False),
    ModelInfo("whisper-medium", "Whisper Medium", "openai/whisper-medium", 2910.4, False),
    ModelInfo("whisper-large", "Whisper Large", "openai/whisper-large", 5886.2, False),
    ModelInfo("whisper-turbo", "Whisper Turbo", "openai/whisper-turbo", 1543.0, False),
    ModelInfo("qwen3-0.6b", "Qwen3 0.6B", "Qwen/Qwen3-0.6B", 1433.6, False),
    ModelInfo("qwen3-1.7b", "Qwen3 1.7B", "Qwen/Qwen3-1.7B", 3878.4, False),
    ModelInfo("qwen3-4b", "Qwen3 4B", "Qwen/Qwen3-4B", 7672.3, False),
)
MODELS_BY_NAME = {m.model_name: m for m in MODELS}
TTS_MODEL_NAMES = tuple(m.model_name for m in MODELS if m.is_tts)

ENGINE_PATTERN = "^(qwen|qwen_custom_voice|luxtts|chatterbox|chatterbox_turbo|tada|kokoro)$"
LANGUAGE_PATTERN = (
    "^(zh|en|ja|ko|de|fr|ru|pt|es|it|he|ar|da|el|fi|hi|ms|nl|no|pl|sv|sw|tr)$"
)
MODEL_SIZE_PATTERN = r"^(1\.7B|0\.6B|1B|3B)$"

# Engines that only speak with a preset voice; a cloned profile is refused (contract §4).
PRESET_ONLY_ENGINES = frozenset({"kokoro", "qwen_custom_voice"})

def _recorded_presets(engine: str) -> list[dict[str, str]]:
    """The real server's answer to GET /profiles/presets/{engine}, as recorded (contract §9)."""
    path = Path(__file__).resolve().parent / "presets" / f"{engine}.json"
    return list(json.loads(path.read_text(encoding="utf-8"))["voices"])


PRESET_VOICES: dict[str, list[dict[str, str]]] = {
    engine: _recorded_presets(engine) for engine in ("kokoro", "qwen_custom_voice")
}

# The logger each engine's loader writes "Loading ..." under, and what it says (the real
# backends' own lines at e766c7c; {device} is "cpu", "cuda", "mps" or "xpu").
LOADER_LOGS: dict[str, tuple[str, str]] = {
    "qwen": ("backend.backends.pytorch_backend", "Loading TTS model {size} on {device}..."),
    "qwen_custom_voice": (
        "backend.backends.qwen_custom_voice_backend",
        "Loading Qwen CustomVoice {size} on {device}...",
    ),
    "luxtts": ("backend.backends.luxtts_backend", "Loading LuxTTS on {device}..."),
    "chatterbox": ("backend.backends.chatterbox_backend", "Loading Chatterbox Multilingual TTS on {device}..."),
    "chatterbox_turbo": ("backend.backends.chatterbox_turbo_backend", "Loading Chatterbox Turbo TTS on {device}..."),
    "tada": ("backend.backends.hume_backend", "Loading HumeAI TADA {size} on {device}..."),
    "kokoro": ("backend.backends.kokoro_backend", "Loading Kokoro-82M on {device}..."),
}

# The real offline failure texts (contract §4), used when a model is told to fail offline.
OFFLINE_ERROR_HUB = (
    "An error happened while trying to locate the file on the Hub and we cannot find the "
    "requested files in the local cache. Please check your connection and try again or make "
    "sure your Internet connection is on."
)
OFFLINE_ERROR_TRANSFORMERS = (
    "We couldn't connect to 'https://huggingface.co' to load the files, and couldn't find them "
    "in the cached files.\nCheck your internet connection or see how to run the library in "
    "offline mode at 'https://huggingface.co/docs/transformers/installation#offline-mode'."
)


def resolve_model_size(engine: str, model_size: Optional[str]) -> Optional[str]:
    """The model size the server records: null for single-size engines (contract §3)."""
    if engine in ("qwen", "qwen_custom_voice"):
        return model_size if model_size in ("1.7B", "0.6B") else "1.7B"
    if engine == "tada":
        return model_size if model_size in ("1B", "3B") else "1B"
    return None


def model_name_for(engine: str, model_size: Optional[str]) -> str:
    """The /models/status name of the model an engine and size load."""
    if engine == "qwen":
        return f"qwen-tts-{model_size}"
    if engine == "qwen_custom_voice":
        return f"qwen-custom-voice-{model_size}"
    if engine == "tada":
        return "tada-3b-ml" if model_size == "3B" else "tada-1b"
    return {
        "luxtts": "luxtts",
        "chatterbox": "chatterbox-tts",
        "chatterbox_turbo": "chatterbox-turbo",
        "kokoro": "kokoro",
    }[engine]


# What GET /tasks/active says of a POST /models/download that cannot reach the hub (contract §9),
# the same for every model.
OFFLINE_ERROR_DOWNLOAD = (
    "An error happened while trying to locate the files on the Hub and we cannot find the appropriate "
    "snapshot folder for the specified revision on the local disk. Please check your internet connection and try again."
)


def engine_of(model_name: str) -> str:
    """The engine that loads a /models/status model ("qwen-tts-0.6B" -> "qwen"); "" for non-TTS."""
    for engine in ("qwen", "qwen_custom_voice", "luxtts", "chatterbox", "chatterbox_turbo", "kokoro"):
        for size in ("1.7B", "0.6B", None):
            if engine in ("qwen", "qwen_custom_voice") and size is None:
                continue
            if model_name_for(engine, size) == model_name:
                return engine
    return "tada" if model_name.startswith("tada-") else ""


def offline_error_for(engine: str) -> str:
    return OFFLINE_ERROR_TRANSFORMERS if engine in ("qwen", "qwen_custom_voice") else OFFLINE_ERROR_HUB
