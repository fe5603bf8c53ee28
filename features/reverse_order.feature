@workload @order
Feature: Every model speaks after the others, in the reverse of the matrix's order
  The matrix runs its models in one fixed order (qwen first), so it cannot see one engine's load
  breaking another's: a TADA patch broke loading Qwen after TADA with "Tokenizer not loaded"
  (upstream commit 6bf40bd), which a sign-off running Qwen first never meets.

  These rows run the matrix once more in reverse, one after another on one server, so each model
  runs after every model it preceded in the matrix. Behave runs feature files in the order of
  their names, so in a release run this one comes after the matrix's. A row that fails here, where
  the same model passed earlier in the run, is an order-dependent failure (cause order), named
  with the row it passed in and the model the server ran just before it. A model that failed in
  the matrix too keeps its own cause. Each row speaks with the voice of its matrix row.

  Background:
    Given a Voicebox server is running

  Scenario Outline: Row <row>: <engine> <model_size> speaks after the models that follow it in the matrix
    Given the <voice> voice of <engine>
    When <engine> <model_size> (model <model_name>) speaks "The quick brown fox jumps over the lazy dog." in English
    Then the generation completes
    And the audio is a playable WAV of plausible length
    And it says the sentence it was given
    And it speaks as it did in the matrix's order

    @kokoro
    Examples: Kokoro
      | row | engine | model_size | model_name | voice    | order   |
      | B1  | kokoro | —          | kokoro     | af_heart | reverse |

    @tada
    Examples: TADA
      | row | engine | model_size | model_name | voice  | order   |
      | B2  | tada   | 3B         | tada-3b-ml | cloned | reverse |
      | B3  | tada   | 1B         | tada-1b    | cloned | reverse |

    @chatterbox_turbo
    Examples: Chatterbox Turbo
      | row | engine           | model_size | model_name       | voice  | order   |
      | B4  | chatterbox_turbo | —          | chatterbox-turbo | cloned | reverse |

    @chatterbox
    Examples: Chatterbox
      | row | engine     | model_size | model_name     | voice  | order   |
      | B5  | chatterbox | —          | chatterbox-tts | cloned | reverse |

    @luxtts
    Examples: LuxTTS
      | row | engine | model_size | model_name | voice  | order   |
      | B6  | luxtts | —          | luxtts     | cloned | reverse |

    @qwen_custom_voice
    Examples: Qwen3-TTS CustomVoice
      | row | engine            | model_size | model_name             | voice | order   |
      | B7  | qwen_custom_voice | 0.6B       | qwen-custom-voice-0.6B | Ryan  | reverse |
      | B8  | qwen_custom_voice | 1.7B       | qwen-custom-voice-1.7B | Ryan  | reverse |

    @qwen
    Examples: Qwen3-TTS Base
      | row | engine | model_size | model_name    | voice  | order   |
      | B9  | qwen   | 0.6B       | qwen-tts-0.6B | cloned | reverse |
      | B10 | qwen   | 1.7B       | qwen-tts-1.7B | cloned | reverse |
