"""The speech check of each completed row: does its WAV say the sentence, in the language asked,
whole, and without the reference recording's tail in front?

It runs after the row's timings are taken, so the recognizer's time never counts as the model's.
A recognizer that cannot be loaded is said once on the console, and every row then carries
"speech not checked" with the reason (the reports' header says it too): it never passes silently.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from voicebox_e2e.verdicts import causes
from voicebox_e2e.verdicts.bleed import TAIL_SECONDS, bleed_correlation
from voicebox_e2e.verdicts.recognizer import Recognizer, RecognizerUnavailable
from voicebox_e2e.row.references import Recording, Reference
from voicebox_e2e.row.result import RowResult
from voicebox_e2e.verdicts.base import RowContext
from voicebox_e2e.verdicts.speech_score import Speech, SpeechLimits, leaked_words, score


@dataclass(frozen=True)
class SpeechSettings:
    """``asr``, ``asr_model``, the thresholds (``speech_*``, ``asr_languages``) and the bleed limit."""

    enabled: bool = True
    model: str = "bundled"
    limits: SpeechLimits = SpeechLimits()
    # The reference tail found at the output's start at least this well: bleed. A pasted tail
    # scores about 1.0, unrelated speech under 0.5.
    max_bleed_correlation: float = 0.7


class SpeechCheck:
    def __init__(self, settings: SpeechSettings, echo: Callable[[str], None]) -> None:
        self.settings = settings
        self.echo = echo
        self.recognizer = Recognizer(settings.model)
        self.unavailable: Optional[str] = None  # why the recognizer could not be loaded
        self.rows_checked = 0
        self.seconds = 0.0
        self._loading: Optional[threading.Thread] = None

    def load_in_background(self) -> None:
        """Load the recognizer while the server starts, so the first row does not wait for it
        (a failure is left for that row to meet and report)."""
        if self.settings.enabled and self._loading is None:
            self._loading = threading.Thread(target=self._load_quietly, name="speech-recognizer-load", daemon=True)
            self._loading.start()

    def _load_quietly(self) -> None:
        try:
            self.recognizer.load()
        except RecognizerUnavailable:
            pass

    def describe(self) -> dict[str, Any]:
        """The run-level record: what checked the speech, or why nothing did."""
        return {
            "asr": "on" if self.settings.enabled else "off",
            "model": self.settings.model,
            "judged_languages": sorted(self.settings.limits.judged_languages),
            "max_error_rate": self.settings.limits.max_error_rate,
            "max_char_error_rate": self.settings.limits.max_char_error_rate,
            "not_checked": self.not_checked(),
            "rows_checked": self.rows_checked,
            "recognizer_seconds": round(self.seconds, 2),
            "recognizer_load_seconds": round(self.recognizer.load_seconds, 2),
        }

    def not_checked(self) -> Optional[str]:
        if not self.settings.enabled:
            return "asr=off"
        return self.unavailable

    def judge(self, result: RowResult, row: RowContext) -> None:
        if row.spec.chunked:
            return  # text the server chunks is heard window by window (long_text.LongTextCheck)
        self.check(result, row.spec.text, row.reference)

    def check(self, result: RowResult, text: str, reference: Optional[Reference]) -> None:
        """Score a row whose WAV passed its checks; fail it (cause audio) when it says the wrong thing."""
        if not result.passed or result.audio_path is None:
            return
        if not self.settings.enabled:
            result.speech = Speech(False, note="speech not checked (asr=off)")
            return
        speech = result.speech = self._hear(Path(result.audio_path), result.language, text)
        if not speech.checked:
            return
        if reference is not None:
            self._bleed(speech, Path(result.audio_path), result.language, text, reference.tail)
        if speech.problem is not None:
            result.fail(causes.SPEECH_KIND, speech.problem)
            result.decide_cause([])

    def _bleed(self, speech: Speech, wav: Path, language: str, text: str, tail: Recording) -> None:
        """The reference's end (its last sample's) in front of the output: its very samples, or its
        last words spoken again (the way Voicebox users met it)."""
        if tail.wav.is_file():
            try:
                speech.bleed_correlation = bleed_correlation(wav, tail.wav)
            except Exception as exc:  # a WAV the decoder cannot read: said, not fatal to the row
                speech.note = f"reference bleed not measured ({exc.__class__.__name__}: {exc})"
        leaked = None if not speech.words_judged else leaked_words(tail.text, speech.transcript or "", text, language)
        if speech.problem is not None:
            return
        if speech.bleed_correlation is not None and speech.bleed_correlation >= self.settings.max_bleed_correlation:
            speech.problem = (
                f"the last {TAIL_SECONDS:g} s of the reference recording is at the start of the output "
                f"(correlation {speech.bleed_correlation:.2f})"
            )
        elif leaked is not None:
            speech.problem = f"it starts with the reference recording's last words, '{leaked}', before the sentence"

    def _hear(self, wav: Path, language: str, text: str) -> Speech:
        if self._loading is not None:
            self._loading.join()
        if self.unavailable is not None:
            return Speech(False, note=f"speech not checked: {self.unavailable}")
        try:
            sure = self.settings.limits.min_language_probability
            heard = self.recognizer.hear(wav, language, sure, max_tokens=2 * len(text) + 40)  # room for the sentence, not a loop
        except RecognizerUnavailable as exc:
            self.unavailable = str(exc)
            self.echo(f"Speech not checked: {exc}")
            return Speech(False, note=f"speech not checked: {exc}")
        except Exception as exc:  # the recognizer failed on this WAV alone: say so on this row
            return Speech(False, note=f"speech not checked: the recognizer failed on this WAV ({exc.__class__.__name__}: {exc})")
        self.rows_checked += 1
        self.seconds += heard.seconds
        return score(text, language, heard, self.settings.limits)
