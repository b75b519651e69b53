"""The explorer driven by keys, as a user would, on the local lake (through tests/explorer.py)."""

from __future__ import annotations

import asyncio
import contextlib
import io
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual import events
from textual.widgets import Static

from tests.explorer import FAST_POLL, explorer, slow_lake
from tests.logfiles import record, write_log
from trailtui.lake.history import History
from trailtui.local.demo import DEMO_STORE_ID, INCIDENT_IP
from trailtui.local.importer import import_paths
from trailtui.local.lakefile import LakeFile
from trailtui.paths import locations
from trailtui.tui.app import TrailApp
from trailtui.tui.detail import DetailScreen
from trailtui.tui.dialogs import HelpScreen
from trailtui.tui.editor import SqlEditor

BOUNDED = (
    f"SELECT eventTime, recipientAccountId, eventName, sourceIPAddress, userIdentity, eventjson "
    f"FROM {DEMO_STORE_ID} WHERE eventTime >= '2026-11-20 00:00:00' AND eventTime < '2026-11-27 00:00:00' "
    f"ORDER BY eventTime DESC LIMIT 2500"
)
QUICK = f"SELECT eventName FROM {DEMO_STORE_ID} WHERE eventTime > '2026-11-26' LIMIT 10"


async def test_opens_on_the_demo_with_a_sample_query(demo_lake: Any) -> None:
    async with explorer((100, 30)) as ex:
        await ex.ready()
        assert "store org-events" in ex.context and "local lake" in ex.context
        assert ex.stores() == ["org-events"]
        assert DEMO_STORE_ID in ex.editor.text and "eventTime" in ex.editor.text
        assert ex.app.focused is ex.editor


async def test_run_page_and_status(demo_lake: Any) -> None:
    async with explorer() as ex:
        await ex.ready()
        q = await ex.run(BOUNDED)
        assert q.status == "FINISHED" and q.total == 2500 and q.error is None
        assert len(q.rows) == 2500  # three pages of at most 1,000
        assert q.columns == [
            "eventTime",
            "recipientAccountId",
            "eventName",
            "sourceIPAddress",
            "userIdentity",
            "eventjson",
        ]
        assert ex.results_title.startswith("Results  2,500 of 2,500 loaded")
        assert "matched" in q.status_line and "scanned" in q.status_line and q.query_id


async def test_detail_views(demo_lake: Any) -> None:
    async with explorer() as ex:
        await ex.ready()
        await ex.run(BOUNDED)
        await ex.press("f4", "enter")  # first column: a plain value
        await ex.wait_until(lambda: isinstance(ex.screen, DetailScreen))
        assert ex.screen.kind == "text"
        await ex.press("escape", "right", "right", "right", "right", "enter")  # userIdentity: a struct
        await ex.wait_until(lambda: isinstance(ex.screen, DetailScreen))
        assert ex.screen.kind == "tree"
        await ex.press("escape", "right", "enter")  # eventjson
        await ex.wait_until(lambda: isinstance(ex.screen, DetailScreen))
        assert ex.screen.kind == "json"
        await ex.press("escape", "r")
        await ex.wait_until(lambda: isinstance(ex.screen, DetailScreen))
        assert ex.screen.kind == "row" and len(ex.screen.row) == 6


async def test_filter_loaded_rows_without_a_new_query(demo_lake: Any) -> None:
    async with explorer() as ex:
        await ex.ready()
        q = await ex.run(BOUNDED.replace("LIMIT 2500", "LIMIT 100000"))
        grid = ex.grid
        expected = sum(1 for r in q.rows if r[3] == INCIDENT_IP)
        assert expected > 10
        await ex.press("f4", "slash", *INCIDENT_IP)
        await ex.wait_until(lambda: len(grid.view) == expected)
        assert all(grid.rows[i][3] == INCIDENT_IP for i in grid.view)
        assert f"({expected:,} shown by the filter)" in ex.results_title
        await ex.press("enter")
        assert ex.app.focused is grid
        assert ex.query.query_id == q.query_id and len(grid.rows) == q.total  # no new query
        await ex.press("slash", "escape")
        await ex.wait_until(lambda: len(grid.view) == len(grid.rows))
        assert "shown by the filter" not in ex.results_title


async def test_filter_by_account_under_cursor(demo_lake: Any) -> None:
    async with explorer() as ex:
        await ex.ready()
        await ex.run(BOUNDED)
        grid = ex.grid
        account = grid.current_row[1]
        await ex.press("f4", "a")
        assert grid.view and all(grid.rows[i][1] == account for i in grid.view)
        assert len(grid.view) < len(grid.rows)
        assert ex.notified(f"rows of account {account}")


async def test_invalid_query_shows_the_error(demo_lake: Any) -> None:
    async with explorer() as ex:
        await ex.ready()
        q = await ex.run(f"SELECT nosuchcolumn FROM {DEMO_STORE_ID}")
        assert q.status == "ERROR" and "InvalidQueryStatementException" in (q.error or "")
        assert not q.rows


async def test_a_query_asked_for_while_the_lake_opens_runs_when_it_is_ready(demo_lake: LakeFile) -> None:
    # Another process (here: this test) holds the lake while the explorer starts, as the first-run demo
    # build or an import does; ctrl+j meanwhile must not be lost.
    with contextlib.ExitStack() as held:
        held.enter_context(demo_lake.writer())
        async with explorer() as ex:
            ex.editor.text = BOUNDED
            await ex.press("ctrl+j")
            await ex.wait_until(lambda: ex.notified("runs as soon as it is ready"))
            assert "No query yet" in ex.status_line
            held.close()  # the other process lets go of the lake
            q = await ex.finished()
            assert q.status == "FINISHED" and q.total == 2500 and len(q.rows) == 2500


async def test_a_query_asked_for_on_a_lake_that_cannot_open_is_not_run(home: Path) -> None:
    where = locations().ensure()
    where.lake_file.write_bytes(b"not a DuckDB database\n" * 100)  # a broken lake
    async with explorer() as ex:
        await ex.press("ctrl+j")
        await ex.wait_until(lambda: ex.notified("was not run", "error"), 60)
        await ex.wait_until(lambda: "cannot open the local lake" in ex.stores_text())
        assert "No query yet" in ex.status_line


async def test_cancel_and_typing_stays_responsive(demo_lake: Any) -> None:
    lake = slow_lake(60)
    try:
        async with explorer(local_lake=lake) as ex:
            await ex.ready()
            await ex.start(QUICK)
            await ex.running()
            editor = ex.editor
            editor.focus()
            editor.move_cursor((0, 0))
            # Post the keys as the terminal driver does and time until the editor shows them.
            started = time.monotonic()
            for key, char in (("minus", "-"), ("minus", "-"), ("space", " ")):
                ex.app.post_message(events.Key(key, char))
            while not editor.text.startswith("-- "):
                assert time.monotonic() - started < 1.0, "typing was not handled while the query ran"
                await asyncio.sleep(0.005)
            assert ex.query.status == "RUNNING"
            await ex.press("ctrl+g")
            q = await ex.finished(20)
            assert q.status == "CANCELLED"
    finally:
        lake.close()


async def test_hostile_values_show_as_inert_text(home: Path, tmp_path: Path) -> None:
    evil = (
        "\x1b]0;pwned\x07\x1b[2J[red]alert[/red] [link=https://evil.example]click[/link] \u202egnp.exe\x9b31m"
    )
    write_log(tmp_path / "evil.json", [record(1, userAgent=evil, errorMessage="[/bold] \x1b[5m")])
    report = import_paths(LakeFile(locations().ensure()), [tmp_path], "evil-store")
    async with explorer((160, 40)) as ex:
        await ex.ready()
        q = await ex.run(f"SELECT userAgent, errorMessage FROM {report.store.id}")
        assert q.status == "FINISHED"
        assert q.rows[0][0] == evil  # the exact value is kept for copy and export
        line = "".join(seg.text for seg in ex.grid.render_line(1))
        assert "\x1b" not in line and "\x07" not in line and "\x9b" not in line and "\u202e" not in line
        assert "[red]alert[/red]" in line and "\\x1b" in line
        await ex.press("f4", "enter")
        await ex.wait_until(lambda: isinstance(ex.screen, DetailScreen))
        shown = str(ex.screen.query_one("#detail-body").render())
        assert "\x1b" not in shown and "\u202e" not in shown
        assert "[red]alert[/red]" in shown and "\\u202e" in shown and "[link=" in shown


async def test_store_selection_and_insert_id(demo_lake: Any, tmp_path: Path) -> None:
    write_log(tmp_path / "a.json", [record(1)])
    other = import_paths(LakeFile(locations()), [tmp_path], "second-store").store
    async with explorer() as ex:
        await ex.ready()
        await ex.wait_until(lambda: len(ex.stores()) == 2)
        ex.editor.text = "SELECT * FROM "
        ex.editor.move_cursor((0, 14))
        await ex.command("store second-store")
        await ex.wait_until(lambda: "store second-store" in ex.context)
        assert ex.notified("Current store: second-store")
        await ex.press("ctrl+o")
        assert ex.editor.text == f"SELECT * FROM {other.id}"
        await ex.command("store nosuch")
        await ex.wait_until(lambda: ex.notified("No store nosuch is loaded.", "error"))
        await ex.command("frobnicate")
        await ex.wait_until(lambda: ex.notified("Unknown command: frobnicate", "error"))


async def test_help_and_command_palette_show_every_key_and_command(demo_lake: Any) -> None:
    async with explorer() as ex:
        await ex.ready()
        bound = {k for b in ex.app.main.BINDINGS for k in b.key.split(",")}  # type: ignore[union-attr]
        await ex.press("f1")
        await ex.wait_until(lambda: isinstance(ex.screen, HelpScreen))
        console = Console(width=200, file=io.StringIO(), color_system=None)
        for widget in ex.screen.query(Static):
            console.print(widget.content)
        shown = console.file.getvalue()  # type: ignore[attr-defined]
        names = {"question_mark": "?", "colon": ":", "slash": "/"}
        assert {"ctrl+j", "f5", "ctrl+g", "f10", "colon"} <= bound
        for key in bound:
            assert names.get(key, key) in shown, key
        assert "Run the statement in the editor" in shown and ":import PATH|s3://" in shown
        await ex.press("escape")
        titles = {c.title for c in ex.app.get_system_commands(ex.app.main)}
        assert {"Run", "Cancel", "Running", "History", "Export", ":store NAME", ":local"} <= titles


async def test_quit_cancels_running_queries(demo_lake: Any) -> None:
    lake = slow_lake(60)  # the test owns the lake: closing it cannot be what cancels the query
    try:
        async with explorer(local_lake=lake) as ex:
            await ex.ready()
            await ex.start(QUICK)
            q = await ex.running()
            await ex.press("ctrl+q")
        deadline = time.monotonic() + 10
        while lake.engine.describe(q.query_id or "").status == "RUNNING" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert lake.engine.describe(q.query_id or "").status == "CANCELLED"
        # The history says so too: not RUNNING for good.
        history = History(locations().history_db)
        while history.search(q.query_id or "")[0].status == "RUNNING" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert history.search(q.query_id or "")[0].status == "CANCELLED"
    finally:
        lake.close()


async def test_an_import_during_a_query_gets_the_lake_when_the_query_ends(
    demo_lake: LakeFile, tmp_path: Path
) -> None:
    # The query holds the lake's shared lock while it runs; an import waits for it at the turnstile. The
    # query must not take the lock a second time meanwhile (the two would wait for each other until the
    # import gave up with LakeBusyError).
    write_log(tmp_path / "a.json", [record(1)])
    lake = slow_lake(2.0)
    try:
        async with explorer(local_lake=lake) as ex:
            await ex.ready()
            await ex.start(QUICK)
            await ex.running()
            await asyncio.sleep(0.6)  # past the engine's store cache, as any query longer than 0.5 s
            outcome: list[Any] = []

            def import_logs() -> None:
                try:
                    outcome.append(import_paths(LakeFile(locations()), [tmp_path], "late-store"))
                except Exception as exc:
                    outcome.append(exc)
                outcome.append(time.monotonic())

            started = time.monotonic()
            threading.Thread(target=import_logs, daemon=True).start()
            q = await ex.finished(30)
            ended = time.monotonic()
            assert q.status == "FINISHED"
            await ex.wait_until(lambda: len(outcome) == 2, 30, "the import")
        assert not isinstance(outcome[0], Exception), outcome[0]
        assert outcome[0].events_added == 1
        assert outcome[1] - ended < 3.0 and ended - started < 5.0
    finally:
        lake.close()


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_layout_snapshot(demo_lake: Any, snap_compare: Any, size: tuple[int, int]) -> None:
    async def settle(pilot: Any) -> None:
        app = pilot.app
        while "store " not in str(app.main.query_one("#context").render()):
            await pilot.pause(0.05)
        editor = app.main.query_one(SqlEditor)
        editor.focus()
        await pilot.pause(0.1)
        editor.cursor_blink = False  # with the focus: the cursor stays drawn, whatever the blink phase
        # TextArea caches rendered lines under a key that ignores the cursor when blinking is off, so a line
        # cached in an "off" blink phase would be reused without the cursor: drop the cache (public API).
        editor.notify_style_update()
        editor.refresh()
        await pilot.pause(0.2)

    assert snap_compare(
        TrailApp(locations(), aws_stores=False, poll=FAST_POLL), terminal_size=size, run_before=settle
    )
