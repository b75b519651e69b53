"""The explorer's blocking work, as plain functions run in worker threads: opening connections, listing
stores, following queries, drill-down, export, import.

They take what they need as arguments, report only through `post(event)` (events.py) and never touch the
explorer's state or widgets, so they run (and are tested) without Textual. boto3, DuckDB and sqlglot are
imported here, inside the functions, so they stay off the first-paint path.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trailtui.lake.backoff import PollBackoff
from trailtui.lake.connection import Connection, ConnectionKey, EventDataStore, ImportRequest
from trailtui.lake.history import History
from trailtui.lake.results import QueryState, ResultPage, joined_pages
from trailtui.lake.run import HistoryRecord, LakeQuery, execute
from trailtui.tui import events

Post = Callable[[object], None]
StopCheck = Callable[[], bool]


def open_local_lake(where: Any, local_lake: Any, post: Post, should_stop: StopCheck = lambda: False) -> None:
    """Open the local lake, then list its stores. On a first run the demo is built by a child process
    (its newest day before the stores are listed, the rest after, with its progress posted)."""
    from trailtui.connections import open_local

    key = ConnectionKey.local()
    try:
        builder = _start_demo(where) if local_lake is None else None
        if builder is not None:
            post(events.DemoBuildProgress(0, 0))
        conn = open_local(local_lake, where)  # meanwhile, the builder makes the newest day
        news = builder.newest_day(should_stop) if builder is not None else None
    except Exception as exc:  # a broken lake must not stop the explorer: say why, in place
        post(events.ConnectionFailed(key, f"cannot open the local lake: {exc}"))
        return
    if news is not None:
        post(events.DemoBuildProgress(news.days_done, news.events, news.ready, news.error))
    post(events.ConnectionOpened(key, conn))
    load_stores(conn, post)
    if builder is not None and news is not None and not news.ended:
        for news in builder.rest(should_stop):
            post(events.DemoBuildProgress(news.days_done, news.events, news.ready, news.error))
            load_stores(conn, post)  # the stores pane shows the demo store as it grows


def _start_demo(where: Any) -> Any:
    """The demo builder, if the lake needs the demo (a first run, or a build stopped half way): the one the
    command line started before loading the explorer, if it did."""
    from trailtui.local.demo import demo_needed
    from trailtui.local.demo.background import DemoBuilder
    from trailtui.local.firstrun import take
    from trailtui.local.lakefile import LakeFile

    early = take(where)
    if early is not None:
        return DemoBuilder(where, process=early)
    return DemoBuilder(where) if demo_needed(LakeFile(where.ensure())) else None


def open_aws_profile(requested: ConnectionKey, post: Post) -> None:
    """Open an AWS profile in a Region (its own when `requested` has none), then who it is and its stores."""
    from trailtui.aws.identity import fetch_identity
    from trailtui.aws.session import aws_session
    from trailtui.connections import open_aws
    from trailtui.lake.errors import explain

    profile = None if requested.profile == "default" else requested.profile
    try:
        session = aws_session(profile, requested.region)
        # Credentials first: with no AWS set-up at all, "no credentials" is the news, not "no Region".
        if profile is None and session.get_credentials() is None:
            raise RuntimeError(_no_default_credentials())
        conn = open_aws(profile, requested.region, session=session)
    except Exception as exc:
        post(events.ConnectionFailed(requested, explain(exc, profile)))
        return
    post(events.ConnectionOpened(requested, conn))
    try:
        sts, iam = conn.identity_clients()
        post(events.IdentityLoaded(conn.key, fetch_identity(sts, iam)))
    except Exception as exc:
        post(events.IdentityFailed(conn.key, conn.explain(exc)))
    load_stores(conn, post)


def _no_default_credentials() -> str:
    """Why the default profile has no credentials, and what to do: with named profiles and no default (a
    common set-up), "no AWS profile found" was wrong, and F10 is the way on. The stores pane wraps it to its
    width: a line break only between its two parts."""
    from trailtui.aws.profiles import list_profiles

    try:
        names = [p.name for p in list_profiles() if p.name != "default"]
    except Exception:  # an unreadable config says so when a profile is chosen; here, only the default failed
        names = []
    if not names:
        return (
            "no AWS profile or credentials found\n(aws configure / aws sso login; the local lake needs none)"
        )
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"no default profile or credentials\n(F10 switches to a profile: {shown})"


def load_stores(conn: Connection, post: Post) -> None:
    """ListEventDataStores and GetEventDataStore for each, with the figures the engine knows cheaply."""
    from trailtui.lake.errors import error_code

    try:
        stores: list[EventDataStore] = []
        problems: list[str] = []
        token = None
        while True:
            page = conn.cloudtrail.list_event_data_stores(**({"NextToken": token} if token else {}))
            # An AWS profile lists Lake's stores and its Athena tables (trailtui.athena.router); if one of
            # the two could not answer, its error travels in the page, to be shown in place.
            if page.get("LakeError") is not None:
                problems.append(f"CloudTrail Lake: {conn.explain(page['LakeError'])}")
            # Glue not offered by the endpoint (a `trailtui serve` URL) is no news; a denial is.
            if "AccessDenied" in str(error_code(page.get("AthenaError") or Exception())):
                problems.append(f"Athena: {conn.explain(page['AthenaError'])}")
            for item in page.get("EventDataStores", []):
                arn = item["EventDataStoreArn"]
                details = conn.cloudtrail.get_event_data_store(EventDataStore=arn)
                stores.append(
                    EventDataStore(conn.key, arn.rsplit("/", 1)[-1], item.get("Name", ""), arn, details)
                )
            token = page.get("NextToken")
            if not token:
                break
        figures = conn.store_figures()
        for s in stores:
            known = figures.get(s.id)
            if known is not None:
                s.event_count, s.first_event, s.last_event = (
                    known.event_count,
                    known.first_event,
                    known.last_event,
                )
        post(events.StoresLoaded(conn.key, stores, "\n".join(problems) or None))
    except Exception as exc:
        post(events.StoresFailed(conn.key, conn.explain(exc)))


PAGES_EVERY = 0.1  # seconds: pages read meanwhile reach the explorer together, as one


class RunEvents:
    """A run's progress, posted as events.

    Pages are read faster than the explorer can take them one by one (100 pages of a 100,000-row result
    in about a second): each message, title and status update cost the screen's thread time the reading
    thread then waited for. So the first page is posted at once, and the pages after it at most every
    PAGES_EVERY seconds, joined into one (the last one at once)."""

    def __init__(self, post: Post, run_id: int) -> None:
        self.post, self.run_id = post, run_id
        self._pending: list[ResultPage] = []
        self._posted_at: float | None = None

    def started(self, query_id: str) -> None:
        self.post(events.QueryStarted(self.run_id, query_id))

    def state(self, state: QueryState) -> None:
        self.post(events.QueryStateChanged(self.run_id, state))

    def page(self, page: ResultPage, done: bool) -> None:
        self._pending.append(page)
        now = time.monotonic()
        if done or self._posted_at is None or now - self._posted_at >= PAGES_EVERY:
            self._flush(done)
            self._posted_at = now

    def _flush(self, done: bool) -> None:
        if not self._pending:
            return
        pages, self._pending = self._pending, []
        joined = pages[0] if len(pages) == 1 else joined_pages(pages)
        self.post(events.ResultsArrived(self.run_id, joined, done))

    def failed(self, reason: str) -> None:
        self._flush(done=False)  # the rows read before the failure still show
        self.post(events.QueryFailed(self.run_id, reason))

    def warning(self, text: str) -> None:
        self.post(events.Notice(text, "warning"))


def follow_run(
    conn: Connection,
    query: LakeQuery,
    run_id: int,
    post: Post,
    history: History,
    backoff: PollBackoff,
    should_stop: StopCheck,
    cancel_requested: StopCheck,
) -> None:
    """Run a query (or follow an earlier one) to its end and load its pages, recording it in the history;
    then, if its results were delivered (`:deliver`, or an earlier query's DeliveryS3Uri), how that ended."""
    state = execute(
        conn,
        query,
        RunEvents(post, run_id),
        record=HistoryRecord(history, lambda text: post(events.Notice(text, "warning"))),
        backoff=backoff,
        should_stop=should_stop,
        cancel_requested=cancel_requested,
        cancel_on_stop=True,
    )
    if state is not None and (query.delivery_uri or query.reopened):
        _follow_delivery(conn, state.query_id, run_id, post, should_stop, bool(query.delivery_uri))


def _follow_delivery(
    conn: Connection, query_id: str, run_id: int, post: Post, should_stop: StopCheck, asked: bool
) -> None:
    from trailtui.lake.delivered import delivery_of

    try:
        delivery = delivery_of(
            conn.cloudtrail,
            query_id,
            on_pending=lambda d: post(events.DeliveryChanged(run_id, d)),
            should_stop=should_stop,
        )
    except Exception as exc:
        post(events.Notice(f"Results delivery: {conn.explain(exc)}", "warning"))
        return
    if delivery.status is not None or asked:  # asked, but not delivered: an Athena table's query
        post(events.DeliveryChanged(run_id, delivery))


def reopen_run(
    conn: Connection,
    query: LakeQuery,
    run_id: int,
    post: Post,
    history: History,
    backoff: PollBackoff,
    should_stop: StopCheck,
    cancel_requested: StopCheck,
    results: bool,
) -> None:
    """An earlier query by its ID: its SQL (DescribeQuery), then, with `results`, its status and pages."""
    try:
        described = conn.cloudtrail.describe_query(QueryId=query.query_id)
    except Exception as exc:
        post(events.QueryFailed(run_id, conn.explain(exc)))
        return
    sql = described.get("QueryString") or ""
    post(events.QueryDescribed(run_id, sql, to_editor=not results))
    if results:
        reopened = LakeQuery(sql, query.key, query.store, query.query_id)
        follow_run(conn, reopened, run_id, post, history, backoff, should_stop, cancel_requested)


@dataclass
class _Drill:
    eventjson: str | None = None
    error: str | None = None

    def started(self, query_id: str) -> None:
        pass

    def state(self, state: QueryState) -> None:
        pass

    def page(self, page: ResultPage, done: bool) -> None:
        if page.rows and self.eventjson is None:
            self.eventjson = page.rows[0][0]

    def failed(self, reason: str) -> None:
        self.error = reason

    def warning(self, text: str) -> None:
        pass


def drill_down(
    conn: Connection, query: LakeQuery, event_id: str, post: Post, history: History, backoff: PollBackoff
) -> None:
    """The whole event of a result row: a one-row query by eventID, recorded like any other query."""
    found = _Drill()
    record = HistoryRecord(history, lambda text: post(events.Notice(text, "warning")))
    state = execute(conn, query, found, record=record, backoff=backoff, page_size=1)
    if found.error:
        post(events.EventLoaded(event_id, None, found.error))
    elif found.eventjson is None:
        why = (state.error if state else None) or "No event with this eventID was found."
        post(events.EventLoaded(event_id, None, why))
    else:
        post(events.EventLoaded(event_id, found.eventjson))


def export_results(conn: Connection, query_id: str, target: Path | str, fmt: str, post: Post) -> None:
    """A query's whole result to a file (through a temporary file renamed at the end) or to an S3 object
    (`target` a string s3://BUCKET/KEY): a CSV from the files the query delivered, else page by page;
    every detour said."""
    from trailtui.connections import delivered_results
    from trailtui.lake.export import export_query, export_to_s3

    def progress(rows: int) -> None:
        post(events.ExportProgress(str(target), rows, False))

    files = delivered_results(
        conn, lambda text: post(events.Notice(text, "warning")), lambda text: post(events.Notice(text))
    )
    try:
        if isinstance(target, str):
            rows = export_to_s3(conn.cloudtrail, query_id, target, files, progress)
        else:
            rows = export_query(conn.cloudtrail, query_id, target, fmt, progress=progress, files=files)
    except Exception as exc:
        post(events.ExportProgress(str(target), 0, True, conn.explain(exc)))
        return
    post(events.ExportProgress(str(target), rows, True))


def import_logs(conn: Connection, request: ImportRequest, post: Post) -> None:
    """Import trail logs into the connection's lake, telling progress every two seconds; then its stores."""
    last = [0.0]

    def progress(done: int, total: int, added: int) -> None:
        if time.monotonic() - last[0] > 2:
            last[0] = time.monotonic()
            post(events.Notice(f"Importing: {done:,}/{total:,} files, {added:,} events added"))

    try:
        report = conn.import_logs(request, progress)
    except Exception as exc:
        post(events.ImportFinished(f"Import failed: {conn.explain(exc)}", "error"))
        return
    rejected = f", {report.rejected} files rejected" if report.rejected else ""
    if report.first_rejection:
        rejected += f"; {report.first_rejection}"
    post(
        events.ImportFinished(
            f"Imported {report.events_added:,} events into {report.store_name} "
            f"({report.duplicates:,} duplicates skipped{rejected}).",
            "warning" if report.rejected else "information",
        )
    )
    load_stores(conn, post)


@dataclass(frozen=True)
class ServiceQuery:
    """A query the service knows of (ListQueries)."""

    query_id: str
    status: str
    created: Any


def list_service_queries(conn: Connection, store: EventDataStore) -> list[ServiceQuery]:
    """ListQueries for a store, every page (raises on failure: the caller explains)."""
    queries: list[ServiceQuery] = []
    token = None
    while True:
        args: dict[str, Any] = {"EventDataStore": store.arn, "MaxResults": 1000}
        if token:
            args["NextToken"] = token
        page = conn.cloudtrail.list_queries(**args)
        queries += [
            ServiceQuery(q["QueryId"], q["QueryStatus"], q.get("CreationTime"))
            for q in page.get("Queries", [])
        ]
        token = page.get("NextToken")
        if not token:
            break
    return queries


def quiet_cancel(conn: Connection, query_id: str) -> None:
    """CancelQuery on the way out (running AWS queries keep billing); the query may have ended already."""
    with contextlib.suppress(Exception):
        conn.cloudtrail.cancel_query(QueryId=query_id)
