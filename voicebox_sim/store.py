"""The simulator's database in <data-dir>/voicebox.db: profiles, samples, generations and their
audio versions, stories, effect presets, audio channels, settings, MCP client bindings and captures.

Rows are JSON documents in SQLite so that a relaunch on the same data dir sees what the last
process left, as the real server does.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any, Optional

Row = dict[str, Any]

TABLES = (
    "profiles", "samples", "generations", "versions", "stories", "story_items", "effect_presets",
    "channels", "profile_channels", "settings", "mcp_bindings", "captures",
)


class Store:
    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        for table in TABLES:
            self._db.execute(
                f"CREATE TABLE IF NOT EXISTS {table} (id TEXT PRIMARY KEY, seq INTEGER, data TEXT)"
            )
        self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")

    def opened_by(self, version: str) -> Optional[str]:
        """Record that ``version`` opened this database; returns the version that opened it last."""
        with self._lock:
            found = self._db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
            self._db.execute("INSERT INTO meta (key, value) VALUES ('version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", (version,))
        return None if found is None else str(found[0])

    def clear(self, table: str) -> int:
        """Delete every row of ``table``; returns how many there were."""
        with self._lock:
            return int(self._db.execute(f"DELETE FROM {table}").rowcount)

    def put(self, table: str, row: Row) -> None:
        with self._lock:
            self._db.execute(
                f"INSERT INTO {table} (id, seq, data) VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM {table}), ?)"
                " ON CONFLICT(id) DO UPDATE SET data = excluded.data",
                (row["id"], json.dumps(row)),
            )

    def get(self, table: str, row_id: str) -> Optional[Row]:
        with self._lock:
            found = self._db.execute(f"SELECT data FROM {table} WHERE id = ?", (row_id,)).fetchone()
        return None if found is None else dict(json.loads(found[0]))

    def all(self, table: str) -> list[Row]:
        with self._lock:
            rows = self._db.execute(f"SELECT data FROM {table} ORDER BY seq").fetchall()
        return [dict(json.loads(r[0])) for r in rows]

    def delete(self, table: str, row_id: str) -> bool:
        with self._lock:
            return bool(self._db.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,)).rowcount)

    def update(self, table: str, row_id: str, **changes: Any) -> Row:
        row = self.get(table, row_id)
        if row is None:
            raise KeyError(row_id)
        row.update(changes)
        self.put(table, row)
        return row

    def close(self) -> None:
        with self._lock:
            self._db.close()
