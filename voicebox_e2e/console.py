"""The console formatter: behave's ``pretty`` on a terminal, ``plain`` in a CI log.

Without a terminal ``pretty`` cannot redraw a step's line with its result, so it never says
whether a step passed; ``plain`` prints each step once with its status and time. behave.ini names
this formatter as ``default_format``: behave adds it only when the command line names no ``-f``,
so an added formatter never doubles the console output.
"""

from __future__ import annotations

import sys
from typing import Any

from behave.formatter.base import Formatter, StreamOpener
from behave.formatter.plain import PlainFormatter
from behave.formatter.pretty import PrettyFormatter


def is_terminal(stream_opener: StreamOpener) -> bool:
    stream = stream_opener.stream
    return stream is not None and bool(getattr(stream, "isatty", lambda: False)())


class Console(PrettyFormatter):  # type: ignore[misc]
    name = "console"
    description = "pretty on a terminal, plain (each step once, with its status) otherwise"

    def __new__(cls, stream_opener: StreamOpener, config: Any) -> Formatter:
        if is_terminal(stream_opener):
            return super().__new__(cls)
        return PlainFormatter(stream_opener, config)


def console(message: str) -> None:
    """A progress line on the real stderr: behave captures sys.stderr while a step runs, and a
    long wait must be visible as it happens."""
    stream = sys.__stderr__ or sys.stderr
    print(f"[voicebox-e2e] {message}", file=stream, flush=True)
