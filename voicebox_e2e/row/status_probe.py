"""Learning that a generation ended sooner than its status stream says so.

The real server's status stream reads its database once a second and sends what it read
(contract: gaps of 1.00-1.45 s between events), so a row that only follows the stream learns of
the end up to 1.45 s late: most of a minute over the whole matrix, and an error of that size in
every phase time. Beside the stream, the probe reads ``GET /history/{id}`` (one database read on
the server) every ``interval`` seconds and tells ``saw`` each status it reads (the row's phase
clock). When the record shows a terminal status, the probe keeps it and closes the stream, which
ends ``status_stream.follow_status`` at once with that status.

``interval`` is the ``status_probe_seconds`` setting; 0 turns the probe off (the stream alone).
"""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Any, Callable, Optional

import requests

from voicebox_e2e.api.client import VoiceboxClient

from voicebox_e2e.api.errors import ApiError

from voicebox_e2e.api.status_stream import TERMINAL_STATUSES

# The fields of a /history record that the status stream's events carry too.
EVENT_FIELDS = ("id", "status", "duration", "error")


class StatusProbe:
    """Reads the generation's record beside its status stream; a context manager."""

    def __init__(self, client: VoiceboxClient, generation_id: str, interval: float, saw: Callable[[str], None] = lambda status: None) -> None:
        self.client = client
        self.generation_id = generation_id
        self.interval = interval
        self.saw = saw
        self._stop = threading.Event()
        self._terminal: Optional[dict[str, Any]] = None
        self._thread = threading.Thread(target=self._watch, name=f"status-probe-{generation_id[:8]}", daemon=True)

    def terminal(self) -> Optional[dict[str, Any]]:
        """The terminal status the probe read, shaped as a status event; None before that."""
        return self._terminal

    def __enter__(self) -> "StatusProbe":
        if self.interval > 0:
            self._thread.start()
        return self

    def __exit__(self, kind: Optional[type[BaseException]], error: Optional[BaseException], trace: Optional[TracebackType]) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            try:  # not in the row's API exchanges: a long generation would list hundreds
                record = self.client.history(self.generation_id, record=False)
            except (ApiError, requests.RequestException, ValueError):
                continue  # not there yet, or a hiccup: the stream is still the main source
            self.saw(str(record.get("status")))
            if record.get("status") in TERMINAL_STATUSES:
                self._terminal = {key: record.get(key) for key in EVENT_FIELDS}
                self.client.close_streams(f"/generate/{self.generation_id}/status")
                self._record_the_end()
                return

    def _record_the_end(self) -> None:
        """Read the terminal record once more, into the row's API exchanges: the report shows
        what ended the wait."""
        try:
            self.client.history(self.generation_id)
        except (ApiError, requests.RequestException, ValueError):
            pass
