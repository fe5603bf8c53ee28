"""The suite's Allure formatter, and how it shares a run with allure-behave's own.

allure-behave's formatter drives results through one global plugin manager: two of them in one
run both wrap every scenario and trip over each other's state. So when the command line adds
allure-behave's own formatter (``-f allure_behave.formatter:AllureFormatter -o DIR``), the
suite's formatter only adds a second writer: the same results land in ``<output_dir>/
allure-results`` and in ``DIR``.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Any

import allure_commons
from allure_behave.formatter import AllureFormatter
from allure_commons.logger import AllureFileLogger
from behave.formatter.base import Formatter, StreamOpener

from voicebox_e2e.config import output_dir_of


def allure_results_dirs(config: Any) -> list[Path]:
    """Every folder this run writes Allure results into: the suite's own first."""
    dirs = [output_dir_of(config.userdata) / "allure-results"]
    for index, name in enumerate(config.format or []):
        if _is_other_allure_formatter(name, config) and index < len(config.outputs):
            opener = config.outputs[index]
            if opener.name:
                dirs.append(Path(opener.name))
    return dirs


def _is_other_allure_formatter(name: str, config: Any) -> bool:
    """Whether ``-f name`` (a "module:Class" or a behave.ini alias of one) is allure-behave's."""
    scoped = str((getattr(config, "more_formatters", None) or {}).get(name, name))
    module, _, class_name = scoped.partition(":")
    if not class_name:
        return False  # one of behave's own formatters
    try:
        cls = getattr(import_module(module), class_name)
    except (ImportError, AttributeError):
        return False
    return isinstance(cls, type) and issubclass(cls, AllureFormatter) and not issubclass(cls, AllureResults)


class AllureResults(AllureFormatter):  # type: ignore[misc]
    """allure-behave, writing into ``<output_dir>/allure-results`` whatever ``-o`` said."""

    name = "allure"
    description = "Allure results in <output_dir>/allure-results"

    def __new__(cls, stream_opener: StreamOpener, config: Any) -> Formatter:
        if any(_is_other_allure_formatter(name, config) for name in config.format or []):
            return AllurePassenger(stream_opener, config)
        return super().__new__(cls)

    def __init__(self, stream_opener: StreamOpener, config: Any) -> None:
        super().__init__(StreamOpener(filename=str(output_dir_of(config.userdata) / "allure-results")), config)


class AllurePassenger(Formatter):  # type: ignore[misc]
    """Beside allure-behave's own formatter: a second writer of the results it produces."""

    name = "allure"

    def __init__(self, stream_opener: StreamOpener, config: Any) -> None:
        target = output_dir_of(config.userdata) / "allure-results"
        super().__init__(StreamOpener(filename=str(target)), config)
        # Registered for the rest of the process: the other formatter closes after this one and
        # writes the run's last container then. The process ends with the run.
        self.writer = AllureFileLogger(str(target))  # type: ignore[no-untyped-call]
        allure_commons.plugin_manager.register(self.writer)
