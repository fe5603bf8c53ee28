"""Scoring what the recognizer heard: the sentences a failed row carries, and what passes.

The transcripts are whisper-base's own, recorded while building the check: of the simulator's
eSpeak NG speech (normal and with each speech fault) and of the fox sentence in other languages.
"""

from __future__ import annotations

from voicebox_e2e.verdicts.speech_score import Heard, SpeechLimits, language_name, leaked_words, normalise, score, units

FOX = "The quick brown fox jumps over the lazy dog."
LIMITS = SpeechLimits()


def heard(text: str, language: str = "en", probability: float = 0.9) -> Heard:
    return Heard(text, language, probability, 2.4)


def test_texts_are_compared_without_case_or_punctuation() -> None:
    assert normalise("The quick, brown FOX… jumps!", "en") == "the quick brown fox jumps"
    assert normalise("¡El rápido ZORRO [Música] marrón!", "es") == "el rápido zorro marrón"
    assert units("敏捷的棕色狐狸。", "zh") == list("敏捷的棕色狐狸")
    assert units(FOX, "en")[-1] == "dog"


def test_english_is_normalised_as_whisper_does_numbers_spellings_contractions_and_noises() -> None:
    assert score("Twenty-five thousand people came.", "en", heard("25,000 people came."), LIMITS).error_rate == 0.0
    assert score("The colour of the theatre.", "en", heard("The color of the theater."), LIMITS).error_rate == 0.0
    assert score("It's ten past three.", "en", heard("[Music] It is 10 past 3."), LIMITS).error_rate == 0.0


def test_combining_marks_stay_inside_their_words() -> None:
    # Whisper's basic normaliser turns Hindi's vowel signs into spaces, splitting every word
    assert units("तेज़ भूरी लोमड़ी आलसी कुत्ते के ऊपर कूदती है।", "hi") == ["तेज़", "भूरी", "लोमड़ी", "आलसी", "कुत्ते", "के", "ऊपर", "कूदती", "है"]


def test_eSpeak_english_with_two_misheard_words_passes() -> None:
    speech = score(FOX, "en", heard("the quick round fox dumps over the lazy dog.", probability=0.884), LIMITS)
    assert speech.problem is None and speech.error_rate == 0.222 and speech.metric == "wer"


def test_the_word_for_word_transcript_scores_zero() -> None:
    assert score(FOX, "en", heard(" The quick brown fox jumps over the lazy dog."), LIMITS).error_rate == 0.0


def test_babble_is_unintelligible_and_says_what_it_sounded_like() -> None:
    speech = score(FOX, "en", heard("ไม่ แม่มือทำยังว่าแม่มือมือก็ลองมือก็ดู", "th", 0.594), LIMITS)
    assert speech.problem == "unintelligible: WER 1.00, heard 'ไม่ แม่มือทำยังว่าแม่มือมือก็ลองมือก็ดู' (it sounds most like Thai, probability 0.59)"


def test_silence_heard_as_nothing_is_unintelligible() -> None:
    assert score(FOX, "en", heard(""), LIMITS).problem == "unintelligible: WER 1.00, heard nothing"


def test_a_sentence_cut_after_its_first_half_names_the_missing_words() -> None:
    speech = score(FOX, "en", heard("The quick round fox jump.", probability=0.886), LIMITS)
    assert speech.problem == "the last 4 of 9 words are missing (heard 'The quick round fox jump.')"
    # the same cut heard with its "the" lost: three of five words off, but the letters are there
    dropped = score(FOX, "en", heard("Quick round fox jump!", probability=0.9), LIMITS)
    assert dropped.problem == "the last 4 of 9 words are missing (heard 'Quick round fox jump!')"
    # the whole sentence, two words misheard, is not cut
    assert score(FOX, "en", heard("The quick round fox dumps over the lazy dog."), LIMITS).problem is None


def test_another_language_heard_with_confidence_is_the_wrong_language() -> None:
    speech = score(FOX, "en", heard("El rápido zorro marrón salta sobre el perro perezoso.", "es", 0.84), LIMITS)
    assert speech.problem is not None and speech.problem.startswith("spoke Spanish, asked for English")


ENGLISH_ONLY = SpeechLimits(judged_languages=frozenset({"en"}))


def test_a_language_whose_words_are_not_judged_fails_only_for_english() -> None:
    spanish = "El rápido zorro marrón salta sobre el perro perezoso."
    fallback = score(spanish, "es", heard(FOX, "en", 0.92), ENGLISH_ONLY)
    assert fallback.problem == f"spoke English, asked for Spanish (heard '{FOX}')" and not fallback.words_judged
    # whisper-base's reading of eSpeak NG's Spanish: a few letters off, Spanish, so recorded only
    espeak = score(spanish, "es", heard("el rápimo soro maronsata sobre el perro peroso.", "es", 0.70), ENGLISH_ONLY)
    assert espeak.problem is None and espeak.metric == "cer" and espeak.error_rate == 0.182
    assert espeak.note == "words not judged in Spanish (asr_languages): the transcript is for reading"
    # whisper-base's reading of the simulator's Spanish babble: past the limit, so "listen to it"
    babble = score(spanish, "es", heard("lo he muro lo he muro, lo he muro, he muro", "es", 0.5), ENGLISH_ONLY)
    assert babble.problem is None and babble.note is not None and babble.note.endswith("is past the 0.35 limit: listen to it"), babble.note
    # eSpeak NG's Mandarin was taken for Thai at 0.93: not English, so not failed
    assert score("敏捷的棕色狐狸跳过了那只懒狗。", "zh", heard("面铁的峰射足力調", "th", 0.931), ENGLISH_ONLY).problem is None
    # eSpeak NG's Hebrew was taken for English, unsure (0.43): not failed
    assert score("השועל החום המהיר קופץ מעל הכלב העצלן.", "he", heard("שתתת עומת וקופט", "en", 0.426), LIMITS).problem is None


def test_chinese_is_scored_in_latin_letters_so_homophones_compare_as_they_sound() -> None:
    speech = score("敏捷的棕色狐狸跳过了那只懒狗。", "zh", heard("敏捷的棕色狐狸跳过了那只狗", "zh", 0.97), LIMITS)
    assert speech.metric == "cer" and speech.error_rate == round(3 / 38, 3) and speech.problem is None  # "lan" of 38 letters


REFERENCE = "Hello there. This is a short reference recording for the voice cloning test. The sky is clear today."


def test_the_reference_transcripts_last_words_before_the_sentence_are_a_leak() -> None:
    # Voicebox issues 383 and 604: the end of the reference, spoken again, then the sentence
    assert leaked_words(REFERENCE, "is clear today. The quick brown fox jumps over the lazy dog.", FOX, "en") == "is clear today"
    assert leaked_words(REFERENCE, "sky is clear to day the quick round fox dumps over the lazy dog", FOX, "en") == "sky is clear to day"


def test_other_words_before_the_sentence_or_none_are_not_a_leak() -> None:
    assert leaked_words(REFERENCE, "the quick round fox dumps over the lazy dog.", FOX, "en") is None
    assert leaked_words(REFERENCE, "hello hello the quick brown fox jumps over the lazy dog", FOX, "en") is None
    assert leaked_words(REFERENCE, "The quick round fox jump.", FOX, "en") is None
    assert leaked_words(REFERENCE, "", FOX, "en") is None


def test_a_leak_is_found_through_the_english_normaliser_on_all_three_texts() -> None:
    # "I'll" and "ten": only Whisper's English normaliser makes them "i will" and "10" in each text
    reference = "Meet me there. I'll be home at ten."
    assert leaked_words(reference, "i will be home at 10 the quick brown fox jumps over the lazy dog", FOX, "en") == "i will be home at 10"
    assert leaked_words("Meet me there. I will be home at 10.", "I'll be home at ten. The quick brown fox jumps over the lazy dog.", FOX, "en") == "i will be home at 10"
    sentence = "I'll say ten words now."
    assert leaked_words(reference, "home at 10 i will say 10 words now", sentence, "en") == "home at 10"


def test_a_leak_at_its_edges() -> None:
    reference = "We rode home."
    # one word before the sentence is not a leak, however well it matches
    assert leaked_words(reference, "home the quick brown fox jumps over the lazy dog", FOX, "en") is None
    # the whole reference said again is one (its letters exactly as many as the reference's)
    assert leaked_words(reference, "we rode home the quick brown fox jumps over the lazy dog", FOX, "en") == "we rode home"
    # two of eight letters misheard is the most a leak may have ("rove hone" for "rode home": 0.25)
    assert leaked_words(reference, "rove hone the quick brown fox jumps over the lazy dog", FOX, "en") == "rove hone"
    assert leaked_words(reference, "rave hone the quick brown fox jumps over the lazy dog", FOX, "en") is None  # three of eight
    # no reference words, or nothing heard beyond the sentence
    assert leaked_words("", "we rode home the quick brown fox jumps over the lazy dog", FOX, "en") is None
    assert leaked_words(reference, "the quick brown fox jumps over the lazy dog", FOX, "en") is None


def test_a_leak_in_a_language_written_without_spaces_is_its_characters() -> None:
    assert leaked_words("我们回家了", "回家了狐狸跳过懒狗", "狐狸跳过懒狗", "zh") == "回家了"


def test_languages_are_named_in_english_or_by_their_code() -> None:
    assert language_name("fr") == "French" and language_name("nn") == "Norwegian"
    assert language_name("xx") == "xx" and language_name(None) == "an unknown language" and language_name("") == "an unknown language"


def test_the_speech_record_holds_what_was_heard() -> None:
    speech = score(FOX, "en", Heard(" The quick brown fox jumps over the lazy dog. ", "en", 0.98765, 1.5), LIMITS)
    assert speech.to_json() == {
        "checked": True, "words_judged": True, "transcript": FOX, "language": "en", "language_probability": 0.988,
        "metric": "wer", "error_rate": 0.0, "seconds": 1.5, "problem": None, "note": None, "bleed_correlation": None,
    }
    unsure = score(FOX, "en", Heard(FOX, None, None, 0.2), LIMITS)
    assert unsure.language_probability is None and unsure.language is None and unsure.problem is None


def test_each_text_is_normalised_in_its_language() -> None:
    # only Whisper's English normaliser makes "I'll" and "ten" of "i will" and "10", in either text
    assert score("I'll be there at ten.", "en", heard("i will be there at 10"), LIMITS).error_rate == 0.0
    assert score("I will be there at 10.", "en", heard("I'll be there at ten."), LIMITS).error_rate == 0.0


def test_english_is_held_to_the_word_limit_and_at_it_passes() -> None:
    limits = SpeechLimits(max_error_rate=0.25, max_char_error_rate=0.9)
    eight = "alpha bravo charlie delta echo foxtrot golf hotel"
    at = score(eight, "en", heard("alpha bravo charlie delta echo foxtrot golf india india"), limits)  # 2 of 8 words off
    assert at.error_rate == 0.25 and at.problem is None
    past = score(eight, "en", heard("alpha bravo charlie delta echo foxtrot juliet india india"), limits)
    assert past.problem is not None and past.problem.startswith("unintelligible: WER 0.38, heard 'alpha bravo")
    assert score(eight, "en", heard("alpha bravo charlie delta echo foxtrot juliet india india"), SpeechLimits(max_error_rate=0.9, max_char_error_rate=0.1)).problem is None


def test_a_long_transcript_is_quoted_to_120_characters() -> None:
    babble = "la " * 60
    problem = score(FOX, "en", heard(babble), LIMITS).problem or ""
    assert f"heard '{babble.strip()[:120]}'" in problem and f"heard '{babble.strip()[:121]}'" not in problem


def test_the_language_is_wrong_only_when_the_recognizer_is_sure_at_least_as_the_limit() -> None:
    spanish = "El rápido zorro marrón salta sobre el perro perezoso."
    at_limit = score(FOX, "en", heard(spanish, "es", LIMITS.min_language_probability), LIMITS)
    assert (at_limit.problem or "").startswith("spoke Spanish, asked for English")
    unknown = score(FOX, "en", Heard(spanish, "es", None, 1.0), LIMITS)
    assert unknown.problem == f"unintelligible: WER 1.00, heard '{spanish}' (it sounds most like Spanish)"  # no probability: never sure
    # Nynorsk heard for Norwegian is Norwegian; Nynorsk for German, or Swedish for Norwegian, is not
    norwegian = "Den raske brune reven hopper over den late hunden."
    judged = SpeechLimits(judged_languages=frozenset({"en", "de", "no"}))
    assert score(norwegian, "no", heard(norwegian, "nn", 0.95), judged).problem is None
    assert score(FOX, "de", heard(norwegian, "nn", 0.95), judged).problem == f"spoke Norwegian, asked for German (heard '{norwegian}')"
    assert (score(norwegian, "no", heard(norwegian, "sv", 0.95), judged).problem or "").startswith("spoke Swedish, asked for Norwegian")


def test_a_chinese_sentence_cut_short_names_the_missing_characters() -> None:
    speech = score("敏捷的棕色狐狸跳过了那只懒狗。", "zh", heard("敏捷的棕色", "zh", 0.97), LIMITS)
    assert speech.problem == "the last 9 of 14 characters are missing (heard '敏捷的棕色')"


def test_a_language_not_judged_says_listen_only_past_its_limit() -> None:
    spanish = "El rápido zorro marrón salta sobre el perro perezoso."
    heard_as = "el rápido zorro marrón salta sobre el perro"
    rate = score(spanish, "es", heard(heard_as, "es", 0.9), ENGLISH_ONLY).error_rate or 0.0
    at = score(spanish, "es", heard(heard_as, "es", 0.9), SpeechLimits(judged_languages=frozenset({"en"}), max_char_error_rate=rate))
    assert at.note == "words not judged in Spanish (asr_languages): the transcript is for reading"
    past = score(spanish, "es", heard(heard_as, "es", 0.9), SpeechLimits(judged_languages=frozenset({"en"}), max_char_error_rate=rate - 0.01))
    assert past.note == f"words not judged in Spanish (asr_languages): the transcript is for reading; CER {rate:.2f} is past the {rate - 0.01:g} limit: listen to it"
    # English heard for English in a run that judges only other languages is not "spoke English"
    assert score(FOX, "en", heard(FOX, "en", 0.99), SpeechLimits(judged_languages=frozenset({"es"}))).problem is None
