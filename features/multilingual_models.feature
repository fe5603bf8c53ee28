@multilingual
Feature: Multilingual models speak the languages they support
  Beyond English, each multilingual engine must speak a few of the languages it supports, through
  the frozen binary. These rows are not part of the @english sign-off run; run them with
  --tags=@multilingual. Each sentence says "The quick brown fox jumps over the lazy dog."

  Background:
    Given a Voicebox server is running

  Scenario Outline: Row <row>: <engine> <model_size> speaks <language> with a cloned voice
    Given a cloned voice profile made from the reference recording
    When <engine> <model_size> (model <model_name>) speaks "<text>" in <language>
    Then the generation completes
    And the audio is a playable WAV of plausible length

    @cloned @qwen
    Examples: Qwen3-TTS Base
      | row | engine | model_size | model_name    | language | text                                   |
      | M1  | qwen   | 1.7B       | qwen-tts-1.7B | Chinese  | 敏捷的棕色狐狸跳过了那只懒狗。           |
      | M2  | qwen   | 1.7B       | qwen-tts-1.7B | Japanese | 素早い茶色の狐がのろまな犬を飛び越える。 |

    @cloned @chatterbox
    Examples: Chatterbox
      | row | engine     | model_size | model_name     | language | text                                                  |
      | M3  | chatterbox | —          | chatterbox-tts | German   | Der schnelle braune Fuchs springt über den faulen Hund. |

    @cloned @tada
    Examples: TADA 3B multilingual
      | row | engine | model_size | model_name | language | text                                                  |
      | M4  | tada   | 3B         | tada-3b-ml | French   | Le rapide renard brun saute par-dessus le chien paresseux. |

  Scenario Outline: Row <row>: <engine> speaks <language> as the preset voice <voice>
    Given the <engine> preset voice "<voice>"
    When <engine> <model_size> (model <model_name>) speaks "<text>" in <language>
    Then the generation completes
    And the audio is a playable WAV of plausible length

    @preset @kokoro
    Examples: Kokoro
      | row | engine | model_size | model_name | voice   | language | text                                                   |
      | M5  | kokoro | —          | kokoro     | ef_dora | Spanish  | El rápido zorro marrón salta sobre el perro perezoso. |
