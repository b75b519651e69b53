"""Sorting the loaded rows by the column under the cursor (`s`: ascending, descending, arrival order), as a
user sees it in the grid: rows in order, the indicator in the header."""

from __future__ import annotations

from typing import Any

from tests.explorer import explorer
from trailtui.local.demo import DEMO_STORE_ID, INCIDENT_IP
from trailtui.tui import grid_sort
from trailtui.tui.grid_model import GridModel

COUNTS = (
    f"SELECT eventName, count(*) AS calls FROM {DEMO_STORE_ID} "
    f"WHERE eventTime > '2026-11-20 00:00:00' GROUP BY eventName ORDER BY eventName"
)
ERRORS = (
    f"SELECT eventTime, errorCode, eventName, sourceIPAddress FROM {DEMO_STORE_ID} "
    f"WHERE eventTime > '2026-11-25 00:00:00' ORDER BY eventTime LIMIT 3000"
)


async def test_sort_numbers_numerically_then_descending_then_as_they_came(demo_lake: Any) -> None:
    async with explorer((120, 40)) as ex:
        await ex.ready()
        q = await ex.run(COUNTS)
        counts = [r[1] for r in q.rows]
        assert sorted(counts, key=str) != sorted(counts, key=int)  # text order would be wrong here
        await ex.press("f4", "l", "s")
        assert [int(r[1]) for r in ex.shown_rows] == sorted(int(c) for c in counts)
        assert "calls ▲" in ex.header
        await ex.press("s")
        assert [int(r[1]) for r in ex.shown_rows] == sorted((int(c) for c in counts), reverse=True)
        assert "calls ▼" in ex.header
        await ex.press("s")
        assert ex.shown_rows == q.rows
        assert "▲" not in ex.header and "▼" not in ex.header


async def test_nulls_sort_last_both_ways_and_ties_keep_arrival_order(demo_lake: Any) -> None:
    async with explorer((120, 40)) as ex:
        await ex.ready()
        q = await ex.run(ERRORS)
        nulls = sum(1 for r in q.rows if r[1] is None)
        assert 0 < nulls < len(q.rows)
        await ex.press("f4", "l", "s")
        shown = ex.shown_rows
        assert all(r[1] is not None for r in shown[:-nulls]) and all(r[1] is None for r in shown[-nulls:])
        codes = [r[1] for r in shown[:-nulls]]
        assert codes == sorted(codes, key=str.casefold)
        # Ties keep arrival order (eventTime ascending here).
        same = [r[0] for r in shown if r[1] == codes[0]]
        assert same == sorted(same)
        await ex.press("s")
        shown = ex.shown_rows
        assert all(r[1] is None for r in shown[-nulls:])
        assert [r[1] for r in shown[:-nulls]] == sorted(codes, key=str.casefold, reverse=True)


async def test_sort_keeps_the_filter_and_the_cursor_on_its_row(demo_lake: Any) -> None:
    async with explorer((120, 40)) as ex:
        await ex.ready()
        q = await ex.run(ERRORS.replace("2026-11-25", "2026-11-20").replace("LIMIT 3000", "LIMIT 100000"))
        expected = [r for r in q.rows if INCIDENT_IP in (r[3] or "")]
        assert len(expected) > 5
        await ex.press("f4", "slash", *INCIDENT_IP, "enter", "j", "j")
        chosen = ex.grid.current_row
        await ex.press("l", "l", "s")  # eventName
        assert ex.shown_rows == sorted(expected, key=lambda r: r[2].casefold())
        assert ex.grid.current_row == chosen
        await ex.press("slash", "escape")  # the filter cleared: every row, still sorted
        names = [r[2] for r in ex.shown_rows]
        assert len(names) == len(q.rows) and names == sorted(names, key=str.casefold)


def test_timestamps_sort_chronologically_whatever_their_shape() -> None:
    values = [
        "2026-11-27 10:00:00.000",
        "2026-11-27T09:30:00Z",
        "2026-11-27 10:15:00.000 UTC",
        "2026-11-27T12:00:00+03:00",  # 09:00 UTC: the earliest
        None,
        "2026-11-26",
    ]
    assert grid_sort.kind_of(values) == "time"
    model = GridModel()
    model.add_rows(["t"], [[v] for v in values])
    model.cycle_sort(0)
    assert [values[i] for i in model.view] == [
        "2026-11-26",
        "2026-11-27T12:00:00+03:00",
        "2026-11-27T09:30:00Z",
        "2026-11-27 10:00:00.000",
        "2026-11-27 10:15:00.000 UTC",
        None,
    ]


def test_number_kinds_and_text_that_only_looks_numeric() -> None:
    assert grid_sort.kind_of(["10", "-3", "1.5E2", "0.25", None, "NaN"]) == "number"
    assert grid_sort.kind_of(["10", "1_000"]) == "text"  # Python's float() would take it
    assert grid_sort.kind_of(["10", "ten"]) == "text"
    model = GridModel()
    model.add_rows(["n"], [["10"], ["-3"], ["1.5E2"], ["NaN"], ["0.25"]])
    model.cycle_sort(0)
    assert [model.rows[i][0] for i in model.view] == ["-3", "0.25", "10", "1.5E2", "NaN"]


def test_pages_arriving_after_the_sort_take_their_place() -> None:
    model = GridModel()
    model.add_rows(["n"], [["5"], ["1"], [None]])
    model.cycle_sort(0)
    model.cycle_sort(0)  # descending
    model.add_rows(["n"], [["3"], ["9"], [None]])
    assert [model.rows[i][0] for i in model.view] == ["9", "5", "3", "1", None, None]
    model.add_rows(["n"], [["many"]])  # text arrives in a number column: the column sorts as text now
    assert [model.rows[i][0] for i in model.view] == ["many", "9", "5", "3", "1", None, None]
