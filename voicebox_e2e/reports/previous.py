"""The previous run's report (``previous=``): read once, its rows found by (engine, size, language)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

from voicebox_e2e.reports.rows import row_identity


class PreviousRun:
    def __init__(self, path: Optional[Path]) -> None:
        self.path = path
        self._rows: Optional[dict[tuple[str, str, str], dict[str, Any]]] = None

    def row(self, row: dict[str, Any]) -> Optional[dict[str, Any]]:
        """The same row in the previous run, if there was one."""
        if self._rows is None:
            self._rows = {}
            if self.path is not None:
                document = json.loads(self.path.read_text(encoding="utf-8"))
                self._rows = {row_identity(r): r for r in document.get("results", [])}
        return self._rows.get(row_identity(row))
