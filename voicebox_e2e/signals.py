"""The run's signals: SIGTERM stops behave as Ctrl-C does, and the teardown finishes whatever
arrives during it."""

from __future__ import annotations

import contextlib
import signal
import sys
from types import FrameType
from typing import Any, Callable, Iterator, Optional


class Interrupted(KeyboardInterrupt):
    """Raised in the main thread when the run receives SIGTERM, so behave stops as for Ctrl-C."""


class RunSignals:
    def __init__(self, echo: Callable[[str], None]) -> None:
        self.echo = echo
        self.interrupt_reason: Optional[str] = None
        self._previous_sigterm: Any = None

    def catch_sigterm(self) -> None:
        """behave dies on SIGTERM without running after_all; turn it into an orderly stop."""
        if sys.platform == "win32":
            return

        def on_sigterm(sig: int, frame: Optional[FrameType]) -> None:
            self.interrupt_reason = "SIGTERM"
            raise Interrupted("SIGTERM")

        self._previous_sigterm = signal.signal(signal.SIGTERM, on_sigterm)

    def release_sigterm(self) -> None:
        if self._previous_sigterm is not None:
            signal.signal(signal.SIGTERM, self._previous_sigterm)
            self._previous_sigterm = None

    @contextlib.contextmanager
    def shielded(self) -> Iterator[None]:
        """Let the teardown finish: a second Ctrl-C or SIGTERM during it is noted, not raised."""
        def note(sig: int, frame: Optional[FrameType]) -> None:
            self.echo(f"Received {signal.Signals(sig).name} while shutting down; finishing the cleanup first.")

        names = ["SIGINT"] if sys.platform == "win32" else ["SIGINT", "SIGTERM"]
        saved = {name: signal.signal(getattr(signal, name), note) for name in names}
        try:
            yield
        finally:
            for name, handler in saved.items():
                signal.signal(getattr(signal, name), handler)
