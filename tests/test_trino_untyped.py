"""Functions sqlglot leaves untyped or types otherwise than Trino, and casts to varchar: typeof() said "unknown" (no Trino type has that name), a cast to
varchar wrote DuckDB's text of arrays and doubles, and to_iso8601(from_iso8601_timestamp(...)) was refused.
Case format: tests/trinofunctions.py ("D:" a page of trino.io/docs/current/)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.trinofunctions import Case, check, error_of, lake_client
from trailtui.local.demo import DEMO_STORE_ID as S

FIXED_TYPES: list[Case] = [
    (
        "typeof(from_iso8601_timestamp('2024-01-02T03:04:05Z'))",
        "timestamp(3) with time zone",
        "D: functions/datetime.html",
    ),
    ("typeof(from_iso8601_date('2024-01-02'))", "date", "D: functions/datetime.html"),
    ("typeof(uuid())", "uuid", "D: functions/uuid.html"),
    (
        "typeof(split_to_map('a=1', ',', '='))",
        "map(varchar, varchar)",
        "D: functions/string.html#split_to_map",
    ),
    ("typeof(sha256(to_utf8('a')))", "varbinary", "D: functions/binary.html#sha256"),
    ("typeof(md5(to_utf8('a')))", "varbinary", "D: functions/binary.html#md5"),
    # to_iso8601 of a timestamp with time zone writes its offset, Z for UTC (functions/datetime.html)
    (
        "to_iso8601(from_iso8601_timestamp('2024-01-02T03:04:05Z'))",
        "2024-01-02T03:04:05.000Z",
        "D: functions/datetime.html",
    ),
    (
        "to_iso8601(from_iso8601_timestamp('2024-01-02T03:04:05'))",
        "2024-01-02T03:04:05.000Z",
        "D: functions/datetime.html",
    ),
    ("to_iso8601(from_iso8601_date('2024-01-02'))", "2024-01-02", "D: functions/datetime.html"),
    (
        "typeof(date_diff('day', eventTime, current_timestamp))",
        "bigint",
        "D: functions/datetime.html#date_diff",
    ),
    (
        "typeof(date_diff('day', DATE '2024-01-01', DATE '2024-03-01'))",
        "bigint",
        "D: functions/datetime.html",
    ),
    # intervals cast to varchar as Trino writes them (IntervalDayTime/IntervalYearMonth formatting, the text
    # GetQueryResults gives them); DuckDB wrote 01:30:00, -01:30:00 and 1 year 2 months
    (
        "CAST(INTERVAL '90' MINUTE AS varchar)",
        "0 01:30:00.000",
        "D: language/types.html#interval-day-to-second",
    ),
    (
        "CAST(-INTERVAL '90' MINUTE AS varchar)",
        "-0 01:30:00.000",
        "D: language/types.html#interval-day-to-second",
    ),
    (
        "CAST(INTERVAL '1.5' SECOND AS varchar)",
        "0 00:00:01.500",
        "D: language/types.html#interval-day-to-second",
    ),
    (
        "CAST(TIMESTAMP '2024-01-31 00:00:00' - TIMESTAMP '2024-01-01 00:00:01' AS varchar)",
        "29 23:59:59.000",
        "D: functions/datetime.html#interval-functions",
    ),
    ("CAST(INTERVAL '14' MONTH AS varchar)", "1-2", "D: language/types.html#interval-year-to-month"),
    ("CAST(-INTERVAL '14' MONTH AS varchar)", "-1-2", "D: language/types.html#interval-year-to-month"),
    # a cast of an untyped value DuckDB writes as Trino does still runs
    (
        "CAST(reduce(ARRAY[1, 2], 0, (s, x) -> s + x, s -> s) AS varchar)",
        "3",
        "D: functions/array.html#reduce",
    ),
    ("CAST(element_at(transform(ARRAY['a'], x -> upper(x)), 1) AS varchar)", "A", "D: functions/array.html"),
]


@pytest.fixture(scope="module")
def ct(demo_home: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from lake_client(demo_home, tmp_path_factory)


def test_functions_sqlglot_leaves_untyped_have_their_trino_types(ct: Any) -> None:
    check(ct, FIXED_TYPES)


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        # Trino has no type "unknown" to name: the translator could not work the type out
        ("typeof(zip(ARRAY[1], ARRAY['a']))", "typeof() of this expression is not supported"),
        ("typeof(transform(ARRAY[1], x -> x * 2))", "typeof() of this expression is not supported"),
        # an array's text: Trino refuses the cast (functions/conversion); DuckDB wrote [2]
        ("CAST(transform(ARRAY[1], x -> x * 2) AS varchar)", "cannot tell (INTEGER[])"),
        # a double's text: Trino writes 1.5E0; DuckDB wrote 1.5
        ("CAST(reduce(ARRAY[1.5e0], 0e0, (s, x) -> s + x, s -> s) AS varchar)", "cannot tell (DOUBLE)"),
        # Trino keeps nine digits; DuckDB's timestamps keep six, and the lake printed three
        (
            "from_iso8601_timestamp_nanos('2024-01-02T03:04:05.123456789Z')",
            "from_iso8601_timestamp_nanos is not supported",
        ),
    ],
)
def test_what_the_lake_cannot_type_is_refused_not_guessed(ct: Any, expr: str, message: str) -> None:
    assert message in error_of(ct, f"SELECT {expr} FROM {S} LIMIT 1")


def test_an_expression_too_deep_for_duckdb_is_refused_in_words_a_lake_client_can_act_on(ct: Any) -> None:
    """DuckDB's text named a setting to raise (SET max_expression_depth), which no Lake client can set."""
    message = error_of(ct, "SELECT " + "+".join(["1"] * 2400) + f" FROM {S} LIMIT 1")
    assert "nested too deeply for the local lake (more than 1000 levels)" in message
    assert "SET" not in message
