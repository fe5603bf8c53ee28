"""Whose voice is it: a cloned row must speak in the reference recording's voice.

Each cloned row that still passes has its output's speaker embedding compared with the reference
recording's (``speaker.py``). Under ``voice_min_similarity`` it fails with cause ``audio``:
"the voice does not match the reference: similarity 0.41 (the same speaker scores about 0.9;
limit 0.75)". Voicebox users meet this as "the generated audio uses a random voice" (upstream 18)
or another accent than the reference's (upstream 42).

A reference that cannot say whose voice it is (under ``MIN_REFERENCE_SECONDS`` of sound, or with
its quiet parts within ``MIN_REFERENCE_SNR_DB`` of its speech) is said on every cloned row and in
the header, and fails nothing. A voice check that cannot run (the embedder is missing, or
``voice_check = off``) says so too: never a silent pass.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

import numpy as np

from voicebox_e2e.row.result import RowResult
from voicebox_e2e.verdicts import causes
from voicebox_e2e.verdicts.base import RowContext
from voicebox_e2e.verdicts.speaker import EmbedderUnavailable, SpeakerEmbedder, VoiceMatch, read_16k, similarity

SAME_SPEAKER = 0.9  # two recordings of one voice (benchmarks/voices.py): the sentence's yardstick
MIN_REFERENCE_SECONDS = 2.0  # of sound above the noise floor; the real server refuses shorter
MIN_REFERENCE_SNR_DB = 15.0  # loud frames over quiet frames: below this the reference is noise


@dataclass(frozen=True)
class VoiceSettings:
    """``voice_check`` and ``voice_min_similarity`` (behave.ini)."""

    enabled: bool = True
    # Measured on Kokoro-82M's real voices with this embedder (benchmarks/voices.py): one voice
    # on two sentences 0.94, the same voice in six other languages 0.86-0.92; two different voices
    # 0.09-0.67, but for Kokoro's Spanish and Portuguese "Dora" (0.87, likely one speaker).
    # No real cloning model runs offline here: if a real clone of the reference scores under
    # this, listen to it before lowering the limit.
    min_similarity: float = 0.75


def reference_problem(samples: "np.ndarray[Any, Any]") -> Optional[str]:
    """Why this reference cannot tell whose voice it is, or None when it can."""
    frames = samples[: len(samples) // 320 * 320].reshape(-1, 320)  # 20 ms
    if len(frames) == 0:
        return "the reference recording is empty"
    energy = 10 * np.log10(np.mean(frames.astype(np.float64) ** 2, axis=1) + 1e-12)
    quiet, loud = np.percentile(energy, 10), np.percentile(energy, 90)
    if loud - quiet < MIN_REFERENCE_SNR_DB:
        return f"the reference recording is noisy (its speech is {loud - quiet:.0f} dB over its quiet, under {MIN_REFERENCE_SNR_DB:g} dB)"
    voiced = float(np.sum(energy > quiet + 6.0)) * 0.02
    if voiced < MIN_REFERENCE_SECONDS:
        return f"the reference recording holds {voiced:.1f} s of sound, under the {MIN_REFERENCE_SECONDS:g} s a voice needs"
    return None


class VoiceCheck:
    def __init__(self, settings: VoiceSettings, echo: Callable[[str], None]) -> None:
        self.settings, self.echo = settings, echo
        self.embedder = SpeakerEmbedder()
        self.unavailable: Optional[str] = None  # why the voice check cannot run this run (the header says it)
        self._embedder_down: Optional[str] = None
        self.rows_checked = 0
        self.seconds = 0.0
        # each reference recording's embedding, or why it has none (said once)
        self._references: dict[Path, "np.ndarray[Any, Any] | str"] = {}
        self._lock = threading.Lock()

    def describe(self) -> dict[str, Any]:
        """The run-level record: how whose-voice was checked, or why it was not."""
        return {
            "voice_check": "on" if self.settings.enabled else "off",
            "min_similarity": self.settings.min_similarity,
            "not_checked": "voice_check=off" if not self.settings.enabled else self.unavailable,
            "rows_checked": self.rows_checked,
            "embedder_seconds": round(self.seconds, 2),
        }

    def judge(self, result: RowResult, row: RowContext) -> None:
        if row.reference is None or not result.passed or result.audio_path is None:
            return
        if not self.settings.enabled:
            result.voice = VoiceMatch(False, note="voice not checked (voice_check=off)")
            return
        started = time.monotonic()
        reference = self._reference_embedding(row.reference.voice.wav)
        if isinstance(reference, str):
            result.voice = VoiceMatch(False, note=f"voice not checked: {reference}")
            return
        try:
            output = self.embedder.embed(Path(result.audio_path))
        except Exception as exc:  # a WAV the decoder cannot read: said on this row, not fatal
            result.voice = VoiceMatch(False, note=f"voice not checked: the embedder failed on this WAV ({exc.__class__.__name__}: {exc})")
            return
        score = round(similarity(reference, output), 3)
        spent = time.monotonic() - started
        self.rows_checked += 1
        self.seconds += spent
        result.voice = VoiceMatch(True, score, self.settings.min_similarity, round(spent, 3))
        if score < self.settings.min_similarity:
            result.fail(
                causes.VOICE_KIND,
                f"the voice does not match the reference: similarity {score:.2f} (the same speaker scores about "
                f"{SAME_SPEAKER:g}; limit {self.settings.min_similarity:g})",
            )
            result.decide_cause([])

    def _reference_embedding(self, wav: Path) -> "np.ndarray[Any, Any] | str":
        """A reference recording's embedding, once a run, or why it cannot be had (said once; an
        embedder that cannot run is the whole run's reason)."""
        with self._lock:
            if self._embedder_down is not None:
                return self._embedder_down
            known = self._references.get(wav)
            if known is not None:
                return known
            try:
                samples = read_16k(wav)
                problem = reference_problem(samples)
                found: "np.ndarray[Any, Any] | str" = self.embedder.embed_samples(samples) if problem is None else problem
            except EmbedderUnavailable as exc:
                self._embedder_down = found = str(exc)
            except Exception as exc:  # the reference cannot be decoded
                found = f"the reference recording cannot be read ({exc.__class__.__name__}: {exc})"
            if isinstance(found, str):
                self.echo(f"Voice not checked: {found}.")
                if self.unavailable is None and (not self._references or self._embedder_down is not None):
                    self.unavailable = found  # the embedder, or the run's own (first) reference: the header says it too
            self._references[wav] = found
            return found
