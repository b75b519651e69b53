"""Trino's date and time functions on the local lake (case format: tests/trinofunctions.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.trinofunctions import Case, check, error_of, lake_client, run
from trailtui.local.demo import DEMO_STORE_ID

DATETIMES: list[Case] = [
    (
        "extract(DOW FROM TIMESTAMP '2026-11-22 10:00:00')",
        "7",
        "D: datetime.html#extract (ISO day of week, Sunday 7)",
    ),
    ("extract(DAY_OF_WEEK FROM DATE '2026-11-22')", "7", "D: datetime.html#extract"),
    ("extract(DOY FROM DATE '2026-02-01')", "32", "D: datetime.html#extract"),
    ("day_of_week(TIMESTAMP '2026-11-23 10:00:00')", "1", "D: datetime.html#day_of_week"),
    (
        "millisecond(TIMESTAMP '2020-05-10 12:34:10.000')",
        "0",
        "T: operator/scalar/TestDateTimeFunctions (millisecond of second)",
    ),
    ("millisecond(TIMESTAMP '2020-05-10 12:34:10.123')", "123", "T: TestDateTimeFunctions"),
    (
        "to_iso8601(TIMESTAMP '2020-05-10 12:34:10.123')",
        "2020-05-10T12:34:10.123",
        "D: datetime.html#to_iso8601",
    ),
    ("to_iso8601(DATE '2020-05-10')", "2020-05-10", "D: datetime.html#to_iso8601"),
    (
        "to_iso8601(from_unixtime(0))",
        "1970-01-01T00:00:00.000Z",
        "D: datetime.html#to_iso8601 (UTC session zone)",
    ),
    (
        "to_iso8601(TIMESTAMP '2020-05-10 12:34:10.123' AT TIME ZONE 'America/New_York')",
        "2020-05-10T08:34:10.123-04:00",
        "D: datetime.html#to_iso8601",
    ),
    (
        "at_timezone(TIMESTAMP '2020-05-10 12:34:10.123 UTC', 'America/New_York')",
        "2020-05-10 08:34:10.123 America/New_York",
        "D: datetime.html#at_timezone",
    ),
    (
        "format_datetime(TIMESTAMP '2020-05-10 12:34:10.123', 'yyyy-MM-dd HH:mm:ss.SSS EEE')",
        "2020-05-10 12:34:10.123 Sun",
        "D: datetime.html#format_datetime (Joda-Time pattern)",
    ),
    (
        "format_datetime(from_unixtime(0) AT TIME ZONE 'Asia/Tokyo', 'yyyy-MM-dd HH:mm')",
        "1970-01-01 09:00",
        "D: datetime.html#format_datetime (in the value's zone)",
    ),
    (
        "date_diff('day', TIMESTAMP '2020-01-01 23:00:00', TIMESTAMP '2020-01-02 01:00:00')",
        "0",
        "D: datetime.html#date_diff (whole days elapsed)",
    ),
    (
        "date_diff('hour', TIMESTAMP '2020-01-01 00:30:00', TIMESTAMP '2020-01-01 02:29:00')",
        "1",
        "D: datetime.html#date_diff",
    ),
    (
        "from_unixtime(7200, 'Asia/Shanghai')",
        "1970-01-01 10:00:00.000 Asia/Shanghai",
        "T: TestDateTimeFunctions.testFromUnixTimeWithTimeZone",
    ),
    (
        "from_unixtime(0)",
        "1970-01-01 00:00:00.000 UTC",
        "D: datetime.html#from_unixtime (timestamp(3) with time zone)",
    ),
    (
        "to_iso8601(TIMESTAMP '2001-08-22 03:04:05.321 +07:09')",
        "2001-08-22T03:04:05.321+07:09",
        "T: TestDateTimeFunctions",
    ),
    (
        "from_iso8601_timestamp('2001-08-22T03:04:05.321+07:09')",
        "2001-08-22 03:04:05.321 +07:09",
        "D: datetime.html#from_iso8601_timestamp",
    ),
    (
        "date_add('month', 1, DATE '2020-01-31')",
        "2020-02-29",
        "D: datetime.html#date_add (a date stays a date)",
    ),
    (
        "parse_datetime('2013-05-17 12:35:10', 'yyyy-MM-dd HH:mm:ss')",
        "2013-05-17 12:35:10.000 UTC",
        "D: datetime.html#parse_datetime",
    ),
    (
        "with_timezone(TIMESTAMP '2001-08-22 03:04:05.321', 'America/Los_Angeles')",
        "2001-08-22 03:04:05.321 America/Los_Angeles",
        "D: datetime.html#with_timezone",
    ),
    ("human_readable_seconds(96)", "1 minute, 36 seconds", "D: datetime.html#human_readable_seconds"),
    (
        "human_readable_seconds(3762)",
        "1 hour, 2 minutes, 42 seconds",
        "D: datetime.html#human_readable_seconds",
    ),
    (
        "hour(TIMESTAMP '2001-08-22 03:04:05.321 +07:09')",
        "3",
        "T: TestDateTimeFunctions (fields in the value's zone)",
    ),
    (
        "day(TIMESTAMP '2001-08-22 03:04:05.321 +07:09')",
        "22",
        "T: TestDateTimeFunctions (fields in the value's zone)",
    ),
    (
        "hour(TIMESTAMP '2001-08-22 03:04:05.321' AT TIME ZONE 'Asia/Tokyo')",
        "12",
        "D: datetime.html#at-time-zone-operator",
    ),
    (
        "timezone_hour(TIMESTAMP '2001-08-22 03:04:05.321 +07:09')",
        "7",
        "T: TestDateTimeFunctions.testTimeZoneHour",
    ),
    (
        "timezone_minute(TIMESTAMP '2001-08-22 03:04:05.321 +07:09')",
        "9",
        "T: TestDateTimeFunctions.testTimeZoneMinute",
    ),
]


@pytest.fixture(scope="module")
def ct(demo_home: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from lake_client(demo_home, tmp_path_factory)


def test_datetime_functions_answer_as_trino(ct: Any) -> None:
    check(ct, DATETIMES)


def test_iso_text_with_an_offset_read_from_a_column_keeps_trinos_numbers_or_fails(ct: Any) -> None:
    """from_iso8601_timestamp keeps each value's offset (D: functions/datetime.html): Trino's hour() of
    '...03:04:05+02:00' is 3. The lake placed a column's value in UTC and answered 1; now it answers where
    the offset is UTC's or the user reads the value in a zone of their own, and fails otherwise."""
    text = "concat('2024-01-02T03:04:05', {})"

    def answer(expr: str) -> list[list[str | None]]:
        return run(ct, f"SELECT {expr} FROM {DEMO_STORE_ID} LIMIT 1")

    assert answer(f"hour(from_iso8601_timestamp({text.format(repr('Z'))}))") == [["3"]]
    assert answer(f"hour(from_iso8601_timestamp({text.format(repr('+00:00'))}))") == [["3"]]
    assert answer(f"hour(from_iso8601_timestamp({text.format(repr(''))}))") == [["3"]]
    assert answer(f"hour(from_iso8601_timestamp({text.format(repr('+02:00'))}) AT TIME ZONE 'UTC')") == [
        ["1"]
    ]
    assert answer("hour(from_iso8601_timestamp('2024-01-02T03:04:05+02:00'))") == [["3"]]
    message = error_of(
        ct, f"SELECT hour(from_iso8601_timestamp({text.format(repr('+02:00'))})) FROM {DEMO_STORE_ID} LIMIT 1"
    )
    assert "offset other than UTC is not supported" in message
