@workload @long_text
Feature: Long text goes through the chunker and is heard whole
  POST /generate takes up to 50,000 characters. Text longer than max_chunk_chars (800 by default)
  is split at sentence ends, each chunk generated alone and joined with a crossfade of
  crossfade_ms (50 by default); a 44-character sentence never reaches that code. Users report
  long text that never leaves "generating" (upstream 596), chunks blended over each other (715),
  and a voice that falls apart in the last third (363, 307). The real 0.5.0 read the English text
  below (1,107 characters, two chunks) with kokoro in 63.8 s of audio.

  Each row reads a story of eleven distinct sentences (fixtures/long_text/). Its audio is cut at
  its pauses into windows of at most 12 s, each heard on its own (whisper's own long form skips
  repeated sentences, differently on each machine), and the words heard are aligned with the
  text's, sentence by sentence: a chunk not heard was left out or buried, one heard twice a doubled
  chunk, one half heard at a seam a blend; the last third may miss at most 25 % more of its words
  than the first (long_text_max_falloff), and a silence inside the speech may last at most 2 s
  (long_text_max_pause_seconds). A row has the budget of one row of the matrix for each chunk
  the server makes and one more (three at the default 800 characters, five in chunks of 300): its
  speech is 25 times as long as the fox sentence's, and one row's budget (timeout_cached, 180 s)
  already allows for slow hardware.

  Background:
    Given a Voicebox server is running

  Scenario Outline: Row <row>: <engine> <model_size> reads <text_file> in <language> in chunks of <max_chunk_chars>
    Given the <voice> voice of <engine>
    When <engine> <model_size> (model <model_name>) reads "<text_file>" in <language>
    Then the generation completes
    And the audio is a playable WAV of plausible length
    And it says the sentence it was given

    @qwen
    Examples: Qwen3-TTS Base
      | row | engine | model_size | model_name    | voice  | language | text_file           | max_chunk_chars | crossfade_ms |
      | L1  | qwen   | 1.7B       | qwen-tts-1.7B | cloned | English  | en-lighthouse.txt   | default         | default      |
      | L2  | qwen   | 1.7B       | qwen-tts-1.7B | cloned | French   | fr-lighthouse.txt   | default         | default      |

    @qwen_custom_voice
    Examples: Qwen3-TTS CustomVoice
      | row | engine            | model_size | model_name             | voice | language | text_file         | max_chunk_chars | crossfade_ms |
      | L3  | qwen_custom_voice | 1.7B       | qwen-custom-voice-1.7B | Ryan  | English  | en-lighthouse.txt | default         | default      |
      | L4  | qwen_custom_voice | 1.7B       | qwen-custom-voice-1.7B | Ryan  | Spanish  | es-lighthouse.txt | default         | default      |

    @luxtts
    Examples: LuxTTS (English only)
      | row | engine | model_size | model_name | voice  | language | text_file         | max_chunk_chars | crossfade_ms |
      | L5  | luxtts | —          | luxtts     | cloned | English  | en-lighthouse.txt | default         | default      |

    @chatterbox
    Examples: Chatterbox
      | row | engine     | model_size | model_name     | voice  | language | text_file         | max_chunk_chars | crossfade_ms |
      | L6  | chatterbox | —          | chatterbox-tts | cloned | English  | en-lighthouse.txt | default         | default      |
      | L7  | chatterbox | —          | chatterbox-tts | cloned | Spanish  | es-lighthouse.txt | default         | default      |

    @chatterbox_turbo
    Examples: Chatterbox Turbo (English only)
      | row | engine           | model_size | model_name       | voice  | language | text_file         | max_chunk_chars | crossfade_ms |
      | L8  | chatterbox_turbo | —          | chatterbox-turbo | cloned | English  | en-lighthouse.txt | default         | default      |

    @tada
    Examples: TADA
      | row | engine | model_size | model_name | voice  | language | text_file         | max_chunk_chars | crossfade_ms |
      | L9  | tada   | 1B         | tada-1b    | cloned | English  | en-lighthouse.txt | default         | default      |
      | L10 | tada   | 3B         | tada-3b-ml | cloned | French   | fr-lighthouse.txt | default         | default      |

    @kokoro
    Examples: Kokoro (the settings changed in L13: shorter chunks, a hard cut)
      | row | engine | model_size | model_name | voice    | language | text_file         | max_chunk_chars | crossfade_ms |
      | L11 | kokoro | —          | kokoro     | af_heart | English  | en-lighthouse.txt | default         | default      |
      | L12 | kokoro | —          | kokoro     | ef_dora  | Spanish  | es-lighthouse.txt | default         | default      |
      | L13 | kokoro | —          | kokoro     | af_heart | English  | en-lighthouse.txt | 300             | 0            |
