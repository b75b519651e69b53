"""Wrong answers the local lake once gave (docs/sql.md listed them as differences), now Trino's. Case
format: tests/trinofunctions.py ("D:" a page of trino.io/docs/current/, "T:" a class in trinodb/trino)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.trinofunctions import Case, check, lake_client, run, run_error
from trailtui.lake.query import QueryRun
from trailtui.local.demo import DEMO_STORE_ID as S

TIMES: list[Case] = [
    # current_time is time(3) with time zone, localtime time(3) (functions/datetime); a cast to varchar
    # writes p digits and the offset as +hh:mm (T: io.trino.type.TimeWithTimeZoneOperators castToVarchar).
    # DuckDB wrote `03:08:57.893098+00` and `03:08:58.255128`.
    ("typeof(current_time)", "time(3) with time zone", "D: functions/datetime.html#current_time"),
    ("typeof(localtime)", "time(3)", "D: functions/datetime.html#localtime"),
    (
        r"regexp_like(CAST(current_time AS varchar), '^\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$')",
        "true",
        "T: TimeWithTimeZoneOperators castToVarchar",
    ),
    (r"regexp_like(CAST(localtime AS varchar), '^\d{2}:\d{2}:\d{2}\.\d{3}$')", "true", "T: TimeOperators"),
    ("CAST(TIME '10:00:00' AS varchar)", "10:00:00", "D: language/types.html#time"),
    ("CAST(TIME '10:00:00.120' AS varchar)", "10:00:00.120", "D: language/types.html#time"),
]

JSON_ROWS: list[Case] = [
    # A row's unnamed field is written under the name "" (T: io.trino.operator.scalar.RowToJsonCast: the
    # field's name orElse("")); DuckDB wrote `{"_0":1,"_1":"a"}`.
    ("CAST(ROW(1, 'a') AS JSON)", '{"":1,"":"a"}', "T: RowToJsonCast.toJsonObject"),
    ("json_format(CAST(ROW(1, NULL) AS JSON))", '{"":1,"":null}', "T: RowToJsonCast"),
    (
        "CAST(ROW(ROW(2.5), MAP(ARRAY['b', 'a'], ARRAY[1, 2])) AS JSON)",
        '{"":{"":2.5},"":{"a":2,"b":1}}',
        "T: RowToJsonCast, MapToJsonCast (keys sorted)",
    ),
    (
        "CAST(CAST(ROW(1, 'a') AS ROW(x integer, y varchar)) AS JSON)",
        '{"x":1,"y":"a"}',
        "D: functions/json.html",
    ),
]


@pytest.fixture(scope="module")
def ct(demo_home: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from lake_client(demo_home, tmp_path_factory)


def test_times_print_as_trino_casts_them(ct: Any) -> None:
    check(ct, TIMES)


def test_rows_with_unnamed_fields_cast_to_json_as_trino(ct: Any) -> None:
    check(ct, JSON_ROWS)


# approx_percentile as Trino's t-digest answers while it keeps each value apart (io.airlift.stats.TDigest
# valuesAt over unit-weight centroids: the sorted values' element at min(floor(p * n), n - 1) from 0).
# DuckDB's approx_quantile gave 2 for the median of 1, 2, 3, 4, where Trino gives 3.
PERCENTILES: list[Case] = [
    ("approx_percentile(x, 0.5)", "3", "T: io.airlift.stats.TDigest.valuesAt (index 2.0: the third value)"),
    ("approx_percentile(x, 0.25)", "2", "T: TDigest.valuesAt (index 1.0)"),
    ("approx_percentile(x, 0.1)", "1", "T: TDigest.valuesAt (below 1: the minimum)"),
    ("approx_percentile(x, 0.99)", "4", "T: TDigest.valuesAt (the maximum)"),
    ("approx_percentile(x, ARRAY[0.5, 0.75])", "[3, 4]", "D: functions/aggregate.html#approx_percentile"),
    ("approx_percentile(x * 1e0, 0.6)", "3.0", "D: functions/aggregate.html (double in, double out)"),
    ("typeof(approx_percentile(x, 0.5))", "bigint", "D: functions/aggregate.html#approx_percentile"),
    ("approx_percentile(x, 0.5) / 2", "1", "D: functions/math.html (bigint division)"),
]


def test_approx_percentile_answers_as_trinos_digest(ct: Any) -> None:
    select = ", ".join(expr for expr, _, _ in PERCENTILES)
    (row,) = run(
        ct,
        f"SELECT {select} FROM {S} CROSS JOIN UNNEST(ARRAY[4, 2, NULL, 3, 1]) AS t(x) "
        f"WHERE eventID = (SELECT min(eventID) FROM {S})",
    )
    wrong = [(e, got, want, src) for (e, want, src), got in zip(PERCENTILES, row, strict=True) if got != want]
    assert not wrong, wrong


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (f"SELECT approx_percentile(length(eventName), 1.5) FROM {S}", "Percentile must be between 0 and 1"),
    ],
)
def test_a_percentile_outside_0_1_fails(ct: Any, sql: str, message: str) -> None:
    assert message in run_error(ct, sql)


def test_weighted_approx_percentile_is_refused(ct: Any) -> None:
    """DuckDB's approx_quantile took no weight: sqlglot dropped it and the answer ignored the weights."""
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError, match="approx_percentile with weights is not supported"):
        ct.start_query(QueryStatement=f"SELECT approx_percentile(length(eventName), 2, 0.5) FROM {S}")


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        # Trino has no cast between text and arrays, maps or rows: refused when the query is analysed
        # (D: functions/conversion.html; T: io.trino.sql.analyzer "Cannot cast %s to %s"). DuckDB wrote
        # `{bucketName=..., key=...}` for the map and Python-like text for the struct.
        ("CAST(requestParameters AS varchar)", "line 1:8: Cannot cast map(varchar, varchar) to varchar"),
        ("TRY_CAST(resources AS varchar)", "line 1:8: Cannot cast array(row(accountid varchar"),
        ("CAST(userIdentity AS varchar)", "line 1:8: Cannot cast row(type varchar"),
        ("CAST('[1]' AS array(integer))", "line 1:8: Cannot cast varchar(3) to array(integer)"),
    ],
)
def test_casts_trino_does_not_have_are_refused(ct: Any, expr: str, message: str) -> None:
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError, match=re.escape(message)):
        ct.start_query(QueryStatement=f"SELECT {expr} FROM {S}")


JSON_CASTS: list[Case] = [
    # JSON to map(varchar, varchar) / array(varchar) reads scalars only (T: io.trino.util.JsonUtil
    # currentTokenAsVarchar, "Unexpected token when cast to varchar"); DuckDB wrote nested JSON as text.
    ('TRY_CAST(json_parse(\'{"a":{"b":1}}\') AS map(varchar, varchar))', None, "T: JsonUtil (TRY_CAST)"),
    ("TRY_CAST(json_parse('[[1]]') AS array(varchar))", None, "T: JsonUtil (TRY_CAST)"),
    (
        'CAST(json_parse(\'{"a":"x","b":1}\') AS map(varchar, varchar))',
        "{a=x, b=1}",
        "D: functions/json.html",
    ),
    ("CAST(json_parse('[\"x\",1,null]') AS array(varchar))", "[x, 1, null]", "D: functions/json.html"),
    ('CAST(json_parse(\'{"a":{"b":1}}\') AS map(varchar, json))', '{a={"b":1}}', "D: functions/json.html"),
]


def test_json_casts_read_scalars_only(ct: Any) -> None:
    check(ct, JSON_CASTS)


def test_a_json_object_cast_to_varchar_values_fails(ct: Any) -> None:
    assert "Cannot cast to map(varchar, varchar). Unexpected token when cast to varchar" in run_error(
        ct, f"SELECT CAST(json_parse(eventjson) AS map(varchar, varchar)) FROM {S} LIMIT 1"
    )


def test_order_by_reads_an_alias_inside_an_expression_as_the_output_column(ct: Any) -> None:
    """Trino's ORDER BY scope puts the output columns before the FROM's (D: sql/select.html "ORDER BY
    clause"; T: io.trino.sql.analyzer.StatementAnalyzer computeAndAssignOrderByScope): `-x` is minus the
    output x. DuckDB read the source's x there and gave the opposite order."""
    one = f"WHERE eventID = (SELECT min(eventID) FROM {S})"
    rows = run(ct, f"SELECT -x AS x FROM {S} CROSS JOIN UNNEST(ARRAY[2, 1, 3]) AS t(x) {one} ORDER BY -x")
    assert rows == [["-1"], ["-2"], ["-3"]]
    rows = run(
        ct,
        f"SELECT substr(eventName, 1, 3) AS eventName, count(*) AS c FROM {S} GROUP BY eventName "
        "ORDER BY length(eventName), c DESC LIMIT 2",
    )
    top = run(
        ct,
        f"SELECT substr(eventName, 1, 3), count(*) AS c FROM {S} GROUP BY eventName ORDER BY c DESC LIMIT 2",
    )
    assert rows == top  # every output eventName has 3 letters: the order is by count alone


JSON_PATHS: list[Case] = [
    # Trino reads the path as written (T: io.trino.operator.scalar.JsonPathTokenizer); sqlglot rewrote
    # literal paths while parsing, so `'eventName'` read as `$.eventName` where Trino refuses it.
    ("json_extract_scalar('{\"a.b\":1}', '$[\"a.b\"]')", "1", "D: functions/json.html#json-path"),
    ("json_extract_scalar('{\"a\":[1,2]}', '$.a[1]')", "2", "D: functions/json.html#json-path"),
    ("json_extract_scalar('[{\"a\":1}]', '$[0].a')", "1", "D: functions/json.html#json-path"),
    ("json_extract('{\"a\":{\"b\":1}}', '$')", '{"a":{"b":1}}', "D: functions/json.html#json-extract"),
]


def test_json_paths_are_read_as_written(ct: Any) -> None:
    check(ct, JSON_PATHS)


@pytest.mark.parametrize("path", ["eventName", " $.eventName"])
def test_a_json_path_trino_cannot_read_is_refused(ct: Any, path: str) -> None:
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError, match=re.escape(f"Invalid JSON path: '{path}'")):
        ct.start_query(QueryStatement=f"SELECT json_extract_scalar(eventJson, '{path}') FROM {S}")


REPLACEMENTS: list[Case] = [
    # A group number takes more digits while such a group exists (T: io.trino.operator.scalar
    # JoniRegexpFunctions appendReplacement; cases from AbstractTestRegexpFunctions.testRegexpReplace).
    # `$01` was group 0 then "1" (x1x1x1).
    ("regexp_replace('xxx', '(x)', '$01')", "xxx", "T: AbstractTestRegexpFunctions.testRegexpReplace"),
    ("regexp_replace('xxx', 'x', '$05')", "x5x5x5", "T: AbstractTestRegexpFunctions.testRegexpReplace"),
    (
        "regexp_replace('123456789', '(1)(2)(3)(4)(5)(6)(7)(8)(9)', '$10')",
        "10",
        "T: AbstractTestRegexpFunctions.testRegexpReplace",
    ),
]


def test_replacement_group_numbers_read_as_trino(ct: Any) -> None:
    check(ct, REPLACEMENTS)


def test_a_replacement_naming_group_ten_is_refused(ct: Any) -> None:
    """Trino gives group 10 (`0`); DuckDB's RE2 names groups 0 to 9 only, so the query is refused."""
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError, match="naming group 10 or above is not supported"):
        ct.start_query(
            QueryStatement=f"SELECT regexp_replace('1234567890', '(1)(2)(3)(4)(5)(6)(7)(8)(9)(0)', '$10') FROM {S}"
        )


DOUBLES_FROM_TEXT: list[Case] = [
    # Trino reads a varchar as a double with Java's Double.parseDouble (T: io.trino.type.VarcharOperators
    # castToDouble): NaN and Infinity only so spelled; DuckDB also read 'nan', 'inf', 'infinity'.
    ("TRY_CAST('nan' AS double)", None, "T: VarcharOperators.castToDouble"),
    ("TRY_CAST('inf' AS double)", None, "T: VarcharOperators.castToDouble"),
    ("TRY_CAST('infinity' AS real)", None, "T: VarcharOperators.castToFloat"),
    ("CAST('NaN' AS double)", "NaN", "T: VarcharOperators.castToDouble"),
    ("CAST('-Infinity' AS double)", "-Infinity", "T: VarcharOperators.castToDouble"),
    ("CAST(' .5 ' AS double)", "0.5", "T: VarcharOperators.castToDouble"),
]


def test_text_becomes_a_double_as_java_reads_it(ct: Any) -> None:
    check(ct, DOUBLES_FROM_TEXT)


@pytest.mark.parametrize(
    "expr",
    [
        # T: io.trino.operator.scalar.DateTimeFunctions.getDateField: "'hour' is not a valid DATE field";
        # DuckDB answered (24, the date itself, the next minute).
        "date_diff('hour', DATE '2024-01-01', DATE '2024-01-02')",
        "date_trunc('hour', DATE '2024-01-01')",
        "date_add('minute', 1, DATE '2024-01-01')",
    ],
)
def test_units_of_time_on_dates_fail(ct: Any, expr: str) -> None:
    assert "is not a valid DATE field" in run_error(ct, f"SELECT {expr} FROM {S} LIMIT 1")


def test_unnest_of_rows_into_columns_and_their_types(ct: Any) -> None:
    """`UNNEST(array_of_rows) AS t(a, b)` gives one column per field (D: sql/select.html "UNNEST"); it
    failed (`Table "t" does not have a column named "y"`). The columns of an UNNEST of rows or of a map have
    their field's type, so `/` divides integers (was 1.5, untyped, where Trino gives 1)."""
    one = f"WHERE eventID = (SELECT min(eventID) FROM {S})"
    rows = run(
        ct, f"SELECT x, y, x / 2 FROM {S} CROSS JOIN UNNEST(ARRAY[ROW(3, 'a'), NULL]) AS t(x, y) {one}"
    )
    assert rows == [["3", "a", "1"], [None, None, None]]
    rows = run(
        ct, f"SELECT v / 2, typeof(v) FROM {S} CROSS JOIN UNNEST(MAP(ARRAY['a'], ARRAY[3])) AS t(k, v) {one}"
    )
    assert rows == [["1", "integer"]]
    by_field = run(
        ct,
        f"SELECT type, count(*) FROM {S} CROSS JOIN UNNEST(resources) AS t(accountid, type, arn, arnprefix) "
        "GROUP BY 1 ORDER BY 2 DESC, 1",
    )
    by_row = run(
        ct,
        f"SELECT r.type, count(*) FROM {S} CROSS JOIN UNNEST(resources) AS t(r) GROUP BY 1 ORDER BY 2 DESC, 1",
    )
    assert by_field == by_row and by_field


INTEGER_RESULTS: list[Case] = [
    # Functions whose result type the local lake did not know divided as doubles (1.5): Trino's types are
    # bigint (integer for codepoint) (D: functions/array.html, json.html, regexp.html, string.html), and
    # `/` of integers truncates (D: functions/math.html).
    ("array_position(ARRAY[1, 2, 3], 3) / 2", "1", "D: functions/array.html#array_position"),
    ("json_array_length('[1,2,3]') / 2", "1", "D: functions/json.html#json_array_length"),
    ("json_size('[1,2,3]', '$') / 2", "1", "D: functions/json.html#json_size"),
    ("regexp_count('aaa', 'a') / 2", "1", "D: functions/regexp.html#regexp_count"),
    ("codepoint('a') / 2", "48", "D: functions/string.html#codepoint"),
    ("array_max(ARRAY[3, 1]) / 2", "1", "D: functions/array.html#array_max"),
    ("typeof(length('a'))", "bigint", "D: functions/string.html#length"),
    ("typeof(to_unixtime(eventTime))", "double", "D: functions/datetime.html#to_unixtime"),
]


def test_function_results_have_trinos_integer_types(ct: Any) -> None:
    check(ct, INTEGER_RESULTS)


def test_a_lateral_subquerys_column_keeps_its_type(ct: Any) -> None:
    """`c / 2` of a LATERAL subquery's integer column was 1.5 (its type was not carried); Trino: 1."""
    rows = run(ct, f"SELECT c / 2 FROM {S} CROSS JOIN LATERAL (SELECT 3 AS c) LIMIT 1")
    assert rows == [["1"]]


TYPED_BY_ARGUMENT: list[Case] = [
    # try(x) has x's type, filter/array_distinct keep the array's, map_keys/map_values are arrays of the
    # key/value type (D: functions/conditional.html#try, functions/array.html, functions/map.html): `/`
    # of them divided as doubles (3.5 for try(CAST('7' AS integer)) / 2; Trino 3).
    ("try(CAST('7' AS integer)) / 2", "3", "D: functions/conditional.html#try"),
    ("filter(ARRAY[3], x -> x > 0)[1] / 2", "1", "D: functions/array.html#filter"),
    ("map_values(MAP(ARRAY['a'], ARRAY[3]))[1] / 2", "1", "D: functions/map.html#map_values"),
    ("typeof(map_keys(MAP(ARRAY['a'], ARRAY[3])))", "array(varchar)", "D: functions/map.html#map_keys"),
    ("typeof(array_distinct(ARRAY[3]))", "array(integer)", "D: functions/array.html#array_distinct"),
]


def test_results_typed_by_their_argument(ct: Any) -> None:
    check(ct, TYPED_BY_ARGUMENT)


def test_dividing_values_of_a_type_the_lake_cannot_tell_is_refused(ct: Any) -> None:
    """A lambda's result has no type the translator knows: DuckDB divided its integers as doubles (1.5,
    Trino 1). The query fails with a clear reason instead; a cast makes it run."""
    assert "cannot tell" in run_error(ct, f"SELECT transform(ARRAY[3], x -> x)[1] / 2 FROM {S} LIMIT 1")
    assert run(ct, f"SELECT CAST(transform(ARRAY[3], x -> x)[1] AS bigint) / 2 FROM {S} LIMIT 1") == [["1"]]
    assert run(ct, f"SELECT transform(ARRAY[3e0], x -> x)[1] / 2 FROM {S} LIMIT 1") == [["1.5"]]


def test_the_first_failing_query_of_a_lake_reports_its_own_error(
    demo_home: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The first query on a store reads the store's layout on a second cursor; when that query failed, the
    connection was closed under the reader and ErrorMessage said "connection is busy with another call"
    instead of Trino's "Division by zero"."""
    fresh = lake_client(demo_home, tmp_path_factory)
    client = next(fresh)
    try:
        q = QueryRun(client, f"SELECT 1 / 0 FROM {S} LIMIT 1")
        q.start()
        state = q.wait(sleep=lambda s: time.sleep(min(s, 0.05)))
        assert state.status == "FAILED"
        assert client.describe_query(QueryId=q.query_id)["ErrorMessage"] == "Division by zero"
    finally:
        fresh.close()


CODE_POINTS: list[Case] = [
    # reverse of a string reverses code points (D: functions/string.html#reverse); DuckDB kept the
    # combining accent with its letter. localtimestamp is a timestamp(3) (D: functions/datetime.html).
    ("reverse('e' || chr(769)) = chr(769) || 'e'", "true", "D: functions/string.html#reverse"),
    ("reverse('abc')", "cba", "D: functions/string.html#reverse"),
    ("typeof(localtimestamp)", "timestamp(3)", "D: functions/datetime.html#localtimestamp"),
]


def test_reverse_and_localtimestamp(ct: Any) -> None:
    check(ct, CODE_POINTS)
