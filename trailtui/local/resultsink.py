"""Storing a query's rows as it produces them, in chunks of bounded size.

Rows are rendered to Lake's strings in Python, outside DuckDB's memory limit: what Python holds at once
is one chunk, sized by bytes rather than rows (a wide row, say a built string, makes the next chunk
smaller), and the whole result is bounded by the query's result limit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from trailtui.local.querystore import QueryStore
from trailtui.local.render import render_row

FETCH_CHUNK = 2000
# Rendered rows are stored in chunks of about this many bytes: a chunk is what Python holds at once.
CHUNK_BYTES = 4 * 1024 * 1024


def store_rows(
    result: Any,
    renderers: list[Any],
    queries: QueryStore,
    query_id: str,
    max_bytes: int,
    stopping: Callable[[], bool],
) -> tuple[int, bool]:
    """Fetch, render and store the result's rows; (rows stored, whether it passed `max_bytes`)."""
    written = 0
    size = 0
    too_large = False
    fetch = 16  # a first look at how wide the rows are; then as many as fit in CHUNK_BYTES
    try:
        while not stopping():
            chunk = result.fetchmany(fetch)
            if not chunk:
                break
            rendered = [render_row(r, renderers) for r in chunk]
            del chunk
            chunk_bytes = sum(len(v) for row in rendered for v in row if v) + len(rendered)
            size += chunk_bytes
            if size > max_bytes:
                too_large = True
                break
            written += queries.write_rows(query_id, written, rendered)
            del rendered
            per_row = max(1, chunk_bytes // max(1, fetch))
            fetch = max(1, min(FETCH_CHUNK, CHUNK_BYTES // per_row))
    finally:
        try:
            while result.fetchmany(1):  # drain, so the connection can be closed cleanly
                if too_large or stopping():
                    break
        except Exception:
            pass
    return written, too_large
