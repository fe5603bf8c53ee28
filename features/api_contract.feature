@contract
Feature: What the Voicebox API answers to bad input
  The answers below were recorded from the real Voicebox server (0.5.0). A client such as the
  desktop app relies on them: bad input gets a 4xx with a reason, never a 500 or a hang. These
  checks need no model, so they run in seconds.

  Background:
    Given a Voicebox server is running
    And a cloned voice profile made from the reference recording

  Scenario: Generating for a profile that does not exist is refused
    When speech is requested for a profile id that does not exist
    Then the server answers 404 with the detail "Profile not found"

  Scenario Outline: A generation request with an invalid <field> is refused, naming the field
    When speech is requested with the <field> set to <value>
    Then the server answers 422 naming the field "<field>"

    Examples:
      | field      | value  |
      | text       | ""     |
      | engine     | "nope" |
      | language   | "xx"   |
      | seed       | -1     |
      | model_size | "9B"   |

  Scenario: An engine the profile does not support is refused with the reason
    When kokoro is asked to speak with the cloned voice
    Then the server answers 400 with the detail "Engine 'kokoro' does not support cloned voice profiles"

  Scenario: A second profile with a name already taken is refused
    When a profile named "e2e-cloned" is created again
    Then the server answers 400 with the detail "A profile with the name 'e2e-cloned' already exists. Please choose a different name."

  Scenario: A preset profile with a voice the engine does not have is refused
    When a kokoro preset profile is created with the voice "zz_nobody"
    Then the server answers 400 with the detail "Preset voice 'zz_nobody' is not valid for engine 'kokoro'"

  Scenario Outline: A reference sample that is not usable speech is refused: <sample>
    When <sample> is uploaded as a reference sample
    Then the server answers 400 with a detail starting "<reason>"

    Examples:
      | sample                                  | reason                                                          |
      | a text file                             | Invalid reference audio: Error validating audio:                |
      | bytes that are not audio named fake.wav | Invalid reference audio: Error validating audio:                |
      | one second of speech                    | Invalid reference audio: Audio too short (minimum 2.0 seconds)  |
      | forty seconds of speech                 | Invalid reference audio: Audio too long (maximum 30.0 seconds)  |
      | three seconds of silence                | Invalid reference audio: Audio is too quiet or silent           |

  Scenario: The status stream of an unknown generation says "not_found" and ends
    When the status of a generation id that was never issued is followed
    Then the stream holds exactly one event, with the status "not_found" and that id

  Scenario: The health endpoint answers fast
    When /health is called 200 times in a row
    Then the 99th percentile of its answer time is within the health latency budget
