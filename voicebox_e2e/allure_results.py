"""The suite's Allure formatter, and how it shares a run with allure-behave's own.

allure-behave's formatter drives results through one global plugin manager: two of them in one
run both wrap every scenario and trip over each other's state. So when the command line adds
allure-behave's own formatter (``-f allure_behave.formatter:AllureFormatter -o DIR``), the
suite's formatter only adds a second writer: the same results land in ``<output_dir>/
allure-results`` and in ``DIR``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import allure_commons
from allure_behave.formatter import AllureFormatter
from allure_commons.logger import AllureFileLogger
from behave.formatter._registry import select_formatter_class
from behave.formatter.base import Formatter, StreamOpener

from voicebox_e2e.config import output_dir_of


def allure_results_dirs(config: Any) -> list[Path]:
    """Every folder this run writes Allure results into: the suite's own first."""
    dirs = [output_dir_of(config.userdata) / "allure-results"]
    for index, name in enumerate(config.format or []):
        if _is_other_allure_formatter(name) and index < len(config.outputs):
            opener = config.outputs[index]
            if opener.name:
                dirs.append(Path(opener.name))
    return dirs


def _is_other_allure_formatter(name: str) -> bool:
    try:
        cls = select_formatter_class(name)
    except (ImportError, LookupError, ValueError):
        return False
    return isinstance(cls, type) and issubclass(cls, AllureFormatter) and not issubclass(cls, AllureResults)


class AllureResults(AllureFormatter):  # type: ignore[misc]
    """allure-behave, writing into ``<output_dir>/allure-results`` whatever ``-o`` said."""

    name = "allure"
    description = "Allure results in <output_dir>/allure-results"

    def __init__(self, stream_opener: StreamOpener, config: Any) -> None:
        target = output_dir_of(config.userdata) / "allure-results"
        self.passenger: Optional[AllureFileLogger] = None
        if any(_is_other_allure_formatter(name) for name in config.format or []):
            Formatter.__init__(self, StreamOpener(filename=str(target)), config)
            self.passenger = AllureFileLogger(str(target))  # type: ignore[no-untyped-call]
            allure_commons.plugin_manager.register(self.passenger)
        else:
            super().__init__(StreamOpener(filename=str(target)), config)

    def uri(self, uri: Any) -> None:
        if self.passenger is None:
            super().uri(uri)

    def feature(self, feature: Any) -> None:
        if self.passenger is None:
            super().feature(feature)

    def step(self, step: Any) -> None:
        if self.passenger is None:
            super().step(step)

    def match(self, match: Any) -> None:
        if self.passenger is None:
            super().match(match)

    def result(self, result: Any) -> None:
        if self.passenger is None:
            super().result(result)

    def eof(self) -> None:
        if self.passenger is None:
            super().eof()

    def close(self) -> None:
        # A passenger writer stays registered: the other formatter closes later and writes the
        # run's last container then. The process ends with the run.
        if self.passenger is None:
            super().close()

    def close_stream(self) -> None:
        if self.passenger is None:
            super().close_stream()
