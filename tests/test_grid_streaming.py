"""Pages stream into the grid: the screen is laid out at most a few times a second while they arrive, but
the user can always reach every row that has arrived once the last page is in."""

from __future__ import annotations

from typing import Any

from tests.explorer import explorer
from trailtui.local.demo import DEMO_STORE_ID

MANY = (
    f"SELECT eventID, eventTime, eventName FROM {DEMO_STORE_ID} "
    "WHERE eventTime > '2026-11-20 00:00:00' ORDER BY eventTime, eventID LIMIT 7500"
)


async def test_the_last_row_of_many_pages_can_be_reached_as_soon_as_it_arrives(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        q = await ex.run(MANY)
        assert q.loaded == q.total == 7500
        await ex.press("f4", "G")
        assert ex.cursor_cell == ("eventID", q.rows[-1][0])
        drawn = [ex.grid_line(y) for y in range(1, ex.grid.size.height)]
        assert any(q.rows[-1][0][:12] in line for line in drawn), drawn
        await ex.press("g")
        assert ex.cursor_cell == ("eventID", q.rows[0][0])
