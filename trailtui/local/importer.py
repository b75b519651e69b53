"""Importing trail log files into a store: DuckDB parses and normalises, in batches that commit whole.

Each batch of files is split into records (batchread.py) and read by DuckDB, every record is mapped onto the
Lake columns with one `json_transform`, duplicate eventIDs are dropped (within the batch and against
the store), and the rows, the store's figures and the list of imported sources commit in one transaction.
A killed import therefore loses at most its current batch, and running it again adds only what is missing.

When a batch fails (a truncated gzip, invalid JSON), its files are retried one by one so the bad file is
named with its reason and every other file is still imported.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from trailtui.local import ctrlc
from trailtui.local.batchread import batch_rows
from trailtui.local.catalog import StoreRecord, get_or_create_store, record_import
from trailtui.local.goodlines import good_lines
from trailtui.local.lakefile import LakeFile
from trailtui.local.rejects import rejection_reason
from trailtui.local.schema import COLUMNS, record_structure
from trailtui.local.sources import Discovery, LogFile, LogFormat, Passed, discover

if TYPE_CHECKING:
    import duckdb

# Compressed bytes per batch. Large enough that a batch fills whole DuckDB row groups (122,880 rows), which
# DuckDB writes straight to the file; smaller batches go through the WAL and are written twice (measured:
# 1 s of COMMIT per 100k events). It bounds memory (the raw text of the batch) and how long the lake is locked.
BATCH_BYTES = 48 * 1024 * 1024
# Files per batch; TRAILTUI_IMPORT_BATCH_FILES lowers it (tests use 1 to interrupt between batches).
BATCH_FILES = int(os.environ.get("TRAILTUI_IMPORT_BATCH_FILES", "400"))
DEFAULT_STORE = "trail-logs"


@dataclass
class ImportProgress:
    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int
    events_added: int
    duplicates: int
    started: float

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


@dataclass
class ImportReport:
    store: StoreRecord
    store_created: bool
    files_read: int = 0
    events_added: int = 0
    duplicates: int = 0
    invalid_records: int = 0
    skipped: list[Passed] = field(default_factory=list)
    rejected: list[Passed] = field(default_factory=list)
    warnings: list[Passed] = field(default_factory=list)
    malformed_lines: int = 0  # lines of JSON Lines files that are not a JSON object (the others imported)
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.interrupted

    @property
    def records_skipped(self) -> int:
        """Records of the files read that were not imported: without a valid eventTime, or malformed lines
        (a rejected file's records are not counted here: nothing of it was imported, and it is named)."""
        return self.invalid_records + self.malformed_lines

    def add(self, batch: ImportReport) -> None:
        """Count a committed batch (or another import's report, as the demo build's parts) in."""
        self.store = batch.store
        self.files_read += batch.files_read
        self.events_added += batch.events_added
        self.duplicates += batch.duplicates
        self.invalid_records += batch.invalid_records
        self.malformed_lines += batch.malformed_lines
        self.skipped += batch.skipped
        self.rejected += batch.rejected
        self.warnings += batch.warnings
        self.interrupted = self.interrupted or batch.interrupted


ProgressFn = Callable[[ImportProgress], None]


@dataclass(frozen=True)
class RecordSource:
    """Something that yields log files to import; `source` is what the lake remembers it by."""

    file: LogFile
    source: str
    etag: str


_STAGE = "trailtui_import_batch"


def _stage_sql(reader: str) -> str:
    """The batch, light: source, record text, checksum, eventID and eventTime (one parse per record),
    in eventTime order, ties in key order. The text is no sort key (it cost a twentieth of the import):
    which copy of a duplicate is kept is decided in the deduplication."""
    return (
        f"CREATE OR REPLACE TEMP TABLE {_STAGE} AS "
        "SELECT src, j, ke[1] AS id, try_cast(ke[2] AS TIMESTAMP) AS ts, "
        "CASE WHEN ke[1] IS NULL THEN 'md5:' || md5(j) ELSE ke[1] END AS k FROM ("
        "  SELECT src, j, json_extract_string(j, ['$.eventID', '$.eventTime']) AS ke "
        f"  FROM ({reader})) ORDER BY ts, k"
    )


# A record needs a time to be placed in a store. One without eventID (very old records, synthetic
# fixtures) is kept and deduplicated by the checksum of its text instead.
_KEY_STORED = "CASE WHEN eventid IS NULL THEN 'md5:' || md5(eventjson) ELSE eventid END"


def _dedup_sql(table: str) -> str:
    """Leave in the stage only the records to add: one per key, none the store already has.

    A duplicate delivery carries the same eventTime, so only the batch's time span of the store is
    compared, which DuckDB's zone maps reduce to a few row groups. Of the copies of a key in the batch,
    the one kept is the earliest, then the least text, whatever order the files came in; only keys with
    copies compare texts (carrying every record's text through the comparison would cost more than the
    sort it replaces)."""
    return (
        f"WITH copies AS (SELECT k FROM {_STAGE} WHERE ts IS NOT NULL GROUP BY k HAVING count(*) > 1) "
        f"DELETE FROM {_STAGE} WHERE ts IS NULL"
        f"  OR k IN (SELECT {_KEY_STORED} FROM {table} WHERE eventtime BETWEEN $lo AND $hi)"
        f"  OR (k IN (SELECT k FROM copies) AND rowid NOT IN ("
        f"    SELECT arg_min(rowid, (ts, j)) FROM {_STAGE} WHERE ts IS NOT NULL AND k IN (SELECT k FROM copies)"
        f"    GROUP BY k))"
    )


def _insert_sql(table: str) -> str:
    structure = record_structure().replace("'", "''")
    cols = ", ".join("ts" if c.name == "eventtime" else f't."{c.key}"' for c in COLUMNS)
    # The typed row is built (a second parse of each record) only for the records that survive
    # deduplication, straight into the table: staging wide nested rows costs more than parsing twice.
    # The stage is in eventTime order and this is a plain scan, so (with preserve_insertion_order) the
    # rows are written in that order: each row group covers a short span of time and a query bounded by
    # eventTime reads only the row groups of its span (see lakefile.ROW_GROUP_SIZE). Sorting the light
    # stage costs less than sorting the typed rows here (measured: a tenth of the import's CPU time).
    return f"INSERT INTO {table} SELECT {cols}, j FROM (SELECT json_transform(j, '{structure}') AS t, ts, j FROM {_STAGE})"


@dataclass
class _BatchResult:
    added: int
    valid: int
    per_file: dict[str, tuple[int, int, int]]  # src -> (valid, invalid, valid without eventID)


def _run_batch(
    con: duckdb.DuckDBPyConnection,
    store: StoreRecord,
    batch: Sequence[RecordSource],
    scratch: Path,
    window: tuple[datetime, datetime] | None = None,
) -> _BatchResult:
    # The writer lets rows land in any order; the stage's ORDER BY and the insert's order need it kept.
    # (Restored at the end; after an error the transaction is rolled back and the connection closed.)
    setting = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()
    con.execute("SET preserve_insertion_order = true")
    with batch_rows([s.file for s in batch], scratch) as rows:
        con.execute(_stage_sql(rows.sql), rows.params)
        if (
            window is not None
        ):  # an import bounded by event time (StartImport's Start/EndEventTime, retention)
            con.execute(
                f"DELETE FROM {_STAGE} WHERE ts < $lo OR ts > $hi", {"lo": window[0], "hi": window[1]}
            )
        counts = con.execute(
            f"SELECT src, count(ts), count(*) - count(ts), count(ts) FILTER (id IS NULL), min(ts), max(ts) "
            f"FROM {_STAGE} GROUP BY src"
        ).fetchall()
    per_file = {rows.names.get(src, src): (int(v), int(i), int(n)) for src, v, i, n, _, _ in counts}
    starts = [lo for *_, lo, _ in counts if lo is not None]
    ends = [hi for *_, hi in counts if hi is not None]
    added = 0
    if starts:
        con.execute(_dedup_sql(store.table_name), {"lo": min(starts), "hi": max(ends)})
        row = con.execute(_insert_sql(store.table_name)).fetchone()
        added = int(row[0]) if row else 0
    con.execute(f"SET preserve_insertion_order = {bool(setting and setting[0])}")
    con.execute(f"DROP TABLE IF EXISTS {_STAGE}")
    return _BatchResult(added, sum(v for v, _, _ in per_file.values()), per_file)


# CloudTrail logs compress about 8:1 with gzip (measured: 8.0 on the demo's logs, 8.2 on the Stratus Red Team
# records together), so a plain file weighs an eighth of its size: a batch of plain files then holds about as
# many events, and as much raw text, as a batch of gzipped ones. Weighing plain files whole split the plain
# demo logs (~140 MB) into three small batches, each committed through the WAL.
_PLAIN_WEIGHT = 8


def _batch_weight(file: LogFile) -> int:
    return file.size if file.gzipped else file.size // _PLAIN_WEIGHT


def _plan_batches(sources: Sequence[RecordSource]) -> list[list[RecordSource]]:
    groups: dict[tuple[LogFormat, bool], list[RecordSource]] = {}
    for s in sources:
        groups.setdefault((s.file.format, s.file.gzipped), []).append(s)
    batches: list[list[RecordSource]] = []
    for members in groups.values():
        current: list[RecordSource] = []
        size = 0
        for s in members:
            weight = _batch_weight(s.file)
            if current and (size + weight > BATCH_BYTES or len(current) >= BATCH_FILES):
                batches.append(current)
                current, size = [], 0
            current.append(s)
            size += weight
        if current:
            batches.append(current)
    return batches


class Importer:
    """Imports log files into one store of a lake, batch by batch."""

    def __init__(
        self, lake: LakeFile, store_name: str = DEFAULT_STORE, window: tuple[datetime, datetime] | None = None
    ) -> None:
        self.lake = lake
        self.store_name = store_name
        self.window = window  # only events with an eventTime in this range (naive UTC), if set

    def prepare_store(self) -> tuple[StoreRecord, bool]:
        with self.lake.writer() as con:
            return get_or_create_store(con, self.store_name)

    def already_imported(self, store: StoreRecord) -> dict[str, str]:
        """source -> etag of what this store has fully imported (for resumable S3 imports)."""
        with self.lake.writer() as con:
            rows = con.execute(
                "SELECT source, etag FROM trailtui_sources WHERE store_id = ?", [store.id]
            ).fetchall()
        return {s: e for s, e in rows}

    def import_sources(
        self,
        sources: Sequence[RecordSource],
        report: ImportReport,
        progress: ProgressFn | None = None,
        started: float | None = None,
    ) -> ImportReport:
        started = started or time.monotonic()
        total_bytes = sum(s.file.size for s in sources)
        state = ImportProgress(0, len(sources), 0, total_bytes, 0, 0, started)
        try:
            for batch in _plan_batches(sources):
                self._import_batch(batch, report)
                state.files_done += len(batch)
                state.bytes_done += sum(s.file.size for s in batch)
                state.events_added = report.events_added
                state.duplicates = report.duplicates
                if progress:
                    progress(state)
        except KeyboardInterrupt:
            report.interrupted = True
        report.seconds = time.monotonic() - started
        return report

    def _import_batch(self, batch: list[RecordSource], report: ImportReport) -> None:
        """Import a batch whole; if it fails, import its files one by one and name the bad ones."""
        try:
            self._commit_batch(batch, report)
        except KeyboardInterrupt:
            raise
        except Exception as exc:
            if ctrlc.is_interrupt(
                exc
            ):  # Ctrl-C inside any DuckDB call of the batch: stop, the file is not bad
                raise KeyboardInterrupt from exc
            if len(batch) == 1:
                reason = exc
                if batch[0].file.format is LogFormat.LINES:
                    try:
                        if self._import_good_lines(batch[0], report):
                            return
                    except KeyboardInterrupt:
                        raise
                    except Exception as again:  # the good lines failed too (say, out of memory): say why
                        if ctrlc.is_interrupt(again):
                            raise KeyboardInterrupt from again
                        reason = again
                report.rejected.append(Passed(batch[0].file.display, rejection_reason(reason, batch[0].file)))
                return
            for single in batch:
                self._import_batch([single], report)

    def _import_good_lines(self, source: RecordSource, report: ImportReport) -> bool:
        """Import the good lines of a JSON Lines file DuckDB refused, and name the bad ones (goodlines.py).
        False if none is good."""
        with good_lines(source.file) as lines:
            if lines is None:
                return False
            warned, rejected = len(report.warnings), len(report.rejected)
            self._commit_batch([RecordSource(lines.copy, source.source, source.etag)], report)
            for found in (report.warnings, report.rejected):  # what is said of the copy is said of the file
                for i in range(warned if found is report.warnings else rejected, len(found)):
                    found[i] = Passed(source.file.display, found[i].reason)
        if len(report.rejected) > rejected:  # its good lines are not CloudTrail either: rejected whole
            return True
        report.malformed_lines += lines.bad
        report.warnings.append(Passed(source.file.display, lines.warning()))
        return True

    def _commit_batch(self, batch: list[RecordSource], report: ImportReport) -> None:
        # The batch is accounted apart and added to the report once committed: a batch that fails at its
        # COMMIT (then retried file by file) or is interrupted there counts nothing, never twice.
        done = ImportReport(store=report.store, store_created=False)
        with self.lake.writer() as con:
            con.execute("BEGIN")
            try:
                result = _run_batch(con, report.store, batch, self.lake.locations.spill, self.window)
                self._account(con, done, batch, result)
            except Exception as exc:
                with contextlib.suppress(
                    Exception
                ):  # an interrupt pending may fail it too; closing rolls back
                    con.execute("ROLLBACK")
                if ctrlc.is_interrupt(exc):
                    raise KeyboardInterrupt from exc
                raise
            con.execute("COMMIT")
        report.add(done)

    def _account(
        self,
        con: duckdb.DuckDBPyConnection,
        report: ImportReport,
        batch: list[RecordSource],
        result: _BatchResult,
    ) -> None:
        ok_sources = []
        for s in batch:
            valid, invalid, no_id = result.per_file.get(str(s.file.path), (0, 0, 0))
            if valid == 0 and invalid > 0:
                report.rejected.append(
                    Passed(
                        s.file.display,
                        f"not CloudTrail: none of its {invalid} record(s) has a valid eventTime",
                    )
                )  # its records are not "records skipped" as well: the file is counted, once, as rejected
                continue
            if invalid:
                report.warnings.append(
                    Passed(s.file.display, f"{invalid} record(s) without a valid eventTime skipped")
                )
                report.invalid_records += invalid
            if no_id:
                report.warnings.append(
                    Passed(s.file.display, f"{no_id} record(s) without eventID (deduplicated by content)")
                )
            report.files_read += 1
            ok_sources.append((s, valid))
        report.events_added += result.added
        report.duplicates += result.valid - result.added
        report.store = record_import(con, report.store, result.added)
        if ok_sources:
            # One set-based statement each: DuckDB's executemany costs milliseconds per row.
            con.execute(
                "DELETE FROM trailtui_sources WHERE store_id = $store AND source IN (SELECT unnest($sources))",
                {"store": report.store.id, "sources": [s.source for s, _ in ok_sources]},
            )
            con.execute(
                "INSERT INTO trailtui_sources SELECT $store, unnest($sources), unnest($etags), "
                "unnest($sizes), unnest($events), now()",
                {
                    "store": report.store.id,
                    "sources": [s.source for s, _ in ok_sources],
                    "etags": [s.etag for s, _ in ok_sources],
                    "sizes": [s.file.size for s, _ in ok_sources],
                    "events": [v for _, v in ok_sources],
                },
            )


def import_paths(
    lake: LakeFile,
    paths: Iterable[str | Path],
    store_name: str = DEFAULT_STORE,
    progress: ProgressFn | None = None,
    window: tuple[datetime, datetime] | None = None,
) -> ImportReport:
    """Import every log file under `paths` into the named store (created if missing)."""
    started = time.monotonic()
    found: Discovery = discover(paths)
    importer = Importer(lake, store_name, window)
    store, created = importer.prepare_store()
    report = ImportReport(store=store, store_created=created, skipped=found.skipped, rejected=found.rejected)
    sources = [RecordSource(f, str(f.path.resolve()), f"{f.size}-{f.mtime_ns}") for f in found.logs]
    return importer.import_sources(sources, report, progress, started)
