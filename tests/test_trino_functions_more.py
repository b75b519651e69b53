"""Trino functions DuckDB lacks (from_base, normalize, to_milliseconds, current_timezone) and the array `||`
with one element, on the local lake (case format: tests/trinofunctions.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.trinofunctions import Case, check, error_of, lake_client, run
from trailtui.local.demo import DEMO_STORE_ID

CASES: list[Case] = [
    ("from_base('7fffffffffffffff', 16)", "9223372036854775807", "D: conversion.html#from_base"),
    ("from_base('-101', 2)", "-5", "D: conversion.html#from_base (Long.parseLong: a sign)"),
    ("from_base('zz', 36)", "1295", "D: conversion.html#from_base"),
    ("typeof(from_base('10', 2))", "bigint", "D: conversion.html#from_base"),
    ("from_base('10', 2) / 4", "0", "D: conversion.html#from_base (bigint division)"),
    ("to_milliseconds(INTERVAL '1' DAY)", "86400000", "D: datetime.html#to_milliseconds"),
    (
        "to_milliseconds(INTERVAL '2' DAY + INTERVAL '3.25' SECOND)",
        "172803250",
        "D: datetime.html#to_milliseconds",
    ),
    ("typeof(to_milliseconds(INTERVAL '1' HOUR))", "bigint", "D: datetime.html#to_milliseconds"),
    ("current_timezone()", "UTC", "D: session.html#current_timezone (Lake's session zone)"),
    ("length(normalize('e' || chr(769)))", "1", "D: string.html#normalize (NFC by default)"),
    ("length(normalize('e' || chr(769), NFC))", "1", "D: string.html#normalize"),
    ("length(normalize(chr(233), NFD))", "2", "D: string.html#normalize"),
    ("normalize(chr(65297), NFKC)", "1", "D: string.html#normalize (fullwidth digit one)"),
    ("normalize(chr(65297), NFC)", "\uff11", "D: string.html#normalize"),
    ("to_hex(xxhash64(CAST('' AS VARBINARY)))", "EF46DB3751D8E999", "T: TestVarbinaryFunctions.testXxhash64"),
    ("to_hex(xxhash64(to_utf8('hello')))", "26C7827D889F6DA3", "D: binary.html#xxhash64 (XXH64, seed 0)"),
    ("typeof(xxhash64(to_utf8('a')))", "varbinary", "D: binary.html#xxhash64"),
    ("format_number(123456)", "123K", "D: string.html#format_number"),
    ("format_number(1000000)", "1M", "D: string.html#format_number"),
    ("format_number(1234)", "1.23K", "T: FormatNumberFunction (3 significant digits)"),
    ("format_number(-1234)", "-1.23K", "T: FormatNumberFunction"),
    ("format_number(999)", "999", "T: FormatNumberFunction"),
    ("format_number(12.9)", "12", "T: FormatNumberFunction (a double is truncated to a bigint)"),
    ("format_number(9223372036854775807)", "9223Q", "T: FormatNumberFunction (Q is the last unit)"),
    ("ARRAY[1, 2] || 3", "[1, 2, 3]", "D: array.html#concatenation-operator"),
    ("0 || ARRAY[1, 2]", "[0, 1, 2]", "D: array.html#concatenation-operator"),
    ("ARRAY['a'] || 'b' || 'c'", "[a, b, c]", "D: array.html#concatenation-operator"),
    ("ARRAY[ARRAY[1]] || ARRAY[2]", "[[1], [2]]", "D: array.html#concatenation-operator"),
    ("ARRAY[1] || ARRAY[2] || 3", "[1, 2, 3]", "D: array.html#concatenation-operator"),
    ("typeof(ARRAY[1, 2] || 3)", "array(integer)", "D: array.html#concatenation-operator"),
    ("typeof(ARRAY[1] || ARRAY[2])", "array(integer)", "D: array.html#concatenation-operator"),
    ("cardinality(ARRAY[eventName] || eventSource)", "2", "D: array.html#concatenation-operator"),
    ("lpad('text', 3, 'xy')", "tex", "T: TestStringFunctions.testLeftPad"),
    ("lpad('abc', 0, 'e')", "", "T: TestStringFunctions.testLeftPad"),
    ("lpad('abc', 6, 'xy')", "xyxabc", "D: string.html#lpad"),
    ("rpad('abc', 6, 'xy')", "abcxyx", "D: string.html#rpad"),
]


@pytest.fixture(scope="module")
def ct(demo_home: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from lake_client(demo_home, tmp_path_factory)


def test_functions_answer_as_trino(ct: Any) -> None:
    check(ct, CASES)


def _error(ct: Any, expr: str) -> str:
    return error_of(ct, f"SELECT {expr} FROM {DEMO_STORE_ID} LIMIT 1")


@pytest.mark.parametrize(
    "expr, message",
    [
        ("from_base('12x', 16)", "Not a valid base-16 number: 12x"),
        # T: TestStringFunctions.testLeftPad/testRightPad (DuckDB gave '', 'ab' and its own words)
        ("lpad('abc', -1, 'foo')", "Target length must be in the range [0..2147483647]"),
        ("rpad('abc', 2, '')", "Padding string must not be empty"),
        ("lpad('abc', 3, '')", "Padding string must not be empty"),
        ("from_base('', 10)", "Not a valid base-10 number:"),
        ("from_base('1', 40)", "Radix must be between 2 and 36"),
        (
            "xxhash64('a')",
            "Unexpected parameters (varchar(1)) for function xxhash64. Expected: xxhash64(varbinary)",
        ),
        ("to_milliseconds(INTERVAL '1' MONTH)", "Unexpected parameters (interval year to month)"),
    ],
)
def test_errors_fail_the_query(ct: Any, expr: str, message: str) -> None:
    """Trino fails these (conversion.html#from_base, Long.parseLong; datetime.html#to_milliseconds takes
    an interval day to second only)."""
    assert message in _error(ct, expr)


def test_date_diff_of_text_is_refused_as_trino_refuses_it(ct: Any) -> None:
    """Trino casts no varchar to a date implicitly: date_diff of two strings fails at analysis, at the
    call, with the signatures it takes (D: datetime.html#date_diff), not with DuckDB's words."""
    message = _error(ct, "date_diff('day', '2026-11-01', '2026-11-20')")
    assert (
        "line 1:8: Unexpected parameters (varchar(3), varchar(10), varchar(10)) for function date_diff. "
        "Expected: date_diff(varchar(x), date, date), date_diff(varchar(x), time(p), time(p)), "
    ) in message
    assert "date_sub" not in message
    message = _error(ct, "date_diff('day', eventTime, eventTime), date_diff('hour', eventTime, 'x')")
    assert "line 1:48: Unexpected parameters (varchar(4), timestamp(3), varchar(1))" in message
    (row,) = run(
        ct, f"SELECT date_diff('day', DATE '2026-11-01', DATE '2026-11-20') FROM {DEMO_STORE_ID} LIMIT 1"
    )
    assert row == ["19"]
