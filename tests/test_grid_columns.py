"""Moving, hiding and pinning columns in the results grid, as a user sees them at 80x24: the header, the
columns drawn and in which order, the cell under the cursor."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.command import CommandPalette
from textual.widgets import Static

from tests.explorer import explorer
from tests.logfiles import record, write_log
from trailtui.local.demo import DEMO_STORE_ID
from trailtui.local.importer import import_paths
from trailtui.local.lakefile import LakeFile
from trailtui.paths import locations
from trailtui.tui.dialogs import HelpScreen

WIDE = (
    f"SELECT eventTime, recipientAccountId, awsRegion, eventSource, eventName, userAgent, sourceIPAddress, "
    f"errorCode, eventID FROM {DEMO_STORE_ID} WHERE eventTime > '2026-11-26 00:00:00' "
    f"ORDER BY eventTime LIMIT 500"
)
COLUMNS = WIDE.split("SELECT ")[1].split(" FROM")[0].split(", ")


async def test_vim_keys_and_first_last_column(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        q = await ex.run(WIDE)
        await ex.press("f4", "l", "l", "j", "j", "j", "k")
        assert ex.cursor_cell == ("awsRegion", q.rows[2][2])
        await ex.press("h")
        assert ex.cursor_cell == ("recipientAccountId", q.rows[2][1])
        await ex.press("dollar_sign")
        assert ex.cursor_cell == ("eventID", q.rows[2][8])
        assert "eventID" in ex.header  # scrolled right to show it
        await ex.press("0")
        assert ex.cursor_cell == ("eventTime", q.rows[2][0])
        assert ex.header.startswith("eventTime")


async def test_hide_the_column_under_the_cursor_and_show_all_again(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.run(WIDE)
        await ex.press("f4", "l", "minus")
        assert ex.shown_columns == [c for c in COLUMNS if c != "recipientAccountId"]
        assert "recipientAccountId" not in ex.header and "awsRegion" in ex.header
        assert "1 column hidden" in ex.results_title
        assert ex.cursor_cell[0] == "awsRegion"  # the cursor stays in place, on the next column
        await ex.press("minus", "minus")
        assert ex.shown_columns == ["eventTime", "eventName", *COLUMNS[5:]]
        assert "3 columns hidden" in ex.results_title
        await ex.press("plus")
        assert ex.shown_columns == COLUMNS and "hidden" not in ex.results_title


async def test_the_last_column_cannot_be_hidden(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.run(f"SELECT eventName, awsRegion FROM {DEMO_STORE_ID} LIMIT 5")
        await ex.press("f4", "minus", "minus", "minus")
        assert ex.shown_columns == ["awsRegion"]
        assert ex.notified("The last column shown stays.")


async def test_pinned_columns_stay_while_scrolling_right(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        q = await ex.run(WIDE)
        await ex.press("f4", "l", "l", "l", "l", "p")  # eventName
        assert ex.shown_columns[0] == "eventName"
        assert ex.cursor_cell[0] == "eventName"  # the cursor moved with its column
        await ex.press("dollar_sign")  # the far right: eventID
        assert ex.header.startswith("eventName")
        assert "eventID" in ex.header and "eventTime" not in ex.header
        assert ex.grid_line(1).startswith(q.rows[0][4])
        assert q.rows[0][8][:20] in ex.grid_line(1)  # eventID, from its start
        await ex.press("0", "l", "p")  # then eventTime, after eventName
        assert ex.shown_columns[:2] == ["eventName", "eventTime"]
        await ex.press("dollar_sign")  # two wide pinned columns take at most 2/3 of the grid; eventID shows
        assert ex.header.startswith("eventName") and "│ eventID" in ex.header
        await ex.press("0", "p")  # unpin eventName: back in its place
        assert ex.shown_columns[0] == "eventTime" and ex.shown_columns.index("eventName") == 4


async def test_sort_hide_and_pin_together(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        q = await ex.run(WIDE)
        await ex.press("f4", "l", "l", "l", "l", "p", "s", "s")  # eventName pinned, sorted descending
        assert ex.header.startswith("eventName ▼") or "▼" in ex.header.split("│")[0]
        names = [r[4] for r in ex.shown_rows]
        assert names == sorted((r[4] for r in q.rows), key=str.casefold, reverse=True)
        await ex.press("l", "minus")  # hide eventTime (now second)
        assert ex.shown_columns[:2] == ["eventName", "recipientAccountId"]
        assert [r[4] for r in ex.shown_rows] == names  # the order stays


async def test_hostile_values_in_pinned_and_sorted_columns_stay_inert(home: Path, tmp_path: Path) -> None:
    evil = "\x1b]52;c;cHduZWQ=\x07[bold red]x[/] \u202e\x9b2J"
    write_log(
        tmp_path / "evil.json",
        [record(1, userAgent=evil), record(2, userAgent="plain"), record(3, userAgent="b\tc\nd")],
    )
    store = import_paths(LakeFile(locations().ensure()), [tmp_path], "evil-store").store
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.run(f"SELECT eventName, userAgent FROM {store.id}")
        await ex.press("f4", "l", "p", "s")
        for y in range(5):
            line = ex.grid_line(y)
            assert not any(ch in line for ch in ("\x1b", "\x07", "\x9b", "\u202e", "\t", "\n"))
        assert any("\\x1b]52;c;cHduZWQ=\\x07[bold red]" in ex.grid_line(y) for y in range(1, 4))


async def test_help_and_palette_offer_the_grid_keys(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        q = await ex.run(WIDE)
        await ex.press("f4", "f1")
        await ex.wait_until(lambda: isinstance(ex.screen, HelpScreen))
        console = Console(width=80, file=io.StringIO(), color_system=None)
        for widget in ex.screen.query(Static):
            console.print(widget.content)
        shown = console.file.getvalue()  # type: ignore[attr-defined]
        for key, what in (
            ("s", "Sort the loaded rows"),
            ("-", "Hide the column"),
            ("+", "Show every"),
            ("p", "Pin the column"),
            ("$", "last column"),
            ("T", "as TSV"),
            ("j", "vim"),
        ):
            assert any(line.strip().startswith(key) and what in line for line in shown.splitlines()), key
        await ex.press("escape")
        await ex.wait_until(lambda: not isinstance(ex.screen, HelpScreen))
        commands = {c.title: c for c in ex.app.get_system_commands(ex.app.main)}
        assert {"Results: Sort", "Results: Hide", "Results: Pin", "Results: Copy TSV"} <= set(commands)
        await ex.press("l")
        await commands["Results: Hide"].callback()  # as the palette runs it
        assert "recipientAccountId" not in ex.shown_columns and len(ex.shown_columns) == len(q.columns) - 1


async def test_the_palette_opens_and_runs_a_grid_key(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.run(WIDE)
        await ex.press("f4", "l", "ctrl+p")
        await ex.wait_until(lambda: isinstance(ex.screen, CommandPalette))
        await ex.pilot.pause()
        await ex.press(*"results: pin")
        await ex.pilot.pause(0.5)  # the palette searches in a worker; the assertion below does not time it
        await ex.press("enter")
        await ex.wait_until(lambda: ex.shown_columns[0] == "recipientAccountId")
        assert ex.app.is_running
