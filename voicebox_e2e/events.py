"""What the hooks and steps tell the report formatter, whichever other formatters run.

behave makes one ``Configuration`` per run and hands that same object to every formatter and, as
``context.config``, to every hook and step. The channel rides on it, so the suite's reports do not
depend on the formatter mix: ``context.attach`` did, and behave's own ``json`` formatter aborts
on an attachment outside a step (and would copy every payload into the Cucumber JSON).
"""

from __future__ import annotations

import json
from typing import Any, Callable

RUN_STARTED = "run-started"
ROW_RESULT = "row-result"
RUN_FINISHED = "run-finished"
KINDS = (RUN_STARTED, ROW_RESULT, RUN_FINISHED)

Emit = Callable[[str, dict[str, Any]], None]

_ATTRIBUTE = "voicebox_e2e_channel"


class Channel:
    """Hands each event to every listener, as its own copy (a listener cannot change another's)."""

    def __init__(self) -> None:
        self.listeners: list[Emit] = []

    def subscribe(self, listener: Emit) -> None:
        self.listeners.append(listener)

    def emit(self, kind: str, payload: dict[str, Any]) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown event kind {kind!r}; expected one of {', '.join(KINDS)}")
        text = json.dumps(payload)
        for listener in self.listeners:
            listener(kind, json.loads(text))


def channel_of(config: Any) -> Channel:
    """The run's channel, on behave's per-run configuration (made on first use)."""
    channel = getattr(config, _ATTRIBUTE, None)
    if not isinstance(channel, Channel):
        channel = Channel()
        setattr(config, _ATTRIBUTE, channel)
    return channel
