"""`trailtui query SQL`: run one query (local lake by default, or AWS) and print or save its results."""

from __future__ import annotations

import contextlib
import re
import sys
from pathlib import Path
from typing import IO, Any, TextIO

from trailtui.connections import Connection
from trailtui.lake.errors import explain
from trailtui.lake.export import ResultWriter
from trailtui.lake.history import History
from trailtui.lake.query import QueryRun
from trailtui.lake.results import READABLE_STATES, QueryState, ResultPage
from trailtui.lake.text import sanitize
from trailtui.paths import locations
from trailtui.settings import load_settings
from trailtui.tabular import format_table


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
    return len(rows)


def run_query(
    sql: str,
    fmt: str,
    output: str | None,
    conn: Connection,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    run = QueryRun(conn.cloudtrail, sql)
    history = _history()
    entry = history.started(
        sql,
        "local" if conn.is_local else conn.name,
        profile=conn.profile,
        region=conn.region,
        store=_store_of(sql),
    )
    try:
        history.update(entry, query_id=run.start(), status="QUEUED")
        state = run.wait()
        s = state.statistics
        history.update(
            entry,
            status=state.status,
            error=state.error,
            events_matched=s.events_matched,
            events_scanned=s.events_scanned,
            bytes_scanned=s.bytes_scanned,
            execution_ms=s.execution_ms,
        )
    except KeyboardInterrupt:
        if run.query_id:
            with contextlib.suppress(Exception):
                run.cancel()
            print(f"cancelled query {run.query_id}", file=err)
        history.update(entry, status="CANCELLED")
        return 130
    except Exception as exc:
        message = explain(exc, conn.profile)
        history.update(entry, status="ERROR", error=message)
        print(f"trailtui: {sanitize(message)}", file=err)
        return 1
    _report_state(state, err)
    if state.status not in READABLE_STATES:
        return 1
    target: IO[str] = open(output, "w", newline="", encoding="utf-8") if output else out  # noqa: SIM115
    try:
        rows = _write(run, fmt, target, state, to_terminal=output is None and out.isatty())
    finally:
        if output:
            target.close()
    history.update(entry, row_count=rows)
    if output:
        print(f"wrote {rows:,} rows to {output}", file=err)
    return 0 if state.status == "FINISHED" else 1


def _history() -> History:
    where = locations().ensure()
    return History(where.history_db, load_settings(where).history_cap)


def _store_of(sql: str) -> str | None:
    m = re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", sql)
    return m.group() if m else None


def _write(run: QueryRun, fmt: str, target: IO[str], state: QueryState, to_terminal: bool) -> int:
    if fmt == "table":
        return _print_table(list(run.pages()), target)  # type: ignore[arg-type]
    if to_terminal:  # never send raw event text to a terminal: write, then sanitise what is shown
        import io

        buffer = io.StringIO()
        rows = _stream(run, fmt, buffer, state)
        target.write(sanitize(buffer.getvalue(), keep_newlines=True))
        return rows
    return _stream(run, fmt, target, state)


def _stream(run: QueryRun, fmt: str, target: IO[str], state: QueryState) -> int:
    writer = ResultWriter(target, fmt)
    last: ResultPage | None = None
    for page in run.pages():
        writer.write(page)
        last = page
    stats: dict[str, Any] = {
        "ResultsCount": writer.rows,
        "TotalResultsCount": last.total if last else 0,
        "BytesScanned": state.statistics.bytes_scanned,
    }
    writer.finish(state.status, stats, state.error)
    return writer.rows


def _report_state(state: QueryState, err: TextIO) -> None:
    s = state.statistics
    if state.status == "FINISHED":
        return
    detail = f": {sanitize(state.error)}" if state.error else ""
    print(f"query {state.query_id} ended {state.status}{detail}", file=err)
    if state.status in ("TIMED_OUT", "CANCELLED") and s.events_scanned:
        print("partial results follow", file=err)
