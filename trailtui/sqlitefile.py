"""A small SQLite file shared by threads and processes: query history and the local lake's query records.

SQLite rather than DuckDB for these: many short writes from several processes at once, each durable on
commit, which is what SQLite's WAL mode does well and DuckDB's single-writer file does not.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class SqliteFile:
    """One connection per thread (sqlite3 connections must not cross threads), WAL journal, and
    immediate transactions so a writer waits for the lock at BEGIN rather than failing at COMMIT."""

    def __init__(self, path: Path, schema: str, wal_pages: int | None = None) -> None:
        self.path = path
        self._wal_pages = wal_pages
        self._local = threading.local()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn().executescript(schema)

    def _conn(self) -> sqlite3.Connection:
        con: sqlite3.Connection | None = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=NORMAL")
            if self._wal_pages is not None:
                con.execute(f"PRAGMA wal_autocheckpoint={int(self._wal_pages)}")
            self._local.con = con
        return con

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        con = self._conn()
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
