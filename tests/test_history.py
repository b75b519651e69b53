"""History, saved and sample queries, drill-down, export and clipboard."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from tests.explorer import explorer
from trailtui.cli import main
from trailtui.lake.connection import ConnectionKey
from trailtui.lake.export import ResultWriter, neutralise_formula
from trailtui.lake.history import History
from trailtui.lake.library import samples, save_query, saved_queries, time_window
from trailtui.lake.query import QueryRun
from trailtui.local.demo import BACKDOOR_USER, DEMO_STORE_ID, INCIDENT_IP
from trailtui.local.service import LocalLake
from trailtui.paths import locations
from trailtui.tui.detail import DetailScreen
from trailtui.tui.dialogs import PromptScreen
from trailtui.tui.history import HistoryScreen
from trailtui.tui.library import LibraryScreen

EVENTS_SQL = (
    f"SELECT eventID, eventTime, eventName, sourceIPAddress FROM {DEMO_STORE_ID} "
    f"WHERE eventTime >= '2026-11-20 00:00:00' AND eventTime < '2026-11-27 00:00:00' "
    f"AND sourceIPAddress = '{INCIDENT_IP}' ORDER BY eventTime"
)


# -- the history store ---------------------------------------------------------------------------------------


def test_history_start_update_search_and_cap(tmp_path: Path) -> None:
    h = History(tmp_path / "h.sqlite", cap=5)
    first = h.started("SELECT 1 FROM a", ConnectionKey.local(), store="store-a")
    assert h.get(first).status == "STARTING" and h.get(first).ended is None
    h.update(first, query_id="q-1", status="FINISHED", row_count=3, bytes_scanned=10)
    e = h.get(first)
    assert (e.status, e.row_count, e.query_id) == ("FINISHED", 3, "q-1") and e.ended is not None
    for i in range(7):
        h.started(f"SELECT {i} FROM b WHERE x = 'needle{i}'", ConnectionKey.aws("prod", "eu-west-1"))
    assert h.count() == 5 and h.get(first) is None  # the oldest went first
    assert [e.sql for e in h.search("needle6")] == ["SELECT 6 FROM b WHERE x = 'needle6'"]
    assert len(h.search("AWS")) == 5  # the connection is searched too, case-insensitively


WRITER = """
import sys, time
from pathlib import Path
from trailtui.lake.history import History
h = History(Path(sys.argv[1]), cap=100000)
for i in range(int(sys.argv[3])):
    n = h.started(f"SELECT {i} FROM writer{sys.argv[2]}", "local")
    h.update(n, status="FINISHED", row_count=i)
    print(n, flush=True)
"""


def test_two_processes_write_at_once(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    History(db)
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(w), "150"], stdout=subprocess.PIPE)
        for w in range(2)
    ]
    for p in procs:
        assert p.wait(timeout=120) == 0
    h = History(db)
    assert h.count() == 300 and h.check() == "ok"
    assert all(e.status == "FINISHED" for e in h.search(limit=1000))


def test_kill_9_during_writes_loses_nothing_acknowledged(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    History(db)
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), "0", "100000"], stdout=subprocess.PIPE, text=True
    )
    acknowledged = []
    assert proc.stdout is not None
    for line in proc.stdout:
        acknowledged.append(int(line))
        if len(acknowledged) >= 300:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    h = History(db)
    assert h.check() == "ok"
    assert all(h.get(n) is not None for n in acknowledged)


# -- the TUI ---------------------------------------------------------------------------------------------------


def _service_queries() -> list[dict[str, Any]]:
    """ListQueries for the demo store, as the service (the local lake) knows them."""
    lake = LocalLake()
    try:
        return lake.client().list_queries(EventDataStore=DEMO_STORE_ID)["Queries"]
    finally:
        lake.close()


async def test_history_is_written_on_start_and_reopening_issues_no_new_query(demo_lake: Any) -> None:
    history = History(locations().history_db)
    async with explorer((140, 40)) as ex:
        await ex.ready()
        ex.editor.text = EVENTS_SQL
        await ex.press("ctrl+j")
        entry = history.search()[0]
        assert entry.sql == EVENTS_SQL and entry.status in ("STARTING", "QUEUED", "RUNNING", "FINISHED")
        q = await ex.finished()
        entry = history.get(entry.id)
        assert entry.status == "FINISHED" and entry.query_id == q.query_id and entry.row_count == q.total > 40
        assert entry.events_scanned and entry.bytes_scanned and entry.ended
        assert (entry.connection, entry.account, entry.region) == ("local", "111122223333", "us-east-1")
        assert entry.store == DEMO_STORE_ID
        rows_before = q.rows
        ex.editor.text = "-- something else"
        await ex.press("ctrl+r")
        await ex.wait_until(lambda: isinstance(ex.screen, HistoryScreen))
        before = ex.status_line
        await ex.press("ctrl+o")  # reopen the results by QueryId
        await ex.wait_until(lambda: ex.status_line != before)
        reopened = await ex.finished()
        assert reopened.query_id == q.query_id and reopened.rows == rows_before
        await ex.press("ctrl+r")
        await ex.wait_until(lambda: isinstance(ex.screen, HistoryScreen))
        await ex.press("enter")  # the SQL back into the editor
        await ex.wait_until(lambda: ex.editor.text == EVENTS_SQL)
    assert len(_service_queries()) == 1  # one StartQuery for the original run, none for reopening
    assert history.count() == 1


async def test_history_then_reopen_typed_in_one_burst_reopens_the_latest_query(demo_lake: Any) -> None:
    """ctrl+r then ctrl+o typed faster than the history screen opens: the ctrl+o reaches the history screen
    once it shows its list, and reopens the query at the top (the latest), as typed slowly."""
    async with explorer((100, 30)) as ex:
        await ex.ready()
        q = await ex.run(EVENTS_SQL)
        ex.editor.text = "-- something else"
        before = ex.status_line
        ex.burst("ctrl+r", "ctrl+o")
        await ex.wait_until(lambda: ex.status_line != before, what="the reopened query")
        await ex.wait_until(lambda: not isinstance(ex.screen, HistoryScreen), what="history closed")
        reopened = await ex.finished()
        assert reopened.query_id == q.query_id and reopened.rows == q.rows
    assert len(_service_queries()) == 1  # reopened by QueryId: no second StartQuery


async def test_service_list_from_list_queries(demo_lake: Any) -> None:
    async with explorer((140, 40)) as ex:
        await ex.ready()
        q = await ex.run(EVENTS_SQL)
        ex.editor.text = "-- elsewhere"
        await ex.press("ctrl+r")
        await ex.wait_until(lambda: isinstance(ex.screen, HistoryScreen))
        await ex.press("tab")
        options = ex.screen.query_one("#history-list")
        await ex.wait_until(
            lambda: any(
                q.query_id in str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
            )
        )
        await ex.press("enter")  # DescribeQuery gives back the SQL
        await ex.wait_until(lambda: ex.editor.text == EVENTS_SQL)


async def test_drill_down_opens_the_whole_event_and_records_it(demo_lake: Any) -> None:
    async with explorer((140, 40)) as ex:
        await ex.ready()
        q = await ex.run(EVENTS_SQL)
        event_id = ex.grid.current_row[0]
        await ex.press("f4", "e")
        await ex.wait_until(lambda: isinstance(ex.screen, DetailScreen))
        assert ex.screen.kind == "json"
        event = json.loads(ex.screen.value)
        assert event["eventID"] == event_id and event["sourceIPAddress"] == INCIDENT_IP
    drill = History(locations().history_db).search("eventjson")[0]
    assert "eventTime >=" in drill.sql and drill.status == "FINISHED"  # bounded by its eventTime
    # Recorded like any other query: where it ran, who, which store, its ID, so it can be reopened.
    assert (drill.connection, drill.region, drill.account) == ("local", "us-east-1", "111122223333")
    assert drill.store == DEMO_STORE_ID and drill.query_id and drill.query_id != q.query_id
    assert drill.row_count == 1 and drill.ended


async def test_save_and_open_queries(demo_lake: Any) -> None:
    async with explorer((140, 40)) as ex:
        await ex.ready()
        ex.editor.text = "SELECT 42 FROM x"
        await ex.press("ctrl+s")
        await ex.wait_until(lambda: isinstance(ex.screen, PromptScreen))
        await ex.press(*"my / query", "enter")
        await ex.wait_until(lambda: ex.notified("Saved to"))
        saved = saved_queries(locations().saved_queries)
        assert [q.name for q in saved] == ["my / query"] and saved[0].sql.strip() == "SELECT 42 FROM x"
        assert saved[0].path.name == "my - query.sql"
        await ex.press("ctrl+l")
        await ex.wait_until(lambda: isinstance(ex.screen, LibraryScreen))
        await ex.press(*"tampering", "enter")
        text = ex.editor.text
        assert "StopLogging" in text and DEMO_STORE_ID in text and "$START" not in text


async def test_export_from_the_explorer(demo_lake: Any, tmp_path: Path) -> None:
    async with explorer((140, 40)) as ex:
        await ex.ready()
        q = await ex.run(f"SELECT eventID, eventName FROM {DEMO_STORE_ID} ORDER BY eventID LIMIT 2300")
        target = tmp_path / "out.jsonl"
        await ex.press("ctrl+e")
        await ex.wait_until(lambda: isinstance(ex.screen, PromptScreen))
        ex.screen.query_one("#prompt-input", Input).value = str(target)
        await ex.press("enter")
        await ex.wait_until(lambda: ex.notified(f"Exported 2,300 rows to {target}"))
        lines = target.read_text().splitlines()
        assert len(lines) == q.total == 2300
        assert [json.loads(line)[0]["eventID"] for line in lines] == [r[0] for r in q.rows]
        assert not list(tmp_path.glob("*.part"))


async def test_copy_keys_use_the_clipboard(demo_lake: Any) -> None:
    async with explorer((140, 40)) as ex:
        await ex.ready()
        await ex.run(EVENTS_SQL)
        row = ex.grid.current_row
        await ex.press("f4", "y", "Y", "f9")
        assert ex.clipboard[0] == row[0]
        assert json.loads(ex.clipboard[1]) == {  # flat, as people paste it into tickets
            "eventID": row[0],
            "eventTime": row[1],
            "eventName": row[2],
            "sourceIPAddress": row[3],
        }
        assert ex.clipboard[2] == EVENTS_SQL


# -- samples and export ----------------------------------------------------------------------------------------


def test_every_sample_query_runs_on_the_demo(demo_lake: Any) -> None:
    library = samples()
    assert len(library) >= 20 and all(q.description and "$START" in q.sql for q in library)
    lake = LocalLake()
    surfaced = []
    try:
        store = next(s for s in lake.engine.stores() if s.id == DEMO_STORE_ID)
        start, end = time_window(store.first_event, store.last_event)
        for q in library:
            run = QueryRun(lake.client(), q.filled(store.id, start, end))
            run.start()
            state = run.wait(sleep=lambda s: time.sleep(min(s, 0.05)))
            assert state.status == "FINISHED", (q.name, state.error)
            text = json.dumps([p.rows for p in run.pages()])
            if INCIDENT_IP in text or BACKDOOR_USER in text:
                surfaced.append(q.name)
    finally:
        lake.close()
    assert len(surfaced) >= 5, surfaced
    assert {"CloudTrail tampering", "Administrator rights granted", "Unusual source addresses"} <= set(
        surfaced
    )


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_export_of_a_multi_page_result_matches_the_source(demo_lake: Any, fmt: str) -> None:
    lake = LocalLake()
    try:
        run = QueryRun(
            lake.client(),
            f"SELECT eventID, eventName, errorCode, userIdentity FROM {DEMO_STORE_ID} "
            "ORDER BY eventID LIMIT 2500",
        )
        run.start()
        state = run.wait(sleep=lambda s: time.sleep(min(s, 0.05)))
        source = [row for page in run.pages(1000) for row in page.raw_rows()]
        out = io.StringIO()
        writer = ResultWriter(out, fmt)
        for page in run.pages(1000):
            writer.write(page)
        writer.finish(
            state.status, {"ResultsCount": writer.rows, "TotalResultsCount": 2500, "BytesScanned": 1}
        )
    finally:
        lake.close()
    text = out.getvalue()
    if fmt == "json":
        doc = json.loads(text)
        assert doc["QueryResultRows"] == source and doc["QueryStatus"] == "FINISHED"
    elif fmt == "jsonl":
        assert [json.loads(line) for line in text.splitlines()] == source
    else:
        parsed = list(csv.reader(io.StringIO(text)))
        assert parsed[0] == ["eventID", "eventName", "errorCode", "userIdentity"]
        assert [r[0] for r in parsed[1:]] == [row[0]["eventID"] for row in source]
        assert len(parsed) == 2501


def test_csv_neutralises_formulas() -> None:
    for value in ('=HYPERLINK("http://evil")', "+1", "-2+3", "@SUM(A1)", "\t=x", "\uff1dcmd"):
        assert neutralise_formula(value) == "'" + value
    assert neutralise_formula("plain") == "plain" and neutralise_formula(None) == ""


def test_history_command(demo_lake: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--format", "csv", f"SELECT count(*) FROM {DEMO_STORE_ID}"]) == 0
    assert main(["query", f"SELECT nope FROM {DEMO_STORE_ID}"]) == 1
    capsys.readouterr()
    assert main(["history", "--format", "json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert [e["status"] for e in entries] == ["ERROR", "FINISHED"]
    assert entries[1]["row_count"] == 1 and entries[1]["query_id"]
    assert main(["history", "--search", "nope"]) == 0
    table = capsys.readouterr().out
    assert "ERROR" in table and "FINISHED" not in table


def test_saved_query_files_are_plain(tmp_path: Path) -> None:
    path = save_query(tmp_path, "Root activity", "SELECT 1", "who used root")
    assert path.read_text() == "-- name: Root activity\n-- description: who used root\nSELECT 1\n"
    (q,) = saved_queries(tmp_path)
    assert (q.name, q.description, q.sql) == ("Root activity", "who used root", "SELECT 1\n")


async def test_reopened_results_bring_their_sql_unless_the_editor_holds_unrun_sql(demo_lake: Any) -> None:
    """ctrl+o in the history: the editor shows the reopened query's SQL when it holds nothing of the
    user's (the welcome query, a query already in the history); SQL never run stays, and a notice says
    which query the rows are from. From the service's list too (its SQL comes from DescribeQuery)."""
    other = f"SELECT eventName FROM {DEMO_STORE_ID} WHERE eventTime > timestamp '2020-01-01 00:00:00' LIMIT 3"
    async with explorer((80, 24)) as ex:
        await ex.ready()
        first = await ex.run(EVENTS_SQL)
        await ex.run(other)  # the editor holds `other`, in the history
        await ex.press("ctrl+r")
        await ex.wait_until(lambda: isinstance(ex.screen, HistoryScreen))
        await ex.press("down", "ctrl+o")  # the older one
        await ex.wait_until(lambda: ex.editor.text == EVENTS_SQL, what="its SQL in the editor")
        assert (await ex.finished()).query_id == first.query_id
        ex.editor.text = "-- my draft, never run"
        await ex.press("ctrl+r")
        await ex.wait_until(lambda: isinstance(ex.screen, HistoryScreen))
        await ex.press("ctrl+o")  # the newest: `other`
        await ex.wait_until(lambda: ex.notified("These rows are from: SELECT eventName FROM"))
        assert ex.editor.text == "-- my draft, never run"
        ex.editor.text = ""
        await ex.press("ctrl+r")
        await ex.wait_until(lambda: isinstance(ex.screen, HistoryScreen))
        await ex.press("tab")
        await ex.wait_until(lambda: "(ListQueries)" in ex.dialog_text())
        await ex.wait_until(lambda: any("FINISHED" in line for line in ex.history_lines))
        for _ in range(5):  # at 80 columns a query run here shows its SQL; the preview has its ID
            if first.query_id in ex.history_preview:
                break
            await ex.press("down")
        await ex.press("ctrl+o")
        await ex.wait_until(lambda: ex.editor.text == EVENTS_SQL, what="the SQL from DescribeQuery")
