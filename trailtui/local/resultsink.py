"""Storing a query's rows as it produces them, rendered by DuckDB, in chunks of bounded size.

The query is wrapped so that DuckDB itself renders every value as Lake prints it and writes every row as
GetQueryResults sends it (render_sql.py): Python only moves those texts into the query store, a chunk at a
time, and a page is later sent as stored. A column DuckDB cannot render as Lake does (a double, an
interval, ...) is fetched as it is and rendered in Python (render.py), and then its rows are encoded in
Python. What Python holds at once is one chunk, sized by bytes rather than rows (a wide row, say a built
string, makes the next chunk smaller), and the whole result is bounded by the query's result limit.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from trailtui.local.delivery import Spool, csv_record
from trailtui.local.querystore import CHUNK_ROWS, QueryStore
from trailtui.local.render import Renderer, renderer_for
from trailtui.local.render_sql import csv_record as sql_csv_record
from trailtui.local.render_sql import sql_renderer, wire_row

if TYPE_CHECKING:
    from trailtui.local.translate import Translation
    from trailtui.local.translate.types import TrinoType

# Rows are stored in chunks of about this many bytes (and at most CHUNK_ROWS rows): what Python holds at once.
CHUNK_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class ResultPlan:
    """How a query's rows come out of DuckDB. `python` None: each row arrives whole, as one JSON text (and,
    with `csv`, its line of a delivered CSV file); else one value per column, rendered already (None) or to
    be rendered by that renderer."""

    sql: str
    names: list[str]
    python: list[Renderer | None] | None
    csv: bool = False


def plan_result(
    duckdb_sql: str,
    names: list[str],
    types: list[Any],
    trino: list[TrinoType | None],
    csv: bool = False,
) -> ResultPlan:
    """The query wrapped so that DuckDB renders what it can (everything, usually)."""
    cols = [f"__c{i}" for i in range(len(types))]
    source = f"({duckdb_sql}) AS __result({', '.join(cols)})"
    sql_r = [sql_renderer(t, tt) for t, tt in zip(types, trino, strict=True)]
    if all(r is not None for r in sql_r):
        texts = [f"__r{i}" for i in range(len(cols))]
        rendered = ", ".join(f"{r(c)} AS {x}" for r, c, x in zip(sql_r, cols, texts, strict=True) if r)
        outer = wire_row(names, texts) + (f", {sql_csv_record(texts)}" if csv else "")
        return ResultPlan(f"SELECT {outer} FROM (SELECT {rendered} FROM {source})", names, None, csv)
    exprs = [c if r is None else r(c) for r, c in zip(sql_r, cols, strict=True)]
    python = [
        renderer_for(t, tt) if r is None else None for r, t, tt in zip(sql_r, types, trino, strict=True)
    ]
    return ResultPlan(f"SELECT {', '.join(exprs)} FROM {source}", names, python, csv)


def python_plan(
    duckdb_sql: str, names: list[str], types: list[Any], trino: list[TrinoType | None], csv: bool = False
) -> ResultPlan:
    """The query as it is, every value rendered in Python: the way back if DuckDB refuses the wrapper."""
    renderers: list[Renderer | None] = [renderer_for(t, tt) for t, tt in zip(types, trino, strict=True)]
    return ResultPlan(duckdb_sql, names, renderers, csv)


def open_result(
    con: Any, t: Translation, stopped: Callable[[], bool], csv: bool = False
) -> tuple[Any, ResultPlan]:
    """Run the query wrapped so that DuckDB renders its rows. Should DuckDB refuse the wrapper, the query
    runs as it is and Python renders: an error then is the query's own."""
    bound = con.sql(t.duckdb_sql)  # binds without running: the result's names and types
    duck_names, duck_types = list(bound.columns), list(bound.types)
    del bound
    names = column_names(t, duck_names)
    trino: list[TrinoType | None] = (
        list(t.types) if len(t.types) == len(duck_types) else [None] * len(duck_types)
    )
    plan = plan_result(t.duckdb_sql, names, duck_types, trino, csv)
    try:
        return con.execute(plan.sql), plan
    except Exception:
        if stopped():
            raise
    plan = python_plan(t.duckdb_sql, names, duck_types, trino, csv)
    return con.execute(plan.sql), plan


def column_names(t: Translation, duck_names: list[str]) -> list[str]:
    """Lake's names for the result's columns (DuckDB's where the translator could not tell)."""
    if not t.star_unknown and len(t.names) == len(duck_names):
        return [n if n is not None else d for n, d in zip(t.names, duck_names, strict=True)]
    return duck_names


def encode_row(names: list[str], values: list[str | None]) -> str:
    """One row as GetQueryResults sends it (the same JSON as render_sql.wire_row builds in DuckDB)."""
    return json.dumps(
        [{n: v} for n, v in zip(names, values, strict=True)], ensure_ascii=False, separators=(",", ":")
    )


def _texts(chunk: list[tuple[Any, ...]], plan: ResultPlan) -> tuple[list[str], list[str] | None]:
    """The rows as JSON texts, and as CSV lines if the plan delivers."""
    if plan.python is None:
        return [row[0] for row in chunk], [row[1] for row in chunk] if plan.csv else None
    renderers = plan.python
    values = [
        [v if r is None or v is None else r(v) for v, r in zip(row, renderers, strict=True)] for row in chunk
    ]
    lines = [csv_record(v) for v in values] if plan.csv else None
    return [encode_row(plan.names, v) for v in values], lines


def store_rows(
    result: Any,
    plan: ResultPlan,
    queries: QueryStore,
    query_id: str,
    max_bytes: int,
    stopping: Callable[[], bool],
    spool: Spool | None = None,
) -> tuple[int, bool]:
    """Fetch, render and store the result's rows (and write them to `spool`, the files of a delivery);
    (rows stored, whether it passed `max_bytes`)."""
    written = 0
    size = 0
    too_large = False
    fetch = 16  # a first look at how wide the rows are; then as many as fit in CHUNK_BYTES
    try:
        while not stopping():
            chunk = result.fetchmany(fetch)
            if not chunk:
                break
            texts, lines = _texts(chunk, plan)
            del chunk
            chunk_bytes = sum(map(len, texts)) + len(texts)
            size += chunk_bytes
            if size > max_bytes:
                too_large = True
                break
            written += queries.write_chunk(query_id, written, texts)
            del texts
            if spool is not None and lines is not None:
                spool.write(lines)
            del lines
            per_row = max(1, chunk_bytes // max(1, fetch))
            # chunks end at multiples of CHUNK_ROWS when rows are narrow: a 1,000-row page is one chunk
            fetch = max(1, min(CHUNK_ROWS - written % CHUNK_ROWS, CHUNK_BYTES // per_row))
    finally:
        try:
            while result.fetchmany(1):  # drain, so the connection can be closed cleanly
                if too_large or stopping():
                    break
        except Exception:
            pass
    return written, too_large
