"""Type-ahead into the results before they arrive: `/` and a word typed right behind ctrl+j (one burst, as a
responder types over SSH) filter the rows when they come; the word's letters must never reach the grid as
its one-letter keys (`e` drill-down, `c` copy the column, `-` hide a column...)."""

from __future__ import annotations

import contextlib
from typing import Any

from tests.explorer import explorer, slow_lake
from trailtui.lake.history import History
from trailtui.local.demo import DEMO_STORE_ID, INCIDENT_IP
from trailtui.local.lakefile import LakeFile
from trailtui.paths import locations

SQL = f"SELECT eventName, sourceIPAddress FROM {DEMO_STORE_ID} WHERE sourceIPAddress = '{INCIDENT_IP}'"


async def test_a_filter_typed_before_the_rows_arrive_filters_them(demo_lake: Any) -> None:
    lake = slow_lake(1)  # the keys are all in before the first row
    try:
        async with explorer((80, 24), local_lake=lake) as ex:
            await ex.ready()
            ex.editor.text = SQL
            ex.burst("ctrl+j", "f4", "/", *"GetObject")
            await ex.wait_until(lambda: ex.filter_text == "GetObject", what="the filter box to get every key")
            q = await ex.finished()
            assert q.error is None and q.total and q.total > 1
            shown = ex.shown_rows
            assert shown and all(row[0] == "GetObject" for row in shown)
            assert len(shown) == sum(1 for row in q.rows if row[0] == "GetObject") < len(q.rows)
            assert f"({len(shown):,} shown by the filter)" in ex.results_title
            assert not ex.clipboard and not ex.notified("Drill-down")  # no letter acted as a grid key
            assert ex.shown_columns == ["eventName", "sourceIPAddress"]
    finally:
        lake.close()


async def test_typed_while_the_lake_opens_the_query_is_as_at_ctrl_j_and_the_filter_stays(
    demo_lake: LakeFile,
) -> None:
    """On a first start the lake may still be opening (the demo build holds it): ctrl+j, F4, `/GetObject`,
    then more SQL typed into the editor, all before it opens. The query run is the one asked for at ctrl+j,
    and the filter typed for its rows filters them; no letter acts as a grid key."""
    with contextlib.ExitStack() as held:
        held.enter_context(demo_lake.writer())  # another process holds the lake while the explorer starts
        async with explorer((80, 24)) as ex:
            ex.editor.text = SQL
            ex.burst("ctrl+j", "f4", "/", *"GetObject", "enter", "f3", "end", *" LIMIT 1")
            await ex.wait_until(lambda: ex.editor.text.endswith("LIMIT 1"), what="the typing into the editor")
            assert ex.filter_text == "GetObject" and "No query yet" in ex.status_line
            held.close()  # the lake opens
            q = await ex.finished()
            assert q.error is None and q.total and q.total > 1  # not the LIMIT 1 typed after ctrl+j
            assert History(locations().history_db).search()[0].sql == SQL
            shown = ex.shown_rows
            assert shown and all(row[0] == "GetObject" for row in shown)
            assert len(shown) == sum(1 for row in q.rows if row[0] == "GetObject") < len(q.rows)
            assert ex.filter_text == "GetObject"
            assert not ex.clipboard and not ex.notified("Drill-down")


async def test_a_key_typed_ahead_of_a_question_does_not_answer_it(demo_lake: Any) -> None:
    """`:drop scratch` and a `y` in one burst: the question shows and waits; only a key typed once it is on
    screen answers it (a stray y must not delete a store, replace a file or run a billed scan)."""
    from trailtui.tui.dialogs import ConfirmScreen

    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.command("create scratch")
        await ex.press("tab", "tab", "space", "shift+tab", "enter")  # termination protection off, save
        await ex.wait_until(lambda: "scratch" in ex.stores("local"), what="the new store")
        ex.burst("f4", ":", *"drop scratch", "enter", "y")
        await ex.wait_until(lambda: isinstance(ex.screen, ConfirmScreen), what="the question")
        for _ in range(10):  # time for the y typed ahead to arrive, were it taken as the answer
            await ex.pilot.pause(0.05)
        assert isinstance(ex.screen, ConfirmScreen) and "scratch" in ex.stores("local")
        assert "for good" in "\n".join(ex.screen_lines())
        await ex.press("y")  # typed with the question on screen
        await ex.wait_until(lambda: "scratch" not in ex.stores("local"), what="the store dropped")
        assert ex.notified("Dropped the local store scratch")
