"""The DuckDB instance a query of the local lake runs in.

The sandbox: a fresh in-memory DuckDB instance per query with the lake attached read-only; external access
(files, network, extensions) off and the configuration locked before the query's SQL runs; a memory limit
and a thread count (the run time limit is the engine's). The translator has already refused anything but one
SELECT over stores.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from trailtui.local import trino_functions
from trailtui.local.lakefile import LakeFile
from trailtui.local.limits import Limits

if TYPE_CHECKING:
    import duckdb


def sandbox_config(limits: Limits) -> dict[str, str | int | bool]:
    return {"threads": limits.threads, "memory_limit": limits.memory}


@contextmanager
def sandboxed(
    lake: LakeFile, limits: Limits, functions: frozenset[str], wait: float
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A reader of the lake (waiting at most `wait` seconds for it) with the query's Trino functions
    registered, locked down before the query's SQL reaches it."""
    with lake.reader(wait=wait, config=sandbox_config(limits)) as con:
        trino_functions.register(con, functions)
        lock_down(con)
        yield con


def lock_down(con: duckdb.DuckDBPyConnection) -> None:
    # Profiling first (it is configuration too), then no files, no network, no extensions, and
    # no way to change any of it back.
    con.execute("SET enable_profiling = 'no_output'")
    # Trino's session zone on Lake is UTC; timestamp-with-zone values are carried as UTC instants.
    con.execute("SET TimeZone = 'UTC'")
    # Progress tracking (never printed) feeds the statistics DescribeQuery shows while a query runs.
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
