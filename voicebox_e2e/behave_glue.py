"""Small helpers that connect behave's objects to the library, so environment.py stays glue."""

from __future__ import annotations

import os
import sys
from typing import Any, NoReturn, Optional

from behave.model_core import Status

from voicebox_e2e import events
from voicebox_e2e.config import ConfigError, settings_from_userdata
from voicebox_e2e.row.plan import selected_rows
from voicebox_e2e.run import SuiteRun


def start_run(context: Any) -> SuiteRun:
    """Check the settings and resolve the target; a bad setting ends the run here, cleanly."""
    try:
        settings = settings_from_userdata(dict(context.config.userdata))
        planned = selected_rows(context.config, settings.only, settings.skip)
        return SuiteRun(settings, emit=events.channel_of(context.config).emit, planned=planned)
    except ConfigError as exc:
        refuse(str(exc))


def refuse(message: str) -> NoReturn:
    """One sentence on stderr and exit code 2, before anything was launched."""
    sys.stdout.flush()
    print(f"voicebox-e2e: error: {message}", file=sys.stderr, flush=True)
    os._exit(2)  # behave would turn SystemExit into a hook-error trace; nothing is running yet


def table_row(context: Any) -> Optional[dict[str, str]]:
    """The Examples row of the scenario being run, if it comes from a Scenario Outline."""
    row = getattr(context, "active_outline", None)
    return None if row is None else dict(zip(row.headings, row.cells))


def failure_text(scenario: Any) -> Optional[str]:
    """The first failed step's error: the exception's own words, without behave's traceback."""
    for step in scenario.all_steps:
        if step.status in (Status.failed, Status.error):
            exception = getattr(step, "exception", None)
            if exception is not None and str(exception):
                return str(exception).strip()
            if step.error_message:
                return str(step.error_message).strip()
    return None


def finished_badly(scenario: Any) -> bool:
    return scenario.status in (Status.failed, Status.error, Status.untested, Status.skipped)
