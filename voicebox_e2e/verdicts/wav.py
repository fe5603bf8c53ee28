"""Checks that a generated WAV is real speech-shaped audio, not just "non-empty".

Thresholds are documented on ``AudioLimits`` and can be overridden per run.
"""

from __future__ import annotations

import io
import math
import struct
import wave
from array import array
from dataclasses import dataclass
from typing import Optional

from voicebox_e2e.verdicts.ending import trailing_quiet
from voicebox_e2e.verdicts.length import length_words, letter_equivalents


@dataclass(frozen=True)
class AudioLimits:
    """Thresholds of the WAV checks; each is a setting (audio_min_rms=..., see behave.ini)."""

    # Speech runs at roughly 8-25 letters a second; allow generous slack either side. A character of
    # a syllabic script counts as several letters (length.py).
    min_seconds_per_char: float = 0.02
    max_seconds_per_char: float = 0.30
    # RMS (full scale = 1.0) under this is silence; the real kokoro output measured 0.100.
    min_rms: float = 0.005
    # A WAV with more than this share of samples at full scale is clipped throughout.
    max_clipped_share: float = 0.5
    # Less quiet than this after the speech: a warning that its end may be cut off (ending.py).
    # Real outputs measured 0.74 s (the reference recording, Kokoro's bf_emma) and 0.6 s (Kokoro-82M).
    min_trailing_quiet: float = 0.05


@dataclass(frozen=True)
class AudioReport:
    ok: bool
    problem: Optional[str]
    size_bytes: int
    sample_rate: Optional[int] = None
    channels: Optional[int] = None
    sample_width: Optional[int] = None
    duration: Optional[float] = None
    rms: Optional[float] = None
    trailing_quiet: Optional[float] = None  # seconds of quiet after the speech (ending.py)


def check_wav(data: bytes, text: str, limits: AudioLimits = AudioLimits()) -> AudioReport:
    size = len(data)
    if size == 0:
        return AudioReport(False, "the WAV is empty (0 bytes)", 0)
    if size < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return AudioReport(False, "the file is not a RIFF/WAVE file", size)
    declared = struct.unpack_from("<I", data, 4)[0] + 8
    if declared != size:
        return AudioReport(False, f"the RIFF header declares {declared} bytes but the file has {size}", size)
    try:
        with wave.open(io.BytesIO(data), "rb") as wav:
            rate, channels, width, frames = wav.getframerate(), wav.getnchannels(), wav.getsampwidth(), wav.getnframes()
            raw = wav.readframes(frames)
    except (wave.Error, EOFError, struct.error) as exc:
        return AudioReport(False, f"the WAV cannot be decoded ({exc})", size)
    base = AudioReport(False, None, size, rate, channels, width)
    if len(raw) != frames * channels * width:
        return _with(base, f"the data chunk holds {len(raw)} bytes but the header promises {frames * channels * width}")
    if rate <= 0 or channels <= 0:
        return _with(base, "the WAV header has no sample rate or channels")
    duration = frames / rate
    if frames == 0:
        return _with(base, "the WAV holds no audio frames", duration=0.0)
    letters = letter_equivalents(text)
    lo, hi = letters * limits.min_seconds_per_char, letters * limits.max_seconds_per_char
    if not lo <= duration <= hi:
        return _with(base, f"{duration:.2f} s of audio is implausible for {length_words(text)} (expected {lo:.1f}-{hi:.1f} s)", duration=duration)
    if width != 2:
        return AudioReport(True, None, size, rate, channels, width, round(duration, 3))
    samples = array("h", raw)
    rms = math.sqrt(sum(s * s for s in samples) / len(samples)) / 32768.0
    if rms < limits.min_rms:
        return _with(base, f"the audio is silent (RMS {rms:.4f} < {limits.min_rms})", duration=duration, rms=rms)
    clipped = sum(1 for s in samples if s >= 32767 or s <= -32767) / len(samples)
    if clipped > limits.max_clipped_share:
        return _with(base, f"the audio is clipped throughout ({clipped:.0%} of samples at full scale)", duration=duration, rms=rms)
    return AudioReport(True, None, size, rate, channels, width, round(duration, 3), round(rms, 4), trailing_quiet(samples, rate, channels))


def _with(base: AudioReport, problem: str, duration: Optional[float] = None, rms: Optional[float] = None) -> AudioReport:
    return AudioReport(
        False, problem, base.size_bytes, base.sample_rate, base.channels, base.sample_width,
        None if duration is None else round(duration, 3), None if rms is None else round(rms, 4),
    )
