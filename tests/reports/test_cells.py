"""Text made safe for the reports' tables and code fences."""

from __future__ import annotations

from voicebox_e2e.reports.cells import table_cell
from voicebox_e2e.reports.rows import fenced


def test_table_cells_cannot_break_the_table_or_inject_html() -> None:
    cell = table_cell("a | b\nc <img src=x> `d`")
    assert "\n" not in cell and "\\|" in cell and "&lt;img" in cell and "\\`" in cell


def test_a_fence_is_longer_than_any_backtick_run_inside() -> None:
    block = fenced("```\ninjected\n````")
    assert block.startswith("`````text\n") and block.endswith("\n`````")
