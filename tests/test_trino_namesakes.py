"""Trino functions whose DuckDB namesake answers something else (a plausible value where Trino gives
another, or fails): each pinned to Trino's answer or error. Case format: tests/trinofunctions.py ("D:" a
page of trino.io/docs/current/, "T:" a class in trinodb/trino)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.trinofunctions import Case, check, lake_client, run_error
from trailtui.local.demo import DEMO_STORE_ID as S

T = "TIMESTAMP '2024-03-05 19:08:09.123'"

ANSWERS: list[Case] = [
    # date_format/date_parse read Trino's MySQL specifiers (D: functions/datetime.html#mysql-date-functions);
    # a letter Trino does not know is the letter itself (T: DateTimeFunctions.createDateTimeFormatter,
    # "%<x> The literal character represented by <x>"); DuckDB printed its zone name for %Z.
    (
        f"date_format({T}, '%Y-%m-%d %H:%i:%s.%f')",
        "2024-03-05 19:08:09.123000",
        "D: datetime.html#date_format",
    ),
    (
        f"date_format({T}, '%a %b %c %e %j %k %l %p')",
        "Tue Mar 3 5 065 19 7 PM",
        "D: datetime.html#date_format",
    ),
    (
        f"date_format({T}, '%r|%T|%W|%M|%h|%y')",
        "07:08:09 PM|19:08:09|Tuesday|March|07|24",
        "D: datetime.html",
    ),
    (f"date_format({T}, '%v %x')", "10 2024", "D: datetime.html#date_format (ISO week and its year)"),
    (f"date_format({T}, '%Z%%')", "Z%", "T: DateTimeFunctions.createDateTimeFormatter"),
    # A timestamp with time zone is formatted in its zone's wall time (DuckDB printed the UTC hour).
    (
        "date_format(from_unixtime(0) AT TIME ZONE 'Asia/Tokyo', '%H:%i')",
        "09:00",
        "D: functions/datetime.html#date_format",
    ),
    ("date_format(from_unixtime(0) AT TIME ZONE '+05:30', '%H:%i')", "05:30", "D: datetime.html#date_format"),
    (
        "date_parse('2024-03-05 7:08:09 PM', '%Y-%m-%d %h:%i:%s %p')",
        "2024-03-05 19:08:09.000",
        "D: functions/datetime.html#date_parse",
    ),
    (
        "date_parse('05/03/2024', '%d/%m/%Y')",
        "2024-03-05 00:00:00.000",
        "D: functions/datetime.html#date_parse",
    ),
    # timezone(t) is the zone's name (D: functions/datetime.html#timezone); DuckDB gave the offset, 0.
    ("timezone(current_timestamp)", "UTC", "D: functions/datetime.html#timezone"),
    ("timezone(eventTime AT TIME ZONE 'Asia/Tokyo')", "Asia/Tokyo", "D: functions/datetime.html#timezone"),
    ("timezone(TIMESTAMP '2024-01-01 00:00:00 +05:30')", "+05:30", "D: functions/datetime.html#timezone"),
    ("log(2, 8)", "3.0", "D: functions/math.html#log"),
    # Patterns RE2 and Java read alike still run (D: functions/regexp.html).
    (
        "regexp_extract('arn:aws:iam::123456789012:role/x', '::(\\d{12}):')",
        "::123456789012:",
        "D: regexp.html",
    ),
    ("regexp_like('x]', '^[]x]+$')", "true", "D: regexp.html (a ] first in a class is itself)"),
    # array_position(x, element, instance) (D: functions/array.html#array_position); the instance was
    # ignored and the first occurrence answered.
    ("array_position(ARRAY[1, 2, 1], 1, 2)", "3", "D: functions/array.html#array_position"),
    ("array_position(ARRAY['a', 'b', 'a'], 'a', -2)", "1", "D: functions/array.html#array_position"),
    ("array_position(ARRAY[1, 2, 1], 1, 3)", "0", "D: functions/array.html#array_position"),
    ("md5(to_utf8('a'))", "0c c1 75 b9 c0 f1 b6 a8 31 c3 99 e2 69 77 26 61", "D: functions/binary.html#md5"),
]


@pytest.fixture(scope="module")
def ct(demo_home: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from lake_client(demo_home, tmp_path_factory)


def test_namesakes_answer_as_trino(ct: Any) -> None:
    check(ct, ANSWERS)


@pytest.mark.parametrize(
    "expr, message",
    [
        # T: DateTimeFunctions.createDateTimeFormatter refuses these six (DuckDB printed a week number,
        # a day of week, its locale's time for %X).
        (f"date_format({T}, '%V')", "%V not supported in date format string"),
        (f"date_format({T}, '%w')", "%w not supported in date format string"),
        (f"date_format({T}, '%X')", "%X not supported in date format string"),
        ("date_parse('2024 1', '%Y %u')", "%u not supported in date format string"),
        ("date_format(eventTime, eventName)", "need a literal format on the local lake"),
        # D: functions/math.html#log: only log(b, x); DuckDB's log(x) is the base-10 logarithm.
        ("log(8)", "Unexpected parameters (integer) for function log. Expected: log(double, double)"),
        # D: functions/binary.html: the hashes take varbinary (md5(to_utf8(s))).
        ("md5('a')", "Unexpected parameters (varchar(1)) for function md5. Expected: md5(varbinary)"),
        ("sha256(eventName)", "Unexpected parameters (varchar) for function sha256"),
        # D: functions/teradata.html#to_timestamp: a string and a format; DuckDB's reads epoch seconds.
        ("to_timestamp(1700000000)", "Unexpected parameters (integer) for function to_timestamp"),
        ("timezone(eventTime)", "Unexpected parameters (timestamp(3)) for function timezone"),
        ("version()", "version() is not supported on the local lake"),
        # D: functions/regexp.html (Java pattern syntax): what RE2 reads otherwise, or cannot run, is refused
        # before it runs; `(?U)a+` matched `a` (RE2's ungreedy flag) where Trino matches `aaa`.
        ("regexp_extract('aaa', '(?U)a+')", "uses the flag U (Unicode classes in Java, ungreedy in RE2)"),
        ("regexp_like(eventName, '[a-z&&[^b]]')", "uses a character class intersection (&&)"),
        ("regexp_like(eventName, '[a-z[0-9]]')", "uses a character class inside a character class"),
        ("regexp_replace(eventName, '(?<=Get)Object', 'x')", "uses lookaround"),
        ("regexp_count(eventName, '(a)\\1')", "uses a backreference"),
        ("regexp_extract_all(eventName, 'a{,3}')", "uses a repetition without a minimum"),
        ("current_user", "current_user is not supported on the local lake"),
    ],
)
def test_namesakes_trino_refuses_are_refused(ct: Any, expr: str, message: str) -> None:
    with pytest.raises(ClientError) as exc:
        ct.start_query(QueryStatement=f"SELECT {expr} FROM {S}")
    assert exc.value.response["Error"]["Code"] == "InvalidQueryStatementException"
    assert message in exc.value.response["Error"]["Message"]


@pytest.mark.parametrize(
    "expr, message",
    [
        # T: io.trino.operator.scalar.TestStringFunctions.testSplit; DuckDB cut the string into characters.
        ("split(eventName, '')", "The delimiter may not be the empty string"),
        # D: functions/array.html#array_position
        ("array_position(ARRAY[1], 1, 0)", "array_position cannot take a 0-valued instance argument."),
    ],
)
def test_namesakes_fail_where_trino_fails(ct: Any, expr: str, message: str) -> None:
    assert message in run_error(ct, f"SELECT {expr} FROM {S} LIMIT 1")


JSON_CASTS: list[Case] = [
    # T: io.trino.util.JsonUtil (MapJsonGeneratorWriter: keys through a TreeMap; TimestampJsonGeneratorWriter:
    # formatTimestamp with the type's precision). DuckDB kept the map's order and dropped `.000`.
    ("CAST(map(ARRAY['b', 'a'], ARRAY[1, 2]) AS json)", '{"a":2,"b":1}', "T: io.trino.util.JsonUtil"),
    ("CAST(eventTime AS json) = CAST(CAST(eventTime AS varchar) AS json)", "true", "T: JsonUtil"),
    ("CAST(TIMESTAMP '2024-01-01 10:00:00.120' AS json)", '"2024-01-01 10:00:00.120"', "T: JsonUtil"),
    ("CAST(DATE '2024-01-01' AS json)", '"2024-01-01"', "T: JsonUtil.DateGeneratorWriter"),
]


def test_casts_to_json_write_as_trino(ct: Any) -> None:
    check(ct, JSON_CASTS)


def test_casts_trino_cannot_make_are_refused(ct: Any) -> None:
    """T: JsonUtil.canCastToJson has no timestamp with time zone."""
    with pytest.raises(ClientError) as exc:
        ct.start_query(QueryStatement=f"SELECT CAST(current_timestamp AS json) FROM {S}")
    assert "Cannot cast timestamp(3) with time zone to json" in exc.value.response["Error"]["Message"]
