"""Values rendered as Lake (Trino) prints them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import duckdb
import pytest

from trailtui.local.render import java_double, render_row, renderer_for


def _render(sql: str) -> list[str | None]:
    con = duckdb.connect()
    cur = con.execute(sql)
    renderers = [renderer_for(d[1]) for d in cur.description]
    return render_row(cur.fetchone(), renderers)


def test_scalars() -> None:
    out = _render(
        "SELECT 'x', 96059, true, false, NULL, TIMESTAMP '2022-04-06 16:01:09', "
        "TIMESTAMP '2022-04-06 16:01:09.123456', DATE '2023-01-02', 1.5::DOUBLE, 2.50::DECIMAL(5,2)"
    )
    assert out == [
        "x",
        "96059",
        "true",
        "false",
        None,
        "2022-04-06 16:01:09.000",
        "2022-04-06 16:01:09.123",
        "2023-01-02",
        "1.5",
        "2.50",
    ]


def test_structs_maps_and_arrays() -> None:
    out = _render(
        "SELECT {'type': 'AssumedRole', 'principalId': 'AROA:x', 'sessionContext': "
        "{'attributes': {'creationDate': TIMESTAMP '2023-06-07 23:59:12', 'mfaAuthenticated': 'true'}}, "
        "'userName': NULL::VARCHAR}, MAP {'bucketName': 'b', 'Key': NULL}, "
        "[{'accountId': '1', 'ARN': 'arn:x', 'ARNPrefix': NULL::VARCHAR}], []::INT[]"
    )
    assert out[0] == (
        "{type=AssumedRole, principalid=AROA:x, sessioncontext={attributes={creationdate="
        "2023-06-07 23:59:12.000, mfaauthenticated=true}}, username=null}"
    )
    assert out[1] == "{bucketName=b, Key=null}"  # map keys keep their case
    assert out[2] == "[{accountid=1, arn=arn:x, arnprefix=null}]"
    assert out[3] == "[]"


@pytest.mark.parametrize(
    "value, text",
    [
        (1.0, "1.0"),
        (0.5, "0.5"),
        (1e7, "1.0E7"),
        (12345678.9, "1.23456789E7"),
        (1e-4, "1.0E-4"),
        (-2.5, "-2.5"),
        (0.0, "0.0"),
        (float("nan"), "NaN"),
        (123.456, "123.456"),
    ],
)
def test_doubles_print_like_java(value: float, text: str) -> None:
    assert java_double(value) == text


def test_timestamp_with_time_zone_says_utc() -> None:
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    cur = con.execute("SELECT TIMESTAMPTZ '2024-01-01 10:00:00+00'")
    assert renderer_for(cur.description[0][1])(cur.fetchone()[0]) == "2024-01-01 10:00:00.000 UTC"
    # Whatever zone a value arrives in (a session's, the machine's), it is shown in UTC.
    con.execute("SET TimeZone='America/New_York'")
    cur = con.execute("SELECT TIMESTAMPTZ '2024-01-01 10:00:00+00'")
    assert renderer_for(cur.description[0][1])(cur.fetchone()[0]) == "2024-01-01 10:00:00.000 UTC"
    assert renderer_for(cur.description[0][1])(
        dt.datetime(2024, 1, 1, 5, tzinfo=ZoneInfo("America/New_York"))
    ) == ("2024-01-01 10:00:00.000 UTC")
