"""The reference recording as users upload it: made at run time from ``reference_wav`` with PyAV
(FFmpeg's libraries from the package index; no system ffmpeg), one file per format.

The real 0.5.0 frozen build takes MP3, Ogg Opus, FLAC and 44.1 kHz WAV, and refuses M4A (AAC) and
a browser recorder's WebM Opus with "Invalid reference audio: Error validating audio: " (contract
section 10; upstream 58, 101, 350).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from av.audio.stream import AudioStream


@dataclass(frozen=True)
class ReferenceFormat:
    name: str  # as the feature file writes it
    title: str  # as the reports say it
    container: str
    codec: str
    rate: int
    suffix: str


FORMATS: dict[str, ReferenceFormat] = {f.name: f for f in (
    ReferenceFormat("wav-44k", "WAV at 44.1 kHz", "wav", "pcm_s16le", 44100, ".wav"),
    ReferenceFormat("mp3", "MP3", "mp3", "libmp3lame", 24000, ".mp3"),
    ReferenceFormat("m4a", "M4A (AAC)", "ipod", "aac", 24000, ".m4a"),
    ReferenceFormat("ogg-opus", "Ogg Opus", "ogg", "libopus", 48000, ".ogg"),
    ReferenceFormat("webm-opus", "WebM Opus", "webm", "libopus", 48000, ".webm"),
    ReferenceFormat("flac", "FLAC", "flac", "flac", 24000, ".flac"),
)}


def reference_format(name: str) -> ReferenceFormat:
    found = FORMATS.get(name.strip())
    if found is None:
        raise ValueError(f"Unknown reference format {name!r} in the feature file; use one of: {', '.join(FORMATS)}.")
    return found


def encode(wav: Path, fmt: ReferenceFormat, folder: Path) -> Path:
    """``wav`` re-encoded as ``fmt`` in ``folder`` (made once a run)."""
    target = folder / f"{wav.stem}-{fmt.name}{fmt.suffix}"
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    with av.open(str(wav)) as source:
        frames = [frame for frame in source.decode(audio=0)]
    samples = np.concatenate([f.to_ndarray().reshape(-1) for f in frames]).astype(np.float32)
    if frames[0].format.name.startswith("s16"):
        samples /= 32768.0
    partial = folder / f".{target.name}.partial"
    with av.open(str(partial), "w", format=fmt.container) as out:
        stream = out.add_stream(fmt.codec, rate=fmt.rate, layout="mono")
        assert isinstance(stream, AudioStream)
        resampler = av.AudioResampler(format=stream.codec_context.format.name, layout="mono", rate=fmt.rate)
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = frames[0].sample_rate
        for converted in resampler.resample(frame) + resampler.resample(None):
            for packet in stream.encode(converted):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    partial.replace(target)
    return target
