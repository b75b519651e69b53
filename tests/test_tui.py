"""The explorer driven by keys, as a user would, on the local lake (Textual's Pilot)."""

from __future__ import annotations

import asyncio
import contextlib
import io
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual import events

from tests.logfiles import record, write_log
from trailtui.lake.backoff import PollBackoff
from trailtui.local.demo import DEMO_STORE_ID, INCIDENT_IP
from trailtui.local.importer import import_paths
from trailtui.local.lakefile import LakeFile
from trailtui.paths import locations
from trailtui.tui.app import TrailApp
from trailtui.tui.detail import DetailScreen
from trailtui.tui.dialogs import HelpScreen, help_table
from trailtui.tui.editor import SqlEditor
from trailtui.tui.grid import ResultGrid
from trailtui.tui.keymap import KEYMAP
from trailtui.tui.status import QueryStatusBar
from trailtui.tui.stores import StoresPane

BOUNDED = (
    f"SELECT eventTime, recipientAccountId, eventName, sourceIPAddress, userIdentity, eventjson "
    f"FROM {DEMO_STORE_ID} WHERE eventTime >= '2026-11-20 00:00:00' AND eventTime < '2026-11-27 00:00:00' "
    f"ORDER BY eventTime DESC LIMIT 2500"
)
SLOW = f"SELECT count(*) FROM {DEMO_STORE_ID} a CROSS JOIN {DEMO_STORE_ID} b WHERE a.eventid < b.eventid"


def make_app() -> TrailApp:
    return TrailApp(locations(), aws_stores=False, poll=PollBackoff(first=0.05, factor=1.5, ceiling=0.5))


async def wait_for(pilot: Any, cond: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out waiting"
        await pilot.pause(0.05)


async def ready(pilot: Any) -> TrailApp:
    app = pilot.app
    await wait_for(pilot, lambda: "local" in app.connections and app.current_store is not None)
    app.query_one(SqlEditor).cursor_blink = False
    return app


async def run_sql(pilot: Any, sql: str) -> Any:
    app = pilot.app
    editor = app.query_one(SqlEditor)
    editor.text = sql
    await pilot.press("ctrl+j")
    await wait_for(pilot, lambda: app.current_run is not None)
    run = app.runs[app.current_run]
    await wait_for(pilot, lambda: run.complete)
    return run


async def test_opens_on_the_demo_with_a_sample_query(demo_lake: Any) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        app = await ready(pilot)
        assert app.current_store.id == DEMO_STORE_ID
        names = [s.name for s in app.query_one(StoresPane).all_stores()]
        assert names == ["org-events"]
        assert DEMO_STORE_ID in app.query_one(SqlEditor).text and "eventTime" in app.query_one(SqlEditor).text
        assert app.focused is app.query_one(SqlEditor)


async def test_run_page_and_status(demo_lake: Any) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        run = await run_sql(pilot, BOUNDED)
        assert run.status == "FINISHED" and run.total == 2500
        grid = pilot.app.query_one(ResultGrid)
        assert len(grid.rows) == 2500  # three pages of at most 1,000
        assert grid.columns == [
            "eventTime",
            "recipientAccountId",
            "eventName",
            "sourceIPAddress",
            "userIdentity",
            "eventjson",
        ]
        assert pilot.app.query_one("#results").border_title.startswith("Results  2,500 of 2,500 loaded")
        status = str(pilot.app.query_one(QueryStatusBar).render())
        assert "FINISHED" in status and "matched" in status and "scanned" in status and run.query_id in status


async def test_detail_views(demo_lake: Any) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await run_sql(pilot, BOUNDED)
        await pilot.press("f4")
        await pilot.press("enter")  # first column: a plain value
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, DetailScreen))
        assert pilot.app.screen.kind == "text"
        await pilot.press("escape")
        for _ in range(4):
            await pilot.press("right")
        await pilot.press("enter")  # userIdentity: a Trino-style struct
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, DetailScreen))
        assert pilot.app.screen.kind == "tree"
        await pilot.press("escape", "right", "enter")  # eventjson
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, DetailScreen))
        assert pilot.app.screen.kind == "json"
        await pilot.press("escape", "r")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, DetailScreen))
        assert pilot.app.screen.kind == "row" and len(pilot.app.screen.row) == 6


async def test_filter_loaded_rows_without_a_new_query(demo_lake: Any) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        run = await run_sql(pilot, BOUNDED.replace("LIMIT 2500", "LIMIT 100000"))
        queries_before = len(pilot.app.runs)
        grid = pilot.app.query_one(ResultGrid)
        expected = sum(1 for r in grid.rows if r[3] == INCIDENT_IP)
        assert expected > 10
        await pilot.press("f4", "slash", *INCIDENT_IP)
        await wait_for(pilot, lambda: len(grid.view) == expected)
        assert all(grid.rows[i][3] == INCIDENT_IP for i in grid.view)
        await pilot.press("enter")
        assert pilot.app.focused is grid
        assert len(pilot.app.runs) == queries_before and run.total == len(grid.rows)
        await pilot.press("slash", "escape")
        await wait_for(pilot, lambda: len(grid.view) == len(grid.rows))


async def test_filter_by_account_under_cursor(demo_lake: Any) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await run_sql(pilot, BOUNDED)
        grid = pilot.app.query_one(ResultGrid)
        account = grid.current_row[1]
        await pilot.press("f4", "a")
        assert grid.view and all(grid.rows[i][1] == account for i in grid.view)
        assert len(grid.view) < len(grid.rows)


async def test_invalid_query_shows_the_error(demo_lake: Any) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        run = await run_sql(pilot, f"SELECT nosuchcolumn FROM {DEMO_STORE_ID}")
        assert run.status == "ERROR" and "InvalidQueryStatementException" in run.error
        assert "InvalidQueryStatementException" in str(pilot.app.query_one(QueryStatusBar).render())
        assert not pilot.app.query_one(ResultGrid).rows


async def test_a_query_asked_for_while_the_lake_opens_runs_when_it_is_ready(demo_lake: LakeFile) -> None:
    # Another process (here: this test) holds the lake while the explorer starts, as the first-run demo
    # build or an import does; ctrl+j meanwhile must not be lost.
    with contextlib.ExitStack() as held:
        held.enter_context(demo_lake.writer())
        async with make_app().run_test(size=(120, 40)) as pilot:
            app = pilot.app
            app.query_one(SqlEditor).text = BOUNDED
            await pilot.press("ctrl+j")
            await pilot.pause(0.3)
            assert "local" not in app.connections and app.current_run is None
            assert any("runs as soon as it is ready" in n.message for n in app._notifications)
            held.close()  # the other process lets go of the lake
            await wait_for(pilot, lambda: app.current_run is not None and app.runs[app.current_run].complete)
            run = app.runs[app.current_run]
            assert run.status == "FINISHED" and run.total == 2500
            assert len(app.query_one(ResultGrid).rows) == 2500


async def test_a_waiting_query_is_dropped_with_a_reason_if_its_connection_fails(demo_lake: LakeFile) -> None:
    from trailtui.tui.messages import StoresFailed

    with demo_lake.writer():
        async with make_app().run_test(size=(120, 40)) as pilot:
            app = pilot.app
            await pilot.press("ctrl+j")
            await pilot.pause(0.3)
            assert app.run_when_open == "local"
            app.post_message(StoresFailed("local", "cannot open the local lake: test"))  # as _open_local does
            await pilot.pause(0.3)
            assert app.run_when_open is None and app.current_run is None
            assert any("was not run" in n.message for n in app._notifications)


async def test_cancel_and_typing_stays_responsive(demo_lake: Any) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        app = await ready(pilot)
        editor = app.query_one(SqlEditor)
        editor.text = SLOW
        await pilot.press("ctrl+j")
        await wait_for(
            pilot, lambda: app.current_run is not None and app.runs[app.current_run].status == "RUNNING"
        )
        run = app.runs[app.current_run]
        editor.focus()
        editor.move_cursor((0, 0))
        # Post the keys as the terminal driver does and time until the editor shows them. (Pilot.press would
        # wait for the process to go idle, which it never does while DuckDB works in-process.)
        started = time.monotonic()
        for key, char in (("minus", "-"), ("minus", "-"), ("space", " ")):
            app.post_message(events.Key(key, char))
        while not editor.text.startswith("-- "):
            assert time.monotonic() - started < 1.0, "typing was not handled while the query ran"
            await asyncio.sleep(0.005)
        assert run.active
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: not run.active)
        assert run.status == "CANCELLED"


async def test_hostile_values_show_as_inert_text(home: Path, tmp_path: Path) -> None:
    evil = (
        "\x1b]0;pwned\x07\x1b[2J[red]alert[/red] [link=https://evil.example]click[/link] \u202egnp.exe\x9b31m"
    )
    write_log(tmp_path / "evil.json", [record(1, userAgent=evil, errorMessage="[/bold] \x1b[5m")])
    report = import_paths(LakeFile(locations().ensure()), [tmp_path], "evil-store")
    async with make_app().run_test(size=(160, 40)) as pilot:
        app = await ready(pilot)
        run = await run_sql(pilot, f"SELECT userAgent, errorMessage FROM {report.store.id}")
        assert run.status == "FINISHED"
        grid = app.query_one(ResultGrid)
        assert grid.rows[0][0] == evil  # the exact value is kept for copy and export
        line = "".join(seg.text for seg in grid.render_line(1))
        assert "\x1b" not in line and "\x07" not in line and "\x9b" not in line and "\u202e" not in line
        assert "[red]alert[/red]" in line and "\\x1b" in line
        await pilot.press("f4", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
        shown = app.screen.query_one("#detail-body").render()
        assert "\x1b" not in str(shown) and "\u202e" not in str(shown)
        assert "[red]alert[/red]" in str(shown) and "\\u202e" in str(shown) and "[link=" in str(shown)


async def test_store_selection_and_insert_id(demo_lake: Any, tmp_path: Path) -> None:
    write_log(tmp_path / "a.json", [record(1)])
    other = import_paths(LakeFile(locations()), [tmp_path], "second-store").store
    async with make_app().run_test(size=(120, 40)) as pilot:
        app = await ready(pilot)
        await wait_for(pilot, lambda: len(app.query_one(StoresPane).all_stores()) == 2)
        editor = app.query_one(SqlEditor)
        editor.text = "SELECT * FROM "
        editor.move_cursor((0, 14))
        await pilot.press("f2", "colon", *"store second-store", "enter")  # ":" types a colon in the editor
        await wait_for(pilot, lambda: app.current_store is not None and app.current_store.id == other.id)
        assert "second-store" in str(app.query_one("#context").render())
        await pilot.press("ctrl+o")
        assert editor.text == f"SELECT * FROM {other.id}"


async def test_help_and_command_palette_come_from_the_keymap(demo_lake: Any) -> None:
    async with make_app().run_test(size=(120, 40)) as pilot:
        app = await ready(pilot)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        console = Console(width=200, file=io.StringIO(), color_system=None)
        console.print(help_table())
        text = console.file.getvalue()
        for key in KEYMAP:
            assert key.help in text
        await pilot.press("escape")
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Run", "Cancel", "History", "Export"} <= titles


async def test_quit_cancels_running_queries(demo_lake: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.query_one(SqlEditor).text = SLOW
        await pilot.press("ctrl+j")
        await wait_for(pilot, lambda: app.current_run is not None and app.runs[app.current_run].query_id)
        query_id = app.runs[app.current_run].query_id
        await pilot.press("ctrl+q")
    from trailtui.local.service import LocalLake

    lake = LocalLake()
    try:
        deadline = time.monotonic() + 20
        while lake.engine.describe(query_id).status in ("QUEUED", "RUNNING") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert lake.engine.describe(query_id).status in ("CANCELLED", "FAILED")
    finally:
        lake.close()


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_layout_snapshot(demo_lake: Any, snap_compare: Any, size: tuple[int, int]) -> None:
    async def settle(pilot: Any) -> None:
        await ready(pilot)
        await pilot.pause(0.2)

    assert snap_compare(make_app(), terminal_size=size, run_before=settle)
