@english @cloned
Feature: Every voice-cloning model speaks through the frozen binary
  Before each release, every TTS engine that clones a voice from a reference recording must turn
  a sentence into speech through the frozen voicebox-server binary, on every platform we ship.

  All rows share one cloned profile, made once from fixtures/reference_voice.wav and its
  transcript. A row has 3 minutes when its model is already in the cache and 20 minutes when it
  must be downloaded first. Rows run one at a time; one row's failure never stops the others.
  The model_name column is the model's entry in GET /models/status.

  Background:
    Given a Voicebox server is running
    And a cloned voice profile made from the reference recording

  Scenario Outline: Row <row>: <engine> <model_size> speaks with a cloned voice
    When <engine> <model_size> (model <model_name>) speaks "The quick brown fox jumps over the lazy dog." in English
    Then the generation completes
    And the audio is a playable WAV of plausible length
    And it says the sentence it was given
    And it ran on the backend the build is made for
    And the server's memory does not keep growing

    @qwen
    Examples: Qwen3-TTS Base
      | row | engine | model_size | model_name    | notes                    |
      | 1   | qwen   | 1.7B       | qwen-tts-1.7B | reference audio required |
      | 2   | qwen   | 0.6B       | qwen-tts-0.6B |                          |

    @luxtts
    Examples: LuxTTS
      | row | engine | model_size | model_name | notes        |
      | 5   | luxtts | —          | luxtts     | English only |

    @chatterbox
    Examples: Chatterbox
      | row | engine     | model_size | model_name     | notes |
      | 6   | chatterbox | —          | chatterbox-tts |       |

    @chatterbox_turbo
    Examples: Chatterbox Turbo
      | row | engine           | model_size | model_name       | notes        |
      | 7   | chatterbox_turbo | —          | chatterbox-turbo | English only |

    @tada
    Examples: TADA
      | row | engine | model_size | model_name | notes                     |
      | 8   | tada   | 1B         | tada-1b    | tada-1b, English only     |
      | 9   | tada   | 3B         | tada-3b-ml | tada-3b-ml, multilingual  |
