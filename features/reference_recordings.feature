@workload
Feature: A voice cloned from what users really give it: several samples, a long reference, another language
  A profile may hold several samples; the server joins them, audio and words, into one reference
  before any engine reads it (combine_voice_prompts). Users with several samples got "a random
  voice" (upstream 18); a reference near the 30 s limit made a model say text that was never asked
  for (576); a reference in another language broke Qwen (726) and went through TADA's English
  aligner (1067).

  Three samples: three more recordings of the reference's voice (fixtures/samples/, a .txt of
  words each; the 6.4 s reference cannot be cut in three pieces the server takes, each at least
  2 s). The long reference: fixtures/reference_voice.wav said over and over, with its words, up to
  the length the row names. The foreign reference: fixtures/reference_voice_<code>.wav and its
  words, the profile made in that language. Every row's output must say its sentence, without
  the reference's last words in front of it (a bleed), in the voice it was cloned from (the voice
  check, against the reference recording, or the foreign recording itself).

  Background:
    Given a Voicebox server is running

  @samples
  Scenario Outline: Row <row>: <engine> <model_size> speaks with a voice cloned from three samples
    Given a cloned voice profile made from <reference> of the reference voice
    When <engine> <model_size> (model <model_name>) speaks "The quick brown fox jumps over the lazy dog." in English
    Then the generation completes
    And the audio is a playable WAV of plausible length
    And it says the sentence it was given
    And it speaks in the voice it was cloned from

    @qwen
    Examples: Qwen3-TTS Base
      | row | engine | model_size | model_name    | reference     |
      | S1  | qwen   | 1.7B       | qwen-tts-1.7B | three samples |
      | S2  | qwen   | 0.6B       | qwen-tts-0.6B | three samples |

    @luxtts
    Examples: LuxTTS
      | row | engine | model_size | model_name | reference     |
      | S3  | luxtts | —          | luxtts     | three samples |

    @chatterbox
    Examples: Chatterbox
      | row | engine     | model_size | model_name     | reference     |
      | S4  | chatterbox | —          | chatterbox-tts | three samples |

    @chatterbox_turbo
    Examples: Chatterbox Turbo
      | row | engine           | model_size | model_name       | reference     |
      | S5  | chatterbox_turbo | —          | chatterbox-turbo | three samples |

    @tada
    Examples: TADA
      | row | engine | model_size | model_name | reference     |
      | S6  | tada   | 1B         | tada-1b    | three samples |
      | S7  | tada   | 3B         | tada-3b-ml | three samples |

  @long_reference
  Scenario Outline: Row <row>: <engine> <model_size> speaks with a voice cloned from a reference of <reference>
    Given a cloned voice profile made from the reference recording repeated to <reference>
    When <engine> <model_size> (model <model_name>) speaks "The quick brown fox jumps over the lazy dog." in English
    Then the generation completes
    And the audio is a playable WAV of plausible length
    And it says the sentence it was given
    And it speaks in the voice it was cloned from

    @qwen
    Examples: Qwen3-TTS Base
      | row | engine | model_size | model_name    | reference |
      | R1  | qwen   | 1.7B       | qwen-tts-1.7B | 28 s      |
      | R2  | qwen   | 0.6B       | qwen-tts-0.6B | 28 s      |

    @luxtts
    Examples: LuxTTS
      | row | engine | model_size | model_name | reference |
      | R3  | luxtts | —          | luxtts     | 28 s      |

    @chatterbox
    Examples: Chatterbox
      | row | engine     | model_size | model_name     | reference |
      | R4  | chatterbox | —          | chatterbox-tts | 28 s      |

    @chatterbox_turbo
    Examples: Chatterbox Turbo
      | row | engine           | model_size | model_name       | reference |
      | R5  | chatterbox_turbo | —          | chatterbox-turbo | 28 s      |

    @tada
    Examples: TADA
      | row | engine | model_size | model_name | reference |
      | R6  | tada   | 1B         | tada-1b    | 28 s      |
      | R7  | tada   | 3B         | tada-3b-ml | 28 s      |

  @foreign_reference
  Scenario Outline: Row <row>: <engine> <model_size> speaks <language> with a voice cloned from a reference in <reference>
    Given a cloned voice profile made from a reference recording in <reference>
    When <engine> <model_size> (model <model_name>) speaks "<text>" in <language>
    Then the generation completes
    And the audio is a playable WAV of plausible length
    And it says the sentence it was given
    And it speaks in the voice it was cloned from

    @qwen
    Examples: Qwen3-TTS Base
      | row | engine | model_size | model_name    | reference | language | text                                                       |
      | X1  | qwen   | 1.7B       | qwen-tts-1.7B | French    | English  | The quick brown fox jumps over the lazy dog.               |
      | X2  | qwen   | 1.7B       | qwen-tts-1.7B | French    | French   | Le rapide renard brun saute par-dessus le chien paresseux. |
      | X3  | qwen   | 0.6B       | qwen-tts-0.6B | French    | English  | The quick brown fox jumps over the lazy dog.               |
      | X4  | qwen   | 0.6B       | qwen-tts-0.6B | French    | French   | Le rapide renard brun saute par-dessus le chien paresseux. |

    @luxtts
    Examples: LuxTTS
      | row | engine | model_size | model_name | reference | language | text                                         |
      | X5  | luxtts | —          | luxtts     | French    | English  | The quick brown fox jumps over the lazy dog. |

    @chatterbox
    Examples: Chatterbox
      | row | engine     | model_size | model_name     | reference | language | text                                                       |
      | X6  | chatterbox | —          | chatterbox-tts | French    | English  | The quick brown fox jumps over the lazy dog.               |
      | X7  | chatterbox | —          | chatterbox-tts | French    | French   | Le rapide renard brun saute par-dessus le chien paresseux. |

    @chatterbox_turbo
    Examples: Chatterbox Turbo
      | row | engine           | model_size | model_name       | reference | language | text                                         |
      | X8  | chatterbox_turbo | —          | chatterbox-turbo | French    | English  | The quick brown fox jumps over the lazy dog. |

    @tada
    Examples: TADA
      | row | engine | model_size | model_name | reference | language | text                                                       |
      | X9  | tada   | 1B         | tada-1b    | French    | English  | The quick brown fox jumps over the lazy dog.               |
      | X10 | tada   | 3B         | tada-3b-ml | French    | English  | The quick brown fox jumps over the lazy dog.               |
      | X11 | tada   | 3B         | tada-3b-ml | French    | French   | Le rapide renard brun saute par-dessus le chien paresseux. |
