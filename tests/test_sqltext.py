"""Lake SQL as text: which queries restrict eventTime (the explorer asks before running the others on AWS,
where Lake bills every byte they scan), and which store a query is about."""

from __future__ import annotations

import pytest

from trailtui.lake.sqltext import first_store_id, has_time_bound

S = "0d3a6f2e-7b1c-4e5a-9c8d-2f4b6a8c0e1d"


@pytest.mark.parametrize(
    "sql",
    [
        f"SELECT * FROM {S} WHERE eventTime > '2026-01-01'",
        f"SELECT * FROM {S} WHERE eventTime BETWEEN '2026-01-01' AND '2026-01-02' AND errorCode IS NULL",
        f"SELECT * FROM {S} WHERE (eventName = 'a' OR eventName = 'b') AND eventTime > '2026-01-01'",
        f"SELECT * FROM {S} WHERE eventTime > '2026-01-01' OR eventTime < '2025-01-01'",
        f"SELECT * FROM {S} WHERE eventtime IN (timestamp '2026-01-01 00:00:00')",
        f"WITH t AS (SELECT * FROM {S} WHERE eventTime > '2026-01-01') SELECT count(*) FROM t",
        f"SELECT * FROM (SELECT * FROM {S} WHERE eventTime > '2026-01-01') s",
        f"SELECT a.eventName FROM {S} a JOIN {S} b ON a.eventID = b.eventID "
        "WHERE a.eventTime > '2026-01-01' AND b.eventTime > '2026-01-01'",
        "SELECT nothing FROM (((",  # unparseable: the service refuses it before it scans
    ],
)
def test_bounded(sql: str) -> None:
    assert has_time_bound(sql)


@pytest.mark.parametrize(
    "sql",
    [
        f"SELECT * FROM {S}",
        f"SELECT eventTime > '2026-01-01' AS recent FROM {S}",  # a comparison, but not a restriction
        f"SELECT * FROM {S} WHERE eventTime > '2026-01-01' OR 1 = 1",  # the OR lets everything through
        f"SELECT * FROM {S} WHERE eventName = 'ConsoleLogin'",
        f"SELECT * FROM {S} WHERE eventTime IN (SELECT max(eventTime) FROM {S})",  # the inner scan is whole
        f"SELECT * FROM {S} WHERE eventTime > '2026-01-01' UNION ALL SELECT * FROM {S}",
        f"SELECT count(*) FROM {S} GROUP BY eventTime HAVING eventTime > '2026-01-01'",
    ],
)
def test_unbounded(sql: str) -> None:
    assert not has_time_bound(sql)


def test_first_store_id() -> None:
    arn = f"arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/{S}"
    assert first_store_id(f"SELECT * FROM {arn}") == S
    assert first_store_id(f"SELECT * FROM {S} a, {S.replace('0d', 'ff', 1)} b") == S
    assert first_store_id("SELECT 1") is None
