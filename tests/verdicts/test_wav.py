"""The WAV checks on the real 0.5.0 recording of the fox sentence and on that recording broken
each way a release has broken a WAV: empty, not a WAV, a header that lies, no frames, the wrong
length for the text, silent, clipped. Each limit is tested at its edge, so a check that drifts
by one comparison fails here."""

from __future__ import annotations

import io
import struct
import wave
from array import array
from pathlib import Path

import pytest

from voicebox_e2e.verdicts.length import length_words, letter_equivalents
from voicebox_e2e.verdicts.wav import AudioLimits, check_wav

FOX = "The quick brown fox jumps over the lazy dog."
REAL = (Path(__file__).resolve().parents[2] / "voicebox_sim" / "engine" / "recordings" / "en-af_heart-fox.wav").read_bytes()


def frames_of(data: bytes) -> array:  # type: ignore[type-arg]
    with wave.open(io.BytesIO(data), "rb") as wav:
        return array("h", wav.readframes(wav.getnframes()))


def wav_of(samples: "array[int]", rate: int = 24000, width: int = 2, channels: int = 1) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(samples.tobytes())
    return out.getvalue()


def test_the_real_recording_passes_with_its_figures() -> None:
    report = check_wav(REAL, FOX)
    assert report.ok and report.problem is None
    assert (report.size_bytes, report.sample_rate, report.channels, report.sample_width) == (len(REAL), 24000, 1, 2)
    assert report.duration == 3.25 and report.rms is not None and 0.05 < report.rms < 0.2
    assert report.trailing_quiet is not None and report.trailing_quiet > 0.3


def test_broken_files_are_named_for_what_is_wrong() -> None:
    assert check_wav(b"", FOX).problem == "the WAV is empty (0 bytes)"
    assert check_wav(b"RIFF", FOX).problem == "the file is not a RIFF/WAVE file"
    assert check_wav(b"ID3" + REAL[3:], FOX).problem == "the file is not a RIFF/WAVE file"
    assert check_wav(REAL[:8] + b"WAVX" + REAL[12:], FOX).problem == "the file is not a RIFF/WAVE file"
    cut = REAL[: len(REAL) - 1000]
    assert check_wav(cut, FOX).problem == f"the RIFF header declares {len(REAL)} bytes but the file has {len(cut)}"
    # the RIFF size mended, the data chunk still promising the frames that were cut off
    mended = cut[:4] + struct.pack("<I", len(cut) - 8) + cut[8:]
    report = check_wav(mended, FOX)
    assert report.problem == f"the data chunk holds {78000 * 2 - 1000} bytes but the header promises {78000 * 2}"
    assert (report.ok, report.sample_rate, report.duration) == (False, 24000, None)
    garbled = REAL[:12] + b"junk" + REAL[16:]
    assert check_wav(garbled, FOX).problem.startswith("the WAV cannot be decoded (")  # type: ignore[union-attr]


def test_a_wav_with_no_frames_or_no_rate() -> None:
    report = check_wav(wav_of(array("h")), FOX)
    assert (report.ok, report.problem, report.duration) == (False, "the WAV holds no audio frames", 0.0)
    no_rate = bytearray(wav_of(frames_of(REAL)))
    no_rate[24:28] = struct.pack("<I", 0)  # the fmt chunk's sample rate
    assert check_wav(bytes(no_rate), FOX).problem == "the WAV header has no sample rate or channels"


def test_the_length_for_the_text_is_checked_at_both_edges() -> None:
    letters = letter_equivalents(FOX)
    # the recording's own 3.25 s: exactly at the lower edge passes, a hair above fails
    at_low = AudioLimits(min_seconds_per_char=3.25 / letters)
    assert check_wav(REAL, FOX, at_low).ok
    above_low = AudioLimits(min_seconds_per_char=3.2501 / letters)
    report = check_wav(REAL, FOX, above_low)
    assert not report.ok and report.problem == f"3.25 s of audio is implausible for {length_words(FOX)} (expected 3.3-{letters * 0.3:.1f} s)"
    assert report.duration == 3.25
    assert check_wav(REAL, FOX, AudioLimits(max_seconds_per_char=3.25 / letters)).ok
    assert not check_wav(REAL, FOX, AudioLimits(max_seconds_per_char=3.2499 / letters)).ok
    # the same speech for a sentence five times as long is far too short
    assert "implausible" in (check_wav(REAL, FOX * 5).problem or "")


def test_silence_and_clipping_at_their_limits() -> None:
    quiet = array("h", [300, -300] * 24000)  # 2 s at RMS 300/32768
    rms = 300 / 32768
    assert check_wav(wav_of(quiet), FOX, AudioLimits(min_rms=rms)).ok  # at the limit: not silence
    report = check_wav(wav_of(quiet), FOX, AudioLimits(min_rms=rms * 1.001))
    assert report.problem == f"the audio is silent (RMS {rms:.4f} < {rms * 1.001})" and report.rms == round(rms, 4)
    # half the samples at full scale (both signs), half quiet
    clipped = array("h", [32767, -32767, 300, -300] * 12000)
    assert check_wav(wav_of(clipped), FOX, AudioLimits(max_clipped_share=0.5)).ok  # exactly the limit
    report = check_wav(wav_of(clipped), FOX, AudioLimits(max_clipped_share=0.49))
    assert report.problem == "the audio is clipped throughout (50% of samples at full scale)"
    one_short = array("h", [32766, -32766, 300, -300] * 12000)  # a step under full scale is not clipped
    assert check_wav(wav_of(one_short), FOX, AudioLimits(max_clipped_share=0.0)).ok


def test_a_real_silent_or_clipped_version_of_the_recording_fails() -> None:
    speech = frames_of(REAL)
    silent = array("h", (s // 100 for s in speech))
    assert check_wav(wav_of(silent), FOX).problem.startswith("the audio is silent (RMS 0.00")  # type: ignore[union-attr]
    loud = array("h", (max(-32768, min(32767, s * 1000)) for s in speech))
    assert (check_wav(wav_of(loud), FOX).problem or "").startswith("the audio is clipped throughout (")


@pytest.mark.parametrize("width", [1, 3])
def test_a_width_other_than_16_bit_is_taken_on_its_length_alone(width: int) -> None:
    raw = bytes(48000 * width)  # 2 s of zeros: silent, but only 16-bit audio is measured
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(width)
        wav.setframerate(24000)
        wav.writeframes(raw)
    report = check_wav(out.getvalue(), FOX)
    assert report.ok and report.sample_width == width and report.rms is None and report.duration == 2.0


def test_every_field_of_each_report() -> None:
    from voicebox_e2e.verdicts.ending import trailing_quiet
    from voicebox_e2e.verdicts.wav import AudioReport

    assert check_wav(b"", FOX) == AudioReport(False, "the WAV is empty (0 bytes)", 0)
    assert check_wav(b"RIFF1234", FOX) == AudioReport(False, "the file is not a RIFF/WAVE file", 8)
    lying = REAL[:4] + struct.pack("<I", 0xFFFFFFF0) + REAL[8:]  # a size no file has
    assert check_wav(lying, FOX) == AudioReport(False, f"the RIFF header declares {0xFFFFFFF0 + 8} bytes but the file has {len(REAL)}", len(REAL))
    header_only = b"RIFF" + struct.pack("<I", 4) + b"WAVE"  # twelve bytes, honest about it
    report = check_wav(header_only, FOX)
    assert (report.ok, report.size_bytes, report.sample_rate) == (False, 12, None)
    assert (report.problem or "").startswith("the WAV cannot be decoded (")
    # the ok report of the real recording, to the last field
    samples = frames_of(REAL)
    rms = (sum(s * s for s in samples) / len(samples)) ** 0.5 / 32768.0
    assert check_wav(REAL, FOX) == AudioReport(True, None, len(REAL), 24000, 1, 2, 3.25, round(rms, 4), trailing_quiet(samples, 24000, 1))
    # and of a tone of 48013 frames, whose duration and RMS have more decimals than the report keeps
    tone = array("h", [3000, -3000] * 24006 + [3000])
    data = wav_of(tone)
    assert check_wav(data, FOX) == AudioReport(True, None, len(data), 24000, 1, 2, 2.001, 0.0916, trailing_quiet(tone, 24000, 1))


def test_a_stereo_wav_cut_short_is_measured_in_its_own_frames() -> None:
    from voicebox_e2e.verdicts.wav import AudioReport

    stereo = wav_of(array("h", [1000, -1000] * 48000), channels=2)  # 1 s of two channels
    assert check_wav(stereo, FOX).ok  # whole, its frames counted as two samples each
    cut = stereo[: len(stereo) - 400]
    mended = cut[:4] + struct.pack("<I", len(cut) - 8) + cut[8:]
    assert check_wav(mended, FOX) == AudioReport(
        False, f"the data chunk holds {48000 * 4 - 400} bytes but the header promises {48000 * 4}", len(mended), 24000, 2, 2,
    )


def test_the_figures_of_a_failed_or_unmeasured_report() -> None:
    from voicebox_e2e.verdicts.wav import AudioReport

    odd = array("h", [300, -300] * 24006 + [300])  # 48013 frames: 2.000541 s
    silent = check_wav(wav_of(odd), FOX, AudioLimits(min_rms=0.5))
    assert (silent.duration, silent.rms, silent.sample_rate, silent.channels, silent.sample_width) == (2.001, round(300 / 32768, 4), 24000, 1, 2)
    clipped = check_wav(wav_of(array("h", [32767, -32767] * 24006 + [32767])), FOX)
    assert (clipped.ok, clipped.duration, clipped.rms, clipped.size_bytes) == (False, 2.001, 1.0, 44 + 48013 * 2)
    eight_bit = io.BytesIO()
    with wave.open(eight_bit, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(1)
        wav.setframerate(24000)
        wav.writeframes(bytes(48013))
    data = eight_bit.getvalue()
    assert check_wav(data, FOX) == AudioReport(True, None, len(data), 24000, 1, 1, 2.001)


def test_a_one_hertz_wav_has_a_rate() -> None:
    slow = wav_of(array("h", [3000, -3000, 3000, -3000]), rate=1)  # four seconds of four frames
    assert check_wav(slow, FOX).problem != "the WAV header has no sample rate or channels"
    assert check_wav(slow, FOX).sample_rate == 1
