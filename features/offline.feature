@offline
Feature: A cached model loads without the network, at its usual speed
  People use Voicebox on planes, behind firewalls and on machines that lost their connection. A
  model already in the cache must load when the model hub cannot be reached, and about as fast as
  it loads online. The real 0.5.0 build did not: with kokoro cached and no network it asked the
  hub for each cached file with retries and backoff, and loaded in 49.3 s instead of 2.9 s (with a
  connection that times out, minutes: the "hang" users report in upstream 150, 327 and 557).

  Each row loads its model once with the network on a fresh server, to time a cached load; then
  the server restarts with the hub cut off and the row runs again. The network is cut for the
  server alone, the same way on every platform: its proxy variables point at a stand-in on this
  machine that either refuses every connection (fast failure) or accepts it and never answers (a
  timeout). The offline load may take offline_max_factor (2) times the online one, or the online
  one plus offline_slack_seconds (5 s), whichever is larger; a slower load fails with cause
  offline and names the files the build asked the hub for.

  Every model is run with the hub refusing. The unanswered kind costs a timeout per request on a
  build that asks the hub, so it runs for one model of each way the backends read the cache:
  kokoro through huggingface_hub's file download, Qwen through transformers' from_pretrained.

  Users also move their models to another drive (VOICEBOX_MODELS_DIR; upstream 640, 432, 885).
  The last rows give the server each model in a folder of its own, with the default cache empty:
  the row must run without a download. The model's files are hard-linked into the folder where
  the file system allows it (else copied), so a 4 GB model costs no time; the user's cache is
  only read.

  Background:
    Given a Voicebox server is running

  Scenario Outline: Row <row>: <engine> <model_size> loads from its cache with the hub <network>
    Given the <voice> voice of <engine>
    And <engine> <model_size> (model <model_name>) has said "The quick brown fox jumps over the lazy dog." in English with the network
    When the server restarts with the hub <network>
    And <engine> <model_size> (model <model_name>) speaks "The quick brown fox jumps over the lazy dog." in English
    Then the generation completes
    And the audio is a playable WAV of plausible length
    And it says the sentence it was given
    And it loaded from its cache as fast as with the network

    @qwen
    Examples: Qwen3-TTS Base
      | row | engine | model_size | model_name    | voice  | network    |
      | O1  | qwen   | 1.7B       | qwen-tts-1.7B | cloned | refused    |
      | O2  | qwen   | 0.6B       | qwen-tts-0.6B | cloned | refused    |
      | O3  | qwen   | 0.6B       | qwen-tts-0.6B | cloned | unanswered |

    @qwen_custom_voice
    Examples: Qwen3-TTS CustomVoice
      | row | engine            | model_size | model_name             | voice | network |
      | O4  | qwen_custom_voice | 1.7B       | qwen-custom-voice-1.7B | Ryan  | refused |
      | O5  | qwen_custom_voice | 0.6B       | qwen-custom-voice-0.6B | Ryan  | refused |

    @luxtts
    Examples: LuxTTS
      | row | engine | model_size | model_name | voice  | network |
      | O6  | luxtts | —          | luxtts     | cloned | refused |

    @chatterbox
    Examples: Chatterbox
      | row | engine     | model_size | model_name     | voice  | network |
      | O7  | chatterbox | —          | chatterbox-tts | cloned | refused |

    @chatterbox_turbo
    Examples: Chatterbox Turbo
      | row | engine           | model_size | model_name       | voice  | network |
      | O8  | chatterbox_turbo | —          | chatterbox-turbo | cloned | refused |

    @tada
    Examples: TADA
      | row | engine | model_size | model_name | voice  | network |
      | O9  | tada   | 1B         | tada-1b    | cloned | refused |
      | O10 | tada   | 3B         | tada-3b-ml | cloned | refused |

    @kokoro
    Examples: Kokoro
      | row | engine | model_size | model_name | voice    | network    |
      | O11 | kokoro | —          | kokoro     | af_heart | refused    |
      | O12 | kokoro | —          | kokoro     | af_heart | unanswered |

  Scenario Outline: Row <row>: <engine> <model_size> runs from a models folder of its own
    Given the <voice> voice of <engine>
    When the server restarts with <model_name>'s files in a models folder of their own
    And <engine> <model_size> (model <model_name>) speaks "The quick brown fox jumps over the lazy dog." in English
    Then the generation completes
    And the audio is a playable WAV of plausible length
    And it found its model in that folder without a download

    @qwen
    Examples: Qwen3-TTS Base
      | row | engine | model_size | model_name    | voice  |
      | O13 | qwen   | 1.7B       | qwen-tts-1.7B | cloned |
      | O14 | qwen   | 0.6B       | qwen-tts-0.6B | cloned |

    @qwen_custom_voice
    Examples: Qwen3-TTS CustomVoice
      | row | engine            | model_size | model_name             | voice |
      | O15 | qwen_custom_voice | 1.7B       | qwen-custom-voice-1.7B | Ryan  |
      | O16 | qwen_custom_voice | 0.6B       | qwen-custom-voice-0.6B | Ryan  |

    @luxtts
    Examples: LuxTTS
      | row | engine | model_size | model_name | voice  |
      | O17 | luxtts | —          | luxtts     | cloned |

    @chatterbox
    Examples: Chatterbox
      | row | engine     | model_size | model_name     | voice  |
      | O18 | chatterbox | —          | chatterbox-tts | cloned |

    @chatterbox_turbo
    Examples: Chatterbox Turbo
      | row | engine           | model_size | model_name       | voice  |
      | O19 | chatterbox_turbo | —          | chatterbox-turbo | cloned |

    @tada
    Examples: TADA
      | row | engine | model_size | model_name | voice  |
      | O20 | tada   | 1B         | tada-1b    | cloned |
      | O21 | tada   | 3B         | tada-3b-ml | cloned |

    @kokoro
    Examples: Kokoro
      | row | engine | model_size | model_name | voice    |
      | O22 | kokoro | —          | kokoro     | af_heart |
