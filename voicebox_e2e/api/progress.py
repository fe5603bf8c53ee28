"""A model's download progress (``GET /models/progress/{model}``) on the console while a row waits."""

from __future__ import annotations

import json
import threading
from typing import Callable

import requests

from voicebox_e2e.api.transport import Transport


class ProgressWatcher:
    """Reports a model's download progress (GET /models/progress/{model}) while a row waits.

    The stream is closed by ``stop`` (and by ``VoiceboxClient.close_streams`` before any
    shutdown): the real server never finishes a SIGTERM while one is open.
    """

    def __init__(self, client: Transport, model_name: str, report: Callable[[str], None], every_percent: float = 10.0) -> None:
        self.client, self.model_name, self.report = client, model_name, report
        self.every_percent = every_percent
        self.events = 0
        self._thread = threading.Thread(target=self._watch, name=f"progress-{model_name}", daemon=True)

    def start(self) -> "ProgressWatcher":
        self._thread.start()
        return self

    def _watch(self) -> None:
        shown = -self.every_percent
        try:
            for data in self.client.events(f"/models/progress/{self.model_name}", read_timeout=60):
                event = json.loads(data)
                self.events += 1
                percent = float(event.get("progress") or 0.0)
                status = event.get("status")
                if percent - shown >= self.every_percent or status != "downloading":
                    shown = percent
                    size = f"{(event.get('current') or 0) / 1e6:,.0f}/{(event.get('total') or 0) / 1e6:,.0f} MB"
                    self.report(f"downloading {self.model_name}: {percent:.0f}% ({size}, {event.get('filename')}) [{status}]")
        except (requests.RequestException, ValueError, AttributeError):
            pass  # closed by stop(), or the server went away: the status stream will say so

    def stop(self) -> None:
        self.client.close_streams(f"/models/progress/{self.model_name}")
        self._thread.join(timeout=5)
