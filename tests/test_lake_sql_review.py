"""Answers of the local lake that a review of the session's Lake SQL changes found to differ from Trino's.
Case format: tests/trinofunctions.py ("D:" a page of trino.io/docs/current/, "T:" a class in trinodb/trino)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.trinofunctions import Case, check, lake_client, run
from trailtui.local.demo import DEMO_STORE_ID as S


@pytest.fixture(scope="module")
def ct(demo_home: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from lake_client(demo_home, tmp_path_factory)


# coalesce/if/CASE over integers are integers (D: language/types.html "Type coercion": the common super
# type of integer and integer), so `/ 2` truncates (D: functions/math.html). try(x) has x's type; the
# translator lost it under coalesce and if, and the division was refused ("type the local lake cannot tell").
INTEGER_BRANCHES: list[Case] = [
    ("coalesce(try(CAST('7' AS integer)), 0) / 2", "3", "D: functions/conditional.html#coalesce"),
    ("typeof(coalesce(try(CAST('7' AS integer)), 0))", "integer", "D: language/types.html"),
    ("if(eventName = '', try(CAST('7' AS integer)), 9) / 2", "4", "D: functions/conditional.html#if"),
    ("CASE WHEN eventName = '' THEN 1 ELSE try(CAST('7' AS bigint)) END / 2", "3", "D: conditional#case"),
    ("typeof(coalesce(try(CAST('7' AS smallint)), CAST(1 AS tinyint)))", "smallint", "D: language/types"),
]


def test_coalesce_and_if_over_try_keep_the_integer_type(ct: Any) -> None:
    check(ct, INTEGER_BRANCHES)


# CAST(json AS varchar) reads a JSON number with a fraction or exponent as a double and writes it as CAST of
# a double to varchar does, in scientific notation (T: io.trino.type.TestJsonOperators testCastToVarchar:
# JSON '128.9' -> 1.289E2, JSON '0.100000000000000' -> 1.0E-1, JSON '1e309' -> Infinity; io.trino.util.
# JsonUtil.currentTokenAsVarchar: VALUE_NUMBER_FLOAT -> DoubleOperators.castToVarchar). An integer is kept
# as written. The local lake gave the number as written (`128.9`), so `= '1.289E2'` was false.
JSON_NUMBERS: list[Case] = [
    ("CAST(json_parse('128.9') AS varchar)", "1.289E2", "T: TestJsonOperators.testCastToVarchar"),
    ("CAST(json_parse('0.100000000000000') AS varchar)", "1.0E-1", "T: TestJsonOperators.testCastToVarchar"),
    ("CAST(json_extract('{\"a\": 1.5}', '$.a') AS varchar)", "1.5E0", "T: JsonUtil.currentTokenAsVarchar"),
    ("CAST(json_parse('0e1000') AS varchar)", "0E0", "T: TestJsonOperators.testCastToVarchar"),
    ("CAST(json_parse('12345678901234567890') AS varchar)", "12345678901234567890", "T: testCastToVarchar"),
    ("CAST(json_extract('{\"a\": 128}', '$.a') AS varchar)", "128", "T: TestJsonOperators.testCastToVarchar"),
]


def test_a_json_number_cast_to_varchar_is_written_as_trino_writes_a_double(ct: Any) -> None:
    check(ct, JSON_NUMBERS)


@pytest.mark.xfail(strict=True, reason="JSON to map(varchar, varchar) writes 1.5 as written (Trino 1.5E0)")
def test_json_numbers_cast_to_a_map_of_varchar_are_written_as_doubles(ct: Any) -> None:
    # Each value goes through JsonUtil.currentTokenAsVarchar, as in CAST(json AS varchar) (T: JsonToMapCast).
    (row,) = run(ct, f"SELECT CAST(json_parse('{{\"a\": 1.5}}') AS map(varchar, varchar)) FROM {S} LIMIT 1")
    assert row == ["{a=1.5E0}"]


# Java's Double.parseDouble, which Trino's varchar-to-double cast calls (T: io.trino.type.VarcharOperators
# castToDouble), reads a float type suffix (f, F, d, D: Java's FloatingPointLiteral): '1.5d' is 1.5, where
# the local lake failed the cast ("Cannot cast '1.5d' to DOUBLE").
JAVA_SUFFIXES: list[Case] = [
    ("CAST('1.5d' AS double)", "1.5", "T: VarcharOperators.castToDouble (Double.parseDouble)"),
    ("CAST(' 2F ' AS double)", "2.0", "T: VarcharOperators.castToDouble (Double.parseDouble)"),
    ("TRY_CAST('1e3D' AS double)", "1000.0", "T: VarcharOperators.castToDouble (Double.parseDouble)"),
    ("TRY_CAST('1.5x' AS double)", None, "T: VarcharOperators.castToDouble (Double.parseDouble)"),
    ("TRY_CAST('NaNd' AS double)", None, "T: VarcharOperators.castToDouble (Double.parseDouble)"),
]


def test_varchar_with_a_java_type_suffix_casts_to_double(ct: Any) -> None:
    check(ct, JAVA_SUFFIXES)


# approx_percentile gives NULL when it saw no value, whatever the percentile: the output function checks the
# percentile only for a digest holding values, and rows whose percentile is NULL are not added (T: io.trino.
# operator.aggregation.ApproximateDoublePercentileAggregations output: "digest == null || digest.getCount()
# == 0.0 -> appendNull"). The local lake failed ("Percentile must be between 0 and 1").
EMPTY_PERCENTILES: list[Case] = [
    (
        f"(SELECT approx_percentile(length(eventName), 1.5) FROM {S} WHERE eventName = '')",
        None,
        "T: ApproximateLongPercentileAggregations.output",
    ),
    (
        f"(SELECT approx_percentile(length(eventName), CAST(NULL AS double)) FROM {S})",
        None,
        "T: ApproximateLongPercentileAggregations.input (NULL arguments skip the row)",
    ),
    (
        f"(SELECT approx_percentile(length(eventName), 0.5) FROM {S} WHERE eventName = 'GetObject')",
        "9",
        "T: ApproximateLongPercentileAggregations.output",
    ),
]


def test_approx_percentile_of_no_values_is_null_whatever_the_percentile(ct: Any) -> None:
    check(ct, EMPTY_PERCENTILES)
