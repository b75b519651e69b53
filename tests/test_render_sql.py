"""DuckDB renders results exactly as render.py does (the reference pinned by test_render.py): the same
text for every type it takes on, and render.py for the types it leaves to Python."""

from __future__ import annotations

import csv
import io
import json

import duckdb
import pytest

from trailtui.local.delivery import csv_record
from trailtui.local.render import render_row, renderer_for
from trailtui.local.render_sql import quote, sql_renderer
from trailtui.local.resultsink import _texts, encode_row, plan_result
from trailtui.local.translate.types import TrinoType

# Each expression is rendered on several rows: values, edge cases and NULL.
CASES = [
    "['x', '', 'quote '' \" \\ , =', 'line' || chr(10) || 'break' || chr(13), 'é ☃ \u2028', NULL]",
    "[0, -1, 96059, 2147483647, NULL]",
    "[0::BIGINT, -9223372036854775808, NULL]",
    "[170141183460469231731687303715884105727::HUGEINT, NULL]",
    "[2.50::DECIMAL(5,2), -0.05, 0, 100, NULL]",
    "[123456789.123456789::DECIMAL(38,9), NULL]",
    "[true, false, NULL]",
    "[DATE '2023-01-02', DATE '0050-03-04', NULL]",
    "[TIMESTAMP '2022-04-06 16:01:09', TIMESTAMP '2022-04-06 16:01:09.123999', TIMESTAMP '0999-12-31 23:59:59.9', NULL]",
    "[TIMESTAMPTZ '2024-01-01 10:00:00.5+05', NULL]",
    "['6ba7b810-9dad-11d1-80b4-00c04fd430c8'::UUID, NULL]",
    "[{'type': 'AssumedRole', 'principalId': 'AROA:x', 'sessionContext': {'attributes': "
    "{'creationDate': TIMESTAMP '2023-06-07 23:59:12', 'mfaAuthenticated': 'true'}}, 'userName': NULL::VARCHAR}, "
    "{'type': NULL, 'principalId': 'p', 'sessionContext': NULL, 'userName': 'u'}, NULL]",
    "[MAP {'bucketName': 'b', 'Key': NULL}, MAP {}, NULL]",
    "[MAP {1: [true, NULL]}, NULL]",
    "[[{'accountId': '1', 'ARN': 'arn:x', 'ARNPrefix': NULL::VARCHAR}], [], [NULL], NULL]",
    "[[[1, 2], [], NULL], NULL]",
    "[{'m': MAP {'k': {'d': DATE '2020-01-01'}}, 'l': [TIMESTAMP '2020-01-01 00:00:00.001']}, NULL]",
]
PYTHON_ONLY = [
    "[1.5::DOUBLE, 1e10, NULL]",
    "[0.1::FLOAT, NULL]",
    "[INTERVAL 90 MINUTE, NULL]",
    "[TIME '10:00:00.5', NULL]",
    "['\\x01\\xff'::BLOB, NULL]",
    "[{'d': 1.5::DOUBLE}, NULL]",
    "[[2.5::DOUBLE], NULL]",
]


def _both(
    con: duckdb.DuckDBPyConnection, values: str, trino: TrinoType | None = None
) -> tuple[list[str | None], list[str | None]]:
    source = f"SELECT unnest({values}, max_depth := 1) AS v"
    t = con.sql(source).types[0]
    render = sql_renderer(t, trino)
    assert render is not None, f"DuckDB should render {t}"
    python = [render_row(r, [renderer_for(t, trino)])[0] for r in con.execute(source).fetchall()]
    sql = [r[0] for r in con.execute(f"SELECT {render('v')} FROM ({source})").fetchall()]
    return sql, python


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    c.execute("SET TimeZone = 'UTC'")
    return c


@pytest.mark.parametrize("values", CASES)
def test_duckdb_renders_as_python_does(con: duckdb.DuckDBPyConnection, values: str) -> None:
    sql, python = _both(con, values)
    assert sql == python
    assert python[-1] is None  # a NULL stays a NULL (JSON null on the wire), never the text 'null'


@pytest.mark.parametrize("precision", [0, 1, 3, 6, 9])
def test_timestamp_precision_as_trino_prints_it(con: duckdb.DuckDBPyConnection, precision: int) -> None:
    values = "[TIMESTAMP '2022-04-06 16:01:09.123456', TIMESTAMP '2022-04-06 16:01:09', NULL]"
    sql, python = _both(con, values, TrinoType(f"timestamp({precision})"))
    assert sql == python
    zoned = "[TIMESTAMPTZ '2022-04-06 16:01:09.123456+02', NULL]"
    sql, python = _both(con, zoned, TrinoType(f"timestamp({precision}) with time zone"))
    assert sql == python and str(python[0]).endswith(" UTC")


@pytest.mark.parametrize("values", PYTHON_ONLY)
def test_types_duckdb_cannot_print_like_trino_stay_in_python(
    con: duckdb.DuckDBPyConnection, values: str
) -> None:
    t = con.sql(f"SELECT unnest({values}, max_depth := 1)").types[0]
    assert sql_renderer(t) is None


def test_a_named_zone_stays_in_python(con: duckdb.DuckDBPyConnection) -> None:
    t = con.sql("SELECT TIMESTAMPTZ '2022-04-06 16:01:09+00'").types[0]
    assert sql_renderer(t, TrinoType("timestamp(3) with time zone", "Europe/Paris")) is None
    assert sql_renderer(t, TrinoType("timestamp(3) with time zone")) is not None


def test_rows_come_out_as_get_query_results_sends_them(con: duckdb.DuckDBPyConnection) -> None:
    # Two columns of the same name, hostile text, a NULL; then a double, which Python renders.
    query = "SELECT 'a\"b' || chr(10) AS x, NULL::VARCHAR AS x, {'k': [1]} AS s"
    names = ["x", "x", "s"]
    plan = plan_result(query, names, list(con.sql(query).types), [None] * 3)
    assert plan.python is None  # DuckDB writes the whole row
    (row,) = con.execute(plan.sql).fetchall()
    assert "\n" not in row[0]  # one row per line in the query store
    assert json.loads(row[0]) == [{"x": 'a"b\n'}, {"x": None}, {"s": "{k=[1]}"}]
    assert json.loads(row[0]) == json.loads(encode_row(names, ['a"b\n', None, "{k=[1]}"]))

    mixed = query + ", 1.0E10::DOUBLE AS d"
    plan = plan_result(mixed, [*names, "d"], list(con.sql(mixed).types), [None] * 4)
    assert plan.python is not None and plan.python[3] is not None and plan.python[0] is None
    (text,), lines = _texts(con.execute(plan.sql).fetchall(), plan)
    assert lines is None  # no delivery asked for
    assert json.loads(text) == [{"x": 'a"b\n'}, {"x": None}, {"s": "{k=[1]}"}, {"d": "1.0E10"}]


@pytest.mark.parametrize("columns", [1, 3])
def test_delivered_csv_lines_from_duckdb_and_python_agree(
    con: duckdb.DuckDBPyConnection, columns: int
) -> None:
    values = ["plain", "", None, "a,b", 'say "hi"', "two\nlines", "cr\ronly", "=1+1", " space "]
    rows = [values[i : i + columns] for i in range(0, len(values) - columns + 1)]
    query = " UNION ALL ".join(
        "SELECT "
        + ", ".join(f"{'NULL::VARCHAR' if v is None else quote(v)} AS c{i}" for i, v in enumerate(r))
        + f", {n} AS k"
        for n, r in enumerate(rows)
    )
    names = [f"c{i}" for i in range(columns)]
    ordered = f"SELECT {', '.join(names)} FROM ({query}) ORDER BY k"
    plan = plan_result(ordered, names, list(con.sql(ordered).types), [None] * columns, csv=True)
    assert plan.python is None and plan.csv
    lines = [line for _, line in con.execute(plan.sql).fetchall()]
    assert lines == [csv_record(r) for r in rows]
    parsed = list(csv.reader(io.StringIO("\n".join(lines) + "\n", newline="")))
    assert parsed == [["" if v is None else v for v in r] for r in rows]
