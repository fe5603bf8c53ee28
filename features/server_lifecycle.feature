@lifecycle
Feature: The server starts, stops and cleans up after itself
  The desktop app launches voicebox-server as a sidecar and must be able to rely on it: it
  answers --version without starting, becomes healthy within the start-up budget, stops on
  SIGTERM, and stops by itself when the app that launched it (--parent-pid) dies. Each scenario
  launches a server of its own, on its own port and data dir, and removes it afterwards.

  Scenario: --version answers without starting a server
    When the server binary is asked for its --version
    Then it prints its version and exits with code 0 within 30 seconds
    And it leaves no process behind

  Scenario: A new server becomes healthy within the start-up budget
    When a new server is launched
    Then it answers /health as healthy within the start-up budget

  Scenario: SIGTERM stops an idle server and frees its port
    Given a new server is running
    When the server receives SIGTERM
    Then the server exits within 10 seconds
    And its port is free

  Scenario: SIGTERM stops the server even while a client watches a model download
    Given a new server is running
    And a client is watching the download progress of "kokoro"
    When the server receives SIGTERM
    Then the server exits within 10 seconds

  Scenario: The server stops by itself when the process that launched it dies
    Given a new server is running whose --parent-pid is a helper process
    When the helper process dies
    Then the server exits within 5 seconds
