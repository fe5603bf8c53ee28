"""Which matrix rows this run will reach: every Examples row of the run's feature files that the
tags select and only/skip let through. The report formatter plans a "not run" placeholder for
each (so an interrupted run still lists them), and the prepare phase fetches their models."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Collection, Sequence

from behave.model import ScenarioOutline
from behave.parser import parse_file

from voicebox_e2e.config import engine_selected
from voicebox_e2e.row.spec import is_matrix_row

Key = tuple[str, int]


def key_of(scenario: Any) -> Key:
    """One matrix row, however behave spelled its file's path."""
    return (str(Path(scenario.filename).resolve()), int(scenario.line))


def feature_files(config: Any) -> list[Path]:
    files: list[Path] = []
    for location in config.paths or ["features"]:
        base = Path(str(location).split(":")[0])
        found = sorted(base.rglob("*.feature")) if base.is_dir() else [base]
        files += [f for f in found if f.suffix == ".feature" and f.is_file()]
    return files


def selected_rows(config: Any, only: Collection[str], skip: Collection[str]) -> list[tuple[Key, dict[str, str]]]:
    """(scenario key, Examples cells) of each matrix row the run will reach, in run order."""
    rows: list[tuple[Key, dict[str, str]]] = []
    for file in feature_files(config):
        feature = parse_file(str(file), language=config.lang)
        if feature is None:
            continue
        cells_by_line: dict[int, dict[str, str]] = {}
        for outline in feature.scenarios:
            if isinstance(outline, ScenarioOutline):
                for example in outline.examples:
                    for row in example.table.rows if example.table else []:
                        cells_by_line[row.line] = dict(zip(row.headings, row.cells))
        for scenario in feature.walk_scenarios():
            cells = cells_by_line.get(scenario.line)
            if cells is None or not is_matrix_row(cells) or not scenario.should_run(config):
                continue
            if engine_selected(cells["engine"], only, skip):
                rows.append((key_of(scenario), cells))
    return rows


def models_in(rows: Sequence[tuple[Key, dict[str, str]]]) -> list[str]:
    """The models those rows load, each once, in the order the rows need them."""
    seen: dict[str, None] = {}
    for _, cells in rows:
        seen.setdefault(cells["model_name"].strip(), None)
    return list(seen)
