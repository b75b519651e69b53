"""Titles drawn in a pane's border that carry query data (the account kept by `a`, a chart's column names)
show Rich/Textual markup as the characters it is, never as styling that eats it, and no control character.
Read from the screen, as the user sees it."""

from __future__ import annotations

from typing import Any

from tests.explorer import explorer
from trailtui.local.demo import DEMO_STORE_ID, INCIDENT_IP


async def test_the_account_in_the_results_title_is_shown_as_written(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.run(
            f"SELECT '[red]' || chr(27) || '[2J' || recipientAccountId AS recipientAccountId, eventName "
            f"FROM {DEMO_STORE_ID} WHERE sourceIPAddress = '{INCIDENT_IP}' LIMIT 3"
        )
        await ex.press("f4", "a")
        await ex.wait_until(lambda: "shown" in ex.results_title, what="the account filter")
        title = next(line for line in ex.screen_lines() if "Results" in line)
        assert "account [red]\\x1b[2J4444" in title, title  # the rest is cut at 80 columns
        assert "\x1b" not in "".join(ex.screen_lines())


async def test_a_chart_title_shows_the_column_names_as_written(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.run(
            f'SELECT eventName AS "[b]name", count(*) AS "[red]n" FROM {DEMO_STORE_ID} '
            f"WHERE sourceIPAddress = '{INCIDENT_IP}' GROUP BY 1 ORDER BY 2 DESC"
        )
        await ex.press("f4", "v")
        await ex.wait_until(lambda: bool(ex.chart_text), what="the chart")
        assert "Chart: [red]n by [b]name" in ex.screen_lines()[0], ex.screen_lines()[0]
        await ex.press("escape")
        await ex.run(
            f"SELECT eventTime AS \"[i]when\" FROM {DEMO_STORE_ID} WHERE sourceIPAddress = '{INCIDENT_IP}'"
        )
        await ex.press("f4", "v")
        await ex.wait_until(lambda: bool(ex.chart_text), what="the histogram")
        assert "Chart: [i]when over time" in ex.screen_lines()[0], ex.screen_lines()[0]
