"""Statistics that teach the right habit: bounding a query by eventTime makes it read, and bill, less.

Lake partitions a store by eventTime and AWS tells users to bound every query by it. The local lake writes
each store in eventTime order so DuckDB skips the row groups outside a bound, and reports EventsScanned and
BytesScanned from what the query really read. Everything goes through boto3, as a user's tools would.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from trailtui.local.demo import DEMO_STORE_ID
from trailtui.local.engine import Limits
from trailtui.local.service import LocalLake

from .conftest import DEMO_ANCHOR

FORMAT = "%Y-%m-%d %H:%M:%S"
LAST_DAY = (DEMO_ANCHOR - timedelta(days=1)).strftime(FORMAT)  # the demo's thirty days end before the anchor
MID_DAY = tuple((DEMO_ANCHOR - timedelta(days=d)).strftime(FORMAT) for d in (17, 16))


@pytest.fixture
def ct(demo_lake: Any) -> Iterator[Any]:
    lake = LocalLake(limits=Limits(seconds=60))
    yield lake.client()
    lake.close()


def statistics(ct: Any, sql: str) -> dict[str, Any]:
    query_id = ct.start_query(QueryStatement=sql)["QueryId"]
    deadline = time.monotonic() + 60
    while True:
        described = ct.describe_query(QueryId=query_id)
        if described["QueryStatus"] not in ("QUEUED", "RUNNING"):
            break
        assert time.monotonic() < deadline, "query did not end"
        time.sleep(0.05)
    assert described["QueryStatus"] == "FINISHED", described.get("ErrorMessage")
    stats: dict[str, Any] = described["QueryStatistics"]
    return stats


@pytest.mark.parametrize(
    "bound",
    [f"eventTime > '{LAST_DAY}'", f"eventTime >= '{MID_DAY[0]}' AND eventTime < '{MID_DAY[1]}'"],
    ids=["last-day", "mid-month-day"],
)
@pytest.mark.parametrize(
    "select",
    [
        "SELECT eventName, count(*) AS n FROM {id} {where} GROUP BY 1",
        "SELECT eventSource, eventName, sourceIPAddress, userIdentity.arn FROM {id} {where}",
    ],
    ids=["count-by-name", "four-columns"],
)
def test_a_one_day_bound_reads_a_fifth_or_less(ct: Any, select: str, bound: str) -> None:
    unbounded = statistics(ct, select.format(id=DEMO_STORE_ID, where=""))
    bounded = statistics(ct, select.format(id=DEMO_STORE_ID, where=f"WHERE {bound}"))
    assert unbounded["EventsScanned"] >= 100_000
    assert 0 < bounded["BytesScanned"] * 5 <= unbounded["BytesScanned"]
    assert bounded["EventsMatched"] <= bounded["EventsScanned"] <= unbounded["EventsScanned"] / 5
    # One day of thirty: about 3,500 events matched.
    assert 2_000 <= bounded["EventsMatched"] <= 6_000


def test_reading_eventtime_is_billed_bounding_by_it_is_not(ct: Any) -> None:
    where = f"WHERE eventTime > '{LAST_DAY}'"
    names = statistics(ct, f"SELECT eventName FROM {DEMO_STORE_ID} {where}")
    with_time = statistics(ct, f"SELECT eventName, eventTime FROM {DEMO_STORE_ID} {where}")
    assert names["EventsScanned"] == with_time["EventsScanned"]
    assert with_time["BytesScanned"] > names["BytesScanned"] > 0


def test_a_bound_on_another_column_still_scans_everything(ct: Any) -> None:
    stats = statistics(ct, f"SELECT eventName FROM {DEMO_STORE_ID} WHERE eventName = 'StopLogging'")
    assert stats["EventsScanned"] >= 100_000 and stats["EventsMatched"] >= 1
