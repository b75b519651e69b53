"""Answers of the local lake that a review of the session's Lake SQL changes found to differ from Trino's.
Case format: tests/trinofunctions.py ("D:" a page of trino.io/docs/current/, "T:" a class in trinodb/trino)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.trinofunctions import Case, check, lake_client


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
