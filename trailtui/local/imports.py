"""Imports into local stores, kept and run the way CloudTrail Lake runs them (StartImport and friends).

An import is a record in `imports.sqlite` beside the query records, so every process on the lake (the
explorer, `serve`, `trailtui import`) sees the same imports. It moves INITIALIZING (finding the log files)
-> IN_PROGRESS (importing batches) -> COMPLETED, or FAILED (the source itself could not be read, or the
process running it exited), or STOPPED (StopImport, or Ctrl-C in `trailtui import`). A file that cannot be
imported does not fail the import: it is listed, with its reason, by ListImportFailures. A stopped or failed
import runs again under the same ImportId; what it already imported is skipped (S3 objects by key and ETag)
or deduplicated (events by eventID).

Sources are `s3://BUCKET[/PREFIX]` (read with the S3 client, walking only the days asked for) and, as a
trailtui extension, local files and folders.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from trailtui.local.catalog import StoreRecord, find_store, get_or_create_store
from trailtui.local.importer import ImportProgress, ImportReport, import_paths
from trailtui.local.lakefile import LakeFile
from trailtui.local.querystore import process_alive
from trailtui.local.store_admin import enforce_retention, retention_cutoff, retention_enforced
from trailtui.sqlitefile import SqliteFile

IMPORT_STATUSES = ("INITIALIZING", "IN_PROGRESS", "FAILED", "STOPPED", "COMPLETED")
ACTIVE = ("INITIALIZING", "IN_PROGRESS")
_FAR_FUTURE = datetime(9999, 12, 31)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS imports (
    import_id TEXT PRIMARY KEY,
    store_id TEXT NOT NULL,
    sources TEXT NOT NULL,              -- JSON list: s3:// addresses or local paths
    bucket_region TEXT,
    role_arn TEXT,
    start_time REAL,                    -- StartEventTime / EndEventTime, epoch seconds
    end_time REAL,
    filters TEXT,                       -- JSON {accounts, regions} (trailtui import's S3 filters)
    status TEXT NOT NULL,
    message TEXT,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    prefixes_found INTEGER NOT NULL DEFAULT 0,
    prefixes_completed INTEGER NOT NULL DEFAULT 0,
    files_completed INTEGER NOT NULL DEFAULT 0,
    events_completed INTEGER NOT NULL DEFAULT 0,
    failed_entries INTEGER NOT NULL DEFAULT 0,
    owner_pid INTEGER,
    owner_host TEXT
);
CREATE INDEX IF NOT EXISTS imports_by_time ON imports (created);
CREATE TABLE IF NOT EXISTS import_failures (
    import_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    location TEXT NOT NULL,
    error_type TEXT NOT NULL,
    error_message TEXT NOT NULL,
    updated REAL NOT NULL,
    PRIMARY KEY (import_id, n)
);
"""


@dataclass
class ImportRecord:
    import_id: str
    store_id: str
    sources: list[str]
    bucket_region: str | None
    role_arn: str | None
    start_time: float | None
    end_time: float | None
    filters: dict[str, Any]
    status: str
    message: str | None
    created: float
    updated: float
    prefixes_found: int = 0
    prefixes_completed: int = 0
    files_completed: int = 0
    events_completed: int = 0
    failed_entries: int = 0
    owner_pid: int | None = None
    owner_host: str | None = None

    @property
    def is_s3(self) -> bool:
        return self.sources[0].startswith("s3://")


@dataclass(frozen=True)
class ImportFailure:
    n: int
    location: str
    error_type: str
    error_message: str
    updated: float


_COLS = tuple(ImportRecord.__dataclass_fields__)
# Imports running in this process: an active record of this process that is not here was left behind.
_RUNNING: set[str] = set()
_RUNNING_LOCK = threading.Lock()


def _to_record(row: tuple[Any, ...]) -> ImportRecord:
    values = dict(zip(_COLS, row, strict=True))
    values["sources"] = json.loads(values["sources"])
    values["filters"] = json.loads(values["filters"] or "{}")
    return ImportRecord(**values)


class ImportLog(SqliteFile):
    """Import records and their per-file failures."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, _SCHEMA)
        self.host = socket.gethostname()

    def save(self, r: ImportRecord) -> None:
        r.owner_pid, r.owner_host = os.getpid(), self.host
        row = {c: getattr(r, c) for c in _COLS} | {
            "sources": json.dumps(r.sources),
            "filters": json.dumps(r.filters),
        }
        with self._tx() as con:
            con.execute(
                f"INSERT OR REPLACE INTO imports ({', '.join(_COLS)}) VALUES ({', '.join('?' * len(_COLS))})",
                [row[c] for c in _COLS],
            )

    def get(self, import_id: str) -> ImportRecord | None:
        self._reap()
        row = (
            self._conn()
            .execute(f"SELECT {', '.join(_COLS)} FROM imports WHERE import_id = ?", (import_id,))
            .fetchone()
        )
        return _to_record(row) if row else None

    def update(self, import_id: str, only_if: tuple[str, ...] | None = None, **values: Any) -> bool:
        """Change an import's fields (only while its status is in `only_if`, if given)."""
        sets = [f"{k} = ?" for k in values] + ["updated = ?"]
        args: list[Any] = [*values.values(), time.time(), import_id]
        sql = f"UPDATE imports SET {', '.join(sets)} WHERE import_id = ?"
        if only_if:
            sql += f" AND status IN ({', '.join('?' * len(only_if))})"
            args += list(only_if)
        with self._tx() as con:
            return con.execute(sql, args).rowcount == 1

    def page(
        self, store_id: str | None, status: str | None, after: tuple[float, str] | None, limit: int
    ) -> list[ImportRecord]:
        """Newest first; `after` is the (created, import_id) of the last import of the previous page, so
        an import started meanwhile never shifts a page."""
        self._reap()
        sql = f"SELECT {', '.join(_COLS)} FROM imports WHERE 1 = 1"
        args: list[Any] = []
        if store_id:
            sql += " AND store_id = ?"
            args.append(store_id)
        if status:
            sql += " AND status = ?"
            args.append(status)
        if after:
            sql += " AND (created < ? OR (created = ? AND import_id < ?))"
            args += [after[0], after[0], after[1]]
        sql += " ORDER BY created DESC, import_id DESC LIMIT ?"
        args.append(limit)
        return [_to_record(r) for r in self._conn().execute(sql, args).fetchall()]

    def active(self) -> list[ImportRecord]:
        return [r for status in ACTIVE for r in self.page(None, status, None, 1000)]

    def add_failures(self, import_id: str, failures: list[tuple[str, str, str]]) -> None:
        if not failures:
            return
        now = time.time()
        with self._tx() as con:
            row = con.execute(
                "SELECT coalesce(max(n), -1) + 1 FROM import_failures WHERE import_id = ?", (import_id,)
            ).fetchone()
            start = int(row[0])
            con.executemany(
                "INSERT INTO import_failures VALUES (?, ?, ?, ?, ?, ?)",
                [(import_id, start + i, loc, kind, msg, now) for i, (loc, kind, msg) in enumerate(failures)],
            )
            con.execute(
                "UPDATE imports SET failed_entries = (SELECT count(*) FROM import_failures WHERE import_id = ?) "
                "WHERE import_id = ?",
                (import_id, import_id),
            )

    def clear_failures(self, import_id: str) -> None:
        with self._tx() as con:
            con.execute("DELETE FROM import_failures WHERE import_id = ?", (import_id,))
            con.execute("UPDATE imports SET failed_entries = 0 WHERE import_id = ?", (import_id,))

    def failures(self, import_id: str, after: int, limit: int) -> list[ImportFailure]:
        rows = (
            self._conn()
            .execute(
                "SELECT n, location, error_type, error_message, updated FROM import_failures "
                "WHERE import_id = ? AND n > ? ORDER BY n LIMIT ?",
                (import_id, after, limit),
            )
            .fetchall()
        )
        return [ImportFailure(*r) for r in rows]

    def _reap(self) -> None:
        """Fail the active imports whose process is gone (killed, crashed, or an engine that stopped)."""
        rows = (
            self._conn()
            .execute(
                "SELECT import_id, owner_pid FROM imports WHERE status IN ('INITIALIZING', 'IN_PROGRESS') "
                "AND owner_host = ?",
                (self.host,),
            )
            .fetchall()
        )
        for import_id, pid in rows:
            if pid == os.getpid():
                with _RUNNING_LOCK:
                    gone = import_id not in _RUNNING
            else:
                gone = pid is None or not process_alive(pid)
            if gone:
                self.update(
                    import_id, ACTIVE, status="FAILED", message="The process running this import exited."
                )


def _naive(epoch: float | None) -> datetime | None:
    return datetime.fromtimestamp(epoch, UTC).replace(tzinfo=None) if epoch is not None else None


def _error_type(reason: str) -> str:
    low = reason.lower()
    if "access denied" in low or "does not exist" in low or "another region" in low or "throttl" in low:
        return "S3ReadError"
    return "InvalidLogFile"


class Imports:
    """Starts, runs, follows and stops imports into the stores of one lake."""

    def __init__(self, lake: LakeFile, s3_client: Callable[[str | None], Any] | None = None) -> None:
        self.lake = lake
        self.log = ImportLog(lake.locations.state / "imports.sqlite")
        # Makes the S3 client for a bucket's Region; the CLI and the explorer pass their profile's.
        self.s3_client = s3_client or _default_s3_client
        self.last_plan: Any = None

    def begin(
        self,
        store: StoreRecord,
        sources: list[str],
        bucket_region: str | None = None,
        role_arn: str | None = None,
        start_time: float | None = None,
        end_time: float | None = None,
        filters: dict[str, Any] | None = None,
    ) -> ImportRecord:
        now = time.time()
        record = ImportRecord(
            str(uuid.uuid4()), store.id, sources, bucket_region, role_arn, start_time, end_time,
            filters or {}, "INITIALIZING", None, now, now,
        )  # fmt: skip
        with _RUNNING_LOCK:
            _RUNNING.add(record.import_id)
        self.log.save(record)
        return record

    def running(self) -> list[str]:
        """Imports still at work: active ones, and stopped ones finishing their last batch here."""
        with _RUNNING_LOCK:
            here = set(_RUNNING)
        return sorted(here | {r.import_id for r in self.log.active()})

    def restart(self, record: ImportRecord) -> ImportRecord:
        """A stopped or failed import, ready to run again (its files already imported are skipped)."""
        with _RUNNING_LOCK:
            _RUNNING.add(record.import_id)
        record.status, record.message = "INITIALIZING", None
        record.prefixes_completed = record.files_completed = record.events_completed = 0
        self.log.save(record)
        self.log.clear_failures(record.import_id)
        return record

    def run_in_background(self, record: ImportRecord) -> threading.Thread:
        thread = threading.Thread(
            target=self.run, args=(record,), name=f"trailtui-import-{record.import_id[:8]}", daemon=True
        )
        thread.start()
        return thread

    def stop(self, import_id: str) -> ImportRecord | None:
        """Ask a running import to stop; it stops after its current batch (which commits whole)."""
        self.log.update(import_id, ACTIVE, status="STOPPED")
        return self.log.get(import_id)

    def run(
        self, record: ImportRecord, progress: Callable[[ImportProgress], None] | None = None
    ) -> ImportReport | None:
        """Run an import to its end in this thread; the report, or None if it stopped before importing
        anything or its source failed."""
        try:
            return self._run(record, progress)
        finally:
            with _RUNNING_LOCK:
                _RUNNING.discard(record.import_id)

    def _run(
        self, record: ImportRecord, progress: Callable[[ImportProgress], None] | None
    ) -> ImportReport | None:
        iid = record.import_id
        try:
            with self.lake.writer() as con:
                store = find_store(con, record.store_id)
            report = self._import(record, store, progress)
        except _Stopped:
            self.log.update(iid, ACTIVE, status="STOPPED")
            return None
        except Exception as exc:
            from trailtui.local.s3import import S3ImportError

            message = str(exc) if isinstance(exc, S3ImportError) else f"{type(exc).__name__}: {exc}"
            self.log.update(iid, ACTIVE, status="FAILED", message=message)
            return None
        self.log.add_failures(iid, [(p.path, _error_type(p.reason), p.reason) for p in report.rejected])
        if not report.interrupted:
            with self.lake.writer() as con:
                report.store, _ = enforce_retention(con, report.store)
        found = self.log.get(iid)
        stats = {
            "files_completed": report.files_read,
            "events_completed": report.events_added,
            "prefixes_completed": 0 if report.interrupted else (found.prefixes_found if found else 0),
        }
        end = "STOPPED" if report.interrupted else "COMPLETED"
        if not self.log.update(iid, ACTIVE, status=end, **stats):
            self.log.update(iid, None, **stats)  # stopped meanwhile: keep STOPPED, record what was done
        return report

    def _window(self, record: ImportRecord, store: StoreRecord) -> tuple[datetime, datetime] | None:
        lo = _naive(record.start_time) or datetime.min
        if retention_enforced(store):  # events already past retention are not imported, as on Lake
            lo = max(lo, retention_cutoff(store))
        return lo, _naive(record.end_time) or _FAR_FUTURE

    def _import(
        self, record: ImportRecord, store: StoreRecord, progress: Callable[[ImportProgress], None] | None
    ) -> ImportReport:
        iid = record.import_id
        window = self._window(record, store)
        plan: Any = None

        def on_progress(p: ImportProgress) -> None:
            found = _region_prefixes(plan.prefixes_listed) if plan is not None else len(record.sources)
            if not self.log.update(
                iid,
                ACTIVE,
                status="IN_PROGRESS",
                prefixes_found=found,
                files_completed=p.files_done,
                events_completed=p.events_added,
            ):
                raise KeyboardInterrupt  # stopped (StopImport): the importer ends after this batch
            if progress:
                progress(p)

        if record.is_s3:
            from trailtui.local.s3import import import_s3, plan_from_text

            start, end = _naive(record.start_time), _naive(record.end_time)
            # Listing selects by the day folders, one day wider on each side: a log file delivered
            # after midnight holds events of the day before. The window then selects exact times.
            # (`trailtui import --since/--until` select day folders themselves.)
            f = record.filters
            plan = plan_from_text(
                record.sources[0],
                f.get("since") or (f"{start - timedelta(days=1):%Y-%m-%d}" if start else None),
                f.get("until") or (f"{end + timedelta(days=1):%Y-%m-%d}" if end else None),
                f.get("accounts"),
                f.get("regions"),
            )
            self.last_plan = plan  # `trailtui import` reports its list calls
            s3 = self.s3_client(record.bucket_region)
            try:
                return import_s3(
                    self.lake, s3, plan, store.name, on_progress, self.lake.locations.cache, window
                )
            except KeyboardInterrupt:  # stopped before the first batch
                raise _Stopped from None
        return import_paths(self.lake, record.sources, store.name, on_progress, window)


class _Stopped(Exception):
    pass


def _region_prefixes(listed: list[str]) -> int:
    """The Region folders an S3 walk listed: Lake counts an import's prefixes the same way."""
    return len({p for p in listed if p.rstrip("/").split("/")[-2:-1] == ["CloudTrail"]})


def _default_s3_client(region: str | None) -> Any:
    """An S3 client from the default credential chain (AWS_ENDPOINT_URL_S3 etc. are honoured)."""
    from trailtui.aws.session import aws_client, aws_session

    return aws_client(aws_session(None, region), "s3")


class StoreInactiveError(RuntimeError):
    """The store asked for is pending deletion: nothing may be imported into it."""


def local_store(lake: LakeFile, name: str) -> tuple[StoreRecord, bool]:
    """The store `trailtui import` imports into, created if missing (not one pending deletion)."""
    with lake.writer() as con:
        store, created = get_or_create_store(con, name)
    if not store.active:
        raise StoreInactiveError(
            f"the store {name} is pending deletion: restore it (aws cloudtrail restore-event-data-store, or "
            ":restore in the explorer) or import into another store"
        )
    return store, created
