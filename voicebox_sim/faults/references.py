"""Faults of what a cloned profile is made from, as Voicebox users met them:

- ``samples = "other"``: a profile with several samples speaks in another speaker's voice
  ("the generated audio uses a random voice", upstream 18);
- ``reference_words_over = 20``: a reference longer than this many seconds makes the model say its
  last words before the text (text that was never asked for, upstream 576);
- ``foreign_reference = "babble"`` or an error text: a profile whose language is not English
  garbles the words (TADA's English aligner on another language, upstream 1067) or fails the
  generation with that text (Qwen with a Turkish reference, upstream 726).
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from typing import Optional

from voicebox_sim.engine import speech
from voicebox_sim.scenario import ModelFault

BABBLE = "babble"


@dataclass(frozen=True)
class ReferenceEffect:
    speech: Optional[str] = None  # a speech fault (engine/speech.py) the reference brings on
    voice: Optional[str] = None  # "other": another speaker's voice
    error: Optional[str] = None  # the generation fails with this text


def reference_effect(fault: ModelFault, reference: Optional[speech.Reference], profile_language: str) -> ReferenceEffect:
    """What this model's reference faults do to a generation through this profile."""
    if reference is None:
        return ReferenceEffect()
    if fault.foreign_reference is not None and profile_language != "en":
        if fault.foreign_reference == BABBLE:
            return ReferenceEffect(speech=BABBLE)
        return ReferenceEffect(error=fault.foreign_reference)
    if fault.reference_words_over is not None and seconds(reference) > fault.reference_words_over:
        return ReferenceEffect(speech="reference_words")
    if fault.samples == "other" and reference.samples > 1:
        return ReferenceEffect(voice="other")
    return ReferenceEffect()


def seconds(reference: speech.Reference) -> float:
    with wave.open(str(reference.wav), "rb") as source:
        return source.getnframes() / source.getframerate()
