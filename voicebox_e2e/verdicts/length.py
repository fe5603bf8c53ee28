"""How long a sentence may plausibly take to say, by its script.

The audio-length window is set in seconds per letter of an alphabet. A character of a syllabic
script is a whole syllable, not a letter: the real Voicebox 0.5.0 kokoro output of the Chinese
fox sentence (15 characters) is 4.60 s, 0.31 s a character, where the English one is 3.25 s for
44 characters (0.074 s), a ratio of 4.2 (contract section 10, shared/data/real-kokoro-0.5.0). So
each Han character and each Hangul syllable block counts as ``SYLLABLE_LETTERS`` letters, and
each kana (a mora, about half a syllable) as ``MORA_LETTERS``. Every other character counts as
one, combining marks included: the real Hindi output is 4.53 s for 45 code points (0.10 s), well
inside the alphabetic window, as is every alphabetic language's real output.
"""

from __future__ import annotations

SYLLABLE_LETTERS = 4.0
MORA_LETTERS = 2.0

# Unicode blocks whose characters are syllables (Han, Hangul) or morae (kana).
SYLLABLES = (
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F),  # Han
    (0xAC00, 0xD7AF), (0x1100, 0x11FF), (0x3130, 0x318F),  # Hangul
)
MORAE = ((0x3040, 0x309F), (0x30A0, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F))  # kana


def _within(code: int, blocks: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in blocks)


def letter_equivalents(text: str) -> float:
    """``text``'s length in letters of an alphabet: what the seconds-per-letter window multiplies."""
    total = 0.0
    for char in text:
        code = ord(char)
        total += SYLLABLE_LETTERS if _within(code, SYLLABLES) else MORA_LETTERS if _within(code, MORAE) else 1.0
    return total


def length_words(text: str) -> str:
    """How the window's length is said: "44 characters", or "15 characters (60 letters' worth:
    a Han character or Hangul block is a syllable, a kana a mora)"."""
    letters = letter_equivalents(text)
    if letters == len(text):
        return f"{len(text)} characters"
    return f"{len(text)} characters ({letters:g} letters' worth: a Han character or Hangul block is a syllable, a kana a mora)"
