"""The one headless query path: start a query (or take up an earlier one), follow it with backoff until it
ends (sending CancelQuery once when asked), read its pages, and record every step in the history.

The explorer's runs and drill-down and `trailtui query` all go through `execute`, so a query is recorded the
same way wherever it ran (the same typed connection key, profile, Region, account and store) and can be
reopened anywhere. Callers learn what happens through a `QueryEvents` object; nothing here knows about
threads, terminals or Textual.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from trailtui.lake.backoff import PollBackoff
from trailtui.lake.connection import Connection, ConnectionKey
from trailtui.lake.history import History
from trailtui.lake.query import QueryRun
from trailtui.lake.results import READABLE_STATES, QueryState, ResultPage
from trailtui.lake.sqltext import first_store_id, first_table_name

PAGE_SIZE = 1000


@dataclass(frozen=True)
class LakeQuery:
    """What to run, and where. `query_id` takes up an earlier query: no new query, so no new scan."""

    sql: str
    key: ConnectionKey
    store: str | None = None  # the store ID the query names (or the current store, if it names none)
    query_id: str | None = None
    delivery_uri: str | None = None  # StartQuery's DeliveryS3Uri

    @property
    def reopened(self) -> bool:
        return self.query_id is not None


class QueryEvents(Protocol):
    """What `execute` reports, in order: started (new queries only), each state change, each page, or a
    failure (a call that raised: bad SQL, credentials, network); warnings (a cancel that came too late, a
    history that could not be written) may come at any time."""

    def started(self, query_id: str) -> None: ...
    def state(self, state: QueryState) -> None: ...
    def page(self, page: ResultPage, done: bool) -> None: ...
    def failed(self, reason: str) -> None: ...
    def warning(self, text: str) -> None: ...


class HistoryRecord:
    """One query's history entry. A locked or broken history never stops the query: the problem goes to
    `on_problem` (a warning for the user) and the query goes on."""

    def __init__(self, history: History | None, on_problem: Callable[[str], object] | None = None) -> None:
        self.history = history
        self.on_problem = on_problem or (lambda _: None)
        self.entry: int | None = None

    def start(self, query: LakeQuery, conn: Connection) -> None:
        if self.history is None:
            return
        try:
            self.entry = self.history.started(
                query.sql,
                query.key,
                profile=conn.profile,
                region=conn.region,
                account=conn.account_id,
                store=query.store,
            )
        except Exception as exc:
            self.on_problem(f"Could not write the query history: {exc}")

    def update(self, **fields: Any) -> None:
        if self.history is None or self.entry is None:
            return
        try:
            self.history.update(self.entry, **fields)
        except Exception as exc:
            self.on_problem(f"Could not update the query history: {exc}")

    def state(self, state: QueryState) -> None:
        s = state.statistics
        self.update(
            status=state.status,
            error=state.error,
            events_matched=s.events_matched,
            events_scanned=s.events_scanned,
            bytes_scanned=s.bytes_scanned,
            execution_ms=s.execution_ms,
            engine=s.engine,
        )


def follow(
    run: QueryRun,
    on_state: Callable[[QueryState], None],
    *,
    backoff: PollBackoff | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    cancel_requested: Callable[[], bool] = lambda: False,
    on_cancel_error: Callable[[BaseException], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> QueryState | None:
    """Poll DescribeQuery until the query ends, reporting each new status; None if stopped first.

    CancelQuery is sent once, at the first poll after `cancel_requested` says so; the query is followed on
    to the end it reaches (CANCELLED, or FINISHED if it beat the cancel)."""
    backoff = backoff or PollBackoff()
    last: QueryState | None = None
    cancel_sent = False
    while not should_stop():
        if not cancel_sent and cancel_requested():
            cancel_sent = True
            try:
                run.client.cancel_query(QueryId=run.query_id)
            except Exception as exc:  # it may have just ended: say so, keep following it
                if on_cancel_error is not None:
                    on_cancel_error(exc)
        state = run.describe()
        if last is None or state.status != last.status:
            backoff.reset()
            on_state(state)
        last = state
        if state.ended:
            return state
        sleep(backoff.next_wait())
    return None


def execute(
    conn: Connection,
    query: LakeQuery,
    events: QueryEvents,
    *,
    record: HistoryRecord | None = None,
    backoff: PollBackoff | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    cancel_requested: Callable[[], bool] = lambda: False,
    read_pages: bool = True,
    page_size: int = PAGE_SIZE,
    cancel_on_stop: bool = False,
) -> QueryState | None:
    """Run `query` on `conn` to its end; returns its last state (None if it failed or was stopped).

    A reopened query is not recorded again. With `read_pages`, a query that ended with readable results
    has its pages reported as they arrive; the first page's total is recorded as the row count. With
    `cancel_on_stop`, a query still running when `should_stop` says so (the explorer quitting) is cancelled,
    and the history records how it ended rather than keeping it RUNNING for good."""
    record = record if record is not None and not query.reopened else HistoryRecord(None)
    run = QueryRun(conn.cloudtrail, query.sql, query_id=query.query_id, delivery_uri=query.delivery_uri)
    record.start(query, conn)
    try:
        if not query.reopened:
            query_id = run.start()
            record.update(query_id=query_id, status="QUEUED")
            events.started(query_id)

        def on_state(state: QueryState) -> None:
            record.state(state)
            events.state(state)

        def on_cancel_error(exc: BaseException) -> None:
            events.warning(f"Cancel: {conn.explain(exc)}")

        state = follow(
            run,
            on_state,
            backoff=backoff,
            should_stop=should_stop,
            cancel_requested=cancel_requested,
            on_cancel_error=on_cancel_error,
        )
        if state is None and cancel_on_stop and run.query_id and not query.reopened:
            _cancel_and_record(run, record)
            return None
        if state is None or not read_pages or state.status not in READABLE_STATES:
            return state
        first = True
        for page in run.pages(page_size, should_stop=should_stop):
            if first:
                record.update(row_count=page.total)
                first = False
            events.page(page, not page.next_token)
        return state
    except Exception as exc:
        reason = conn.explain(exc)
        # An ended query keeps its status (its results may still be read); one we lost track of is ERROR.
        ended = run.state is not None and run.state.ended
        record.update(status=run.state.status if ended and run.state else "ERROR", error=reason)
        events.failed(reason)
        return None


def _cancel_and_record(run: QueryRun, record: HistoryRecord) -> None:
    """CancelQuery (a running query on AWS keeps billing), then record the status the query ended with."""
    with contextlib.suppress(Exception):  # it may have ended meanwhile: what it ended with is recorded below
        run.client.cancel_query(QueryId=run.query_id)
    try:
        record.state(run.describe())
    except Exception:
        record.update(status="ERROR", error="The explorer quit while the query ran; it was cancelled.")


def store_of(sql: str, current: str | None = None) -> str | None:
    """The store a query is about: the first one it names (a Lake store, or an Athena table's
    DATABASE.TABLE), else the one it was run on."""
    return first_store_id(sql) or first_table_name(sql) or current
