"""Speech-like WAVs for completed generations, and the real reference-audio rules."""

from __future__ import annotations

import io
import math
import random
import struct
import wave
from array import array
from typing import Optional

SAMPLE_RATE = 24_000
SECONDS_PER_CHARACTER = 3.6 / 44  # "The quick brown fox jumps over the lazy dog." (44 chars) was 3.6 s on kokoro
# Real model outputs end in quiet (Kokoro-82M: 0.6 s); the simulator's end in this much.
TAIL_SECONDS = 0.3


def speech_duration(text: str) -> float:
    return round(max(0.5, len(text) * SECONDS_PER_CHARACTER), 3)


def synthesize(text: str, seed: Optional[int], silent: bool = False) -> bytes:
    """A 24 kHz mono 16-bit WAV whose length follows the text, deterministic for a seed.

    It is a voiced buzz (a fundamental plus formant-like partials) under a syllable-rate
    envelope, so it is audible and not clipped, and its RMS is near the real server's 0.1. Its
    last ``TAIL_SECONDS`` are quiet, as real outputs end.
    """
    rng = random.Random(f"{seed}:{text}")
    frames = int(round(speech_duration(text) * SAMPLE_RATE))
    f0 = rng.uniform(95.0, 220.0)
    partials = [(f0 * k, 1.0 / k) for k in range(1, 6)]
    syllable_hz = rng.uniform(3.5, 5.0)
    samples = array("h", bytes(2 * frames))
    if not silent:
        two_pi = 2.0 * math.pi
        for i in range(max(0, frames - int(TAIL_SECONDS * SAMPLE_RATE))):
            t = i / SAMPLE_RATE
            envelope = 0.5 - 0.5 * math.cos(two_pi * syllable_hz * t)
            value = sum(a * math.sin(two_pi * f * t) for f, a in partials)
            samples[i] = int(max(-1.0, min(1.0, 0.2 * envelope * value)) * 32767)
    return pcm_wav(samples)


def pcm_wav(samples: "array[int]", rate: int = SAMPLE_RATE) -> bytes:
    """A WAV of 16-bit mono samples, 24 kHz like the real server's unless ``rate`` says otherwise."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()


def corrupt(wav_bytes: bytes) -> bytes:
    """A WAV whose header promises far more data than the file holds."""
    head = bytearray(wav_bytes[:44])
    struct.pack_into("<I", head, 4, 0x7FFF0000)
    struct.pack_into("<I", head, 40, 0x7FFF0000)
    return bytes(head) + wav_bytes[44:1000]


def overdriven(wav_bytes: bytes, gain: float = 1000.0) -> bytes:
    """The same speech amplified past full scale and hard-clipped (a gain bug), so most of its
    samples sit at +/-32767."""
    with wave.open(io.BytesIO(wav_bytes), "rb") as wav:
        rate = wav.getframerate()
        samples = array("h", wav.readframes(wav.getnframes()))
    louder = array("h", (max(-32767, min(32767, int(s * gain))) for s in samples))
    return pcm_wav(louder, rate)


class ReferenceAudioError(ValueError):
    pass


# Containers the real frozen build cannot read (contract section 10: M4A and a browser's WebM
# recording are refused with an empty reason; MP3, Ogg Opus, FLAC and any WAV are read).
UNREADABLE_CONTAINERS = ("mp4", "webm")


def decode_reference(data: bytes) -> tuple["array[int]", int]:
    """A reference upload as 16-bit mono samples and their rate: a PCM WAV directly, MP3, Ogg and
    FLAC through PyAV (FFmpeg), as the real server's audio loader reads them. Anything else
    raises ReferenceAudioError with the real server's text for an unreadable file."""
    unreadable = ReferenceAudioError("Error validating audio: ")
    try:
        with wave.open(io.BytesIO(data), "rb") as wav:
            rate, width, channels = wav.getframerate(), wav.getsampwidth(), wav.getnchannels()
            raw = wav.readframes(wav.getnframes())
        if width != 2 or rate <= 0 or channels <= 0:
            raise unreadable
        return array("h", raw[: len(raw) - len(raw) % 2])[::channels], rate
    except (wave.Error, EOFError, struct.error):
        pass
    import av

    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if any(name in container.format.name for name in UNREADABLE_CONTAINERS) or not container.streams.audio:
                raise unreadable
            stream = container.streams.audio[0]
            resampler = av.AudioResampler(format="s16", layout="mono", rate=stream.rate)
            pcm = array("h")
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    pcm.frombytes(out.to_ndarray().tobytes())
            return pcm, int(stream.rate)
    except (av.FFmpegError, ValueError, IndexError):
        raise unreadable from None


def validate_reference(data: bytes) -> bytes:
    """The real server's rules for a voice sample: readable, 2-30 s, RMS >= 0.01. Returns the
    sample as the mono 16-bit WAV the server stores (``profiles/<profile>/<sample>.wav``)."""
    pcm, rate = decode_reference(data)
    duration = len(pcm) / rate
    if duration < 2.0:
        raise ReferenceAudioError("Audio too short (minimum 2.0 seconds)")
    if duration > 30.0:
        raise ReferenceAudioError("Audio too long (maximum 30.0 seconds)")
    rms = math.sqrt(sum(s * s for s in pcm) / len(pcm)) / 32768.0
    if rms < 0.01:
        raise ReferenceAudioError("Audio is too quiet or silent")
    return pcm_wav(pcm, rate)
