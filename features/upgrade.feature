@upgrade
Feature: An upgrade keeps everything the user made
  Users keep their profiles, samples and history across releases. 0.3.0 to 0.4.0 broke that:
  paths 0.3.0 had stored as "data/profiles/..." were looked for under "<data dir>/data/", and every
  old sample and audio file answered 404 (upstream 440, fixed in 0.4.1). 0.4.5 to 0.5.0 kept
  everything, the audio byte-identical (recorded in the contract, section 10).

  The previous release's binary (upgrade_from) makes what a user has in a data dir of its own (what
  the real backend stores: profiles with samples and effects, generations with audio, stories,
  effect presets) and stops; this build starts on the same data dir. Everything the previous release listed must
  still be listed and served, byte for byte, and an old profile must still speak. A loss fails
  with cause upgrade and names what was lost. A simulated run upgrades from the simulator playing
  0.3.0.

  Scenario: This build opens the previous release's data and loses nothing
    Given the previous release made a cloned profile with 2 samples and a kokoro preset profile with the voice "af_heart"
    And the previous release gave the cloned profile the effects "reverb room_size=0.7, gain gain_db=3" and saved them as a preset
    And the previous release said "The quick brown fox jumps over the lazy dog." with the kokoro preset profile
    And the previous release put that generation in a story
    When this build starts on the previous release's data
    Then every profile, sample, generation, audio file, story and effect preset is still there, byte for byte
    And this build says "The quick brown fox jumps over the lazy dog." with the old kokoro preset profile
