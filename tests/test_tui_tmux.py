"""The explorer inside tmux: Esc then a letter typed within tmux's escape-time (500 ms by default) reaches
the explorer as one Alt key (ESC and the letter together). Where no binding takes that Alt key, it is the
Esc and the letter the user typed; the bound Alt keys stay what they are."""

from __future__ import annotations

from typing import Any

from tests.explorer import explorer
from trailtui.local.demo import DEMO_STORE_ID
from trailtui.tui.chartscreen import ChartScreen
from trailtui.tui.detail import DetailScreen
from trailtui.tui.main import MainScreen

SQL = f"SELECT eventName, count(*) AS calls FROM {DEMO_STORE_ID} GROUP BY eventName"


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
