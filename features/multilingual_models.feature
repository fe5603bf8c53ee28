@multilingual
Feature: Every engine speaks every language it supports through the frozen binary
  Each language reaches the model through its own text front-end inside the frozen bundle
  (grapheme-to-phoneme rules, dictionaries, tokenizers), so English working says little about
  Japanese. These rows cover, for every engine, every language the server's model configs list
  for it (backend/backends/__init__.py), one model size per engine: the sizes of an engine share
  its front-end. LuxTTS, Chatterbox Turbo and TADA 1B speak English only; their English rows are
  in the cloned and preset features. Each sentence says "The quick brown fox jumps over the lazy
  dog." in that language and script.

  Merged languages, and why: Chatterbox's multilingual tokenizer gives Chinese (Cangjie codes),
  Japanese (kana), Hebrew (diacritics) and Korean (jamo) their own front-ends; every other
  language takes one generic path (a language tag and the same grapheme vocabulary file). So
  French, Spanish, Italian, Portuguese, Danish, Finnish, Malay, Dutch, Norwegian, Polish,
  Swedish, Swahili and Turkish are covered by the German row, which runs that same path. Russian,
  Greek, Arabic and Hindi keep a row each, one per script the vocabulary must hold. Nothing else
  is merged: Kokoro's languages each have their own G2P (misaki for English, Japanese and Chinese;
  a separate eSpeak NG dictionary for Spanish, French, Hindi, Italian and Portuguese), and the
  Qwen and TADA rows stay one per language.

  The release procedure runs these rows with the English ones: --tags="@english or @multilingual".

  Background:
    Given a Voicebox server is running

  Scenario Outline: Row <row>: <engine> <model_size> speaks <language> with a cloned voice
    Given a cloned voice profile made from the reference recording
    When <engine> <model_size> (model <model_name>) speaks "<text>" in <language>
    Then the generation completes
    And the audio is a playable WAV of plausible length
    And it says the sentence it was given
    And it ran on the backend the build is made for
    And the server's memory does not keep growing

    @cloned @qwen
    Examples: Qwen3-TTS Base (one tokenizer for every language; the language is a tag)
      | row | engine | model_size | model_name    | language   | text                                                        |
      | M1  | qwen   | 1.7B       | qwen-tts-1.7B | Chinese    | 敏捷的棕色狐狸跳过了那只懒狗。                                  |
      | M2  | qwen   | 1.7B       | qwen-tts-1.7B | Japanese   | 素早い茶色の狐がのろまな犬を飛び越える。                        |
      | M3  | qwen   | 1.7B       | qwen-tts-1.7B | Korean     | 날쌘 갈색 여우가 게으른 개를 뛰어넘는다.                        |
      | M4  | qwen   | 1.7B       | qwen-tts-1.7B | German     | Der schnelle braune Fuchs springt über den faulen Hund.     |
      | M5  | qwen   | 1.7B       | qwen-tts-1.7B | French     | Le rapide renard brun saute par-dessus le chien paresseux.  |
      | M6  | qwen   | 1.7B       | qwen-tts-1.7B | Russian    | Быстрая коричневая лиса прыгает через ленивую собаку.       |
      | M7  | qwen   | 1.7B       | qwen-tts-1.7B | Portuguese | A rápida raposa marrom salta sobre o cão preguiçoso.        |
      | M8  | qwen   | 1.7B       | qwen-tts-1.7B | Spanish    | El rápido zorro marrón salta sobre el perro perezoso.       |
      | M9  | qwen   | 1.7B       | qwen-tts-1.7B | Italian    | La veloce volpe marrone salta sopra il cane pigro.          |

    @cloned @chatterbox
    Examples: Chatterbox multilingual (German stands for the generic path; see above)
      | row | engine     | model_size | model_name     | language | text                                                        |
      | M10 | chatterbox | —          | chatterbox-tts | Chinese  | 敏捷的棕色狐狸跳过了那只懒狗。                                  |
      | M11 | chatterbox | —          | chatterbox-tts | Japanese | 素早い茶色の狐がのろまな犬を飛び越える。                        |
      | M12 | chatterbox | —          | chatterbox-tts | Korean   | 날쌘 갈색 여우가 게으른 개를 뛰어넘는다.                        |
      | M13 | chatterbox | —          | chatterbox-tts | Hebrew   | השועל החום המהיר קופץ מעל הכלב העצלן.                       |
      | M14 | chatterbox | —          | chatterbox-tts | Russian  | Быстрая коричневая лиса прыгает через ленивую собаку.       |
      | M15 | chatterbox | —          | chatterbox-tts | German   | Der schnelle braune Fuchs springt über den faulen Hund.     |
      | M16 | chatterbox | —          | chatterbox-tts | Greek    | Η γρήγορη καφετιά αλεπού πηδά πάνω από τον τεμπέλη σκύλο.   |
      | M17 | chatterbox | —          | chatterbox-tts | Arabic   | الثعلب البني السريع يقفز فوق الكلب الكسول.                   |
      | M18 | chatterbox | —          | chatterbox-tts | Hindi    | तेज़ भूरी लोमड़ी आलसी कुत्ते के ऊपर कूदती है।                   |

    @cloned @tada
    Examples: TADA 3B multilingual
      | row | engine | model_size | model_name | language   | text                                                        |
      | M19 | tada   | 3B         | tada-3b-ml | Arabic     | الثعلب البني السريع يقفز فوق الكلب الكسول.                   |
      | M20 | tada   | 3B         | tada-3b-ml | Chinese    | 敏捷的棕色狐狸跳过了那只懒狗。                                  |
      | M21 | tada   | 3B         | tada-3b-ml | German     | Der schnelle braune Fuchs springt über den faulen Hund.     |
      | M22 | tada   | 3B         | tada-3b-ml | Spanish    | El rápido zorro marrón salta sobre el perro perezoso.       |
      | M23 | tada   | 3B         | tada-3b-ml | French     | Le rapide renard brun saute par-dessus le chien paresseux.  |
      | M24 | tada   | 3B         | tada-3b-ml | Italian    | La veloce volpe marrone salta sopra il cane pigro.          |
      | M25 | tada   | 3B         | tada-3b-ml | Japanese   | 素早い茶色の狐がのろまな犬を飛び越える。                        |
      | M26 | tada   | 3B         | tada-3b-ml | Polish     | Szybki brązowy lis przeskakuje nad leniwym psem.            |
      | M27 | tada   | 3B         | tada-3b-ml | Portuguese | A rápida raposa marrom salta sobre o cão preguiçoso.        |

  Scenario Outline: Row <row>: <engine> <model_size> speaks <language> as the preset voice <voice>
    Given the <engine> preset voice "<voice>"
    When <engine> <model_size> (model <model_name>) speaks "<text>" in <language>
    Then the generation completes
    And the audio is a playable WAV of plausible length
    And it says the sentence it was given
    And it ran on the backend the build is made for
    And the server's memory does not keep growing

    @preset @qwen_custom_voice
    Examples: Qwen3-TTS CustomVoice (its voices are native in zh, en, ja and ko only; Ryan speaks the rest)
      | row | engine            | model_size | model_name             | voice    | language   | text                                                        |
      | M28 | qwen_custom_voice | 1.7B       | qwen-custom-voice-1.7B | Vivian   | Chinese    | 敏捷的棕色狐狸跳过了那只懒狗。                                  |
      | M29 | qwen_custom_voice | 1.7B       | qwen-custom-voice-1.7B | Ono_Anna | Japanese   | 素早い茶色の狐がのろまな犬を飛び越える。                        |
      | M30 | qwen_custom_voice | 1.7B       | qwen-custom-voice-1.7B | Sohee    | Korean     | 날쌘 갈색 여우가 게으른 개를 뛰어넘는다.                        |
      | M31 | qwen_custom_voice | 1.7B       | qwen-custom-voice-1.7B | Ryan     | German     | Der schnelle braune Fuchs springt über den faulen Hund.     |
      | M32 | qwen_custom_voice | 1.7B       | qwen-custom-voice-1.7B | Ryan     | French     | Le rapide renard brun saute par-dessus le chien paresseux.  |
      | M33 | qwen_custom_voice | 1.7B       | qwen-custom-voice-1.7B | Ryan     | Russian    | Быстрая коричневая лиса прыгает через ленивую собаку.       |
      | M34 | qwen_custom_voice | 1.7B       | qwen-custom-voice-1.7B | Ryan     | Portuguese | A rápida raposa marrom salta sobre o cão preguiçoso.        |
      | M35 | qwen_custom_voice | 1.7B       | qwen-custom-voice-1.7B | Ryan     | Spanish    | El rápido zorro marrón salta sobre el perro perezoso.       |
      | M36 | qwen_custom_voice | 1.7B       | qwen-custom-voice-1.7B | Ryan     | Italian    | La veloce volpe marrone salta sopra il cane pigro.          |

    @preset @kokoro
    Examples: Kokoro (one voice of each language; the voice id's first letter is its pipeline)
      | row | engine | model_size | model_name | voice      | language   | text                                                       |
      | M37 | kokoro | —          | kokoro     | ef_dora    | Spanish    | El rápido zorro marrón salta sobre el perro perezoso.      |
      | M38 | kokoro | —          | kokoro     | ff_siwis   | French     | Le rapide renard brun saute par-dessus le chien paresseux. |
      | M39 | kokoro | —          | kokoro     | hf_alpha   | Hindi      | तेज़ भूरी लोमड़ी आलसी कुत्ते के ऊपर कूदती है।                  |
      | M40 | kokoro | —          | kokoro     | if_sara    | Italian    | La veloce volpe marrone salta sopra il cane pigro.         |
      | M41 | kokoro | —          | kokoro     | pf_dora    | Portuguese | A rápida raposa marrom salta sobre o cão preguiçoso.       |
      | M42 | kokoro | —          | kokoro     | jf_alpha   | Japanese   | 素早い茶色の狐がのろまな犬を飛び越える。                       |
      | M43 | kokoro | —          | kokoro     | zf_xiaobei | Chinese    | 敏捷的棕色狐狸跳过了那只懒狗。                                 |
