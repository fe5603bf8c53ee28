"""Following one generation's SSE status stream (``GET /generate/{id}/status``) until a terminal
status, the deadline, or the server's death."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Callable, Optional

import requests

from voicebox_e2e.api.errors import ApiError
from voicebox_e2e.api.transport import Transport

TERMINAL_STATUSES = ("completed", "failed", "not_found")


class Outcome(Enum):
    TERMINAL = "terminal"
    TIMEOUT = "timeout"
    SERVER_EXITED = "server_exited"
    MALFORMED = "malformed"


@dataclass
class StatusResult:
    outcome: Outcome
    last: Optional[dict[str, Any]] = None
    events: int = 0
    reconnects: int = 0
    statuses: list[str] = field(default_factory=list)
    detail: str = ""


def follow_status(
    transport: Transport,
    generation_id: str,
    deadline: float,
    server_alive: Callable[[], bool],
    on_event: Callable[[dict[str, Any]], None] = lambda event: None,
    stall_seconds: float = 5.0,
    ended_elsewhere: Callable[[], Optional[dict[str, Any]]] = lambda: None,
) -> StatusResult:
    """Follow GET /generate/{id}/status until a terminal status or ``deadline`` (monotonic).

    The real server sends one event a second, so a stream silent for ``stall_seconds`` has
    stalled; a stream that ends without a terminal status is reopened. A dead server ends
    the wait at once instead of at the deadline. ``ended_elsewhere`` gives the terminal
    event another reader saw (status_probe.StatusProbe), which closes the stream to end
    the wait sooner.
    """
    result = StatusResult(Outcome.TIMEOUT)
    path = f"/generate/{generation_id}/status"

    def take(event: dict[str, Any]) -> bool:
        """Record one status event; whether it is terminal."""
        result.events += 1
        result.last = event
        if not result.statuses or result.statuses[-1] != event["status"]:
            result.statuses.append(str(event["status"]))
        on_event(event)
        if event["status"] in TERMINAL_STATUSES:
            result.outcome = Outcome.TERMINAL
            return True
        return False

    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            result.detail = "no terminal status before the deadline"
            return result
        try:
            for data in transport.events(path, read_timeout=max(0.5, min(stall_seconds, remaining))):
                try:
                    event = json.loads(data)
                    if not isinstance(event, dict) or "status" not in event:
                        raise ValueError("no status field")
                except ValueError:
                    result.outcome = Outcome.MALFORMED
                    result.detail = f"the status stream sent an event that is not a status: {data[:200]!r}"
                    return result
                if take(event):
                    return result
                if time.monotonic() >= deadline:
                    result.detail = "no terminal status before the deadline"
                    return result
        except (requests.RequestException, ApiError) as exc:
            result.detail = f"status stream interrupted: {exc.__class__.__name__}"
        except (ValueError, AttributeError, OSError):  # the stream was closed under its reader
            if ended_elsewhere() is None:
                raise
        seen = ended_elsewhere()
        if seen is not None:
            result.detail = ""
            take(seen)
            return result
        if not server_alive():
            result.outcome = Outcome.SERVER_EXITED
            return result
        result.reconnects += 1
        time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))  # back off before reopening
