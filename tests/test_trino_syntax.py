"""DuckDB's SQL is refused where Trino's parser or analyzer refuses it, so that a query that runs on the local
lake runs on Lake too. sqlglot's Trino reader accepted each of these and DuckDB answered. Expected errors are
Trino's: "line L:C: mismatched input 'X'" from its parser (T: sql/parser/SqlParser, ErrorHandler), "Function
'x' not registered" from its function resolver; the functions Trino has are its list of functions
(D: functions/list.html)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.trinofunctions import lake_client, run
from trailtui.local.demo import DEMO_STORE_ID as S
from trailtui.local.errors import InvalidQueryStatement
from trailtui.local.translate import translate

SID = "49d1288a-bde9-43d2-908d-0123456789ab"


def resolve(ref: str) -> str | None:
    return "events_a" if ref == SID else None


REFUSED: list[tuple[str, str]] = [
    (f"FROM {SID} SELECT eventName", "line 1:1: mismatched input 'FROM'"),
    (f"SELECT * FROM (FROM {SID} SELECT 1)", "line 1:16: mismatched input 'FROM'"),
    (f"SELECT * EXCLUDE (eventName) FROM {SID}", "line 1:10: mismatched input 'EXCLUDE'"),
    (f"SELECT * REPLACE (1 AS eventName) FROM {SID}", "line 1:10: mismatched input 'REPLACE'"),
    (f"SELECT columns('event.*') FROM {SID}", "line 1:8: Function 'columns' not registered"),
    (f"SELECT eventName, count(*) FROM {SID}\nGROUP BY ALL", "line 2:13: mismatched input '<EOF>'"),
    (f"SELECT eventName FROM {SID} GROUP BY ALL ORDER BY 1", "line 1:73: mismatched input 'ORDER'"),
    (f"SELECT eventName FROM {SID} ORDER BY ALL", "line 1:69: mismatched input 'ALL'"),
    (f"SELECT eventName FROM {SID} USING SAMPLE 10", "line 1:60: mismatched input 'USING'"),
    (f"SELECT alias(eventName) FROM {SID}", "line 1:8: Function 'alias' not registered"),
    (
        f"SELECT 1 FROM {SID} WHERE eventName LIKE ANY ('a%', 'b%')",
        "line 1:73: Function 'any' not registered",
    ),
    (f"SELECT 1 FROM {SID} WHERE eventName = ANY (ARRAY['a'])", "line 1:70: Function 'any' not registered"),
    (f"SELECT 1 FROM {SID} WHERE eventName SIMILAR TO 'a.*'", "line 1:68: mismatched input 'SIMILAR'"),
    (f"SELECT 1 FROM {SID} WHERE eventName ILIKE 'get%'", "line 1:68: mismatched input 'ILIKE'"),
    (f"SELECT 1 FROM {SID} WHERE eventName NOT ILIKE 'get%'", "line 1:72: mismatched input 'ILIKE'"),
    (f"SELECT 1 FROM {SID} WHERE eventName GLOB 'G*'", "line 1:68: mismatched input 'GLOB'"),
    (f"SELECT 1 FROM {SID} WHERE eventName ~~ 'G%'", "line 1:68: mismatched input '~~'"),
    (f"SELECT 1 FROM {SID} QUALIFY row_number() OVER () = 1", "line 1:60: mismatched input 'row_number'"),
    (f"SELECT readOnly::int FROM {SID}", "line 1:16: mismatched input '::'"),
    (f"SELECT [1, 2] FROM {SID}", "line 1:8: mismatched input '['"),
    (f"SELECT {{'a': 1}} FROM {SID}", "line 1:8: mismatched input '{'"),
    (f"SELECT eventName[1:3] FROM {SID}", "line 1:19: mismatched input ':'"),
    (f"SELECT 2 ** 3 FROM {SID}", "line 1:13: mismatched input '3'"),
    (f"SELECT 7 // 2 FROM {SID}", "line 1:11: mismatched input '/'"),
    (f"SELECT 6 & 3, 6 | 3 FROM {SID}", "line 1:10: mismatched input '&'"),
    (f"SELECT 2 ^ 3 FROM {SID}", "line 1:10: mismatched input '^'"),
    (f"SELECT #1 FROM {SID}", "line 1:8: mismatched input '#'"),
    (f"SELECT eventjson ->> '$.a' FROM {SID}", "line 1:18: mismatched input '->>'"),
    (f"SELECT * FROM {SID} PIVOT (count(*) FOR eventName IN ('a'))", "line 1:52: mismatched input 'PIVOT'"),
    (f"SELECT 1 FROM {SID} a ASOF JOIN {SID} b ON a.eventTime >= b.eventTime", "mismatched input 'ASOF'"),
    (f"SELECT 1 FROM {SID} a POSITIONAL JOIN {SID} b", "mismatched input 'POSITIONAL'"),
    (f"SELECT 1 FROM {SID} a SEMI JOIN {SID} b ON a.eventid = b.eventid", "mismatched input 'SEMI'"),
    (f"SELECT 1 FROM {SID} a NATURAL JOIN {SID} b", "line 1:54: Natural join not supported"),
    (f"SELECT readOnly IS TRUE FROM {SID}", "line 1:20: mismatched input 'TRUE'"),
    (f"SELECT readOnly IS NOT FALSE FROM {SID}", "line 1:24: mismatched input 'FALSE'"),
    (f"SELECT eventTime + INTERVAL 1 DAY FROM {SID}", "line 1:29: mismatched input '1'"),
    (f"SELECT eventTime + INTERVAL '1 day' FROM {SID}", "line 1:37: mismatched input 'FROM'"),
    (f"SELECT eventName FROM {SID} UNION BY NAME SELECT eventName FROM {SID}", "mismatched input 'BY'"),
    (f"SELECT DISTINCT ON (eventName) eventName FROM {SID}", "line 1:17: mismatched input 'ON'"),
    (f"SELECT eventName FROM {SID} LIMIT 10%", "line 1:68: mismatched input '%'"),
    (f"SELECT eventName FROM {SID} LIMIT 1, 2", "line 1:67: mismatched input ','"),
    (f"SELECT eventName AS y, y || 'x' FROM {SID}", "line 1:24: Column 'y' cannot be resolved"),
    # DuckDB's functions, under names Trino does not have.
    (f"SELECT len(eventName) FROM {SID}", "line 1:8: Function 'len' not registered"),
    (f"SELECT\n  strftime(eventTime, '%Y') FROM {SID}", "line 2:3: Function 'strftime' not registered"),
    (f"SELECT string_agg(eventName, ',') FROM {SID}", "line 1:8: Function 'string_agg' not registered"),
    (f"SELECT list(eventName) FROM {SID}", "line 1:8: Function 'list' not registered"),
    (f"SELECT arg_max(eventName, eventTime) FROM {SID}", "line 1:8: Function 'arg_max' not registered"),
    (f"SELECT ifnull(errorCode, 'x') FROM {SID}", "line 1:8: Function 'ifnull' not registered"),
    (f"SELECT left(eventName, 3) FROM {SID}", "line 1:8: Function 'left' not registered"),
    (
        f"SELECT regexp_matches(eventName, 'G') FROM {SID}",
        "line 1:8: Function 'regexp_matches' not registered",
    ),
    (f"SELECT first(eventName) FROM {SID}", "line 1:8: Function 'first' not registered"),
    # Presto's, not Trino's (prestodb's array and IP functions).
    (f"SELECT array_has_duplicates(ARRAY[1]) FROM {SID}", "Function 'array_has_duplicates' not registered"),
    (f"SELECT ip_prefix('10.1.2.3', 8) FROM {SID}", "line 1:8: Function 'ip_prefix' not registered"),
    (f"SELECT CAST('10.0.0.0/8' AS IPPREFIX) FROM {SID}", "line 1:29: Unknown type: ipprefix"),
    (f"SELECT IPPREFIX '10.0.0.0/8' FROM {SID}", "line 1:8: Unknown type: ipprefix"),
]


@pytest.mark.parametrize("sql, message", REFUSED)
def test_duckdb_syntax_is_refused_as_trino_refuses_it(sql: str, message: str) -> None:
    with pytest.raises(InvalidQueryStatement) as exc:
        translate(sql, resolve)
    assert message in str(exc.value)


@pytest.mark.parametrize(
    "sql, message",
    [
        (f"SELECT eventName[1:2], FROM {SID}", "line 1:19: mismatched input ':'"),
        (f"SELECT readOnly::int FROM {SID} WHERE eventName == 'x'", "line 1:16: mismatched input '::'"),
        (f"SELECT 1 == 1 FROM {SID} WHERE eventName ILIKE 'x'", "line 1:10: mismatched input '=='"),
    ],
)
def test_of_two_problems_the_first_in_the_text_is_reported(sql: str, message: str) -> None:
    """Trino's parser stops at the first token it has no place for, whatever kind of problem comes after."""
    with pytest.raises(InvalidQueryStatement) as exc:
        translate(sql, resolve)
    assert message in str(exc.value)


ACCEPTED = [
    # Trino's own forms that look like the refused ones.
    f"SELECT eventName FROM {SID} WHERE eventName LIKE 'Get\\_%' ESCAPE '\\'",
    f"SELECT eventName FROM {SID} TABLESAMPLE BERNOULLI (50)",
    f"SELECT CAST(json_parse('{{}}') AS map(varchar, array(row(a integer, b varchar(3))))) FROM {SID}",
    f"SELECT t.a FROM {SID} CROSS JOIN UNNEST(ARRAY[1, 2]) t(a)",
    f"WITH x(a) AS (SELECT eventName FROM {SID}) SELECT a FROM x",
    f"SELECT x.a FROM (SELECT 1 AS a FROM {SID}) AS x(a)",
    f"SELECT eventName, count(*) FROM {SID} GROUP BY ALL eventName",
    f"SELECT trim(FROM eventName), substring(eventName FROM 1 FOR 3), position('e' IN eventName) FROM {SID}",
    f"SELECT eventTime + INTERVAL '1' DAY, INTERVAL '1-2' YEAR TO MONTH, INTERVAL -'2' HOUR FROM {SID}",
    f"SELECT ARRAY[1, 2][1], split(eventName, 'e')[1], resources[1].arn FROM {SID}",
    f"SELECT transform(ARRAY[1], x -> x + 1), reduce(ARRAY[1], 0, (s, x) -> s + x, s -> s) FROM {SID}",
    f"SELECT listagg(eventName, ',') WITHIN GROUP (ORDER BY eventName) FROM {SID}",
    f"SELECT eventName, grouping(eventName) FROM {SID} GROUP BY ROLLUP (eventName)",
    f"SELECT count(*) FILTER (WHERE readOnly), current_timestamp, localtimestamp FROM {SID}",
    f"SELECT rank() OVER w FROM {SID} WINDOW w AS (ORDER BY eventTime)",
    f"SELECT eventName FROM {SID} WHERE EXISTS (SELECT 1 FROM {SID}) OFFSET 1 LIMIT ALL",
    f"SELECT eventName FROM {SID} EXCEPT SELECT eventSource FROM {SID}",
    f"SELECT readOnly IS NOT NULL, errorCode IS NULL FROM {SID}",
]


@pytest.mark.parametrize("sql", ACCEPTED)
def test_trino_forms_that_look_alike_are_kept(sql: str) -> None:
    translate(sql, resolve)


@pytest.fixture(scope="module")
def ct(demo_home: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from lake_client(demo_home, tmp_path_factory)


def test_startquery_refuses_duckdb_syntax_with_the_position(ct: Any) -> None:
    """Through the CloudTrail API, as a user of the AWS CLI or the explorer sees it."""
    for sql, message in [
        (f"SELECT eventName FROM {S}\nWHERE eventName ILIKE 'get%'", "line 2:17: mismatched input 'ILIKE'"),
        (f"SELECT len(eventName) FROM {S}", "line 1:8: Function 'len' not registered"),
    ]:
        with pytest.raises(ClientError) as exc:
            ct.start_query(QueryStatement=sql)
        err = exc.value.response["Error"]
        assert err["Code"] == "InvalidQueryStatementException"
        assert err["Message"] == message
    assert run(ct, f"SELECT count(*) FROM {S} WHERE eventName LIKE 'Get%' ESCAPE '!'")[0][0] != "0"


def test_keywords_before_a_parenthesis_are_not_calls() -> None:
    """`AND (`, `OR (`, `NOT (`, `IN (`, `EXISTS (` are operators: sqlglot's nodes for them are functions too."""
    translate(
        f"SELECT CASE WHEN (a.readOnly) THEN (1) ELSE (2) END FROM {SID} a JOIN {SID} b ON (a.eventid = b.eventid) "
        f"WHERE (a.readOnly) AND (a.eventName IN ('x')) OR NOT (a.readOnly) AND EXISTS (SELECT 1 FROM {SID}) "
        f"AND a.eventName NOT IN (SELECT eventName FROM {SID}) AND a.eventName LIKE ('G%') "
        f"AND a.eventTime BETWEEN (TIMESTAMP '2020-01-01 00:00:00') AND (current_timestamp) "
        f"AND a.eventName IS DISTINCT FROM ('y') UNION (SELECT 1 FROM {SID})",
        resolve,
    )


@pytest.mark.parametrize(
    "sql, message",
    [
        (f"SELECT eventTime, count(*) FROM {S} GROUP BY eventName", "line 1:8: 'eventTime'"),
        (
            f"SELECT eventName,\n  userIdentity.arn FROM {S} GROUP BY eventName",
            "line 2:3: 'userIdentity.arn'",
        ),
        (f"SELECT eventName, upper(eventSource) FROM {S} GROUP BY 1", "line 1:19: 'upper(eventSource)'"),
        (f"SELECT max(eventName), eventSource FROM {S}", "line 1:24: 'eventSource'"),
        (
            f"SELECT date_trunc('hour', eventTime), eventTime, count(*) FROM {S} GROUP BY 1",
            "line 1:39: 'eventTime'",
        ),
        (
            f"SELECT eventName, count(*) FROM {S} GROUP BY eventName ORDER BY eventTime",
            "line 1:98: 'eventTime'",
        ),
    ],
)
def test_a_column_missing_from_group_by_is_named_as_written(ct: Any, sql: str, message: str) -> None:
    """Trino names the select item (or ORDER BY key) that uses the column, as written, at its position
    (T: sql/analyzer/AggregationAnalyzer); it said `'eventtime' must be ...`, lower-cased, without one."""
    with pytest.raises(ClientError) as exc:
        ct.start_query(QueryStatement=sql)
    err = exc.value.response["Error"]
    assert err["Code"] == "InvalidQueryStatementException"
    assert err["Message"] == f"{message} must be an aggregate expression or appear in GROUP BY clause"


def test_quantified_comparison_with_a_subquery(ct: Any) -> None:
    """`x = ANY (subquery)` is Trino (D: functions/comparison.html#quantified-comparison-predicates-all-any-and-some):
    it was refused as `varchar = boolean`; its operands' types are still checked."""
    same = run(
        ct,
        f"SELECT count(*) FROM {S} WHERE eventName = ANY (SELECT eventName FROM {S} WHERE eventName LIKE 'Get%')",
    )
    assert same == run(ct, f"SELECT count(*) FROM {S} WHERE eventName LIKE 'Get%'")
    with pytest.raises(ClientError) as exc:
        ct.start_query(QueryStatement=f"SELECT 1 FROM {S} WHERE eventName = SOME (SELECT 1 FROM {S})")
    assert "Cannot apply operator: varchar = integer" in exc.value.response["Error"]["Message"]
