"""The explorer inside tmux: Esc then a letter typed within tmux's escape-time (500 ms by default) reaches
the explorer as one Alt key (ESC and the letter together). Where no binding takes that Alt key, it is the
Esc and the letter the user typed; the bound Alt keys stay what they are."""

from __future__ import annotations

from typing import Any

import pytest

from tests.explorer import explorer
from trailtui.local.demo import DEMO_STORE_ID
from trailtui.tui.chartscreen import ChartScreen
from trailtui.tui.detail import DetailScreen
from trailtui.tui.main import MainScreen

SQL = f"SELECT eventName, count(*) AS calls FROM {DEMO_STORE_ID} GROUP BY eventName"
SQL3 = f"SELECT eventName, eventSource, count(*) AS calls FROM {DEMO_STORE_ID} GROUP BY 1, 2"


async def test_esc_then_a_letter_sent_as_one_alt_key_closes_the_view_and_does_the_letter(
    demo_lake: Any,
) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        q = await ex.run(SQL)
        assert q.error is None and len(q.rows) > 5
        await ex.press("f4", "l", "r")  # the calls column, and the whole row in the detail view
        await ex.wait_until(lambda: isinstance(ex.screen, DetailScreen), what="the detail view")
        ex.terminal("\x1bs")  # Esc, s within tmux's escape-time: alt+s
        await ex.wait_until(lambda: "calls ▲" in ex.header, what="the sort by calls")
        assert isinstance(ex.screen, MainScreen)  # the Esc closed the detail view
        assert [int(r[1]) for r in ex.shown_rows] == sorted(int(r[1]) for r in q.rows)
        # In the filter box: Esc clears and closes it, and `s` is a grid key again (a second sort: descending),
        # not a letter added to the filter.
        await ex.press("slash", *"Get")
        await ex.wait_until(lambda: ex.filter_text == "Get")
        ex.terminal("\x1bs")
        await ex.wait_until(lambda: "calls ▼" in ex.header, what="the second sort, descending")
        assert ex.filter_text is None and len(ex.shown_rows) == len(q.rows)


async def test_bound_alt_keys_stay_alt_keys_and_an_unbound_one_in_the_editor_types_its_letter(
    demo_lake: Any,
) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        q = await ex.run(SQL)
        assert q.error is None
        await ex.press("f4")
        ex.terminal("\x1bv")  # alt+v charts the loaded rows, wherever it is typed
        await ex.wait_until(lambda: isinstance(ex.screen, ChartScreen), what="the chart")
        ex.terminal("\x1bq")  # Esc closes the chart; `q` on the grid does nothing more
        await ex.wait_until(lambda: isinstance(ex.screen, MainScreen), what="the chart to close")
        await ex.press("f3", "end")
        ex.terminal("\x1bx")  # Esc (nothing to close) then x, typed into the editor
        await ex.wait_until(lambda: ex.editor_text.endswith("eventNamex"), what="the letter in the editor")
        assert isinstance(ex.screen, MainScreen)


async def test_esc_then_a_symbol_or_a_digit_sent_as_one_key_closes_the_view_and_does_the_key(
    demo_lake: Any,
) -> None:
    """Textual's parser read ESC / as `/` alone and ESC - as `–` (a macOS Option character): the Esc was lost,
    the detail view stayed open, and the filter box got an en dash."""
    async with explorer((80, 24)) as ex:
        await ex.ready()
        q = await ex.run(SQL3)
        assert q.error is None and len(q.rows) > 5
        await ex.press("f4", "r")
        await ex.wait_until(lambda: isinstance(ex.screen, DetailScreen), what="the detail view")
        ex.terminal("\x1b/")  # Esc, / within tmux's escape-time
        await ex.wait_until(lambda: ex.filter_text == "", what="the filter box")
        assert isinstance(ex.screen, MainScreen)
        await ex.press(*"Get")
        await ex.wait_until(lambda: ex.filter_text == "Get")
        ex.terminal("\x1b-")  # Esc clears and closes the filter; `-` hides the column under the cursor
        await ex.wait_until(lambda: "eventName" not in ex.shown_columns, what="the column hidden")
        assert ex.filter_text is None and len(ex.shown_rows) == len(q.rows)
        await ex.press("l")
        assert ex.cursor_cell[0] == "calls"
        await ex.press("r")
        await ex.wait_until(lambda: isinstance(ex.screen, DetailScreen), what="the detail view")
        ex.terminal("\x1b0")  # Esc, then 0: the first column
        await ex.wait_until(lambda: isinstance(ex.screen, MainScreen), what="the view closed")
        await ex.wait_until(lambda: ex.cursor_cell[0] == ex.shown_columns[0], what="the first column")
        await ex.press("f3", "end")
        ex.terminal("\x1b=")  # Esc (nothing to close), then = typed into the editor
        await ex.wait_until(lambda: ex.editor_text.endswith("1, 2="), what="the = in the editor")


async def test_esc_then_enter_sent_as_one_key_clears_the_filter_then_opens_the_cell(demo_lake: Any) -> None:
    """ESC Enter was read as Enter alone: the filter box kept what was typed instead of clearing it."""
    async with explorer((80, 24)) as ex:
        await ex.ready()
        q = await ex.run(SQL)
        assert q.error is None and len(q.rows) > 5
        await ex.press("f4", "slash", *"Get")
        await ex.wait_until(lambda: ex.filter_text == "Get")
        assert len(ex.shown_rows) < len(q.rows)
        ex.terminal("\x1b\r")  # Esc, Enter within tmux's escape-time
        await ex.wait_until(lambda: isinstance(ex.screen, DetailScreen), what="the cell opened")
        assert ex.filter_text is None and len(ex.shown_rows) == len(q.rows)


async def test_esc_then_tab_sent_as_one_key_clears_the_filter(demo_lake: Any) -> None:
    """ESC Tab (Esc, then Tab within tmux's escape-time) was read as shift+tab: the Esc was lost, so the
    filter box kept what was typed and focus went backwards."""
    async with explorer((80, 24)) as ex:
        await ex.ready()
        q = await ex.run(SQL)
        assert q.error is None and len(q.rows) > 5
        await ex.press("f4", "slash", *"Get")
        await ex.wait_until(lambda: ex.filter_text == "Get")
        assert len(ex.shown_rows) < len(q.rows)
        ex.terminal("\x1b\t")  # Esc, Tab within tmux's escape-time
        await ex.wait_until(lambda: ex.filter_text is None, what="the filter cleared")
        assert len(ex.shown_rows) == len(q.rows)


def test_a_textual_whose_drivers_make_their_parser_otherwise_fails_loudly(monkeypatch: Any) -> None:
    """If Textual's drivers stopped making their parser from their module's XTermParser, replacing that name
    would change nothing: Esc then a symbol would lose the Esc again while the tests' parser (read from the
    same name) still passed. The explorer refuses to start on such a Textual instead."""
    from textual.drivers import linux_driver

    from trailtui.tui.terminalkeys import install

    install()  # the pinned Textual: fits

    def run_input_thread(self: Any) -> None:
        return None  # a driver that makes its parser some other way

    monkeypatch.setattr(linux_driver.LinuxDriver, "run_input_thread", run_input_thread)
    with pytest.raises(RuntimeError, match="LinuxDriver no longer makes its parser from XTermParser"):
        install()
