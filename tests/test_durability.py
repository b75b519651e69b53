"""kill -9 in the middle of a query: the lake and the history stay consistent, the query is marked as ended,
and everything works on the next start. (Imports and history writes: test_import_durability.py and
test_history.py.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from trailtui.lake.history import History
from trailtui.local.demo import DEMO_STORE_ID
from trailtui.local.querystore import QueryStore
from trailtui.local.service import LocalLake
from trailtui.paths import locations

SLOW = f"SELECT count(*) FROM {DEMO_STORE_ID} a CROSS JOIN {DEMO_STORE_ID} b WHERE a.eventid < b.eventid"


def test_kill_9_during_a_query(demo_lake: Any) -> None:
    where = locations()
    proc = subprocess.Popen(
        [sys.executable, "-m", "trailtui", "query", SLOW],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    store = QueryStore(where.queries_db)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        running = [r for r in store.list_for_store(DEMO_STORE_ID, None, None, "RUNNING")]
        if running:
            break
        time.sleep(0.05)
    assert running, "the query never started"
    query_id = running[0].query_id
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    lake = LocalLake()
    try:
        state = lake.engine.describe(query_id)
        assert state.status == "FAILED" and "exited" in (state.error or "")
        assert lake.engine.stores()[0].event_count >= 100_000  # the lake is intact
        entry = History(where.history_db).search()[0]
        assert entry.query_id == query_id and entry.sql == SLOW  # acknowledged before the kill: kept
        assert History(where.history_db).check() == "ok" and store.expire() == 0
        rec = lake.engine.start(f"SELECT count(*) FROM {DEMO_STORE_ID}")
        deadline = time.monotonic() + 30
        while (
            lake.engine.describe(rec.query_id).status in ("QUEUED", "RUNNING") and time.monotonic() < deadline
        ):
            time.sleep(0.05)
        assert lake.engine.describe(rec.query_id).status == "FINISHED"
    finally:
        lake.close()
