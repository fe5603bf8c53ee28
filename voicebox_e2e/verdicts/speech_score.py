"""Does the WAV say the sentence? Scoring what the recognizer heard against what the row asked.

Both texts are normalised alike: English by Whisper's own English normaliser (numbers as digits,
American spellings, contractions spelled out, fillers dropped; package ``whisper-normalizer``),
the other languages (and English where that package is missing) by Whisper's basic one (Unicode
NFKC, case folded, bracketed noises like "[Music]" dropped, punctuation and symbols dropped,
whitespace collapsed), except that combining marks are kept: Whisper's turns them into spaces,
splitting Hindi words at every vowel sign. The error rate is the word error rate in English and
the character error rate (letters, spaces dropped) in every other language: measured on the real
Voicebox 0.5.0 kokoro outputs, letters tell a misheard word from another sentence where words
cannot ("Renard Branson" for "renard brun saute" is two words in three wrong but few letters).
Hindi and Chinese are compared in Latin letters (``uroman``, the universal romanizer; repeated
letters once), so Hindi written in Devanagari or Urdu script, traditional or simplified Chinese and
homophones (宗/棕, 湖里/狐狸: the same syllables) compare as they sound.

A row's words are judged in the languages the recognizer was calibrated in (``asr_languages``;
``languages.py`` says how each was measured). In the others the transcript and its error rate are
recorded for people to read, and the row fails only when English was heard for another language:
the fallback of contract section 9.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any, Callable, Optional, Sequence

from rapidfuzz.distance import Levenshtein

from voicebox_e2e.verdicts.languages import JUDGED, ROMANIZED

CHARACTER_LANGUAGES = frozenset({"zh", "ja", "ko"})  # written without spaces between words
LANGUAGE_NAMES = {
    "en": "English", "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "de": "German", "fr": "French",
    "ru": "Russian", "pt": "Portuguese", "es": "Spanish", "it": "Italian", "he": "Hebrew", "ar": "Arabic",
    "da": "Danish", "el": "Greek", "fi": "Finnish", "hi": "Hindi", "ms": "Malay", "nl": "Dutch",
    "no": "Norwegian", "nn": "Norwegian", "pl": "Polish", "sv": "Swedish", "sw": "Swahili", "tr": "Turkish",
    # what whisper-base took eSpeak NG's and babbled speech for
    "th": "Thai", "la": "Latin", "id": "Indonesian", "cs": "Czech", "ka": "Georgian", "uk": "Ukrainian",
}


@dataclass(frozen=True)
class SpeechLimits:
    """The speech check's thresholds; each is a setting (see behave.ini)."""

    # Word error rate (English) above this: unintelligible. Real Voicebox Kokoro speech of the
    # fox sentence scored 0.0 with whisper-base; a robotic eSpeak NG reading 0.11-0.22.
    max_error_rate: float = 0.5
    # Character error rate (every other language) above this: unintelligible. The real 0.5.0
    # kokoro outputs scored 0.00-0.24; another language's output 0.45 and more, another sentence
    # 0.73 and more (languages.py).
    max_char_error_rate: float = 0.35
    # Another language detected at least this sure: the wrong language. eSpeak NG's Japanese
    # was taken for English at 0.66 by whisper-base; real English speech scores 0.9 and more.
    min_language_probability: float = 0.8
    judged_languages: frozenset[str] = JUDGED


@dataclass(frozen=True)
class Heard:
    """What the recognizer made of one WAV."""

    text: str
    language: Optional[str]
    probability: Optional[float]
    seconds: float


@dataclass
class Speech:
    """The speech check of one row, as the reports show it."""

    checked: bool
    words_judged: bool = False
    transcript: Optional[str] = None
    language: Optional[str] = None  # as detected
    language_probability: Optional[float] = None
    metric: Optional[str] = None  # "wer" or "cer"
    error_rate: Optional[float] = None
    seconds: Optional[float] = None  # the recognizer's time for this row (not in the row's timings)
    problem: Optional[str] = None  # the sentence a failed row carries
    note: Optional[str] = None  # what was not checked, and why
    bleed_correlation: Optional[float] = None  # cloned rows: the reference tail's match at the start

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


BRACKETED = re.compile(r"[<\[][^>\]]*[>\]]|\([^)]*\)")  # "[Music]", "<|nospeech|>", "(laughs)"


def basic_normalise(text: str) -> str:
    kept = []
    for char in unicodedata.normalize("NFKC", BRACKETED.sub(" ", text)).casefold():
        kept.append(" " if unicodedata.category(char)[0] in "PSZC" else char)
    return " ".join("".join(kept).split())


@cache
def english_normaliser() -> Callable[[str], str]:
    """Whisper's English normaliser, or the basic one where ``whisper-normalizer`` is missing."""
    try:
        from whisper_normalizer.english import EnglishTextNormalizer
    except ImportError:
        return basic_normalise
    english: Callable[[str], str] = EnglishTextNormalizer()
    return english


def normalise(text: str, language: str) -> str:
    if language != "en":
        return basic_normalise(text)
    # Whisper's English normaliser leaves a stray "." of an ellipsis ("fox... jumps"): a word of
    # no letter or digit is not a word
    return " ".join(word for word in english_normaliser()(text).split() if any(char.isalnum() for char in word))


@cache
def romanizer() -> Any:
    from uroman import Uroman

    return Uroman()


def letters(text: str, language: str) -> list[str]:
    """The letters the character error rate counts: of the normalised text, spaces dropped; in
    Latin letters for the languages in ``ROMANIZED`` (repeated letters once: the romanizer
    writes a long vowel twice where the other script has no sign for its length)."""
    clean = normalise(text, language)
    if language in ROMANIZED:
        romanized = str(romanizer().romanize_string(clean)).casefold()
        return list(re.sub(r"(.)\1+", r"\1", romanized.replace(" ", "")))
    return list(clean.replace(" ", ""))


def metric(language: str) -> str:
    return "wer" if language == "en" else "cer"


def scored(text: str, language: str) -> list[str]:
    """What the error rate counts: words in English, letters elsewhere."""
    return units(text, language) if metric(language) == "wer" else letters(text, language)


def units(text: str, language: str) -> list[str]:
    """Words, or characters (spaces dropped) for Chinese, Japanese and Korean."""
    clean = normalise(text, language)
    return list(clean.replace(" ", "")) if language in CHARACTER_LANGUAGES else clean.split()


def edit_distance(a: Sequence[str], b: Sequence[str]) -> int:
    """Levenshtein distance between two sequences of words or letters (rapidfuzz: the pure-Python
    table took 20 s for the prefixes of a long text's 1,100 letters)."""
    return int(Levenshtein.distance(a, b))


def error_rate(reference: Sequence[str], heard: Sequence[str]) -> float:
    return edit_distance(reference, heard) / max(1, len(reference))


def missing_tail(reference: Sequence[str], heard: Sequence[str], limits: SpeechLimits) -> Optional[int]:
    """How many of the sentence's last units are missing, when what was heard is its beginning
    and at least two units and a fifth of it are gone; else None. The beginning is compared
    letter by letter, spaces dropped, within ``max_error_rate``: in a few words, one misheard
    ending ("jump" for "jumps") or a dropped "the" weighs a fifth of them, a few letters of all."""
    if not heard or len(reference) < 3:
        return None
    said = "".join(heard)
    best = min(range(1, len(reference) + 1), key=lambda k: (error_rate("".join(reference[:k]), said), -k))
    missing = len(reference) - best
    if missing >= max(2, len(reference) // 5) and error_rate("".join(reference[:best]), said) <= limits.max_error_rate:
        return missing
    return None


def leaked_words(reference_text: str, transcript: str, sentence: str, language: str) -> Optional[str]:
    """The reference recording's last words heard before the sentence (two or more), or None.

    This is how the bleed reaches users (Voicebox issues 383 and 604): the model speaks the end of
    the reference transcript again, in its own cadence, before the new sentence, so the words
    show it where the waveform alone need not."""
    reference, heard, said = units(reference_text, language), units(transcript, language), units(sentence, language)
    if not reference or not said or len(heard) < len(said):
        return None
    start = min(range(len(heard) - len(said) // 2), key=lambda k: (edit_distance(said, heard[k:]), k))
    before = heard[:start]
    # compared letter by letter, spaces dropped: a recognizer may split or join words ("to day")
    letters, tail = "".join(before), "".join(reference)
    if len(before) < 2 or len(letters) > len(tail) or error_rate(tail[-len(letters):], letters) > 0.25:
        return None
    return " ".join(before) if language not in CHARACTER_LANGUAGES else letters


def language_name(code: Optional[str]) -> str:
    return LANGUAGE_NAMES.get(code or "", code or "an unknown language")


def score(text: str, language: str, heard: Heard, limits: SpeechLimits) -> Speech:
    """The row's speech, with ``problem`` set when it fails. In a language whose words are not
    judged, the transcript and its error rate are recorded for people to read, and only English
    heard for it fails."""
    judged = language in limits.judged_languages
    reference, said = units(text, language), units(heard.text, language)
    probability = None if heard.probability is None else round(heard.probability, 3)
    rate = round(error_rate(scored(text, language), scored(heard.text, language)), 3)
    limit = limits.max_error_rate if metric(language) == "wer" else limits.max_char_error_rate
    speech = Speech(True, judged, heard.text.strip(), heard.language, probability, metric(language), rate, heard.seconds)
    quoted = "nothing" if not speech.transcript else f"'{speech.transcript[:120]}'"
    sure = (heard.probability or 0.0) >= limits.min_language_probability
    unit = "characters" if language in CHARACTER_LANGUAGES else "words"
    if not judged:
        speech.note = f"words not judged in {language_name(language)} (asr_languages): the transcript is for reading"
        if rate > limit:  # a person should hear what the recognizer could not judge
            speech.note += f"; {metric(language).upper()} {rate:.2f} is past the {limit:g} limit: listen to it"
        if language != "en" and heard.language == "en" and sure:
            speech.problem = f"spoke English, asked for {language_name(language)} (heard {quoted})"
    elif heard.language not in (None, language) and sure and not (language == "no" and heard.language == "nn"):
        speech.problem = f"spoke {language_name(heard.language)}, asked for {language_name(language)} (heard {quoted})"
    elif (missing := missing_tail(reference, said, limits)) is not None:
        speech.problem = f"the last {missing} of {len(reference)} {unit} are missing (heard {quoted})"
    elif rate > limit:
        sure_of = "" if probability is None else f", probability {probability:.2f}"
        sounds = "" if heard.language in (None, language) else f" (it sounds most like {language_name(heard.language)}{sure_of})"
        speech.problem = f"unintelligible: {metric(language).upper()} {rate:.2f}, heard {quoted}{sounds}"
    return speech
