"""Room at 80x24 (issue 15 item 4): F12 hides the stores pane, the store details fold, a key zooms the
focused pane, toasts stay off the grid's rows, the footer shows F1, the context line keeps connection and
store first. Driven by keys, read from what is on screen."""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Any

import pytest
from textual.binding import Binding
from textual.widgets import Tree

from tests.explorer import Explorer, explorer, without_aws
from trailtui.tui import (
    dialogs,
    editor,
    events,
    grid,
    history,
    keymap,
    library,
    main,
    picker,
    results,
    storeadmin,
    stores,
)

SHORT = (
    "SELECT eventTime, eventName FROM 0d3a6f2e-7b1c-4e5a-9c8d-2f4b6a8c0e1d ORDER BY eventTime DESC LIMIT 50"
)
# The prefixes of tmux (ctrl+b) and GNU screen (ctrl+a): the multiplexer takes them, the explorer never sees them.
PREFIXES = {"ctrl+b", "ctrl+a"}


async def test_f12_hides_and_shows_the_stores_pane(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        width, _ = ex.pane_size("stores")
        results_before, _ = ex.pane_size("results")
        assert width == 24
        await ex.press("f12")
        assert ex.pane_size("stores") == (0, 0)
        results_after, _ = ex.pane_size("results")
        assert results_after == results_before + width  # the grid gets the columns back
        assert "Stores" not in ex.screen_lines()[1]
        await ex.press("f12")
        assert ex.pane_size("stores")[0] == 24
        assert ex.app.focused is ex.app.main.query_one("#store-tree")  # back where the user can use it


async def test_store_details_fold_at_80x24_and_show_whole_values(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        assert ex.pane_size("store-details") == (0, 0)  # folded at first in a small terminal
        assert any("i: details" in line for line in ex.screen_lines())
        await ex.press("f2", "i")
        _, height = ex.pane_size("store-details")
        assert height > 0
        pane = "\n".join(line[:24] for line in ex.screen_lines())
        # The store's ID whole (wrapped over lines), not cut to 10 characters.
        assert "0d3a6f2e-7b1c" in pane and "8c0e1d" in pane
        await ex.press("i")
        assert ex.pane_size("store-details") == (0, 0)


async def test_store_details_shown_in_a_large_terminal(demo_lake: Any) -> None:
    async with explorer((160, 48)) as ex:
        await ex.ready()  # the details fill in once the store's record arrives
        await ex.wait_until(lambda: ex.pane_size("store-details")[1] > 5, what="the store's details shown")
        await ex.press("f2", "i")
        assert ex.pane_size("store-details") == (0, 0)


async def test_zoom_enlarges_the_editor_and_the_results(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        _, editor_height = ex.pane_size("editor")
        await ex.press("f3", "ctrl+n")
        _, zoomed = ex.pane_size("editor")
        assert zoomed > editor_height + 8
        assert ex.pane_size("stores") == (0, 0) and ex.pane_size("results") == (0, 0)
        assert ex.pane_size("status")[1] > 0  # the query's state stays in view
        await ex.press("ctrl+n")
        assert ex.pane_size("editor")[1] == editor_height

        await ex.run(SHORT)
        _, results_height = ex.pane_size("results")
        await ex.press("f4", "ctrl+n")
        assert ex.pane_size("editor") == (0, 0) and ex.pane_size("stores") == (0, 0)
        width, height = ex.pane_size("results")
        assert width == 80 and height >= results_height + 8
        assert sum(1 for line in ex.screen_lines() if "2026-" in line) > 12  # more rows on screen
        await ex.press("ctrl+n")
        assert ex.pane_size("results")[1] == results_height


async def test_zoom_and_f12_are_in_the_help(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.press("f1")
        await ex.wait_until(lambda: isinstance(ex.screen, dialogs.HelpScreen))
        text = ex.dialog_text()
        assert "ctrl+n" in text and "Zoom the focused pane" in text
        assert "f12" in text and "Hide the stores pane" in text


async def test_the_first_screen_says_what_to_do_without_cutting_it_at_80x24(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        lines = ex.screen_lines()
        status = next(line for line in lines if "No query yet" in line)
        results = next(line for line in lines if "No results yet" in line)
        assert "…" not in status and "F1" in status
        assert "…" not in results and "ctrl+j" in results
        # The welcome query's comment (what to run, which account to look at) is read whole, not cut.
        comment = [line for line in ex.editor_text.splitlines() if line.startswith("--")]
        assert "444455556666" in "".join(comment)
        assert all(any(line in shown for shown in lines) for line in comment), comment
        assert any("SELECT eventTime" in shown for shown in lines)  # and the query under it


async def test_chart_bars_keep_their_values_on_their_lines_at_80x24(demo_lake: Any) -> None:
    """More bars than lines: the scrollbar comes, and each bar's value stays at the end of its line."""
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.run(
            "SELECT eventName, count(*) AS n FROM 0d3a6f2e-7b1c-4e5a-9c8d-2f4b6a8c0e1d GROUP BY 1 ORDER BY 2 DESC"
        )
        await ex.press("f4", "v")
        await ex.wait_until(lambda: bool(ex.chart_text), what="the chart")
        await ex.pilot.pause()
        inside = [line[1:-1].strip() for line in ex.screen_lines()[2:-2]]
        bars = [line for line in inside if "│" in line]
        assert len(bars) >= 15
        assert not [line for line in inside if re.fullmatch(r"[\d,.]+", line)]  # no value on a line alone
        assert all(re.search(r" [\d,]+$", line.rstrip("▁▂▃▄▅▆▇█ ")) for line in bars)  # (the scrollbar after)


async def test_dialog_titles_wrap_rather_than_being_cut_at_80x24(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.press("ctrl+l")
        await ex.wait_until(lambda: isinstance(ex.screen, library.LibraryScreen))
        await ex.pilot.pause()
        assert "ctrl+z undoes)" in "\n".join(ex.screen_lines())  # the end of the library's title
        await ex.press("escape", "ctrl+r")
        await ex.wait_until(lambda: isinstance(ex.screen, history.HistoryScreen))
        await ex.pilot.pause()
        lines = ex.screen_lines()
        at = next(i for i, line in enumerate(lines) if "Query history" in line)
        assert "store" in lines[at + 1]  # "... the service's list for the current store", on two lines


async def test_the_help_leaves_room_for_what_keys_do_at_80x24(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.press("f1")
        await ex.wait_until(lambda: isinstance(ex.screen, dialogs.HelpScreen))
        await ex.pilot.pause()
        line = next(line for line in ex.screen_lines() if "ctrl+q" in line)
        assert line.index("Quit") - line.index("ctrl+q") <= 28  # the widest key used to push it to 35
        seen: list[str] = []
        for _ in range(12):  # page through it all
            seen += ex.screen_lines()
            await ex.press("pagedown")
            await ex.pilot.pause()
        text = "\n".join(seen)
        assert ":import" in text and "PATH|s3://BUCKET[/PREFIX]" in text  # the longest key, whole, wrapped


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_toasts_never_cover_the_grid_rows(demo_lake: Any, size: tuple[int, int]) -> None:
    async with explorer(size, toasts=True) as ex:
        await ex.ready()
        await ex.run(SHORT)
        await ex.press("f4", "y", "Y", "ctrl+g", "f11")  # four notifications, one after the other
        await ex.wait_until(lambda: ex.notified("Regions belong to AWS profiles"))
        await ex.pilot.pause()
        assert ex.grid_rows_covered() == 0
        shown = "\n".join(ex.screen_lines())
        assert "Regions belong" in shown  # the newest is on screen, above the results


async def test_toasts_stay_off_the_grid_when_the_results_are_zoomed(demo_lake: Any) -> None:
    async with explorer((80, 24), toasts=True) as ex:
        await ex.ready()
        await ex.run(SHORT)
        await ex.press("f4", "ctrl+n", "y", "ctrl+g")
        await ex.wait_until(lambda: ex.notified("No query is running"))
        await ex.pilot.pause()
        assert ex.grid_rows_covered() == 0


@pytest.mark.parametrize(
    ("size", "keys"),
    [
        ((80, 24), ("ctrl+n",)),
        ((80, 24), ("f12", "f4")),
        ((160, 48), ("f12", "f4", "ctrl+n")),
        ((160, 48), ()),
    ],
)
async def test_the_newest_toast_shows_and_no_toast_covers_the_grid(
    demo_lake: Any, size: tuple[int, int], keys: tuple[str, ...]
) -> None:
    """However tall the editor (small terminal, zoomed results, stores hidden), toasts end above the
    results, and the newest is the one in view when they do not all fit."""
    async with explorer(size, toasts=True) as ex:
        await ex.ready()
        await ex.run(SHORT)
        await ex.press("f4", *keys)
        for key in ("y", "Y", "ctrl+g", "y", "Y", "f11"):  # notifications, one after the other
            await ex.press(key)
            await ex.pilot.pause(0.05)
        await ex.wait_until(lambda: ex.notified("Regions belong to AWS profiles"))
        await ex.pilot.pause(0.2)
        assert ex.grid_rows_covered() == 0
        grid_top = ex.grid.region.y
        above = "\n".join(ex.screen_lines()[:grid_top])
        assert "Regions belong" in above  # the newest, on screen above the results


async def test_the_filter_box_takes_one_line_of_the_grid_at_80x24(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.run(SHORT)
        await ex.press("f4")
        rows = sum(1 for line in ex.screen_lines() if "2026-" in line)
        await ex.press("slash", *"get")
        assert ex.filter_text == "get"
        shown = sum(1 for line in ex.screen_lines() if "2026-" in line)
        assert shown >= rows - 1 and shown == min(rows - 1, len(ex.shown_rows))
        assert sum(1 for line in ex.screen_lines() if "│ get" in line) == 1  # what was typed, in view


async def test_footer_shows_f1_and_context_keeps_connection_and_store_at_80_columns(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        lines = ex.screen_lines()
        assert "f1 Help" in lines[-1]
        assert "local lake" in lines[0] and "store org-events" in lines[0]


def _bindings_of(cls: type) -> list[Binding]:
    found: list[Binding] = []
    for klass in cls.__mro__:
        for b in klass.__dict__.get("BINDINGS", []):
            if isinstance(b, Binding):
                found.append(b)
    return found


def test_no_binding_needs_a_multiplexer_prefix() -> None:
    """Every key of the explorer reaches it inside tmux and screen: none is ctrl+b or ctrl+a, except
    Textual's own editor keys that have another key for the same action (Home for ctrl+a)."""
    for k in keymap.KEYMAP:
        assert not PREFIXES & set(k.keys.split(",")), k
    modules = (dialogs, editor, grid, history, library, main, picker, results, storeadmin, stores)
    classes = {
        c for m in modules for _, c in inspect.getmembers(m, inspect.isclass) if hasattr(c, "BINDINGS")
    }
    assert any(issubclass(c, editor.SqlEditor) for c in classes)
    for cls in classes:
        for b in _bindings_of(cls):
            keys = set(b.key.split(","))
            if keys & PREFIXES:
                assert keys - PREFIXES, f"{cls.__name__}: {b.action} only on {b.key}"


async def test_the_demo_build_notice_stays_in_the_stores_pane_until_ready(demo_lake: Any) -> None:
    """The first run's notice is not only a toast (gone after a few seconds, leaving "loading…"): it
    stays in the stores pane, at 80x24 too, until the build says it is ready. The build's reports are
    posted as its worker posts them."""
    async with explorer((80, 24)) as ex:
        await ex.ready()
        ex.app.main.post(events.DemoBuildProgress(0, 0))
        await ex.wait_until(lambda: "Building the" in _stores_column(ex))
        ex.app.main.post(events.DemoBuildProgress(11, 38_500))
        await ex.wait_until(lambda: "11 of 30 days" in _stores_column(ex))
        assert "Building the demo" in _stores_column(ex)
        ex.app.main.post(events.DemoBuildProgress(30, 105_000, ready=True))
        await ex.wait_until(lambda: "Building" not in _stores_column(ex))
        assert ex.notified("is ready")


def _stores_column(ex: Explorer) -> str:
    """The stores pane's text as on screen, its lines joined (a sentence wraps over several)."""
    return " ".join(line[1:23].strip() for line in ex.screen_lines()[1:-1])


async def test_history_gives_the_sql_priority_at_80_columns(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.run(ex.editor.text)  # the welcome query: two comment lines, then the SELECT
        await ex.run(SHORT)
        await ex.press("ctrl+r")
        await ex.wait_until(lambda: isinstance(ex.screen, history.HistoryScreen))
        await ex.wait_until(lambda: any("FINISHED" in line for line in ex.screen_lines()))
        entries = [line for line in ex.screen_lines() if re.search(r"\d\d-\d\d \d\d:\d\d FINISHED", line)]
        assert len(entries) == 2
        assert "SELECT eventTime, " in entries[0]  # the newest first, its SQL readable
        assert "SELECT eventTime, " in entries[1] and "LIMIT 1000" in entries[1]  # not the welcome's comment


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_history_entries_that_differ_after_the_store_id_tell_apart(
    demo_lake: Any, size: tuple[int, int]
) -> None:
    """Each entry's line names the store by a short form of its ID, and a line still too long for the
    list loses its middle, not its end: queries alike up to (and past) the store ID read differently."""
    base = "SELECT eventTime, eventName, sourceIPAddress FROM 0d3a6f2e-7b1c-4e5a-9c8d-2f4b6a8c0e1d "
    ends = (
        "ORDER BY eventTime DESC LIMIT 5",
        "ORDER BY eventTime DESC LIMIT 7",
        "ORDER BY eventTime LIMIT 5",
    )
    async with explorer(size) as ex:
        await ex.ready()
        for end in ends:
            await ex.run(base + end)
        await ex.press("ctrl+r")
        await ex.wait_until(lambda: isinstance(ex.screen, history.HistoryScreen))
        await ex.wait_until(lambda: any("FINISHED" in line for line in ex.screen_lines()))
        entries = [line for line in ex.screen_lines() if re.search(r"\d\d:\d\d  ?FINISHED", line)]
        assert len(entries) == 3 and len(set(entries)) == 3, entries
        for entry, end in zip(entries, reversed(ends), strict=True):  # newest first
            assert entry.count("SELECT eventTime, ") == 1 and end[-12:] in entry, entry
            assert "2f4b6a8c0e1d" not in entry  # the ID shortened or left out: whole in the preview below
        assert "0d3a6f2e-7b1c-4e5a-9c8d-2f4b6a8c0e1d" in ex.history_preview


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_history_entries_that_differ_only_in_the_middle_tell_apart_and_reach_the_edge(
    demo_lake: Any, size: tuple[int, int]
) -> None:
    """Statements alike at both ends (the account in the middle, then the day) read differently: each
    shows the words where they differ. A line cut to the list's width ends at its edge, with or without the list's scrollbar (at 80x24 six entries need it), not a few cells short."""
    sql = (
        "SELECT eventName, count(*) AS calls FROM 0d3a6f2e-7b1c-4e5a-9c8d-2f4b6a8c0e1d WHERE recipientAccountId"
        " = '{}' AND eventTime > '2026-11-{} 00:00:00' GROUP BY eventName ORDER BY calls DESC LIMIT 50"
    )
    runs = [("111122223333", 20), ("444455556666", 20), ("777788889999", 20), ("111122223333", 21)]
    runs.append(("444455556666", 21))
    long_one = (
        "SELECT eventTime, eventSource, eventName, userIdentity.arn, sourceIPAddress, userAgent, errorCode,"
        " errorMessage FROM 0d3a6f2e-7b1c-4e5a-9c8d-2f4b6a8c0e1d WHERE errorCode IS NOT NULL"
        " ORDER BY eventTime DESC LIMIT 20"
    )
    async with explorer(size) as ex:
        await ex.ready()
        for account, day in runs:
            await ex.run(sql.format(account, day))
        await ex.run(long_one)
        await ex.press("ctrl+r")
        await ex.wait_until(lambda: isinstance(ex.screen, history.HistoryScreen))
        await ex.wait_until(lambda: any("FINISHED" in line for line in ex.history_lines))
        await ex.pilot.pause(0.2)  # laid out: the lines made again for the list's real width
        entries = [line for line in ex.history_lines if line.strip()]
        assert len(entries) == (4 if size == (80, 24) else 6), entries  # 80x24: 4 of 6, and a scrollbar
        assert len(set(entries)) == len(entries), entries
        assert "SELECT eventTime, " in entries[0] and "LIMIT 20" in entries[0]  # newest first
        assert len(entries[0]) == len(entries[0].rstrip()), entries[0]  # cut at the list's edge
        for entry, (account, day) in zip(entries[1:], list(reversed(runs)), strict=False):
            assert f"'{account}'" in entry and f"'2026-11-{day}" in entry, entry


async def test_a_connection_message_unfolds_the_details_at_80x24(
    demo_lake: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Folded details must not hide a connection's whole message when the user highlights it."""
    without_aws(monkeypatch, tmp_path)
    async with explorer((80, 24), aws_stores=True) as ex:
        await ex.ready()
        await ex.wait_until(lambda: "no AWS profile" in ex.stores_text(1))
        assert ex.pane_size("store-details") == (0, 0)
        await ex.press("f2")
        for _ in range(5):  # down to the AWS group's message, past the local lake and its store
            await ex.press("down")
            if "no AWS profile" in str(ex.app.main.query_one("#store-tree", Tree).cursor_node.label):
                break
        assert ex.pane_size("store-details")[1] > 0
        assert "the local lake needs none" in _stores_column(ex)
        await ex.press("up", "up", "up")  # back on the store: folded again
        assert ex.pane_size("store-details") == (0, 0)


@pytest.mark.parametrize("before", [("f12", "f12"), ("f2", "ctrl+n", "ctrl+n")])
async def test_zoom_still_takes_the_whole_screen_after_f12_or_a_stores_zoom(
    demo_lake: Any, before: tuple[str, ...]
) -> None:
    """Hiding and showing the stores (F12), or zooming them and back, must not pin them beside a zoomed
    grid or editor afterwards."""
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.run(SHORT)
        await ex.press(*before)
        assert ex.pane_size("stores")[0] == 24  # shown again
        await ex.press("f4", "ctrl+n")
        assert ex.pane_size("stores") == (0, 0) and ex.pane_size("results")[0] == 80
        assert "Stores" not in "".join(ex.screen_lines())
        await ex.press("ctrl+n", "f3", "ctrl+n")
        assert ex.pane_size("stores") == (0, 0) and ex.pane_size("editor")[0] == 80
        await ex.press("ctrl+n")
        assert ex.pane_size("stores")[0] == 24


async def test_a_message_wrapped_under_the_unfolded_details_leaves_room_for_the_scrollbar(
    demo_lake: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 80x24 the unfolded details (`i`) leave the tree a few lines: a connection's message arriving
    then brings the tree's scrollbar, two columns inside it, and wraps again to what is left rather than
    being cut under the scrollbar. Read line by line as the tree scrolls (the mouse wheel)."""
    without_aws(monkeypatch, tmp_path)
    (tmp_path / "no-config").write_text("[profile keyless]\nregion = us-east-1\n")  # and no keys
    async with explorer((80, 24), aws_stores=True) as ex:
        await ex.ready()
        await ex.press("f2", "i")
        await ex.command("profile keyless")
        await ex.wait_until(lambda: "credentials" in ex.stores_text(1).partition("\n")[2], 20)
        await ex.pilot.pause(0.2)
        message = " ".join(ex.stores_text(1).partition("\n")[2].split())
        tree = ex.app.main.query_one("#store-tree", Tree)
        assert tree.show_vertical_scrollbar
        region, seen = tree.region, []
        for y in range(tree.max_scroll_y + 1):
            tree.scroll_to(y=y, animate=False)
            await ex.pilot.pause()
            lines = [line[region.x : region.right] for line in ex.screen_lines()[region.y : region.bottom]]
            seen.append(lines[0])
        seen += lines[1:]
        shown = " ".join(" ".join(re.sub("[▁-█]", " ", line).split()) for line in seen)  # no scrollbar
        assert message in shown, seen  # every word whole, none under the scrollbar


async def test_the_demo_build_leaves_the_welcome_lines_in_view_at_80x24(demo_lake: Any) -> None:
    """While the first run's demo builds, its progress is in the stores pane, not in toasts over the
    editor's welcome lines; its end is one short toast line."""
    async with explorer((80, 24), toasts=True) as ex:
        await ex.ready()
        welcome = [line for line in ex.screen_lines()[2:7]]
        assert "Welcome: ctrl+j" in welcome[0]
        ex.app.main.post(events.DemoBuildProgress(0, 0))
        ex.app.main.post(events.DemoBuildProgress(11, 38_500))
        await ex.wait_until(lambda: "11 of 30 days" in _stores_column(ex))
        await ex.pilot.pause(0.2)
        assert ex.screen_lines()[2:7] == welcome
        ex.app.main.post(events.DemoBuildProgress(30, 105_000, ready=True))
        await ex.wait_until(lambda: ex.notified("The demo is ready"))
        await ex.pilot.pause(0.2)
        shown = [line for line in ex.screen_lines() if "The demo is ready" in line]
        assert len(shown) == 1 and "105,000 events, 30 days." in shown[0]  # whole, on one line


async def test_an_export_notice_leaves_the_chart_heading_in_view(demo_lake: Any, tmp_path: Path) -> None:
    """A toast raised while the chart is open (an export ending) shows below the chart's heading."""
    for size in ((80, 24), (160, 48)):
        async with explorer(size, toasts=True) as ex:
            await ex.ready()
            await ex.run(SHORT)
            await ex.press("f4")
            await ex.export(tmp_path / f"out-{size[0]}.csv")
            await ex.press("v")
            await ex.wait_until(lambda: bool(ex.chart_text), what="the chart")
            await ex.wait_until(lambda: ex.notified("Exported 50 rows"))
            await ex.pilot.pause(0.2)
            lines = ex.screen_lines()
            assert any("Exported 50 rows" in line for line in lines)
            head = ex.chart_text.splitlines()[:2]  # the summary and the selected bucket
            assert head[0].startswith("eventTime per") and head[1].startswith("▶")
            assert head[0] in lines[1] and head[1] in lines[2], lines[:4]
