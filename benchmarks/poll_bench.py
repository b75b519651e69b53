"""Polling: how many DescribeQuery calls a 10-second query costs the explorer against `serve` with 50 ms of
latency injected, and how long after the query ends its first rows are on screen. Reference, same run: a
fixed-interval poller (every 250 ms, the most a poll may wait at first) following the same kind of query."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.lake1m import lake_home
from benchmarks.serving import KEY, SECRET, cloudtrail_client, serving


async def _explorer(store: str) -> tuple[int, float, float, str]:
    from trailtui.paths import locations
    from trailtui.tui.app import TrailApp
    from trailtui.tui.editor import SqlEditor

    app = TrailApp(locations(), aws_stores=False, profile="bench", region="us-east-1")
    calls: list[float] = []
    shown = 0.0
    async with app.run_test(size=(120, 40)) as pilot:
        state = app.main.state
        while state.store is None:
            await pilot.pause(0.05)
        conn = state.connections[state.current]
        conn.cloudtrail.meta.events.register(
            "before-call.cloudtrail.DescribeQuery", lambda **_: calls.append(time.time())
        )
        # Bounded by eventTime, or the explorer would (rightly) ask before running it on an AWS connection.
        app.main.query_one(
            SqlEditor
        ).text = f"SELECT eventName, count(*) FROM {store} WHERE eventTime > '2026-10-01' GROUP BY 1"
        await pilot.press("ctrl+j")
        while state.run is None or not state.run.complete:
            if not shown and state.run is not None and state.run.loaded:
                shown = time.time()  # the first page is in the grid, drawn at the next refresh
            await pilot.pause(0.005)
        shown = shown or time.time()
        query_id = state.run.query_id or ""
    return len(calls), shown, calls[-1] - calls[-2] if len(calls) > 1 else 0.0, query_id


def _fixed_poller(ct: Any, store: str) -> int:
    qid = ct.start_query(QueryStatement=f"SELECT eventName, count(*) FROM {store} GROUP BY 1")["QueryId"]
    calls = 0
    while True:
        calls += 1
        if ct.describe_query(QueryId=qid)["QueryStatus"] not in ("QUEUED", "RUNNING"):
            return calls
        time.sleep(0.25)


def run() -> list[tuple[str, float, float]]:
    home, _ = lake_home(200_000)
    with serving(home, faults="latency=50,query-delay=10") as url, tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config"
        config.write_text(f"[profile bench]\nregion = us-east-1\nendpoint_url = {url}\n")
        creds = Path(tmp) / "credentials"
        creds.write_text(f"[bench]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n")
        os.environ.update(
            AWS_CONFIG_FILE=str(config),
            AWS_SHARED_CREDENTIALS_FILE=str(creds),
            TRAILTUI_HOME=str(Path(tmp) / "client-home"),
            AWS_EC2_METADATA_DISABLED="true",
        )
        ct = cloudtrail_client(url)
        store = ct.list_event_data_stores()["EventDataStores"][0]["EventDataStoreArn"].rsplit("/", 1)[1]
        describes, shown_at, last_gap, query_id = asyncio.run(_explorer(store))
        fixed = _fixed_poller(ct, store)
    with sqlite3.connect(home / "state" / "local-queries.sqlite") as db:
        (ended,) = db.execute("SELECT end_time FROM queries WHERE query_id = ?", (query_id,)).fetchone()
    return [
        ("DescribeQuery calls for a 10 s query (vs every 250 ms)", describes, fixed),
        ("query end to first rows on screen, s (vs last poll interval)", shown_at - ended, last_gap),
    ]


def main() -> None:
    for name, value, ref in run():
        print(f"{name:62} {value:8.2f} {ref:8.2f}")


if __name__ == "__main__":
    main()
