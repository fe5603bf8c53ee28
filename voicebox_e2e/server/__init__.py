"""The server's life: the target binary (found or built), its process and logs, readiness, the run's session and profiles, stopping, the reaper and stale servers."""
