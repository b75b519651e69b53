"""Attempts to get out of the SQL sandbox: each one refused at StartQuery, or ended by the query's limits,
with a clear error, and the lake and the machine left as they were."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from trailtui.lake.query import QueryRun
from trailtui.local.demo import DEMO_STORE_ID as S
from trailtui.local.engine import Limits
from trailtui.local.service import LocalLake

SECRET_FILE = "/etc/hostname"
ESCAPES: list[tuple[str, str]] = [
    ("read_csv", f"SELECT * FROM read_csv('{SECRET_FILE}')"),
    ("read_text", f"SELECT * FROM read_text('{SECRET_FILE}')"),
    ("read_json", f"SELECT * FROM read_json('{SECRET_FILE}')"),
    ("read_parquet", "SELECT * FROM read_parquet('/tmp/x.parquet')"),
    ("read_blob scalar", f"SELECT (SELECT content FROM read_blob('{SECRET_FILE}')) FROM {S}"),
    ("glob", "SELECT * FROM glob('/etc/*')"),
    ("file path as table", f"SELECT * FROM '{SECRET_FILE}'"),
    ("file in a join", f"SELECT * FROM {S} a JOIN read_csv('{SECRET_FILE}') b ON true"),
    ("copy to", f"COPY (SELECT * FROM {S}) TO '/tmp/stolen.csv'"),
    ("copy from", f"COPY x FROM '{SECRET_FILE}'"),
    ("attach", "ATTACH '/tmp/other.duckdb' AS other"),
    ("detach", "DETACH lake"),
    ("install", "INSTALL httpfs"),
    ("load", "LOAD httpfs"),
    ("set", "SET enable_external_access = true"),
    ("reset", "RESET lock_configuration"),
    ("pragma", "PRAGMA database_list"),
    ("call", "CALL pragma_version()"),
    ("create table", f"CREATE TABLE t AS SELECT * FROM {S}"),
    ("insert", f"INSERT INTO {S} SELECT * FROM {S}"),
    ("drop", f"DROP TABLE {S}"),
    ("export database", "EXPORT DATABASE '/tmp/dump'"),
    ("two statements", f"SELECT 1 FROM {S}; SET enable_external_access = true"),
    ("statement in a comment trick", f"SELECT 1 FROM {S} /* */; DROP TABLE x --"),
    ("string-hidden statement", f"SELECT ';' FROM {S}; ATTACH 'x' AS y"),
    ("qualified lake table", "SELECT * FROM lake.main.trailtui_stores"),
    ("another store's table by name", f"SELECT * FROM events_{S.replace('-', '')}"),
    ("catalog function", "SELECT * FROM duckdb_tables()"),
    ("settings scalar", f"SELECT current_setting('memory_limit') FROM {S}"),
    ("environment", f"SELECT getenv('HOME') FROM {S}"),
    ("query table function", "SELECT * FROM query('SELECT 1')"),
    ("query_table", "SELECT * FROM query_table('trailtui_stores')"),
    ("http url", "SELECT * FROM read_csv('https://example.com/x.csv')"),
    ("deep nesting", "SELECT " + "(" * 5000 + "1" + ")" * 5000 + f" FROM {S}"),
    ("huge expression", "SELECT " + "+".join(["1"] * 20000) + f" FROM {S}"),
    ("over the length limit", f"SELECT '{'x' * 10_100}' FROM {S}"),
    # A table named like a CTE of another scope is not that CTE (issue 19: this read DuckDB's catalog).
    (
        "CTE name out of scope",
        f"SELECT * FROM {S} CROSS JOIN (WITH duckdb_tables AS (SELECT 1 x) SELECT * FROM duckdb_tables) a "
        "CROSS JOIN duckdb_tables b",
    ),
    (
        "CTE name out of scope, settings",
        f"SELECT * FROM {S} CROSS JOIN (WITH pg_settings AS (SELECT 1 x) SELECT * FROM pg_settings) a "
        "CROSS JOIN pg_settings b",
    ),
    ("alias shared with a derived table", f"SELECT * FROM {S}, (SELECT 1) b, sqlite_master b"),
    # DuckDB's LATERAL takes a table function, which is no table: this one ran any SELECT unchecked (the
    # settings, the catalog, the lake's own tables, stores pending deletion).
    (
        "LATERAL running serialized SQL",
        f"SELECT x.* FROM {S} t, LATERAL json_execute_serialized_sql(json_serialize_sql("
        "'SELECT current_setting(''temp_directory'') AS d')) x",
    ),
    ("LATERAL table function", f"SELECT x.* FROM {S} t CROSS JOIN LATERAL json_each('{{\"a\": 1}}') x"),
    (
        "CTE of a later sibling",
        f"SELECT * FROM {S}, (SELECT * FROM duckdb_settings) a, "
        "(WITH duckdb_settings AS (SELECT 1 x) SELECT * FROM duckdb_settings) b",
    ),
]
# Queries that are valid SELECTs but would never end or eat the machine: the limits end them.
RUNAWAY: list[tuple[str, str]] = [
    (
        "recursive CTE forever",
        f"WITH RECURSIVE r(n) AS (SELECT 1 FROM {S} LIMIT 1 UNION ALL SELECT n + 1 FROM r) "
        "SELECT count(*) FROM r",
    ),
    ("cartesian explosion", f"SELECT count(*) FROM {S} a, {S} b, {S} c"),
    ("memory hog", f"SELECT array_agg(eventjson) FROM {S} a, (SELECT 1 FROM {S} LIMIT 40) b"),
]


@pytest.fixture
def local(demo_lake: Any) -> Iterator[LocalLake]:
    lake = LocalLake(limits=Limits(seconds=3, memory="256MB", threads=1))
    yield lake
    lake.close()


def test_thirty_ways_out_are_refused(local: LocalLake) -> None:
    assert len(ESCAPES) + len(RUNAWAY) >= 30
    ct = local.client()
    for name, sql in ESCAPES:
        try:
            ct.start_query(QueryStatement=sql)
        except ClientError as exc:
            err = exc.response["Error"]
            assert err["Code"] in ("InvalidQueryStatementException", "EventDataStoreNotFoundException"), name
            assert err["Message"] and "Traceback" not in err["Message"], name
            continue
        except Exception as exc:  # botocore's own checks (the 10,000-character limit)
            assert "QueryStatement" in str(exc), name
            continue
        pytest.fail(f"{name}: the query was accepted")
    assert not Path("/tmp/stolen.csv").exists() and not Path("/tmp/dump").exists()


def test_ctes_in_scope_still_work(local: LocalLake) -> None:
    """CTEs used where they are visible, in any case and nested, are not mistaken for tables."""
    ct = local.client()
    for sql in (
        f"WITH x AS (SELECT eventName FROM {S}) SELECT count(*) FROM X",
        f"WITH x AS (SELECT eventName FROM {S} LIMIT 2) SELECT count(*) FROM (SELECT * FROM x) a, X b",
        f"WITH x AS (SELECT 1 AS n) SELECT count(*) FROM {S} WHERE EXISTS (SELECT 1 FROM x)",
    ):
        q = QueryRun(ct, sql)
        q.start()
        assert q.wait().status == "FINISHED", sql


def test_runaway_queries_end_by_their_limits(local: LocalLake) -> None:
    ct = local.client()
    for name, sql in RUNAWAY:
        q = QueryRun(ct, sql)
        q.start()
        started = time.monotonic()
        state = q.wait(sleep=lambda s: time.sleep(min(s, 0.1)))
        assert state.status in ("TIMED_OUT", "FAILED"), (name, state.status)
        assert state.error, name
        assert time.monotonic() - started < 30, name
    # The engine is still healthy afterwards.
    q = QueryRun(ct, f"SELECT count(*) FROM {S}")
    q.start()
    assert q.wait().status == "FINISHED"


def test_the_lake_is_unchanged(local: LocalLake) -> None:
    before = local.file.path.stat().st_mtime_ns
    for _name, sql in ESCAPES[:25]:
        with contextlib.suppress(Exception):
            local.client().start_query(QueryStatement=sql)
    assert local.file.path.stat().st_mtime_ns == before
    assert [s.name for s in local.engine.stores(max_age=0)] == ["org-events"]
