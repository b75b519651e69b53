"""Values Lake prints as Trino prints them, where the local lake once printed a plausible other text:
intervals of both families, timestamps with time zone inside arrays, maps and rows, upper('ß'). Case format:
tests/trinofunctions.py ("D:" a page of trino.io/docs/current/, "T:" a class in trinodb/trino)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.trinofunctions import Case, check, lake_client, run_error
from trailtui.local.demo import DEMO_STORE_ID as S

INTERVALS: list[Case] = [
    # Trino prints a year to month interval as years-months (IntervalYearMonth.formatMonths: "%s%d-%d"),
    # DuckDB handed it over as 30-day months (`420 00:00:00.000`).
    ("INTERVAL '14' MONTH", "1-2", "T: io.trino.type.IntervalYearMonth.formatMonths"),
    ("INTERVAL '-14' MONTH", "-1-2", "T: IntervalYearMonth.formatMonths"),
    ("INTERVAL '3' YEAR", "3-0", "D: language/types.html#interval-year-to-month"),
    ("INTERVAL '1-2' YEAR TO MONTH", "1-2", "D: language/types.html#interval-year-to-month"),
    ("typeof(INTERVAL '3' YEAR)", "interval year to month", "D: language/types.html#interval-year-to-month"),
    ("INTERVAL '1' YEAR + INTERVAL '2' MONTH", "1-2", "D: functions/datetime.html#date-and-time-operators"),
    ("INTERVAL '1' MONTH * 3", "0-3", "T: IntervalYearMonthOperators.multiplyByBigint"),
    ("INTERVAL '7' MONTH / 2", "0-3", "T: IntervalYearMonthOperators.divideByDouble (whole months)"),
    ("-INTERVAL '13' MONTH", "-1-1", "T: IntervalYearMonthOperators.negate"),
    # Day to second: days, then hh:mm:ss.mmm (IntervalDayTime.formatMillis); `x TO y` literals read.
    ("INTERVAL '1 2:03:04' DAY TO SECOND", "1 02:03:04.000", "D: language/types.html#interval-day-to-second"),
    ("INTERVAL '-1 2:03:04.5' DAY TO SECOND", "-1 02:03:04.500", "T: IntervalDayTime.formatMillis"),
    ("INTERVAL '2:30' HOUR TO MINUTE", "0 02:30:00.000", "D: language/types.html#interval-day-to-second"),
    ("typeof(INTERVAL '2' DAY)", "interval day to second", "D: language/types.html#interval-day-to-second"),
    ("ARRAY[INTERVAL '14' MONTH, INTERVAL '1' YEAR]", "[1-2, 1-0]", "T: IntervalYearMonth.formatMonths"),
    ("typeof(ARRAY[INTERVAL '14' MONTH])", "array(interval year to month)", "D: language/types.html"),
    # Month arithmetic clamps to the month's last day and keeps a date a date.
    (
        "DATE '2024-01-31' + INTERVAL '1' MONTH",
        "2024-02-29",
        "D: functions/datetime.html#date-and-time-operators",
    ),
    ("DATE '2024-03-31' - INTERVAL '1' MONTH", "2024-02-29", "D: functions/datetime.html"),
    ("DATE '2024-01-31' + INTERVAL '1' MONTH * 2", "2024-03-31", "D: functions/datetime.html"),
    (
        "TIMESTAMP '2024-01-31 10:00:00' + INTERVAL '1-1' YEAR TO MONTH",
        "2025-02-28 10:00:00",
        "D: functions/datetime.html#date-and-time-operators",
    ),
    (
        "TIMESTAMP '2024-03-09 12:00:00 America/New_York' + INTERVAL '1' MONTH * 2",
        "2024-05-09 12:00:00 America/New_York",
        "D: functions/datetime.html (months count in the zone's wall time)",
    ),
]

NESTED_ZONES: list[Case] = [
    # A timestamp with time zone keeps its zone and precision inside an array, map or row
    # (D: language/types.html#timestamp-with-time-zone); it printed in UTC with milliseconds.
    (
        "ARRAY[eventTime AT TIME ZONE 'Asia/Tokyo'][1] = eventTime AT TIME ZONE 'Asia/Tokyo'",
        "true",
        "D: language/types.html",
    ),
    (
        "ARRAY[TIMESTAMP '2024-01-01 10:00:00 Asia/Tokyo']",
        "[2024-01-01 10:00:00 Asia/Tokyo]",
        "D: language/types.html#timestamp-with-time-zone",
    ),
    (
        "map(ARRAY['a'], ARRAY[TIMESTAMP '2024-01-01 10:00:00.123 America/New_York'])",
        "{a=2024-01-01 10:00:00.123 America/New_York}",
        "D: language/types.html#timestamp-with-time-zone",
    ),
    (
        "CAST(ROW(TIMESTAMP '2024-01-01 10:00:00 +05:30') AS ROW(t timestamp(0) with time zone))",
        "{t=2024-01-01 10:00:00 +05:30}",
        "D: language/types.html#row",
    ),
    (
        "ARRAY[TIMESTAMP '2024-01-01 10:00:00.123456']",
        "[2024-01-01 10:00:00.123456]",
        "D: language/types.html",
    ),
    (
        "typeof(ARRAY[eventTime AT TIME ZONE 'Asia/Tokyo'])",
        "array(timestamp(3) with time zone)",
        "D: functions/datetime.html#at-time-zone-operator",
    ),
]

ZONES: list[Case] = [
    # Zone names as Trino's TimeZoneKey reads them (T: io.trino.spi.type.TestTimeZoneKey): fixed offsets
    # after UTC/GMT/UT, Etc/GMT's reversed sign, any case. `GMT+2` printed UTC and the UTC wall time.
    (
        "TIMESTAMP '2024-03-05 07:08:09.123' AT TIME ZONE 'GMT+2'",
        "2024-03-05 09:08:09.123 +02:00",
        "T: TestTimeZoneKey (UTC+7 is +07:00)",
    ),
    (
        "TIMESTAMP '2024-03-05 07:08:09.123' AT TIME ZONE 'Etc/GMT+2'",
        "2024-03-05 05:08:09.123 -02:00",
        "T: TestTimeZoneKey (Etc/GMT+7 is -07:00)",
    ),
    (
        "TIMESTAMP '2024-03-05 07:08:09.123' AT TIME ZONE 'america/new_york'",
        "2024-03-05 02:08:09.123 America/New_York",
        "T: TimeZoneKey.getTimeZoneKey (case-insensitive)",
    ),
    (
        "TIMESTAMP '2024-03-05 07:08:09' AT TIME ZONE '-0735'",
        "2024-03-04 23:33:09 -07:35",
        "T: TestTimeZoneKey",
    ),
    (
        "from_unixtime(0, 'utc+1')",
        "1970-01-01 01:00:00.000 +01:00",
        "D: functions/datetime.html#from_unixtime",
    ),
    # A zone written in a timestamp literal too (it printed UTC, and read UTC+2 two hours the wrong way).
    (
        "TIMESTAMP '2024-01-01 00:00:00 america/new_york'",
        "2024-01-01 00:00:00 America/New_York",
        "D: language/types.html#timestamp-with-time-zone",
    ),
    ("TIMESTAMP '2024-01-01 00:00:00 UTC+2'", "2024-01-01 00:00:00 +02:00", "T: TestTimeZoneKey"),
]

STRINGS: list[Case] = [
    # upper maps code point by code point (StringFunctions.upper -> SliceUtf8.toUpperCase, Java's
    # Character.toUpperCase): ß has no single capital code point there; DuckDB gave ẞ.
    ("upper('straße')", "STRAßE", "T: io.trino.operator.scalar.StringFunctions.upper"),
    ("upper('ᾳx')", "ᾼX", "T: StringFunctions.upper (simple case mapping)"),
    ("lower('ẞİ')", "ßi", "T: StringFunctions.lower (simple case mapping)"),
]


@pytest.fixture(scope="module")
def ct(demo_home: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from lake_client(demo_home, tmp_path_factory)


def test_intervals_print_and_compute_as_trino(ct: Any) -> None:
    check(ct, INTERVALS)


def test_zoned_timestamps_inside_arrays_maps_and_rows_keep_their_zone(ct: Any) -> None:
    check(ct, NESTED_ZONES)


def test_zone_names_are_read_as_trino_reads_them(ct: Any) -> None:
    check(ct, ZONES)


def test_upper_and_lower_map_code_point_by_code_point(ct: Any) -> None:
    check(ct, STRINGS)


@pytest.mark.parametrize(
    "expr, message",
    [
        # D: functions/datetime.html#date-and-time-operators: no operator adds the two interval types.
        (
            "INTERVAL '1' MONTH + INTERVAL '1' DAY",
            "line 1:27: Cannot apply operator: interval year to month + interval day to second",
        ),
        ("INTERVAL '1.5' MONTH", "'1.5' is not a valid INTERVAL literal"),
        ("INTERVAL '1-13' YEAR TO MONTH", "'1-13' is not a valid INTERVAL literal"),
        # T: io.trino.spi.type.TimeZoneNotSupportedException; an unknown zone printed as UTC.
        ("eventTime AT TIME ZONE 'Nowhere/Land'", "Time zone not supported: Nowhere/Land"),
        ("eventTime AT TIME ZONE 'UTC7'", "Time zone not supported: UTC7"),
        ("TIMESTAMP '2024-01-01 00:00:00 Nowhere/Land'", "Time zone not supported: Nowhere/Land"),
        # A zone the local lake cannot print inside the value is refused, not shown in UTC.
        ("ROW(eventTime AT TIME ZONE '-05:00')", "cannot be shown in its zone (-05:00)"),
        (
            "map_agg(eventName, eventTime AT TIME ZONE 'Asia/Tokyo')",
            "cannot be shown in its zone (Asia/Tokyo)",
        ),
        (
            "ARRAY[eventTime AT TIME ZONE 'Asia/Tokyo', eventTime AT TIME ZONE 'UTC']",
            "Values in different time zones in one column",
        ),
    ],
)
def test_what_cannot_be_given_trinos_meaning_is_refused(ct: Any, expr: str, message: str) -> None:
    with pytest.raises(ClientError) as exc:
        ct.start_query(QueryStatement=f"SELECT {expr} FROM {S}")
    assert exc.value.response["Error"]["Code"] == "InvalidQueryStatementException"
    assert message in exc.value.response["Error"]["Message"]


@pytest.mark.parametrize(
    "expr, message",
    [
        # T: io.trino.type.BigintOperators.negate / IntegerOperators.negate ("... negation overflow: ");
        # DuckDB widened the result: -(-9223372036854775808) printed 9223372036854775808.
        (
            "-(-9223372036854775807 - 1 + 0 * length(eventName))",
            "bigint negation overflow: -9223372036854775808",
        ),
        ("-(INTEGER '-2147483648')", "integer negation overflow: -2147483648"),
    ],
)
def test_negation_at_the_minimum_fails(ct: Any, expr: str, message: str) -> None:
    assert message in run_error(ct, f"SELECT {expr} FROM {S} LIMIT 1")


def test_negation_keeps_the_type(ct: Any) -> None:
    check(
        ct,
        [
            ("typeof(-length(eventName))", "bigint", "D: functions/math.html"),
            ("-(CAST(5 AS smallint))", "-5", "D: math"),
        ],
    )
