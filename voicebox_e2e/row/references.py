"""What a cloned profile is made from, as users make it: the reference recording re-encoded at run
time with PyAV (FFmpeg's libraries from the package index; no system ffmpeg), one file per format;
several samples of the reference voice; the reference said over to near the 30 s limit; a
reference in another language (``make_reference``).

The real 0.5.0 frozen build takes MP3, Ogg Opus, FLAC and 44.1 kHz WAV, and refuses M4A (AAC) and
a browser recorder's WebM Opus with "Invalid reference audio: Error validating audio: " (contract
section 10; upstream 58, 101, 350).
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

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


# -- what a cloned profile is made from -------------------------------------------------------


@dataclass(frozen=True)
class Recording:
    wav: Path
    text: str


@dataclass(frozen=True)
class Reference:
    """What a cloned profile is made from: its samples (uploaded in order), the language they are
    in, and the recording of the voice it must speak in (the voice check compares with it)."""

    key: Optional[str]  # the feature's reference cell; None: the reference recording as it is
    title: str  # as the reports say it
    samples: tuple[Recording, ...]
    voice: Recording
    language: str = "en"

    @property
    def tail(self) -> Recording:
        """What a bleed would paste in front of the output: the server joins a profile's samples
        in order (``combine_voice_prompts``), so the last sample's end."""
        return self.samples[-1]


SAMPLES_KEY = "three samples"
SAMPLES_FOLDER = "samples"  # beside the reference recording: more recordings of its voice, a .txt each
REPEAT_GAP_SECONDS = 0.4


def reference_title(key: Optional[str]) -> str:
    """How the reports name a reference, without making it."""
    if key is None:
        return "the reference recording"
    if key in FORMATS:
        return f"the reference recording as {FORMATS[key].title}"
    if key == SAMPLES_KEY:
        return "three samples of the reference voice"
    seconds = _seconds(key)
    if seconds is not None:
        return f"the reference repeated to about {seconds:g} s"
    return f"a reference recording in {key}"


def make_reference(key: Optional[str], base: Recording, folder: Path) -> Reference:
    """The reference a feature's cell names, made (or found) from ``base``: a format
    (``mp3``...), ``three samples``, a length (``28 s``: ``base`` said over and over, up to it)
    or a language (``French``: the recording ``<base>_fr.wav`` and its .txt beside ``base``)."""
    title = reference_title(key)
    if key is None:
        return Reference(None, title, (base,), base)
    if key in FORMATS:
        return Reference(key, title, (Recording(encode(base.wav, FORMATS[key], folder), base.text),), base)
    if key == SAMPLES_KEY:
        return Reference(key, title, _samples(base.wav.parent / SAMPLES_FOLDER, 3), base)
    seconds = _seconds(key)
    if seconds is not None:
        long = repeated(base, seconds, folder)
        return Reference(key, title, (long,), base)
    from voicebox_e2e.row.spec import LANGUAGES

    code = LANGUAGES.get(key)
    if code is None:
        raise ValueError(
            f"Unknown reference {key!r} in the feature file; use a format ({', '.join(FORMATS)}), "
            f"{SAMPLES_KEY!r}, a length such as '28 s', or a language such as 'French'."
        )
    wav = base.wav.with_name(f"{base.wav.stem}_{code}.wav")
    foreign = Recording(wav, _transcript(wav))
    return Reference(key, title, (foreign,), foreign, code)


def _seconds(key: str) -> Optional[float]:
    words = key.split()
    if len(words) == 2 and words[1] == "s":
        try:
            return float(words[0])
        except ValueError:
            return None
    return None


def _transcript(wav: Path) -> str:
    text = wav.with_suffix(".txt")
    if not wav.is_file() or not text.is_file():
        raise ValueError(f"The reference recording {wav} or its transcript {text.name} is missing; add both (scripts/make_reference_fixtures.py makes the project's).")
    words = text.read_text(encoding="utf-8").strip()
    if not words:
        raise ValueError(f"The transcript {text} is empty; write the words of {wav.name} in it.")
    return words


def _samples(folder: Path, count: int) -> tuple[Recording, ...]:
    found = sorted(folder.glob("*.wav"))
    if len(found) < count:
        raise ValueError(f"{folder} holds {len(found)} recordings, under the {count} a profile with several samples needs; add them with a .txt each.")
    return tuple(Recording(wav, _transcript(wav)) for wav in found[:count])


def repeated(base: Recording, seconds: float, folder: Path) -> Recording:
    """``base`` said over and over with a short pause between, as many times as fit in ``seconds``
    (made once a run), and its words as many times."""
    with wave.open(str(base.wav), "rb") as source:
        rate, width, channels = source.getframerate(), source.getsampwidth(), source.getnchannels()
        frames = source.readframes(source.getnframes())
    once = len(frames) / (rate * width * channels)
    times = int((seconds + REPEAT_GAP_SECONDS) // (once + REPEAT_GAP_SECONDS))
    if times < 2:
        raise ValueError(f"{base.wav.name} ({once:.1f} s) does not fit twice in {seconds:g} s; name a longer reference length.")
    target = folder / f"{base.wav.stem}-{seconds:g}s.wav"
    if not target.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        gap = bytes(int(REPEAT_GAP_SECONDS * rate) * width * channels)
        partial = folder / f".{target.name}.partial"
        with wave.open(str(partial), "wb") as out:
            out.setframerate(rate)
            out.setsampwidth(width)
            out.setnchannels(channels)
            out.writeframes(gap.join([frames] * times))
        partial.replace(target)
    return Recording(target, " ".join([base.text] * times))
