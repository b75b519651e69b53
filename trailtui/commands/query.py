"""`trailtui query SQL`: run one query (local lake by default, or AWS) and print or save its results."""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path
from typing import IO, TextIO

from trailtui.lake.backoff import LOCAL_POLL_CEILING, PollBackoff
from trailtui.lake.connection import Connection
from trailtui.lake.export import export_query, write_results
from trailtui.lake.history import History
from trailtui.lake.query import QueryRun
from trailtui.lake.results import READABLE_STATES, QueryState, ResultPage
from trailtui.lake.run import HistoryRecord, LakeQuery, execute, store_of
from trailtui.lake.text import sanitize
from trailtui.paths import locations
from trailtui.settings import load_settings
from trailtui.tabular import format_table
from trailtui.units import rows as rows_of


def read_sql(sql: str | None, file: str | None) -> str:
    if file:
        return sys.stdin.read() if file == "-" else Path(file).read_text()
    if sql == "-" or sql is None:
        return sys.stdin.read()
    return sql


def connect(profile: str | None, region: str | None, endpoint_url: str | None) -> Connection:
    from trailtui.connections import open_aws, open_local

    if profile or region or endpoint_url:
        return open_aws(profile, region, endpoint_url)
    from trailtui.commands.common import open_lake

    open_lake()  # first run: build the demo
    return open_local()


def _print_table(pages: list[ResultPage], out: TextIO) -> int:
    columns = next((p.columns for p in pages if p.columns), [])
    rows = [r for p in pages for r in p.rows]
    if columns:
        print(format_table(columns, [["null" if v is None else v for v in r] for r in rows], 80), file=out)
    elif not rows:  # Lake sends no column names with no rows: say so rather than print nothing at all
        print("(no rows)", file=out)
    return len(rows)


class _CliEvents:
    """What the CLI hears of its query: only the ID (to cancel it on ctrl+c) and a failure's reason."""

    def __init__(self, err: TextIO) -> None:
        self.err = err
        self.query_id: str | None = None
        self.reason: str | None = None

    def started(self, query_id: str) -> None:
        self.query_id = query_id

    def state(self, state: QueryState) -> None:
        pass

    def page(self, page: ResultPage, done: bool) -> None:
        pass

    def failed(self, reason: str) -> None:
        self.reason = reason

    def warning(self, text: str) -> None:
        print(f"trailtui: {sanitize(text)}", file=self.err)


def run_query(
    sql: str,
    fmt: str,
    output: str | None,
    conn: Connection,
    out: TextIO | None = None,
    err: TextIO | None = None,
    delivery_uri: str | None = None,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    events = _CliEvents(err)
    try:
        uri = _delivery_uri(conn, fmt, output, delivery_uri)
    except ValueError as exc:
        print(f"trailtui: {exc}", file=err)
        return 2
    record = HistoryRecord(_history(), events.warning)
    # A CSV export asks for the results as delivered files (StartQuery's DeliveryS3Uri): far faster than
    # paging them through the API. The local lake delivers to a private temporary folder.
    scratch = tempfile.TemporaryDirectory(prefix="trailtui-delivery-") if uri == _SCRATCH else None  # 0700
    if scratch is not None:
        uri = f"file://{scratch.name}"
    query = LakeQuery(sql, conn.key, store_of(sql), delivery_uri=uri)
    try:
        return _run(conn, query, events, record, fmt, output, out, err)
    finally:
        if scratch is not None:
            scratch.cleanup()


_SCRATCH = "scratch"  # deliver to the private temporary folder


def _delivery_uri(conn: Connection, fmt: str, output: str | None, given: str | None) -> str | None:
    if given:
        if not conn.key.is_local and not given.startswith("s3://"):
            raise ValueError(
                f"CloudTrail Lake delivers results only to S3, not to {given!r}: "
                "give --delivery-uri s3://BUCKET[/PREFIX] (a bucket the query's role may write to)"
            )
        return given
    if output and fmt == "csv" and conn.key.is_local:
        return _SCRATCH
    return None


def _run(
    conn: Connection,
    query: LakeQuery,
    events: _CliEvents,
    record: HistoryRecord,
    fmt: str,
    output: str | None,
    out: TextIO,
    err: TextIO,
) -> int:
    try:
        backoff = PollBackoff(ceiling=LOCAL_POLL_CEILING) if conn.key.is_local else None
        state = execute(conn, query, events, record=record, read_pages=False, backoff=backoff)
    except KeyboardInterrupt:
        if events.query_id:
            with contextlib.suppress(Exception):
                conn.cloudtrail.cancel_query(QueryId=events.query_id)
            print(f"cancelled query {events.query_id}", file=err)
        record.update(status="CANCELLED")
        return 130
    if state is None:
        print(f"trailtui: {sanitize(events.reason or 'the query failed')}", file=err)
        return 1
    _report_state(state, err)
    if state.status not in READABLE_STATES:
        return 1
    run = QueryRun(conn.cloudtrail, query_id=state.query_id)
    if output:
        try:
            from trailtui.connections import delivered_results

            files = delivered_results(conn, lambda text: print(f"trailtui: {sanitize(text)}", file=err))
            rows = export_query(conn.cloudtrail, state.query_id, Path(output), fmt, files=files)
        except Exception as exc:  # the partial file is gone; say why
            print(f"trailtui: could not write {output}: {sanitize(conn.explain(exc))}", file=err)
            return 1
    else:
        rows = _write(run, fmt, out, state, to_terminal=out.isatty())
    record.update(row_count=rows)
    if output:
        print(f"wrote {rows_of(rows)} to {output}", file=err)
    return 0 if state.status == "FINISHED" else 1


def _history() -> History:
    where = locations().ensure()
    return History(where.history_db, load_settings(where).history_cap)


def _write(run: QueryRun, fmt: str, target: IO[str], state: QueryState, to_terminal: bool) -> int:
    if fmt == "table":
        return _print_table(list(run.pages()), target)  # type: ignore[arg-type]
    if to_terminal:  # never send raw event text to a terminal: write, then sanitise what is shown
        import io

        buffer = io.StringIO()
        rows = write_results(run.pages(), buffer, fmt, state)
        target.write(sanitize(buffer.getvalue(), keep_newlines=True))
        return rows
    return write_results(run.pages(), target, fmt, state)


def _report_state(state: QueryState, err: TextIO) -> None:
    s = state.statistics
    if state.status == "FINISHED":
        return
    detail = f": {sanitize(state.error)}" if state.error else ""
    print(f"query {state.query_id} ended {state.status}{detail}", file=err)
    if state.status in ("TIMED_OUT", "CANCELLED") and s.events_scanned:
        print("partial results follow", file=err)
