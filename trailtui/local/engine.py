"""Running Lake queries on the local lake: the lifecycle behind StartQuery, DescribeQuery and friends.

StartQuery translates the SQL (so bad SQL fails at once, as on Lake), records the query as QUEUED and hands
it to a worker thread. The worker waits for the lake (QUEUED), runs the query in a sandboxed DuckDB instance
(querysandbox.py) under a run time limit (RUNNING), renders and stores the rows, and ends FINISHED, FAILED
(in Lake's words: queryerrors.py), CANCELLED or TIMED_OUT. DuckDB releases the GIL while it works, so
queries run in parallel with the UI and each other.

Statistics come from DuckDB's profile of the query: EventsScanned is the rows its table scans read (after
zone-map pruning: stores are written in eventTime order, so an eventTime bound skips most row groups),
EventsMatched the rows that passed the scans' filters, BytesScanned the compressed bytes of the columns
those scans read, in proportion to the rows they read (see scancost.py).
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from trailtui.local import delivery
from trailtui.local.catalog import StoreRecord, list_stores
from trailtui.local.errors import (
    InactiveEventDataStore,
    InactiveQuery,
    InvalidQueryStatement,
    MaxConcurrentQueries,
    QueryIdNotFound,
)
from trailtui.local.lakefile import LakeBusyError, LakeFile
from trailtui.local.limits import Limits
from trailtui.local.queryerrors import classify, message
from trailtui.local.querysandbox import sandboxed
from trailtui.local.querystore import ACTIVE, QueryRecord, QueryStore
from trailtui.local.resultsink import open_result, store_rows
from trailtui.local.scancost import TableLayout, scan_statistics, table_layout
from trailtui.local.translate import Translation, translate

if TYPE_CHECKING:
    import duckdb

PROGRESS_SECONDS = 0.5  # how often a running query's statistics are refreshed
MAX_CONCURRENT = 10  # Lake's limit of queued or running queries per account
TOO_LARGE = "Query response is too large"  # Lake's own message for an oversized result
EXPIRE_EVERY = 600.0  # seconds between sweeps of expired results while the engine runs


@dataclass
class _Run:
    query_id: str
    translation: Translation
    cancel_requested: threading.Event
    timed_out: threading.Event
    con: duckdb.DuckDBPyConnection | None = None
    forced_end: tuple[str, str] | None = None
    min_seconds: float = 0.0  # fault injection: run at least this long
    destination: delivery.Destination | None = None  # StartQuery's DeliveryS3Uri
    spool: delivery.Spool | None = None  # its result files, written as the rows are stored
    account_id: str | None = None
    region: str | None = None
    # The stores as StartQuery saw them. The worker holds the lake's shared lock while it runs; reading the
    # catalog again then would take the lock a second time, and a writer waiting at the turnstile in between
    # would wait for us while we wait for it.
    stores: tuple[StoreRecord, ...] = ()

    @property
    def stopped(self) -> bool:
        """Cancelled or timed out (by this process)."""
        return self.cancel_requested.is_set() or self.timed_out.is_set()


# Queries executing in this process, across engines: an active record owned by this process but not here
# was left behind by an engine that is gone.
_RUNNING_HERE: set[str] = set()
_RUNNING_LOCK = threading.Lock()


class QueryEngine:
    """The local lake's query service: one per process and lake."""

    def __init__(self, lake: LakeFile, store: QueryStore | None = None, limits: Limits | None = None) -> None:
        self.lake = lake
        self.queries = store or QueryStore(lake.locations.queries_db)
        self.limits = limits or Limits.from_env()
        self._runs: dict[str, _Run] = {}
        self._lock = threading.Lock()
        # Up to MAX_CONCURRENT queries are accepted (Lake's limit); `running` of them execute at once.
        self._pool = ThreadPoolExecutor(max_workers=self.limits.running, thread_name_prefix="trailtui-query")
        self.result_reads = threading.BoundedSemaphore(self.limits.result_reads)
        self._stores_cache: tuple[float, Any, list[StoreRecord]] | None = None
        self._sizes_cache: dict[tuple[str, Any], TableLayout] = {}
        self._expired_at = time.monotonic()
        self.queries.expire()
        self._reap_orphans()

    # -- stores -------------------------------------------------------------------------------------------
    def stores(self, max_age: float = 0.5) -> list[StoreRecord]:
        """The lake's stores, cached: StartQuery, polling and every result page need them. Read again
        after `max_age` seconds only if the lake file changed meanwhile (opening the lake for them took tens
        of milliseconds a page); `max_age` 0 always reads them."""
        now = time.monotonic()
        stamp = self.lake.stamp()
        cached = self._stores_cache
        if cached and max_age > 0 and (now - cached[0] < max_age or cached[1] == stamp):
            return cached[2]
        if not self.lake.exists():
            stores: list[StoreRecord] = []
        else:
            with self.lake.reader(wait=self.limits.lake_wait) as con:
                stores = list_stores(con, "lake")
        self._stores_cache = (now, stamp, stores)
        return stores

    def invalidate_stores(self) -> None:
        self._stores_cache = None

    def _resolver(self, stores: list[StoreRecord]) -> Any:
        by_key = {s.id.lower(): s for s in stores} | {s.name: s for s in stores}

        def resolve(ref: str) -> str | None:
            s = by_key.get(ref.lower()) or by_key.get(ref)
            if s is not None and not s.active:
                raise InactiveEventDataStore(f"The event data store {s.id} is pending deletion.")
            return s.table_name if s else None

        return resolve, {s.table_name: s for s in stores}

    # -- lifecycle ----------------------------------------------------------------------------------------
    def start(
        self,
        sql: str,
        account_id: str | None = None,
        forced_end: tuple[str, str] | None = None,
        min_seconds: float = 0.0,
        region: str | None = None,
        delivery: delivery.Destination | None = None,
    ) -> QueryRecord:
        """Start a query. `forced_end` (status, message) makes it end that way once it has run: fault
        injection for clients' tests (`serve --faults`)."""
        self._expire_if_due()
        stores = self.stores()
        resolve, by_table = self._resolver(stores)
        home = (region, account_id) if region and account_id else None
        # raises InvalidQueryStatement / EventDataStoreNotFound
        translation = translate(sql, resolve, home)
        self._bind(translation)
        self._reap_orphans()
        with self._lock:
            if self.queries.active_count() >= MAX_CONCURRENT:
                raise MaxConcurrentQueries(
                    f"You already have {MAX_CONCURRENT} queries queued or running; wait for one to end "
                    "or cancel one."
                )
            query_id = str(uuid.uuid4())
            store_ids = [by_table[t].id for t in translation.store_tables]
            record = self.queries.create(query_id, sql, store_ids, account_id)
            run = _Run(
                query_id,
                translation,
                threading.Event(),
                threading.Event(),
                forced_end=forced_end,
                min_seconds=min_seconds,
                stores=tuple(stores),
                destination=delivery,
                account_id=account_id,
                region=region,
            )
            if delivery is not None:
                self.queries.set_delivery(query_id, delivery.uri, "PENDING")
            self._runs[query_id] = run
            with _RUNNING_LOCK:
                _RUNNING_HERE.add(query_id)
        self._pool.submit(self._execute, run)
        return record

    def describe(self, query_id: str) -> QueryRecord:
        record = self.queries.get(query_id)
        if record is None:
            raise QueryIdNotFound(f"The query ID {query_id} does not exist or has expired.")
        if record.status in ACTIVE and self._orphaned(record):
            self._reap_orphans()
            record = self.queries.get(query_id) or record
        return record

    def rows(self, query_id: str, offset: int, limit: int) -> list[str]:
        """Up to `limit` rows from `offset`, fewer if they would pass PAGE_BYTES (at least one), each the
        JSON of a GetQueryResults row."""
        return self.queries.read_rows(query_id, offset, limit)

    def _expire_if_due(self) -> None:
        """Results expire while the engine runs, not only when it starts (serve runs for weeks)."""
        now = time.monotonic()
        if now - self._expired_at >= EXPIRE_EVERY:
            self._expired_at = now
            self.queries.expire()

    def cancel(self, query_id: str) -> QueryRecord:
        record = self.describe(query_id)
        if record.status not in ACTIVE:
            raise InactiveQuery(f"The query {query_id} has already ended with status {record.status}.")
        run = self._runs.get(query_id)
        if run is not None:
            run.cancel_requested.set()
            con = run.con
            if con is not None:
                con.interrupt()
        # Another process's query: mark it; its worker sees the status and stops at its next check.
        self.queries.finish_if_active(query_id, "CANCELLED")
        return self.describe(query_id)

    def list_queries(
        self, store_id: str, start: float | None, end: float | None, status: str | None
    ) -> list[QueryRecord]:
        return self.queries.list_for_store(store_id, start, end, status)

    def shutdown(self, cancel_running: bool = True) -> None:
        if cancel_running:
            for qid in list(self._runs):
                with contextlib.suppress(Exception):
                    self.cancel(qid)
        self._pool.shutdown(wait=True, cancel_futures=True)

    # -- execution ----------------------------------------------------------------------------------------
    def _execute(self, run: _Run) -> None:
        qid = run.query_id
        started = time.monotonic()
        timer = threading.Timer(self.limits.seconds, self._time_out, args=(run,))
        timer.daemon = True
        try:
            if run.cancel_requested.is_set():
                return
            with sandboxed(self.lake, self.limits, run.translation.functions, self.limits.lake_wait) as con:
                run.con = con
                if not self._mark_running(qid):
                    return  # cancelled while queued
                timer.start()
                ticking = threading.Event()
                ticker = threading.Thread(target=self._report_progress, args=(run, ticking), daemon=True)
                ticker.start()
                try:
                    self._run_query(con, run, started)
                finally:
                    ticking.set()
                    ticker.join()
        except LakeBusyError as exc:
            self.queries.finish_if_active(qid, "FAILED", str(exc))
        except Exception as exc:
            self._fail(run, exc)
        finally:
            timer.cancel()
            run.con = None
            if run.destination is not None:  # after the lake is let go: delivery may take a while
                where = (run.account_id, run.region, self.lake.locations.data)
                delivery.deliver_query(self.queries, run.destination, qid, *where, run.spool)
            with self._lock:
                self._runs.pop(qid, None)
            with _RUNNING_LOCK:
                _RUNNING_HERE.discard(qid)

    def _bind(self, t: Translation) -> None:
        """Bind the query without running it, so that an unknown column or an impossible cast fails
        StartQuery itself (InvalidQueryStatementException), as on Lake. If an import holds the lake, the
        check is skipped and the worker reports such errors as FAILED instead."""
        try:
            with sandboxed(self.lake, self.limits, t.functions, wait=0.5) as con:
                con.execute("DESCRIBE " + t.duckdb_sql).fetchall()
        except LakeBusyError:
            return
        except Exception as exc:
            raise InvalidQueryStatement(t.locate(message(exc))) from None

    def _mark_running(self, qid: str) -> bool:
        return self.queries.mark_running(qid)

    def _report_progress(self, run: _Run, stop: threading.Event) -> None:
        """While a query runs, DescribeQuery shows its run time and the events scanned so far, estimated
        from DuckDB's progress through the query's store tables (exact figures replace them at the end)."""
        sizes = {s.table_name: s.event_count for s in run.stores}
        total = sum(sizes.get(t, 0) for t in set(run.translation.store_tables))
        while not stop.wait(PROGRESS_SECONDS):
            con = run.con
            if con is None:
                return
            try:
                done = max(0.0, min(100.0, float(con.query_progress()))) / 100
            except Exception:
                done = 0.0
            self.queries.running_statistics(run.query_id, int(done * total))

    def _run_query(self, con: duckdb.DuckDBPyConnection, run: _Run, started: float) -> None:
        layouts = self._prefetch_layouts(con, run)
        try:
            self._run_and_store(con, run, started, layouts)
        finally:
            # A query that fails must not leave the layout reader on the connection: closing it under the
            # reader failed with "connection is busy", which replaced the query's own error (the first
            # failing query of a process reported that instead of, say, "Division by zero").
            if layouts is not None:
                layouts.join()

    def _run_and_store(
        self, con: duckdb.DuckDBPyConnection, run: _Run, started: float, layouts: threading.Thread | None
    ) -> None:
        qid = run.query_id
        try:
            result, plan = open_result(
                con,
                run.translation,
                lambda: run.stopped,
                csv=run.destination is not None,
            )
        except Exception as exc:
            raise classify(exc, run.stopped) from exc
        self.queries.set_columns(qid, plan.names)
        if run.destination is not None:
            run.spool = delivery.Spool(plan.names)
        try:
            written, too_large = store_rows(
                result,
                plan,
                self.queries,
                qid,
                self.limits.max_result_bytes,
                lambda: self._stopping(run),
                run.spool,
            )
        except Exception as exc:
            raise classify(exc, run.stopped) from exc
        if layouts is not None:
            layouts.join()
        remaining = run.min_seconds - (time.monotonic() - started)
        if remaining > 0:  # an injected slow query: wait, but stop at once if cancelled or timed out
            run.cancel_requested.wait(remaining)
        stats = self._statistics(con, run, started, written)
        if run.timed_out.is_set():
            self.queries.finish_if_active(
                qid,
                "TIMED_OUT",
                f"Query exceeded the time limit of "
                f"{self.limits.seconds:.0f} seconds; partial results are available.",
            )
        elif run.cancel_requested.is_set():
            self.queries.finish_if_active(qid, "CANCELLED")
        elif too_large:
            self.queries.finish_if_active(qid, "FAILED", TOO_LARGE)
        if run.forced_end is not None:
            self.queries.finish_if_active(qid, *run.forced_end)
        self._record_stats(qid, stats)
        if not (run.stopped or too_large):
            self.queries.finish_if_active(qid, "FINISHED")

    def _record_stats(self, qid: str, stats: dict[str, int]) -> None:
        record = self.queries.get(qid)
        if record is not None:
            if record.status == "FAILED":  # nobody can read a failed query's rows: give the space back
                self.queries.drop_rows(qid)
                stats = stats | {"total_rows": 0}
            self.queries.set_status(qid, record.status, stats=stats)

    def _stopping(self, run: _Run) -> bool:
        if run.stopped:
            return True
        record = self.queries.get(run.query_id)  # cancelled by another process?
        if record is not None and record.status == "CANCELLED":
            run.cancel_requested.set()
            return True
        return False

    def _statistics(
        self, con: duckdb.DuckDBPyConnection, run: _Run, started: float, rows: int
    ) -> dict[str, int]:
        t = run.translation
        stats = {"execution_ms": int((time.monotonic() - started) * 1000), "total_rows": rows}
        try:
            profile = json.loads(con.get_profiling_information(format="json"))
        except Exception:
            return stats
        tables = {f"lake.main.{name}" for name in t.store_tables}
        sizes = {f"lake.main.{s.table_name}": s.event_count for s in run.stores}
        stats.update(
            scan_statistics(profile, tables, sizes, lambda name: self._layout(con, name, run.stores))
        )
        return stats

    def _layout(
        self, con: duckdb.DuckDBPyConnection, table: str, stores: tuple[StoreRecord, ...]
    ) -> TableLayout:
        """Compressed column sizes and row count of a store table, cached until the store changes."""
        key = _layout_key(table, stores)
        cached = self._sizes_cache.get(key)
        if cached is None:
            try:
                cached = table_layout(con, table)
            except Exception:
                cached = TableLayout({}, 0)
            self._sizes_cache[key] = cached
        return cached

    def _prefetch_layouts(self, con: duckdb.DuckDBPyConnection, run: _Run) -> threading.Thread | None:
        """The layouts of the query's store tables not known yet, read on a cursor of their own while the
        query runs. Reading one (DuckDB's pragma_storage_info) took 0.2 to 0.4 s, which the first query
        on a store paid after its rows were stored, before it showed FINISHED. A failure caches nothing:
        _statistics then reads the layout on the query's connection, as before."""
        tables = [f"lake.main.{name}" for name in sorted(set(run.translation.store_tables))]
        missing = [t for t in tables if _layout_key(t, run.stores) not in self._sizes_cache]
        if not missing:
            return None
        cursor = con.cursor()

        def read() -> None:
            try:
                for table in missing:
                    self._sizes_cache[_layout_key(table, run.stores)] = table_layout(cursor, table)
            except Exception:
                pass
            finally:
                cursor.close()

        thread = threading.Thread(target=read, name="trailtui-layout", daemon=True)
        thread.start()
        return thread

    def _time_out(self, run: _Run) -> None:
        run.timed_out.set()
        con = run.con
        if con is not None:
            con.interrupt()

    def _fail(self, run: _Run, exc: BaseException) -> None:
        qid = run.query_id
        if run.timed_out.is_set():
            self.queries.finish_if_active(
                qid, "TIMED_OUT", f"Query exceeded the time limit of {self.limits.seconds:.0f} seconds."
            )
        elif run.cancel_requested.is_set():
            self.queries.finish_if_active(qid, "CANCELLED")
        elif self.queries.finish_if_active(qid, "FAILED", message(exc)):
            self.queries.drop_rows(qid)  # nobody can read a failed query's rows: give the space back

    # -- orphans ------------------------------------------------------------------------------------------
    def _orphaned(self, record: QueryRecord) -> bool:
        if record.owner_host != self.queries.host:
            return False
        if record.owner_pid == _pid():
            with _RUNNING_LOCK:
                return record.query_id not in _RUNNING_HERE
        return record in self.queries.orphans()

    def _reap_orphans(self) -> None:
        candidates = self.queries.orphans()
        rows = (
            self.queries._conn()
            .execute(  # active queries of this process that no engine runs
                "SELECT query_id FROM queries WHERE status IN ('QUEUED', 'RUNNING') AND owner_pid = ? AND owner_host = ?",
                (_pid(), self.queries.host),
            )
            .fetchall()
        )
        with _RUNNING_LOCK:
            mine = [q for (q,) in rows if q not in _RUNNING_HERE]
        for record in candidates:
            self.queries.finish_if_active(record.query_id, "FAILED", "The process running this query exited.")
        for qid in mine:
            self.queries.finish_if_active(qid, "FAILED", "The engine running this query stopped.")


def _pid() -> int:
    import os

    return os.getpid()


def _layout_key(table: str, stores: tuple[StoreRecord, ...]) -> tuple[str, Any]:
    """A store table's layout is good until its store changes (events added, dropped, restored)."""
    counts = {f"lake.main.{s.table_name}": (s.event_count, s.updated) for s in stores}
    return (table, counts.get(table))
