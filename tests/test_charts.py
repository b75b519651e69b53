"""Charts of a result, opened from the keyboard (tests/explorer.py drives the explorer on the demo lake):
the time histogram's buckets and counts against the lake's own count, bars of an aggregate, event text
shown as text, and the chart at 80x24 and at 160x48."""

from __future__ import annotations

import re
from typing import Any

from rich.cells import cell_len

from tests.explorer import explorer
from trailtui.local.demo import DEMO_STORE_ID

SIX_HOURS = (
    f"SELECT eventTime, eventName FROM {DEMO_STORE_ID} "
    "WHERE eventTime >= '2026-11-26 00:00:00' AND eventTime < '2026-11-26 06:00:00' ORDER BY eventTime"
)
WEEK = (
    f"SELECT eventName, eventTime, recipientAccountId FROM {DEMO_STORE_ID} "
    "WHERE eventTime >= '2026-11-20 00:00:00' AND eventTime < '2026-11-27 00:00:00' "
    "AND eventSource = 'iam.amazonaws.com'"
)
BY_NAME = (
    f"SELECT eventName, count(*) AS n FROM {DEMO_STORE_ID} "
    "WHERE eventTime >= '2026-11-20 00:00:00' AND eventTime < '2026-11-27 00:00:00' "
    "GROUP BY eventName ORDER BY n DESC, eventName LIMIT 12"
)
_SELECTED = re.compile(r"(?:▶|peak) (\d{4}-\d\d-\d\d \d\d:\d\d) – (\d\d:\d\d): ([\d,]+)")


def _selected(text: str) -> tuple[str, str, int]:
    m = _SELECTED.search(text)
    assert m, text
    return m.group(1), m.group(2), int(m.group(3).replace(",", ""))


async def test_time_histogram_counts_what_the_lake_counts(demo_lake: Any) -> None:
    async with explorer((120, 40)) as ex:
        await ex.ready()
        q = await ex.run(SIX_HOURS)
        assert q.total and q.total > 100
        await ex.press("f4", "v")
        await ex.wait_until(lambda: bool(ex.chart_text), what="the chart")
        text = ex.chart_text
        # Six hours at 120 columns: 5-minute buckets (minute buckets would not fit), every row counted.
        assert f"eventTime per 5 minutes: {q.total:,} rows, 11-26 00:00 – 11-26 06:00 UTC" in text
        assert "└" in text and " 0 ┤" in text and "Esc close" in text
        assert "01:00" in text  # x axis labels
        start, end, count = _selected(text)  # it opens on the peak bucket
        await ex.press("escape")
        lake = await ex.run(
            f"SELECT count(*) FROM {DEMO_STORE_ID} WHERE eventTime >= '{start}:00' "
            f"AND eventTime < '2026-11-26 {end}:00'"
        )
        assert lake.rows == [[str(count)]]
        # The bucket to its right, read after moving the selection with the arrow key.
        await ex.run(SIX_HOURS)
        await ex.press("f4", "v")
        await ex.wait_until(lambda: bool(ex.chart_text))
        await ex.press("right")
        start2, end2, count2 = _selected(ex.chart_text)
        await ex.press("escape")
        assert start2 == f"2026-11-26 {end}"
        lake = await ex.run(
            f"SELECT count(*) FROM {DEMO_STORE_ID} WHERE eventTime >= '{start2}:00' "
            f"AND eventTime < '2026-11-26 {end2}:00'"
        )
        assert lake.rows == [[str(count2)]]


async def test_histogram_of_the_time_column_under_the_cursor_fits_80x24(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        q = await ex.run(WEEK)
        await ex.press("f4", "right", "v")  # the cursor on eventTime, the second column
        await ex.wait_until(lambda: bool(ex.chart_text))
        text = ex.chart_text
        # A week at 80 columns: 3-hour buckets; every line of the chart fits the screen.
        assert f"eventTime per 3 hours: {q.loaded:,} rows" in text
        assert all(cell_len(line) <= 80 for line in text.splitlines())
        chart_lines = [line for line in text.splitlines() if "┤" in line or "│" in line]
        assert len(chart_lines) >= 8  # the columns get the screen's height, not a fixed few lines
        await ex.press("escape")
        await ex.wait_until(lambda: not ex.chart_text)
        assert ex.app.focused is ex.grid


async def test_the_chart_uses_the_width_at_160x48(demo_lake: Any) -> None:
    async with explorer((160, 48)) as ex:
        await ex.ready()
        await ex.run(WEEK)
        await ex.press("f4", "v")  # cursor on eventName: not a time, not numbers; eventTime is charted
        await ex.wait_until(lambda: bool(ex.chart_text))
        text = ex.chart_text
        assert "eventTime per 3 hours" in text
        axis = next(line for line in text.splitlines() if "└" in line)
        assert axis.count("─") == 112  # seven days of 3-hour buckets, each two columns wide (one at 80)
        await ex.press("escape")
        await ex.press("f3", "alt+v")  # ...and from the editor (any pane) with alt+v
        await ex.wait_until(lambda: bool(ex.chart_text))
        assert "eventTime per 3 hours" in ex.chart_text
        wide = max(cell_len(line) for line in ex.chart_text.splitlines())
        assert wide > 110  # at 80 columns the same chart is 60 wide


async def test_bars_of_an_aggregate(demo_lake: Any) -> None:
    async with explorer((100, 30)) as ex:
        await ex.ready()
        q = await ex.run(BY_NAME)
        await ex.press("f4", "v")
        await ex.wait_until(lambda: bool(ex.chart_text))
        text = ex.chart_text
        assert "12 rows" in text
        bars = [line for line in text.splitlines() if "│" in line]
        assert len(bars) == 12
        for line, (name, n) in zip(bars, q.rows, strict=True):
            assert line.startswith(name or "null")
            assert line.rstrip().endswith(f"{int(n or 0):,}")
        lengths = [line.count("█") for line in bars]
        assert lengths == sorted(lengths, reverse=True) and lengths[0] > lengths[-1]
        assert all(cell_len(line) <= 100 for line in text.splitlines())


async def test_event_text_in_labels_is_text(demo_lake: Any) -> None:
    hostile = (
        f"SELECT '[b]bold[/b] ' || chr(27) || '[31mred' || chr(7) AS label, count(*) AS n "
        f"FROM {DEMO_STORE_ID} WHERE eventTime >= '2026-11-26 00:00:00' AND eventTime < '2026-11-26 01:00:00'"
    )
    async with explorer((100, 30)) as ex:
        await ex.ready()
        q = await ex.run(hostile)
        assert q.rows and "\x1b" in (q.rows[0][0] or "")
        await ex.press("f4", "v")
        await ex.wait_until(lambda: bool(ex.chart_text))
        text = ex.chart_text
        assert "[b]bold[/b]" in text  # shown as typed, never as markup
        assert "\x1b" not in text and "\x07" not in text
        assert "\\x1b[31mred" in text


async def test_nothing_to_chart_says_what_would_be(demo_lake: Any) -> None:
    async with explorer((100, 30)) as ex:
        await ex.ready()
        await ex.press("f4", "v")
        assert ex.notified("Nothing to chart", "warning") and not ex.chart_text
        await ex.run(
            f"SELECT eventName, eventSource FROM {DEMO_STORE_ID} WHERE eventTime > '2026-11-26' LIMIT 5"
        )
        await ex.press("f4", "v")
        await ex.wait_until(lambda: ex.notified("time column (eventTime)", "warning"))
        assert not ex.chart_text
