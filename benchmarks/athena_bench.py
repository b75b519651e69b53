"""Athena partition pruning and translation cost: for a one-day query over a 30-day organization trail, the
bytes Athena would read through the translated query's partition predicates (the sizes of the objects those
predicates select) beside an unpruned table's (every object); and the Lake-to-Athena translation time
beside parsing and printing the same statement with sqlglot alone."""

from __future__ import annotations

import gzip
import json
import statistics
import time
from datetime import datetime, timedelta
from typing import Any

from trailtui.athena.table import TrailLayout, parse_table, table_input
from trailtui.athena.translate import translate
from trailtui.local.demo import ORG_ID, DemoGenerator

EVENTS = 108_000
ANCHOR = datetime(2026, 11, 1)  # the demo ends here: thirty days before it
DAY = ANCHOR - timedelta(days=10)
QUERY = (
    "SELECT eventSource, eventName, count(*) AS calls FROM trail.logs "
    f"WHERE eventTime >= '{DAY:%Y-%m-%d} 00:00:00' AND eventTime < '{DAY + timedelta(days=1):%Y-%m-%d} 00:00:00' "
    "GROUP BY 1, 2 ORDER BY 3 DESC"
)


def _objects() -> list[tuple[str, str, str, int]]:
    """(account, Region, yyyy/MM/dd, gzipped size): one log object per account, Region, day and 3 hours."""
    groups: dict[tuple[str, str, str, int], list[dict[str, Any]]] = {}
    for ev in DemoGenerator(ANCHOR, EVENTS).events():
        t = ev["eventTime"]
        key = (ev["recipientAccountId"], ev["awsRegion"], t[:10].replace("-", "/"), int(t[11:13]) // 3)
        groups.setdefault(key, []).append(ev)
    return [
        (acct, region, day, len(gzip.compress(json.dumps({"Records": evs}).encode(), 6)))
        for (acct, region, day, _), evs in groups.items()
    ]


def _selected_bytes(objects: list[tuple[str, str, str, int]], predicates: list[str]) -> int:
    import duckdb

    con = duckdb.connect()
    con.execute('CREATE TABLE objects (account VARCHAR, region VARCHAR, "timestamp" VARCHAR, size BIGINT)')
    con.executemany("INSERT INTO objects VALUES (?, ?, ?, ?)", objects)
    where = " AND ".join(predicates) or "true"
    row = con.execute(f"SELECT coalesce(sum(size), 0) FROM objects WHERE {where}").fetchone()
    return int(row[0]) if row else 0


def _ms(fn: Any, repeats: int = 30) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def run() -> list[tuple[str, float, float]]:
    import sqlglot

    objects = _objects()
    accounts = sorted({o[0] for o in objects})
    regions = sorted({o[1] for o in objects})
    layout = TrailLayout(
        "trail", f"AWSLogs/{ORG_ID}/", ORG_ID, tuple(accounts), tuple(regions), min(o[2] for o in objects)
    )
    table = parse_table("trail", table_input("logs", layout))
    assert table is not None

    def resolve(ref: str) -> Any:
        return table if ref == "trail.logs" else None

    translation = translate(QUERY, resolve)
    pruned = _selected_bytes(objects, translation.partition_predicates)
    everything = _selected_bytes(objects, [])
    translate_ms = _ms(lambda: translate(QUERY, resolve))
    sqlglot_ms = _ms(lambda: sqlglot.parse_one(QUERY, read="trino").sql(dialect="trino"))
    return [
        (
            "athena 1-day query, 30-day trail: MB read vs unpruned",
            pruned / 1e6,
            everything / 1e6,
        ),
        ("athena Lake-to-Athena translation, ms vs sqlglot parse+print", translate_ms, sqlglot_ms),
    ]
