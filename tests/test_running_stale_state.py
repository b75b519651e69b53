"""No stale state after a query (issue 15): the results title does not keep the previous query's count, a
filter box never stays with text that is not applied, and the account filter says which account it shows."""

from __future__ import annotations

from typing import Any

from tests.explorer import explorer, slow_lake
from trailtui.local.demo import DEMO_STORE_ID

WHERE = f"FROM {DEMO_STORE_ID} WHERE eventTime > '2026-11-26'"


async def test_a_new_query_does_not_keep_the_previous_count(demo_lake: Any) -> None:
    lake = slow_lake(2)  # the second query stays running while the title is read
    try:
        async with explorer((80, 24), local_lake=lake) as ex:
            await ex.ready()
            await ex.run(f"SELECT eventName {WHERE} LIMIT 20")
            assert ex.results_title.startswith("Results  20 of 20 loaded")
            await ex.start(f"SELECT eventName {WHERE} LIMIT 5")
            assert ex.results_title == "Results"
            assert ex.results_message == "Waiting for results…"
            q = await ex.finished()
            assert q.total == 5 and ex.results_title.startswith("Results  5 of 5 loaded")
    finally:
        lake.close()


async def test_a_new_query_leaves_no_filter_box_with_unapplied_text(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.run(f"SELECT eventName {WHERE} LIMIT 20")
        await ex.press("f4", "slash", "z", "z", "z")
        await ex.wait_until(lambda: ex.filter_text == "zzz", what="the filter")
        assert "(0 shown by the filter)" in ex.results_title
        ex.editor.text = f"SELECT eventName {WHERE} LIMIT 5"
        await ex.press("ctrl+j")  # from the filter box
        await ex.wait_until(lambda: ex.query.done and len(ex.grid.rows) == 5, what="the new rows")
        assert ex.filter_text is None
        assert ex.results_title == "Results  5 of 5 loaded"  # every row shown: no filter left behind


async def test_the_account_filter_is_named_and_replaces_the_text_filter(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        q = await ex.run(f"SELECT recipientAccountId, eventName {WHERE} ORDER BY eventTime LIMIT 200")
        accounts = {row[0] for row in q.rows}
        assert len(accounts) > 1
        await ex.press("f4", "slash", "e", "enter")  # a text filter, kept
        assert ex.filter_text == "e"
        await ex.press("a")
        account = ex.grid.rows[ex.grid.view[0]][0]
        count = sum(1 for row in q.rows if row[0] == account)
        await ex.wait_until(lambda: f"account {account}: {count:,} shown" in ex.results_title)
        assert ex.filter_text is None  # the text filter is no longer applied: its box went with it


async def test_a_query_started_while_pages_stream_in_shows_none_of_the_previous_counts(
    demo_lake: Any,
) -> None:
    """Counts drawn at most every 0.25 s while pages arrive: an update still due when the next query starts
    must not draw the previous query's counts (or '0 of 0') over the new one."""
    lake = slow_lake(5)  # the second query stays running while the title is read (a loaded machine)
    try:
        async with explorer((80, 24), local_lake=lake) as ex:
            await ex.ready()
            await ex.start(f"SELECT eventTime, eventName, eventID FROM {DEMO_STORE_ID} LIMIT 100000")
            await ex.wait_until(lambda: 0 < len(ex.grid.rows) < 50_000, timeout=60, what="pages streaming in")
            assert ex.results_title.startswith("Results  ")  # the first page's counts
            await ex.start(f"SELECT eventName {WHERE} LIMIT 5")
            await ex.pilot.pause(0.6)  # past any update that was due
            assert ex.results_title == "Results"
            assert ex.results_message == "Waiting for results…" and not ex.grid.rows
            assert "loaded" not in ex.query.status_line
            q = await ex.finished()
            assert q.total == 5 and ex.results_title.startswith("Results  5 of 5 loaded")
    finally:
        lake.close()
