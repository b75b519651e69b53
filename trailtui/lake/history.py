"""Query history: every query the user runs, on any connection, in SQLite (WAL) in the state directory.

An entry is written when the query starts and updated when it ends, never only on quit, so a crash loses
nothing acknowledged. Several trailtui processes share the file: SQLite's WAL mode and a busy timeout let
them write at once without corrupting or losing entries. Entries beyond the cap are pruned, oldest first.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from trailtui.lake.connection import ConnectionKey
from trailtui.lake.results import END_STATES
from trailtui.sqlitefile import SqliteFile

DEFAULT_CAP = 10_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sql TEXT NOT NULL,
    connection TEXT NOT NULL,
    profile TEXT,
    region TEXT,
    account TEXT,
    store TEXT,
    query_id TEXT,
    status TEXT NOT NULL,
    events_matched INTEGER,
    events_scanned INTEGER,
    bytes_scanned INTEGER,
    execution_ms INTEGER,
    row_count INTEGER,
    error TEXT,
    started REAL NOT NULL,
    ended REAL,
    engine TEXT
);
CREATE INDEX IF NOT EXISTS history_started ON history (started);
CREATE INDEX IF NOT EXISTS history_query ON history (query_id);
"""


@dataclass
class HistoryEntry:
    id: int
    sql: str
    connection: str
    profile: str | None
    region: str | None
    account: str | None
    store: str | None
    query_id: str | None
    status: str
    events_matched: int | None
    events_scanned: int | None
    bytes_scanned: int | None
    execution_ms: int | None
    row_count: int | None
    error: str | None
    started: float
    ended: float | None
    engine: str | None = None  # "lake", or "athena" for an Athena CloudTrail table

    @property
    def key(self) -> ConnectionKey:
        """The connection the query ran on (entries of older versions named AWS profiles bare)."""
        return ConnectionKey.parse(self.connection, self.region)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_FIELDS = tuple(HistoryEntry.__dataclass_fields__)


class History(SqliteFile):
    def __init__(self, path: Path, cap: int = DEFAULT_CAP) -> None:
        super().__init__(path, _SCHEMA)
        self.cap = cap
        columns = {row[1] for row in self._conn().execute("PRAGMA table_info(history)").fetchall()}
        if "engine" not in columns:  # a history written before Athena tables were queried
            with self._tx() as con:
                con.execute("ALTER TABLE history ADD COLUMN engine TEXT")

    def started(
        self,
        sql: str,
        connection: ConnectionKey,
        *,
        profile: str | None = None,
        region: str | None = None,
        account: str | None = None,
        store: str | None = None,
        query_id: str | None = None,
        status: str = "STARTING",
    ) -> int:
        """Record a query as it starts; returns the entry's id."""
        with self._tx() as con:
            cur = con.execute(
                "INSERT INTO history (sql, connection, profile, region, account, store, query_id, status, started) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (sql, str(connection), profile, region, account, store, query_id, status, time.time()),
            )
            entry_id = int(cur.lastrowid or 0)
            self._prune(con)
        return entry_id

    def update(self, entry_id: int, **fields: Any) -> None:
        """Record what is known now (query_id, status, statistics, row_count, error); an end status sets
        the end time."""
        if not fields:
            return
        unknown = set(fields) - set(_FIELDS)
        if unknown:
            raise ValueError(f"unknown history fields: {sorted(unknown)}")
        sets = [f"{k} = ?" for k in fields]
        args = list(fields.values())
        # ERROR: the query ended without a Lake status (refused, or a call failed).
        if fields.get("status") in END_STATES | {"ERROR"}:
            sets.append("ended = coalesce(ended, ?)")
            args.append(time.time())
        args.append(entry_id)
        with self._tx() as con:
            con.execute(f"UPDATE history SET {', '.join(sets)} WHERE id = ?", args)

    def _prune(self, con: sqlite3.Connection) -> None:
        con.execute(
            "DELETE FROM history WHERE id IN (SELECT id FROM history ORDER BY started DESC, id DESC LIMIT -1 OFFSET ?)",
            (self.cap,),
        )

    def get(self, entry_id: int) -> HistoryEntry | None:
        row = (
            self._conn()
            .execute(f"SELECT {', '.join(_FIELDS)} FROM history WHERE id = ?", (entry_id,))
            .fetchone()
        )
        return HistoryEntry(*row) if row else None

    def search(self, text: str = "", limit: int = 500) -> list[HistoryEntry]:
        """Newest first; `text` matches the SQL, the store, the query ID, the status or the error."""
        sql = f"SELECT {', '.join(_FIELDS)} FROM history"
        args: list[Any] = []
        if text:
            like = f"%{text.lower()}%"
            sql += (
                " WHERE lower(sql) LIKE ? OR lower(coalesce(store, '')) LIKE ? OR lower(coalesce(query_id, ''))"
                " LIKE ? OR lower(status) LIKE ? OR lower(coalesce(error, '')) LIKE ?"
                " OR lower(connection) LIKE ?"
            )
            args = [like] * 6
        sql += " ORDER BY started DESC, id DESC LIMIT ?"
        args.append(limit)
        return [HistoryEntry(*row) for row in self._conn().execute(sql, args).fetchall()]

    def count(self) -> int:
        return int(self._conn().execute("SELECT count(*) FROM history").fetchone()[0])

    def check(self) -> str:
        return str(self._conn().execute("PRAGMA integrity_check").fetchone()[0])
