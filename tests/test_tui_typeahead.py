"""Type-ahead into the results before they arrive: `/` and a word typed right behind ctrl+j (one burst, as a
responder types over SSH) filter the rows when they come; the word's letters must never reach the grid as
its one-letter keys (`e` drill-down, `c` copy the column, `-` hide a column...)."""

from __future__ import annotations

from typing import Any

from tests.explorer import explorer, slow_lake
from trailtui.local.demo import DEMO_STORE_ID, INCIDENT_IP

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
