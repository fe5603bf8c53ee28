@english @preset
Feature: Every preset-voice model speaks through the frozen binary
  Before each release, every TTS engine that speaks with a built-in (preset) voice must turn a
  sentence into speech through the frozen voicebox-server binary, on every platform we ship.

  Each preset engine gets its own profile with the voice named in the row. A row has 3 minutes
  when its model is already in the cache and 20 minutes when it must be downloaded first.
  The model_name column is the model's entry in GET /models/status.

  Background:
    Given a Voicebox server is running

  Scenario Outline: Row <row>: <engine> <model_size> speaks as the preset voice <voice>
    Given the <engine> preset voice "<voice>"
    When <engine> <model_size> (model <model_name>) speaks "The quick brown fox jumps over the lazy dog." in English
    Then the generation completes
    And the audio is a playable WAV of plausible length
    And it says the sentence it was given
    And it ran on the backend the build is made for
    And the server's memory does not keep growing

    @qwen_custom_voice
    Examples: Qwen3-TTS CustomVoice
      | row | engine            | model_size | model_name             | voice | notes |
      | 3   | qwen_custom_voice | 1.7B       | qwen-custom-voice-1.7B | Ryan  |       |
      | 4   | qwen_custom_voice | 0.6B       | qwen-custom-voice-0.6B | Ryan  |       |

    @kokoro
    Examples: Kokoro
      | row | engine | model_size | model_name | voice    | notes |
      | 10  | kokoro | —          | kokoro     | af_heart |       |
