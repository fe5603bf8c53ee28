"""A row's progress on the console while it waits: each status change, download progress, and a
line at least every ``PROGRESS_EVERY`` seconds, so a long wait is never silent."""

from __future__ import annotations

import time
from typing import Any, Callable

from voicebox_e2e.row.spec import RowSpec

PROGRESS_EVERY = 30.0  # seconds between console lines while a row waits on an unchanged status


class RowProgress:
    """The ``on_status`` of one row: called with each status event (or ``{"progress": line}``)."""

    def __init__(self, spec: RowSpec, echo: Callable[[str], None]) -> None:
        self.spec, self.echo = spec, echo
        self.started = self.said = time.monotonic()
        self.last_status: list[str] = []

    def __call__(self, event: dict[str, Any]) -> None:
        now = time.monotonic()
        name = f"row {self.spec.row} {self.spec.label}"
        if "progress" in event:
            self.echo(f"{name}: {event['progress']}")
            self.said = now
            return
        status = str(event.get("status"))
        if not self.last_status or self.last_status[-1] != status:
            self.last_status.append(status)
            self.echo(f"{name}: {status}")
            self.said = now
        elif now - self.said >= PROGRESS_EVERY:
            self.echo(f"{name}: still {status} after {now - self.started:.0f} s")
            self.said = now
