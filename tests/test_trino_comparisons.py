"""Arrays and rows compared as Trino compares them: a NULL element makes equality unknown (DuckDB treated
NULL elements as equal values: `ARRAY[1, NULL] = ARRAY[1, NULL]` was true), and ordering two arrays fails
when it reaches a NULL element. Source: io.trino.spi.type.ArrayType (equalOperator, comparison with
"ARRAY comparison not supported for arrays with null elements") and RowType in trinodb/trino; case format:
tests/trinofunctions.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.trinofunctions import Case, check, lake_client, run, run_error
from trailtui.local.demo import DEMO_STORE_ID as S

CASES: list[Case] = [
    ("ARRAY[1, NULL] = ARRAY[1, NULL]", None, "T: io.trino.spi.type.ArrayType.equalOperator (unknown)"),
    ("ARRAY[1, NULL] <> ARRAY[1, NULL]", None, "T: ArrayType.equalOperator"),
    ("ARRAY[1, NULL] = ARRAY[2, NULL]", "false", "T: ArrayType.equalOperator (a difference decides)"),
    ("ARRAY[1] = ARRAY[1, NULL]", "false", "T: ArrayType.equalOperator (lengths differ)"),
    ("ARRAY[1, 2] = ARRAY[1, 2]", "true", "D: functions/comparison.html"),
    ("ARRAY[1, NULL] < ARRAY[2, NULL]", "true", "T: ArrayType comparison (decided before the NULL)"),
    ("ROW(1, NULL) = ROW(1, NULL)", None, "T: io.trino.spi.type.RowType equal (unknown)"),
    ("ROW(1, NULL) = ROW(2, NULL)", "false", "T: RowType equal"),
    ("ROW(1, 'a') <> ROW(1, 'b')", "true", "D: functions/comparison.html"),
    ("useridentity = useridentity", None, "T: RowType equal (the struct has NULL fields)"),
    # Maps: io.trino.spi.type.MapType.equalOperator (sizes, then each left key sought in the right map: a
    # missing key is false, a NULL value unknown, an unequal value false). DuckDB compared NULLs as equal.
    ("MAP(ARRAY['a'], ARRAY[NULL]) = MAP(ARRAY['a'], ARRAY[NULL])", None, "T: MapType.equalOperator"),
    ("MAP(ARRAY['a'], ARRAY[1]) <> MAP(ARRAY['a'], ARRAY[NULL])", None, "T: MapType.equalOperator"),
    ("MAP(ARRAY['a', 'b'], ARRAY[NULL, 1]) = MAP(ARRAY['a', 'b'], ARRAY[NULL, 2])", "false", "T: MapType"),
    ("MAP(ARRAY['a', 'b'], ARRAY[NULL, 1]) = MAP(ARRAY['a', 'c'], ARRAY[NULL, 1])", "false", "T: MapType"),
    ("MAP(ARRAY['a', 'b'], ARRAY[1, 2]) = MAP(ARRAY['b', 'a'], ARRAY[2, 1])", "true", "T: MapType (by key)"),
    ("MAP(ARRAY['a'], ARRAY[1]) = MAP(ARRAY['a', 'b'], ARRAY[1, NULL])", "false", "T: MapType (sizes)"),
    # Nested values: the element's own equal operator, at every depth (ArrayType, RowType, MapType).
    ("ARRAY[ARRAY[1, NULL]] = ARRAY[ARRAY[1, NULL]]", None, "T: ArrayType.equalOperator of arrays"),
    ("ARRAY[ARRAY[1, NULL]] = ARRAY[ARRAY[2, NULL]]", "false", "T: ArrayType.equalOperator of arrays"),
    ("ARRAY[ARRAY[1, 2]] <> ARRAY[ARRAY[1, 2]]", "false", "D: functions/comparison.html"),
    ("ARRAY[ROW(1, NULL)] = ARRAY[ROW(1, NULL)]", None, "T: ArrayType of RowType"),
    ("ROW(ARRAY[1, NULL], 1) = ROW(ARRAY[1, NULL], 1)", None, "T: RowType of ArrayType"),
    (
        "MAP(ARRAY['a'], ARRAY[ARRAY[NULL]]) = MAP(ARRAY['a'], ARRAY[ARRAY[NULL]])",
        None,
        "T: MapType of arrays",
    ),
    ("resources = resources", None, "T: ArrayType of RowType (arnprefix is NULL in the demo's resources)"),
    ("ARRAY[nan()] = ARRAY[nan()]", "false", "D: functions/comparison.html (NaN equals nothing)"),
]


@pytest.fixture(scope="module")
def ct(demo_home: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from lake_client(demo_home, tmp_path_factory)


def test_arrays_and_rows_with_nulls_compare_as_trino(ct: Any) -> None:
    check(ct, CASES)


def test_a_row_filter_still_counts_its_rows(ct: Any) -> None:
    """The comparison of anonymous rows pairs fields by position (rows_as_tuples) and keeps Trino's NULLs."""
    [[by_row]] = run(
        ct,
        f"SELECT count(*) FROM {S} WHERE ROW(eventSource, eventName) = ROW('s3.amazonaws.com', 'GetObject')",
    )
    [[by_fields]] = run(
        ct, f"SELECT count(*) FROM {S} WHERE eventSource = 's3.amazonaws.com' AND eventName = 'GetObject'"
    )
    assert by_row == by_fields and int(by_row or 0) > 0


def test_ordering_arrays_through_a_null_element_fails(ct: Any) -> None:
    assert "ARRAY comparison not supported for arrays with null elements" in run_error(
        ct, f"SELECT ARRAY[1, 2] < ARRAY[1, NULL] FROM {S} LIMIT 1"
    )
