"""The query status line as read on screen: at 80x24, with the stores pane taking its columns, the scan and
its estimated cost still show whole (an incident responder over SSH decides on them); a figure that does
not fit is left out whole, never cut into another number."""

from __future__ import annotations

import re
from typing import Any

from tests.explorer import Explorer, explorer
from trailtui.local.demo import DEMO_STORE_ID

WEEK = f"SELECT eventTime, eventName FROM {DEMO_STORE_ID} WHERE eventTime >= '2026-11-20 00:00:00' LIMIT 100"
COST = re.compile(r"est\. <?\$\d+\.\d{4}(?!\d)")


def statistics_on_screen(ex: Explorer) -> str:
    """The status line's second line, as the terminal shows it (inside the editor's column)."""
    line = next(line for line in ex.screen_lines() if "scanned" in line)
    return line.strip(" │")


async def test_the_cost_shows_whole_at_80x24(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        q = await ex.run(WEEK)
        assert q.status == "FINISHED" and q.error is None
        shown = statistics_on_screen(ex)
        assert "…" not in shown, shown
        assert COST.search(shown), shown
        assert re.search(r"scanned [\d,]+ events, [\d.]+ [KMG]?B", shown), shown
        top = next(line for line in ex.screen_lines() if "FINISHED" in line)
        assert "100 of 100 rows loaded" in top
        await ex.press("f12")  # the stores pane hidden: room for the whole line, as at 160 columns
        await ex.pilot.pause()
        shown = statistics_on_screen(ex)
        assert shown.startswith("matched ") and " exec " in shown and COST.search(shown), shown
        assert "…" not in shown


async def test_the_whole_statistics_line_at_160x48(demo_lake: Any) -> None:
    async with explorer((160, 48)) as ex:
        await ex.ready()
        await ex.run(WEEK)
        shown = statistics_on_screen(ex)
        assert re.fullmatch(
            r"matched [\d,]+  scanned [\d,]+  [\d.]+ [KMG]?B scanned, est\. <?\$\d+\.\d{4}  exec [\d,]+ ms.*",
            shown,
        ), shown


def test_large_figures_keep_the_cost_in_the_width_of_the_status_line_at_80_columns() -> None:
    """A Lake scan of millions of events, and Athena's line, in the 54 cells the status line has at 80
    columns with the stores pane shown: the cost stays, whole figures only."""
    from trailtui.lake.results import QueryStatistics
    from trailtui.tui.status import statistics_line

    lake = QueryStatistics(events_matched=1_234_567, events_scanned=98_765_432, bytes_scanned=987_654_321_000)
    athena = QueryStatistics(bytes_scanned=5_400_000_000, execution_ms=12_345, queue_ms=678, engine="athena")
    for stats in (lake, athena):
        line = statistics_line(stats, 54)
        assert len(line) <= 54 and COST.search(line), line
        assert "…" not in line and not line.endswith((",", " ")), line
    assert statistics_line(lake, 54).startswith("scanned 98,765,432 events, ")
    assert statistics_line(athena, 54).startswith("Athena  5.0 GB scanned, est. $")  # GiB, as human_bytes
    assert statistics_line(athena, 0).endswith("  engine 12,345 ms  queued 678 ms")
    whole = statistics_line(lake, 0)
    assert whole.startswith("matched 1,234,567  scanned 98,765,432  ") and whole.endswith(" ms")
