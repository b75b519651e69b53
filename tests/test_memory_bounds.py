"""Memory bounded end to end: a cap DuckDB cannot build strings past, results rendered, stored and read in
bounded pieces, a few result reads at once, failed results dropped, expiry while running, space reclaimed."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from benchmarks.serving import read_banner, serve_command
from tests.logfiles import record, write_log
from trailtui.lake.query import QueryRun
from trailtui.local import engine as engine_module
from trailtui.local import querystore, resultsink
from trailtui.local.engine import Limits
from trailtui.local.importer import import_paths
from trailtui.local.lakefile import LakeFile
from trailtui.local.service import LocalLake

EVENTS = 600


@pytest.fixture
def small_lake(lake: LakeFile, tmp_path: Path) -> LakeFile:
    report = import_paths(lake, [write_log(tmp_path / "logs.json.gz", [record(i) for i in range(EVENTS)])])
    assert report.ok and report.events_added == EVENTS
    return lake


@pytest.fixture
def local(small_lake: LakeFile) -> Iterator[LocalLake]:
    lake = LocalLake(limits=Limits(memory="256MB", threads=1, seconds=20))
    yield lake
    lake.close()


def _store(local: LocalLake) -> str:
    return local.engine.stores()[0].id


def _finish(local: LocalLake, sql: str) -> tuple[str, Any]:
    q = QueryRun(local.client(), sql)
    q.start()
    state = q.wait(sleep=lambda s: time.sleep(min(s, 0.05)))
    assert q.query_id is not None
    return q.query_id, state


def test_wide_results_are_rendered_and_stored_in_bounded_chunks(
    local: LocalLake, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resultsink, "CHUNK_BYTES", 256 * 1024)
    # 600 rows of 40 KB: 24 MB of results, which a 2,000-row chunk would hold in Python at once.
    sql = f"SELECT eventid, repeat(eventid, 1100) AS wide FROM {_store(local)}"
    _finish(local, f"SELECT count(*) FROM {_store(local)}")  # the first query's imports are not results
    tracemalloc.start()
    try:
        qid = local.engine.start(sql).query_id  # the engine alone: no client reading the results
        while local.engine.describe(qid).status in ("QUEUED", "RUNNING"):
            time.sleep(0.05)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert local.engine.describe(qid).status == "FINISHED"
    assert local.engine.describe(qid).total_rows == EVENTS
    assert peak < 4 * 1024 * 1024, peak


def test_pages_are_bounded_in_bytes_and_page_through_everything(
    local: LocalLake, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(querystore, "PAGE_BYTES", 100 * 1024)
    qid, state = _finish(
        local, f"SELECT eventid, repeat('x', 10000) AS wide FROM {_store(local)} ORDER BY eventid"
    )
    assert state.status == "FINISHED"
    ct = local.client()
    seen: list[str] = []
    token = None
    pages = 0
    while True:
        args: dict[str, Any] = {"QueryId": qid, "MaxQueryResults": 1000}
        if token:
            args["NextToken"] = token
        page = ct.get_query_results(**args)
        pages += 1
        assert len(page["QueryResultRows"]) <= 11  # ~10 KB rows, 100 KB pages
        seen += [row[0]["eventid"] for row in page["QueryResultRows"]]
        token = page.get("NextToken")
        if not token:
            break
    assert pages > 50 and len(seen) == EVENTS and seen == sorted(seen)


def test_result_reads_are_capped(local: LocalLake, monkeypatch: pytest.MonkeyPatch) -> None:
    qid, _ = _finish(local, f"SELECT eventid FROM {_store(local)}")
    store = local.engine.queries
    original = store.read_rows
    inside = 0
    most = 0
    lock = threading.Lock()

    def slow_read(*args: Any) -> Any:
        nonlocal inside, most
        with lock:
            inside += 1
            most = max(most, inside)
        time.sleep(0.1)
        try:
            return original(*args)
        finally:
            with lock:
                inside -= 1

    monkeypatch.setattr(store, "read_rows", slow_read)
    ct = local.client()
    threads = [threading.Thread(target=ct.get_query_results, kwargs={"QueryId": qid}) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most == local.engine.limits.result_reads == 2


def test_a_failed_querys_rows_are_dropped(small_lake: LakeFile) -> None:
    lake = LocalLake(limits=Limits(max_result_bytes=200_000, memory="256MB", threads=1))
    try:
        qid, state = _finish(lake, f"SELECT eventjson FROM {_store(lake)}")
        assert state.status == "FAILED" and state.error == engine_module.TOO_LARGE
        con = lake.engine.queries._conn()
        assert con.execute("SELECT count(*) FROM query_results WHERE query_id = ?", (qid,)).fetchone()[0] == 0
        assert lake.engine.describe(qid).total_rows == 0
        assert con.execute("PRAGMA freelist_count").fetchone()[0] == 0  # the space went back to the disk
    finally:
        lake.close()


def test_results_expire_while_the_engine_runs(local: LocalLake, monkeypatch: pytest.MonkeyPatch) -> None:
    old, _ = _finish(local, f"SELECT eventjson FROM {_store(local)}")
    con = local.engine.queries._conn()
    stored = "SELECT count(*) FROM query_results WHERE query_id = ?"
    assert con.execute(stored, (old,)).fetchone()[0] > 0
    con.execute("UPDATE queries SET creation_time = creation_time - 8 * 86400 WHERE query_id = ?", (old,))
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size_before = local.engine.queries.path.stat().st_size
    monkeypatch.setattr(engine_module, "EXPIRE_EVERY", 0.0)
    _finish(local, f"SELECT count(*) FROM {_store(local)}")  # any later query sweeps expired results
    assert local.engine.queries.get(old) is None
    assert con.execute("SELECT count(*) FROM query_results WHERE query_id = ?", (old,)).fetchone()[0] == 0
    assert con.execute("PRAGMA auto_vacuum").fetchone()[0] == 2  # incremental
    assert con.execute("PRAGMA freelist_count").fetchone()[0] == 0
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert local.engine.queries.path.stat().st_size < size_before


def test_only_a_few_queries_execute_at_once(small_lake: LakeFile) -> None:
    lake = LocalLake(limits=Limits(memory="256MB", threads=1, running=2, seconds=20))
    try:
        ct = lake.client()
        s = _store(lake)
        slow = f"SELECT count(*) FROM {s} a, {s} b, {s} c, {s} d"
        ids = [ct.start_query(QueryStatement=slow)["QueryId"] for _ in range(4)]
        time.sleep(1.0)
        states = [ct.describe_query(QueryId=q)["QueryStatus"] for q in ids]
        assert states.count("RUNNING") <= 2 and states.count("QUEUED") >= 2, states
        for q in ids:
            ct.cancel_query(QueryId=q)
    finally:
        lake.close()


def test_serve_memory_cap_holds_for_string_building(small_lake: LakeFile) -> None:
    """The process cap holds whatever DuckDB's own limit says: here the query may use 8 GB in DuckDB, builds
    a 1 GB list and a 1 GB string from it, and serve's 1.5 GB cap ends it (rpad('x', 2e9), a string built
    outside DuckDB's limit altogether, meets the same cap, but takes minutes to get there)."""
    store = LocalLake()
    sid = _store(store)
    store.close()
    proc = subprocess.Popen(
        serve_command(
            "--no-demo",
            "--max-memory",
            "1500MB",
            "--access-key-id",
            "AKIAMEMORYCAP0001",
            "--secret-access-key",
            "s",
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=dict(os.environ, TRAILTUI_QUERY_MEMORY="8GB"),
    )
    try:
        _, url = read_banner(proc)
        ct = boto3.session.Session(
            aws_access_key_id="AKIAMEMORYCAP0001", aws_secret_access_key="s", region_name="us-east-1"
        ).client("cloudtrail", endpoint_url=url, config=Config(retries={"total_max_attempts": 1}))
        qid = ct.start_query(
            QueryStatement=f"SELECT length(array_join(repeat(rpad('x', 100000, 'x'), 10000), '')) AS n FROM {sid}"
        )["QueryId"]
        deadline = time.monotonic() + 60
        while (d := ct.describe_query(QueryId=qid))["QueryStatus"] in ("QUEUED", "RUNNING"):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert d["QueryStatus"] == "FAILED"
        assert d["ErrorMessage"] == "Query exhausted resources at this scale factor"
        assert ct.list_event_data_stores()["EventDataStores"]  # and the server goes on serving
        peak = next(
            int(ln.split()[1])
            for ln in Path(f"/proc/{proc.pid}/status").read_text().splitlines()
            if ln.startswith("VmHWM:")
        )
        assert peak < 1500 * 1024, peak  # kB
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
