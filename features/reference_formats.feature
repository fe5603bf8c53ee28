@workload @formats
Feature: A voice cloned from the reference as users record it
  Users upload what their phone, browser or recorder makes. The real 0.5.0 frozen build takes MP3,
  Ogg Opus, FLAC and WAV at 44.1 kHz, and refuses M4A (AAC) and a browser's WebM Opus with
  "Invalid reference audio: Error validating audio: " and no reason (contract section 10); users
  hit the M4A refusal on macOS and Windows (upstream 58, 101) and an Ogg from a phone app (350).

  Each row makes a cloned profile from fixtures/reference_voice.wav re-encoded at run time (PyAV,
  from the package index: no system ffmpeg) and speaks with it. A refused upload fails the row at
  the profile, with the server's own text and cause reference; the report names the format. The
  server converts every upload it takes into one stored WAV before any engine reads it, so each
  format runs once, with the smallest cloning model; the cloned rows of the matrix cover the
  engines.

  Background:
    Given a Voicebox server is running

  Scenario Outline: Row <row>: <engine> <model_size> speaks with a voice cloned from the reference as <reference>
    Given a cloned voice profile made from the reference recording as <reference>
    When <engine> <model_size> (model <model_name>) speaks "The quick brown fox jumps over the lazy dog." in English
    Then the generation completes
    And the audio is a playable WAV of plausible length
    And it says the sentence it was given
    And it speaks in the voice it was cloned from

    @qwen
    Examples: Qwen3-TTS Base 0.6B
      | row | engine | model_size | model_name    | reference |
      | F1  | qwen   | 0.6B       | qwen-tts-0.6B | wav-44k   |
      | F2  | qwen   | 0.6B       | qwen-tts-0.6B | mp3       |
      | F3  | qwen   | 0.6B       | qwen-tts-0.6B | m4a       |
      | F4  | qwen   | 0.6B       | qwen-tts-0.6B | ogg-opus  |
      | F5  | qwen   | 0.6B       | qwen-tts-0.6B | webm-opus |
      | F6  | qwen   | 0.6B       | qwen-tts-0.6B | flac      |
