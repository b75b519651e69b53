"""Wrong answers found by probing the local lake with adversarial Lake SQL, each pinned to what Trino gives
(case format: tests/trinofunctions.py; "D:" a page of trino.io/docs/current/, "T:" a test or class in
trinodb/trino). Each of these once gave a plausible, different answer."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.trinofunctions import Case, check, lake_client, run
from trailtui.lake.query import QueryRun
from trailtui.local.demo import DEMO_STORE_ID as S

ONE_ROW = f"(SELECT 1 AS one_ FROM {S} LIMIT 1) s_"

CASTS_AND_TIMES: list[Case] = [
    # A decimal without integer digits prints its zero (DuckDB printed `.00`).
    ("DECIMAL '0.00'", "0.00", "D: language/types.html#decimal"),
    ("CAST(DECIMAL '-0.50' AS varchar)", "-0.50", "D: functions/conversion.html"),
    ("ARRAY[DECIMAL '0.5']", "[0.5]", "D: language/types.html#decimal"),
    # CAST(varchar AS timestamp) is timestamp(3), rounded; a zone in the text is ignored.
    ("CAST('2024-01-01' AS timestamp)", "2024-01-01 00:00:00.000", "T: VarcharToTimestampCast"),
    (
        "CAST('2024-01-01 10:00:00.123456' AS timestamp)",
        "2024-01-01 10:00:00.123",
        "T: VarcharToTimestampCast",
    ),
    ("CAST('2024-01-01 10:00:00.9996' AS timestamp)", "2024-01-01 10:00:01.000", "T: VarcharToTimestampCast"),
    (
        "CAST('2024-01-01 10:00:00 +02:00' AS timestamp)",
        "2024-01-01 10:00:00.000",
        "T: VarcharToTimestampCast",
    ),
    ("CAST('2024-01-01 10:00:00' AS timestamp with time zone)", "2024-01-01 10:00:00.000 UTC", "D: types"),
    ("try_cast('2024-01-01T10:00:00' AS timestamp)", None, "T: DateTimes.DATETIME_PATTERN (no T)"),
    ("TIMESTAMP '2020-01-01 10:00:00'", "2020-01-01 10:00:00", "D: language/types.html#timestamp-p"),
    # date_trunc keeps its argument's type: a date stays a date, timestamp(0) stays timestamp(0).
    ("date_trunc('week', DATE '2024-03-31')", "2024-03-25", "D: functions/datetime.html#date_trunc"),
    ("typeof(date_trunc('day', DATE '2024-01-05'))", "date", "D: functions/datetime.html#date_trunc"),
    ("date_trunc('quarter', TIMESTAMP '2024-05-15 10:00:00')", "2024-04-01 00:00:00", "D: datetime.html"),
    ("typeof(date_trunc('day', eventTime))", "timestamp(3)", "D: functions/datetime.html#date_trunc"),
    # A timestamp with a time zone keeps it; calendar units count in the zone's wall time.
    (
        "TIMESTAMP '2024-03-10 01:30:00 America/New_York' + INTERVAL '1' HOUR",
        "2024-03-10 03:30:00 America/New_York",
        "D: functions/datetime.html#date-and-time-operators",
    ),
    (
        "date_add('day', 1, TIMESTAMP '2024-03-09 12:00:00 America/New_York')",
        "2024-03-10 12:00:00 America/New_York",
        "D: functions/datetime.html#date_add (zoned chronology)",
    ),
    (
        "TIMESTAMP '2024-03-09 12:00:00 America/New_York' + INTERVAL '1' DAY",
        "2024-03-10 13:00:00 America/New_York",
        "D: functions/datetime.html#date-and-time-operators (a day-to-second interval is elapsed time)",
    ),
    (
        "TIMESTAMP '2024-01-31 12:00:00 +05:30' + INTERVAL '1' MONTH",
        "2024-02-29 12:00:00 +05:30",
        "D: functions/datetime.html#date-and-time-operators",
    ),
    (
        "date_trunc('day', TIMESTAMP '2024-03-10 05:00:00 America/New_York')",
        "2024-03-10 00:00:00 America/New_York",
        "D: functions/datetime.html#date_trunc",
    ),
    (
        "date_diff('day', TIMESTAMP '2024-03-09 12:00:00 America/New_York', "
        "TIMESTAMP '2024-03-10 12:00:00 America/New_York')",
        "1",
        "D: functions/datetime.html#date_diff (one local day, 23 hours elapsed)",
    ),
    (
        "date_diff('hour', TIMESTAMP '2024-03-10 00:00:00 America/New_York', "
        "TIMESTAMP '2024-03-10 05:00:00 America/New_York')",
        "4",
        "D: functions/datetime.html#date_diff",
    ),
    # A timestamp with time zone cast to timestamp, date or varchar reads its own zone's wall time.
    (
        "CAST(TIMESTAMP '2024-01-01 22:00:00 America/New_York' AS date)",
        "2024-01-01",
        "D: functions/conversion.html (the local date, not the UTC one)",
    ),
    (
        "CAST(TIMESTAMP '2024-01-01 10:00:00.000 America/New_York' AS timestamp)",
        "2024-01-01 10:00:00.000",
        "D: language/types.html#timestamp-p-with-time-zone",
    ),
    (
        "CAST(from_iso8601_timestamp('2024-01-01T22:00:00-05:00') AS varchar)",
        "2024-01-01 22:00:00.000 -05:00",
        "D: functions/conversion.html (printed as Trino prints the value)",
    ),
    ("CAST(from_unixtime(0) AS varchar)", "1970-01-01 00:00:00.000 UTC", "D: functions/conversion.html"),
    ("element_at(ARRAY[1, 2, 3], -1)", "3", "D: functions/array.html#element_at"),
    # try() turns every failure into NULL, ours included (DuckDB refused TRY around them).
    ("try(CAST('x' AS integer))", None, "D: functions/conditional.html#try"),
    ("try(CAST(' 12' AS integer))", "12", "D: functions/conditional.html#try"),
    ("try(ARRAY[1][5])", None, "D: functions/conditional.html#try"),
    ("try(2147483647 + 1)", None, "D: functions/conditional.html#try"),
    # json_extract_scalar is a varchar: cast to an integer as Trino's varchar cast reads it.
    ("try(CAST(json_extract_scalar('{\"v\": \"1.10\"}', '$.v') AS integer))", None, "D: json.html"),
    ("typeof(json_extract_scalar(eventjson, '$.eventName'))", "varchar", "D: functions/json.html"),
    ("truncate(1.99, 1)", "1.90", "D: functions/math.html#truncate (same type as x)"),
    ("to_base(-255, 16)", "-ff", "T: MathFunctions.toBase (Java's Long.toString(x, radix))"),
    ("CAST(' 2024-1-5 ' AS date)", "2024-01-05", "T: util/DateTimeUtils.parseDate (trimmed)"),
    ("try_cast('2024-01-01 10:00' AS date)", None, "T: util/DateTimeUtils.parseDate"),
    # A group that takes no part in the match is NULL (java.util.regex.Matcher.group), not ''.
    ("regexp_extract('abc', '(x)?b', 1)", None, "D: functions/regexp.html#regexp_extract"),
    ("regexp_extract('abc', '(a)(?:x)?(b)', 2)", "b", "D: functions/regexp.html#regexp_extract"),
    ("regexp_extract('abc', '(x*)b', 1)", "", "D: functions/regexp.html#regexp_extract (an empty match)"),
    (
        "format_datetime(TIMESTAMP '2024-01-05 13:04:05', 'D DDD')",
        "5 005",
        "D: functions/datetime.html#format_datetime (Joda-Time: D day of year)",
    ),
    # array_join casts each element as CAST(x AS varchar) does.
    ("array_join(ARRAY[1.5e0, 2], ',')", "1.5E0,2.0E0", "D: functions/array.html#array_join"),
    ("array_join(ARRAY[DECIMAL '0.50', NULL], ',', 'n')", "0.50,n", "D: functions/array.html#array_join"),
    ("array_join(ARRAY[1.25], ';')", "1.25", "D: functions/array.html#array_join (a decimal stays one)"),
    ("typeof(ARRAY[1, 2.5])", "array(decimal(11,1))", "D: language/types.html (common super type)"),
    ("round(2.675e0, 2)", "2.67", "T: MathFunctions.round(double, n): Math.round(x * 10^n) / 10^n"),
    # Trino's date_diff is Joda-Time's field difference: a month ending on the last day of a shorter
    # month is whole (joda BasicMonthOfYearDateTimeField.getDifferenceAsLong), as DuckDB's date_sub.
    ("date_diff('month', DATE '2020-01-31', DATE '2020-02-29')", "1", "T: Joda-Time month difference"),
    ("date_diff('month', DATE '2020-02-29', DATE '2020-01-31')", "-1", "T: Joda-Time month difference"),
    ("date_diff('month', DATE '2020-01-30', DATE '2020-02-28')", "0", "T: Joda-Time month difference"),
    ("element_at(ARRAY[1, 2, 3], 4)", None, "D: functions/array.html#element_at"),
    (
        "from_unixtime(1700000000, 2, 30)",
        "2023-11-15 00:43:20.000 +02:30",
        "D: functions/datetime.html#from_unixtime (hours and minutes of the zone offset)",
    ),
]


@pytest.fixture(scope="module")
def ct(demo_home: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from lake_client(demo_home, tmp_path_factory)


def test_casts_and_times_answer_as_trino(ct: Any) -> None:
    check(ct, CASTS_AND_TIMES)


def test_aggregates_over_no_rows(ct: Any) -> None:
    """count_if counts, so it is 0 over no rows (D: functions/aggregate.html#count_if); map_agg and
    multimap_agg are NULL (D: functions/aggregate.html: NULL for no input), not an error."""
    rows = run(
        ct,
        f"SELECT count_if(readOnly), count(*), map_agg(eventName, 1), multimap_agg(eventName, 1), "
        f"max_by(eventName, eventTime) FROM {S} WHERE eventName = 'NoSuchEvent'",
    )
    assert rows == [["0", "0", None, None, None]]


def test_max_by_keeps_a_null_x(ct: Any) -> None:
    """max_by(x, y) is the x of the row with the largest y, NULL if that x is NULL; rows whose y is NULL are
    skipped (T: operator/aggregation/minmaxby/TestMinMaxByAggregation.testMaxNull, testMinNull). DuckDB's
    arg_max skipped the NULL x and answered with another row's."""
    rows = run(
        ct,
        "SELECT min_by(x, y), max_by(x, y), max_by(x, y, 2), min_by(x, y, 3), count_if(y > 1) "
        f"FROM (VALUES ('a', 1), ('b', 3), ('c', NULL), (NULL, 5)) t(x, y), {ONE_ROW}",
    )
    assert rows == [["a", None, "[null, b]", "[a, b, null]", "2"]]


@pytest.mark.parametrize(
    "expr, message",
    [
        ("'a' || 1", "line 1:8: Unexpected parameters (varchar(1), integer) for function concat"),
        ("concat(eventName, eventTime)", "Unexpected parameters (varchar, timestamp(3)) for function concat"),
    ],
)
def test_concat_takes_strings(ct: Any, expr: str, message: str) -> None:
    """Trino casts nothing to varchar implicitly (D: functions/conversion.html), so `||` of a number is
    refused, as on Lake."""
    with pytest.raises(ClientError) as exc:
        ct.start_query(QueryStatement=f"SELECT {expr} FROM {S}")
    assert message in exc.value.response["Error"]["Message"]


@pytest.mark.parametrize(
    "expr, message",
    [
        (
            "CASE WHEN readOnly THEN 1 ELSE 'a' END",
            "Cannot find common supertype for types integer, varchar(1)",
        ),
        ("coalesce(errorCode, 0)", "Cannot find common supertype for types varchar, integer"),
        ("readOnly AND 1", "Right side of logical expression must evaluate to a boolean (actual: integer)"),
        ("NOT eventName", "Value of logical NOT expression must evaluate to a boolean (actual: varchar)"),
        ("eventName IN ('GetObject', 1)", "IN value and list items must be the same type"),
        ("nullif(eventName, 1)", "Types are not comparable with NULLIF: varchar vs integer"),
        ("format('%s-%s', 'a', 'b')", "format() with Java format strings is not supported"),
    ],
)
def test_no_common_type_is_refused(ct: Any, expr: str, message: str) -> None:
    """Trino coerces only within a type family (D: language/types.html#type-coercion, functions/conditional,
    functions/logical): DuckDB cast across families and answered (`CASE ... 1 ELSE 'a'` gave `1`)."""
    with pytest.raises(ClientError) as exc:
        ct.start_query(QueryStatement=f"SELECT {expr} FROM {S}")
    assert message in exc.value.response["Error"]["Message"]


@pytest.mark.parametrize(
    "expr, message",
    [
        ("CAST(123 AS varchar(2))", "Value 123 cannot be represented as varchar(2)"),
        ("CAST(1.5e0 AS varchar(2))", "Value 1.5E0 cannot be represented as varchar(2)"),
        ("CAST(eventTime AS varchar(4))", "cannot be represented as varchar(4)"),
        # varchar to date reads yyyy-mm-dd only (T: util/DateTimeUtils.parseDate); date(x) is that cast.
        ("CAST('2024-01-01 10:00:00' AS date)", "Value cannot be cast to date: 2024-01-01 10:00:00"),
        ("date('2024-01-01 10:00:00')", "Value cannot be cast to date: 2024-01-01 10:00:00"),
    ],
)
def test_casts_that_fail_in_trino_fail(ct: Any, expr: str, message: str) -> None:
    """Only text is cut by CAST(x AS varchar(n)); a number, boolean or timestamp that does not fit fails
    (D: functions/conversion.html; T: type/VarcharOperators, DoubleOperators.castToVarchar): `123` became
    `12`. A date is read from yyyy-mm-dd only: DuckDB read a date out of a timestamp text."""
    q = QueryRun(ct, f"SELECT {expr} FROM {S} LIMIT 1")
    q.start()
    state = q.wait(sleep=lambda s: time.sleep(min(s, 0.05)))
    assert state.status == "FAILED" and message in (state.error or "")


def test_element_at_zero_fails(ct: Any) -> None:
    """element_at(array, 0) fails (T: operator/scalar/ArrayElementAtFunction: "SQL array indices start at
    1"); it gave NULL."""
    q = QueryRun(ct, f"SELECT element_at(ARRAY[1, 2, 3], 0) FROM {S} LIMIT 1")
    q.start()
    state = q.wait(sleep=lambda s: time.sleep(min(s, 0.05)))
    assert state.status == "FAILED" and "SQL array indices start at 1" in (state.error or "")


def test_cast_text_with_t_to_timestamp_fails(ct: Any) -> None:
    """Trino's timestamp text has a space between date and time (T: type/DateTimes.DATETIME_PATTERN)."""
    q = QueryRun(ct, f"SELECT CAST('2024-01-01T10:00:00' AS timestamp) FROM {S} LIMIT 1")
    q.start()
    state = q.wait(sleep=lambda s: time.sleep(min(s, 0.05)))
    assert state.status == "FAILED"
    assert "Value cannot be cast to timestamp: 2024-01-01T10:00:00" in (state.error or "")


def test_cast_of_a_column_with_t_to_timestamp_fails(ct: Any) -> None:
    """The same for text read from a column (or JSON), not only a literal: DuckDB read ISO's `T` and
    answered. try_cast gives NULL; text Trino reads still casts."""
    values = f"(VALUES ('2024-01-01T10:00'), ('2024-01-01 10:00:00.123')) t(x), {ONE_ROW}"
    q = QueryRun(ct, f"SELECT CAST(x AS timestamp) FROM {values}")
    q.start()
    state = q.wait(sleep=lambda s: time.sleep(min(s, 0.05)))
    assert state.status == "FAILED"
    assert "Value cannot be cast to timestamp: 2024-01-01T10:00" in (state.error or "")
    rows = run(ct, f"SELECT try_cast(x AS timestamp) FROM {values} ORDER BY 1 NULLS FIRST")
    assert rows == [[None], ["2024-01-01 10:00:00.123"]]


def test_sum_and_avg_have_trino_types(ct: Any) -> None:
    """avg of decimal(p, s) is decimal(p, s), rounded half up; sum of decimal(p, s) is decimal(38, s); sum of
    integers is a bigint (D: functions/aggregate.html#avg, #sum). The CASE of decimals is the usual way to
    write a ratio; through a CTE or subquery the column keeps its type (it became DuckDB's double)."""
    ratio = "CASE WHEN errorCode IS NULL THEN 1.0 ELSE 0.0 END"
    (row,) = run(
        ct,
        f"SELECT avg({ratio}), typeof(avg({ratio})), typeof(sum({ratio})), typeof(sum(1)), "
        f"count_if(errorCode IS NULL) * 1000 / count(*) FROM {S}",
    )
    permille = int(row[4] or 0)
    assert row[:4] == [
        f"{(permille + 50) // 1000}.{(permille + 50) % 1000 // 100}",
        "decimal(2,1)",
        "decimal(38,1)",
        "bigint",
    ]
    (via_cte,) = run(ct, f"WITH t AS (SELECT {ratio} AS v FROM {S}) SELECT avg(v), typeof(v) FROM t")
    assert via_cte == [row[0], "decimal(2,1)"]
    two = f"(SELECT DECIMAL '0.05' AS x FROM {S} LIMIT 1) UNION ALL (SELECT DECIMAL '0.10' FROM {S} LIMIT 1)"
    assert run(ct, f"SELECT avg(x) FROM ({two})") == [["0.08"]]  # 0.075, half up at scale 2
    assert run(ct, f"SELECT v / 2 FROM (SELECT 1.5 AS v FROM {S} LIMIT 1)") == [["0.8"]]
    assert run(ct, f"SELECT avg({ratio}) OVER () FROM {S} LIMIT 1") == [[row[0]]]
    assert run(ct, f"SELECT avg({ratio}) FILTER (WHERE true) FROM {S}") == [[row[0]]]


def test_zone_survives_a_subquery(ct: Any) -> None:
    """A timestamp with time zone read from a subquery or CTE keeps its zone (D: functions/datetime.html#
    at-time-zone-operator): hour() reads the Tokyo wall time, and the value prints in Tokyo."""
    rows = run(
        ct,
        f"WITH a AS (SELECT eventTime AT TIME ZONE 'Asia/Tokyo' AS t, eventTime FROM {S}), "
        f"b AS (SELECT t, eventTime, date_trunc('day', t) AS d FROM a) "
        f"SELECT hour(t), hour(eventTime), t, d FROM b LIMIT 1",
    )
    tokyo, utc, shown, day = rows[0]
    assert int(tokyo or 0) == (int(utc or 0) + 9) % 24
    assert shown is not None and shown.endswith(" Asia/Tokyo")
    assert day is not None and day.endswith(" 00:00:00.000 Asia/Tokyo")


def test_zone_survives_functions_that_return_an_argument(ct: Any) -> None:
    """min, max, coalesce, if, ... of timestamps in a zone are in that zone (D: functions/datetime.html,
    language/types.html#timestamp-p-with-time-zone); they printed the UTC wall time."""
    tokyo = "eventTime AT TIME ZONE 'Asia/Tokyo'"
    (row,) = run(
        ct,
        f"SELECT min({tokyo}), max({tokyo}), coalesce(min({tokyo}), max({tokyo})), min(eventTime) FROM {S}",
    )
    assert all(v is not None and v.endswith(" Asia/Tokyo") for v in row[:3]), row
    assert row[0] is not None and row[3] is not None and int(row[0][11:13]) == (int(row[3][11:13]) + 9) % 24


@pytest.mark.parametrize(
    "sql",
    [
        f"SELECT CASE WHEN readOnly THEN eventTime AT TIME ZONE 'Asia/Tokyo' "
        f"ELSE eventTime AT TIME ZONE 'Europe/Paris' END FROM {S}",
        f"SELECT eventTime AT TIME ZONE 'Asia/Tokyo' FROM {S} UNION ALL "
        f"SELECT eventTime AT TIME ZONE 'Europe/Paris' FROM {S}",
    ],
)
def test_zones_that_vary_by_row_are_refused(ct: Any, sql: str) -> None:
    """Each value keeps its own zone in Trino; the local lake carries one zone per column, so it refuses
    rather than print Paris times as Tokyo ones (docs/sql.md)."""
    with pytest.raises(ClientError) as exc:
        ct.start_query(QueryStatement=sql)
    assert "different time zones in one column" in exc.value.response["Error"]["Message"]


def test_sum_of_bigints_fails_on_overflow(ct: Any) -> None:
    """Trino's sum of bigints fails past bigint's range (D: functions/aggregate.html#sum; T:
    LongSumAggregation, BigintOperators.add): DuckDB summed into 128 bits and printed 9223372036854775808."""
    q = QueryRun(ct, f"SELECT sum(x) FROM (VALUES BIGINT '9223372036854775807', 1) t(x), {ONE_ROW}")
    q.start()
    state = q.wait(sleep=lambda s: time.sleep(min(s, 0.05)))
    assert state.status == "FAILED" and "bigint addition overflow" in (state.error or "")


def test_approx_distinct_is_exact_on_small_sets(ct: Any) -> None:
    """Trino's approx_distinct counts small sets exactly (its sparse HyperLogLog keeps every hash, D:
    functions/aggregate.html#approx_distinct); DuckDB's estimator counted 46 event names as 47."""
    (row,) = run(
        ct,
        f"SELECT approx_distinct(eventName), count(DISTINCT eventName), approx_distinct(awsRegion, 0.01), "
        f"count(DISTINCT awsRegion) FROM {S}",
    )
    assert row[0] == row[1] and row[2] == row[3]


def test_fetch_with_ties_is_refused(ct: Any) -> None:
    """FETCH FIRST n ROWS WITH TIES returns the ties too (D: sql/select.html#offset-clause); DuckDB dropped
    WITH TIES and returned n rows. Refused until it is given that meaning."""
    with pytest.raises(ClientError) as exc:
        ct.start_query(
            QueryStatement=f"SELECT eventName FROM {S} ORDER BY eventName FETCH FIRST 1 ROWS WITH TIES"
        )
    assert "WITH TIES is not supported" in exc.value.response["Error"]["Message"]


def test_having_does_not_see_select_aliases(ct: Any) -> None:
    """Only ORDER BY sees select-list aliases (D: sql/select.html#having-clause); DuckDB let HAVING read
    them, so a query that fails on Lake ran here."""
    with pytest.raises(ClientError) as exc:
        ct.start_query(QueryStatement=f"SELECT eventName, count(*) AS c FROM {S} GROUP BY 1 HAVING c > 5")
    assert "Column 'c' cannot be resolved" in exc.value.response["Error"]["Message"]
    rows = run(
        ct, f"SELECT eventName, count(*) AS c FROM {S} GROUP BY 1 HAVING count(*) > 5 ORDER BY c DESC LIMIT 1"
    )
    assert rows and rows[0][1] is not None and int(rows[0][1]) > 5


def test_unnest_of_a_map_and_of_several_arrays(ct: Any) -> None:
    """UNNEST(map) AS t(k, v) gives one row per entry; UNNEST(a, b) zips the arrays, padding the shorter
    with NULL (D: sql/select.html#unnest). DuckDB's UNNEST took one list and the query failed."""
    rows = run(
        ct,
        f"SELECT k, v FROM (SELECT MAP(ARRAY['a', 'b'], ARRAY[1, 2]) AS m FROM {S} LIMIT 1) "
        "CROSS JOIN UNNEST(m) AS t(k, v) ORDER BY k",
    )
    assert rows == [["a", "1"], ["b", "2"]]
    rows = run(
        ct, f"SELECT x, y FROM {ONE_ROW} CROSS JOIN UNNEST(ARRAY['a', 'b'], ARRAY[1, 2, 3]) AS t(x, y)"
    )
    assert sorted(rows, key=str) == sorted([["a", "1"], ["b", "2"], [None, "3"]], key=str)
    (entries,) = run(ct, f"SELECT count(*) FROM {S} CROSS JOIN UNNEST(requestParameters) AS t(k, v)")
    (total,) = run(ct, f"SELECT sum(cardinality(requestParameters)) FROM {S}")
    assert entries == total
