"""The local lake's memory of queries: their status, statistics and results, kept for 7 days in SQLite.

This is the service side (what DescribeQuery, GetQueryResults and ListQueries read), shared by every
process on the lake: SQLite in WAL mode lets the TUI, `serve` and the CLI write and read it at once. The
lake file itself is never written by a query. Results are stored as GetQueryResults sends them (each row
the JSON of its list of single-key maps, rendered by DuckDB), in chunks of rows one per line, so a page is a
range read that is sent without decoding, and pages can be read after a restart.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from trailtui.sqlitefile import SqliteFile

RETENTION_SECONDS = 7 * 24 * 3600  # Lake keeps results and query history for 7 days
# A page of results holds at most this many bytes of rows (and at least one row): fewer rows than asked,
# with a NextToken for the rest, rather than an unbounded response.
PAGE_BYTES = 16 * 1024 * 1024
# Rows per stored chunk at most (Lake's largest page, so that a page reads one or two chunks).
CHUNK_ROWS = 1000

# Incremental auto-vacuum: pages freed by expired and failed results go back to the file system.
_SCHEMA = """
PRAGMA auto_vacuum = INCREMENTAL;
CREATE TABLE IF NOT EXISTS queries (
    query_id TEXT PRIMARY KEY,
    query_string TEXT NOT NULL,
    store_ids TEXT NOT NULL,            -- JSON list
    status TEXT NOT NULL,
    error TEXT,
    creation_time REAL NOT NULL,
    end_time REAL,
    events_matched INTEGER NOT NULL DEFAULT 0,
    events_scanned INTEGER NOT NULL DEFAULT 0,
    bytes_scanned INTEGER NOT NULL DEFAULT 0,
    execution_ms INTEGER NOT NULL DEFAULT 0,
    columns TEXT,                       -- JSON list of names
    total_rows INTEGER NOT NULL DEFAULT 0,
    owner_pid INTEGER,
    owner_host TEXT,
    account_id TEXT
);
CREATE INDEX IF NOT EXISTS queries_by_time ON queries (creation_time);
CREATE TABLE IF NOT EXISTS query_rows (  -- results stored before query_results (read, never written)
    query_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    row TEXT NOT NULL,                  -- JSON list of values (strings or null)
    PRIMARY KEY (query_id, n)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS query_results (
    query_id TEXT NOT NULL,
    first INTEGER NOT NULL,             -- the position of the chunk's first row
    count INTEGER NOT NULL,             -- at most CHUNK_ROWS
    rows TEXT NOT NULL,                 -- one row per line, as GetQueryResults sends it (JSON has no raw newline)
    PRIMARY KEY (query_id, first)
);
CREATE TABLE IF NOT EXISTS query_deliveries (  -- StartQuery's DeliveryS3Uri: where and how it went
    query_id TEXT PRIMARY KEY,
    uri TEXT NOT NULL,
    status TEXT NOT NULL
);
"""

ACTIVE = ("QUEUED", "RUNNING")


class EncodedRows(list[str]):
    """Result rows already encoded as JSON, one text per row: a response writes them as they are."""


@dataclass
class QueryRecord:
    query_id: str
    query_string: str
    store_ids: list[str]
    status: str
    error: str | None
    creation_time: float
    end_time: float | None
    events_matched: int
    events_scanned: int
    bytes_scanned: int
    execution_ms: int
    columns: list[str] | None
    total_rows: int
    owner_pid: int | None
    owner_host: str | None
    account_id: str | None
    run_start: float | None = None  # when it left QUEUED: ExecutionTimeInMillis counts from here


_COLS = tuple(QueryRecord.__dataclass_fields__)


def _row_to_record(row: sqlite3.Row) -> QueryRecord:
    values = dict(zip(_COLS, row, strict=True))
    values["store_ids"] = json.loads(values["store_ids"])
    values["columns"] = json.loads(values["columns"]) if values["columns"] else None
    return QueryRecord(**values)


# A result is written as chunks of up to 1,000 rows, each its own commit. At SQLite's default (a checkpoint
# whenever the WAL passes 1,000 pages, 4 MB) a 100,000-row result paid for several checkpoints, each copying
# pages into the file and syncing it: 100 commits of 281 KB took 0.24 s, and 0.09 s with a checkpoint every
# 64 MB (measured side by side on this machine). The WAL file grows to about that size at most.
WAL_PAGES = 16384


class QueryStore(SqliteFile):
    """Query records and their rendered results, in one SQLite file per lake."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, _SCHEMA, wal_pages=WAL_PAGES)
        self.host = socket.gethostname()
        with contextlib.suppress(sqlite3.OperationalError):  # a file written before run_start existed
            self._conn().execute("ALTER TABLE queries ADD COLUMN run_start REAL")
        con = self._conn()
        if con.execute("PRAGMA auto_vacuum").fetchone()[0] == 0:  # a file made before auto-vacuum
            with contextlib.suppress(sqlite3.OperationalError):  # busy: try again next start
                con.execute("PRAGMA auto_vacuum = INCREMENTAL")
                con.execute("VACUUM")

    def create(self, query_id: str, sql: str, store_ids: list[str], account_id: str | None) -> QueryRecord:
        now = time.time()
        with self._tx() as con:
            con.execute(
                "INSERT INTO queries (query_id, query_string, store_ids, status, creation_time, owner_pid, "
                "owner_host, account_id) VALUES (?, ?, ?, 'QUEUED', ?, ?, ?, ?)",
                (query_id, sql, json.dumps(store_ids), now, os.getpid(), self.host, account_id),
            )
        record = self.get(query_id)
        assert record is not None
        return record

    def get(self, query_id: str) -> QueryRecord | None:
        row = (
            self._conn()
            .execute(f"SELECT {', '.join(_COLS)} FROM queries WHERE query_id = ?", (query_id,))
            .fetchone()
        )
        return _row_to_record(row) if row else None

    def set_status(
        self, query_id: str, status: str, error: str | None = None, stats: dict[str, int] | None = None
    ) -> None:
        sets = ["status = ?", "error = coalesce(?, error)"]
        args: list[object] = [status, error]
        for key, value in (stats or {}).items():
            if key == "execution_ms":  # fixed when the query ended: it never changes afterwards
                sets.append("execution_ms = CASE WHEN end_time IS NULL THEN ? ELSE execution_ms END")
            else:
                sets.append(f"{key} = ?")
            args.append(value)
        if status not in ACTIVE:
            sets.append("end_time = coalesce(end_time, ?)")
            args.append(time.time())
        args.append(query_id)
        with self._tx() as con:
            con.execute(f"UPDATE queries SET {', '.join(sets)} WHERE query_id = ?", args)

    def finish_if_active(self, query_id: str, status: str, error: str | None = None) -> bool:
        """Move an active query to an end status; False if it had already ended. Its run time is fixed
        here, the same way for every end (finished, failed, cancelled from any process, timed out): from
        leaving QUEUED to now, 0 if it never ran."""
        now = time.time()
        with self._tx() as con:
            cur = con.execute(
                "UPDATE queries SET status = ?, error = coalesce(?, error), end_time = ?, "
                "execution_ms = CASE WHEN run_start IS NULL THEN 0 "
                "ELSE CAST(max(0, (? - run_start) * 1000) AS INTEGER) END "
                "WHERE query_id = ? AND status IN ('QUEUED', 'RUNNING')",
                (status, error, now, now, query_id),
            )
            return cur.rowcount == 1

    def mark_running(self, query_id: str) -> bool:
        """QUEUED -> RUNNING; False if the query is no longer queued (cancelled meanwhile)."""
        with self._tx() as con:
            cur = con.execute(
                "UPDATE queries SET status = 'RUNNING', run_start = ? WHERE query_id = ? AND status = 'QUEUED'",
                (time.time(), query_id),
            )
            return cur.rowcount == 1

    def running_statistics(self, query_id: str, events_scanned: int) -> None:
        """Progress of a running query (DescribeQuery shows it growing, as Lake does)."""
        with self._tx() as con:
            con.execute(
                "UPDATE queries SET events_scanned = max(events_scanned, ?), "
                "execution_ms = CAST((? - run_start) * 1000 AS INTEGER) "
                "WHERE query_id = ? AND status = 'RUNNING' AND run_start IS NOT NULL",
                (events_scanned, time.time(), query_id),
            )

    def write_chunk(self, query_id: str, first: int, rows: list[str]) -> int:
        """Store rows `first`.. (at most CHUNK_ROWS, each the JSON of one GetQueryResults row); returns how
        many were written."""
        assert len(rows) <= CHUNK_ROWS
        if rows:
            with self._tx() as con:
                con.execute(
                    "INSERT OR REPLACE INTO query_results VALUES (?, ?, ?, ?)",
                    (query_id, first, len(rows), "\n".join(rows)),
                )
        return len(rows)

    def set_columns(self, query_id: str, columns: list[str]) -> None:
        with self._tx() as con:
            con.execute("UPDATE queries SET columns = ? WHERE query_id = ?", (json.dumps(columns), query_id))

    def set_delivery(self, query_id: str, uri: str, status: str) -> None:
        with self._tx() as con:
            con.execute("INSERT OR REPLACE INTO query_deliveries VALUES (?, ?, ?)", (query_id, uri, status))

    def delivery(self, query_id: str) -> tuple[str, str] | None:
        """(DeliveryS3Uri, DeliveryStatus) of a query that asked for delivery."""
        row = (
            self._conn()
            .execute("SELECT uri, status FROM query_deliveries WHERE query_id = ?", (query_id,))
            .fetchone()
        )
        return (row[0], row[1]) if row else None

    def read_rows(self, query_id: str, offset: int, limit: int) -> list[str]:
        """Rows `offset`.. in order, each the JSON GetQueryResults sends: `limit` of them, or fewer once
        PAGE_BYTES is reached (at least one)."""
        end = offset + limit
        cursor = self._conn().execute(
            "SELECT first, rows FROM query_results WHERE query_id = ? AND first > ? AND first < ? "
            "ORDER BY first",
            (query_id, offset - CHUNK_ROWS, end),
        )
        rows: list[str] = []
        size = 0
        found = False
        for first, text in cursor:  # one chunk at a time, not the whole page
            found = True
            for line in text.split("\n")[max(0, offset - first) : end - first]:
                if rows and size + len(line) > PAGE_BYTES:
                    cursor.close()
                    return rows
                size += len(line)
                rows.append(line)
        cursor.close()
        return rows if found else self._stored_before(query_id, offset, limit)

    def _stored_before(self, query_id: str, offset: int, limit: int) -> list[str]:
        """Rows of a query stored by an earlier version (a list of values per row), in today's shape."""
        record = self.get(query_id)
        names = record.columns if record is not None else None
        if not names:
            return []
        cursor = self._conn().execute(
            "SELECT row FROM query_rows WHERE query_id = ? AND n >= ? AND n < ? ORDER BY n",
            (query_id, offset, offset + limit),
        )
        rows: list[str] = []
        size = 0
        for (text,) in cursor:
            if rows and size + len(text) > PAGE_BYTES:
                break
            size += len(text)
            values = json.loads(text)
            rows.append(
                json.dumps(
                    [{n: v} for n, v in zip(names, values, strict=True)],
                    ensure_ascii=False,
                    separators=(",", ":"),
                )
            )
        cursor.close()
        return rows

    def read_values(self, query_id: str, offset: int, limit: int) -> list[list[str | None]]:
        """Rows `offset`.. as lists of values (as `read_rows` bounds them)."""
        rows = self.read_rows(query_id, offset, limit)
        return [[v for cell in row for v in cell.values()] for row in json.loads("[" + ",".join(rows) + "]")]

    def drop_rows(self, query_id: str) -> None:
        """Forget a query's stored rows (a failed query's partial results) and free their space."""
        with self._tx() as con:
            con.execute("DELETE FROM query_results WHERE query_id = ?", (query_id,))
            con.execute("DELETE FROM query_rows WHERE query_id = ?", (query_id,))
        self.reclaim()

    def reclaim(self) -> None:
        with contextlib.suppress(sqlite3.OperationalError):
            # executescript steps the pragma to its end (execute() would free a single page)
            self._conn().executescript("PRAGMA incremental_vacuum;")

    def list_for_store(
        self,
        store_id: str,
        start: float | None,
        end: float | None,
        status: str | None,
        after: tuple[float, str] | None = None,
        limit: int = -1,
    ) -> list[QueryRecord]:
        """Newest first; `after` is the (creation_time, query_id) of the last query of the previous page."""
        since = time.time() - RETENTION_SECONDS
        sql = f"SELECT {', '.join(_COLS)} FROM queries WHERE creation_time >= ? AND instr(store_ids, ?) > 0"
        args: list[object] = [max(since, start or since), json.dumps(store_id)]
        if end is not None:
            sql += " AND creation_time <= ?"
            args.append(end)
        if status:
            sql += " AND status = ?"
            args.append(status)
        if after is not None:
            sql += " AND (creation_time < ? OR (creation_time = ? AND query_id < ?))"
            args += [after[0], after[0], after[1]]
        sql += " ORDER BY creation_time DESC, query_id DESC LIMIT ?"
        args.append(limit)
        records = [_row_to_record(r) for r in self._conn().execute(sql, args).fetchall()]
        return [r for r in records if store_id in r.store_ids]

    def active_count(self) -> int:
        row = (
            self._conn()
            .execute("SELECT count(*) FROM queries WHERE status IN ('QUEUED', 'RUNNING')")
            .fetchone()
        )
        return int(row[0])

    def orphans(self) -> list[QueryRecord]:
        """Active queries of this host whose process is gone (it crashed or was killed)."""
        rows = (
            self._conn()
            .execute(
                f"SELECT {', '.join(_COLS)} FROM queries WHERE status IN ('QUEUED', 'RUNNING') AND owner_host = ?",
                (self.host,),
            )
            .fetchall()
        )
        return [
            r for r in map(_row_to_record, rows) if r.owner_pid is not None and not process_alive(r.owner_pid)
        ]

    def expire(self, now: float | None = None) -> int:
        cutoff = (now or time.time()) - RETENTION_SECONDS
        with self._tx() as con:
            old = [
                r[0] for r in con.execute("SELECT query_id FROM queries WHERE creation_time < ?", (cutoff,))
            ]
            con.executemany("DELETE FROM query_results WHERE query_id = ?", [(q,) for q in old])
            con.executemany("DELETE FROM query_rows WHERE query_id = ?", [(q,) for q in old])
            con.executemany("DELETE FROM query_deliveries WHERE query_id = ?", [(q,) for q in old])
            con.execute("DELETE FROM queries WHERE creation_time < ?", (cutoff,))
        if old:
            self.reclaim()
        return len(old)


def process_alive(pid: int) -> bool:
    """Is the process `pid` (of this host) still running?"""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
