@upgrade
Feature: An upgrade keeps everything the user made
  Users keep their profiles, samples and history across releases. 0.3.0 to 0.4.0 broke that:
  paths 0.3.0 had stored as "data/profiles/..." were looked for under "<data dir>/data/", and every
  old sample and audio file answered 404 (upstream 440, fixed in 0.4.1). 0.4.5 to 0.5.0 kept
  everything, the audio byte-identical (recorded in the contract, section 10).

  The previous release's binary (upgrade_from) makes what a user has in a data dir of its own (what
  the real backend stores: profiles with samples, an avatar, effects and audio channels, generations with their
  audio, versions and favourite marks, stories, effect presets, and since 0.5.0 the settings, MCP
  client bindings and captures) and stops; this build starts on the same data dir. Everything the previous
  release listed must still be listed and served, byte for byte, and an old profile must still
  speak. A loss fails with cause upgrade and names what was lost. What the previous release has no
  route for is noted as not made, as is a capture where the previous build has no speech-to-text
  model downloaded (it would fetch one). A simulated run upgrades from the simulator playing 0.3.0.

  Scenario: This build opens the previous release's data and loses nothing
    Given the previous release made a cloned profile with 2 samples and a kokoro preset profile with the voice "af_heart"
    And the previous release gave the cloned profile the avatar "avatar.png"
    And the previous release gave the cloned profile the effects "reverb room_size=0.7, gain gain_db=3" and saved them as a preset
    And the previous release put the cloned profile on an audio channel of its own with the devices "e2e-speakers, e2e-headphones"
    And the previous release said "The quick brown fox jumps over the lazy dog." with the kokoro preset profile
    And the previous release applied the effects "gain gain_db=-6" to that generation as a new version and marked it a favourite
    And the previous release put that generation in a story
    And the previous release set its generation settings "max_chunk_chars=400, crossfade_ms=120, normalize_audio=false" where it has them
    And the previous release set its captures settings "stt_model=small, language=en, hotkey_enabled=true" where it has them
    And the previous release bound the MCP client "e2e-upgrade-client" to the cloned profile where it has them
    And the previous release made a capture of the reference recording with whisper "base" where it has it downloaded
    When this build starts on the previous release's data
    Then everything the user had is still there, byte for byte
    And this build says "The quick brown fox jumps over the lazy dog." with the old kokoro preset profile
