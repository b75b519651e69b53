"""What a new user met following docs/getting-started.md in tmux at 80x24: each test is one of those
moments, through the driver (what is on screen, not the explorer's insides)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.explorer import explorer, without_aws
from trailtui.local.demo import DEMO_STORE_ID

SQL = f"SELECT eventTime, eventName, sourceIPAddress FROM {DEMO_STORE_ID} ORDER BY eventTime DESC LIMIT 200"


async def test_a_filter_that_keeps_no_row_says_so_whole_at_80x24(demo_lake: Any) -> None:
    """`/StopLogging` on the welcome query's newest rows kept none: the grid went blank under its header,
    as if the rows were gone; the only hint was cut off the results title."""
    async with explorer((80, 24)) as ex:
        await ex.ready()
        q = await ex.run(SQL)
        assert q.error is None and len(q.rows) == 200
        await ex.press("f4", "slash", *"NoSuchEventName")
        await ex.wait_until(lambda: ex.filter_text == "NoSuchEventName")
        await ex.wait_until(lambda: not ex.shown_rows, what="the filter to keep nothing")
        await ex.pilot.pause(0.1)
        assert any(
            "No loaded row matches: / then Esc clears the filter." in line for line in ex.screen_lines()
        )
        await ex.press("escape")  # the box had the focus: cleared, every row back
        await ex.wait_until(lambda: len(ex.shown_rows) == 200, what="the rows back")
        assert not any("No loaded row matches" in line for line in ex.screen_lines())


async def test_a_history_search_that_matches_nothing_does_not_say_the_history_is_empty(
    demo_lake: Any,
) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.run(SQL)
        await ex.press("ctrl+r", *"eventjson")
        await ex.wait_until(lambda: any("No query matches the search." in line for line in ex.history_lines))
        assert not any("No queries yet" in line for line in ex.screen_lines())
        await ex.press(*["backspace"] * len("eventjson"))
        await ex.wait_until(
            lambda: any("LIMIT 200" in line for line in ex.history_lines), what="the entry back"
        )


async def test_the_services_list_shows_the_sql_of_queries_run_here_at_80x24(demo_lake: Any) -> None:
    """Tab in the history lists the store's queries as the service knows them (ListQueries: IDs only).
    Those run from this machine read by their SQL, from the history, not as a column of IDs alike."""
    async with explorer((80, 24)) as ex:
        await ex.ready()
        first = await ex.run(SQL)
        second = await ex.run(SQL.replace("LIMIT 200", "LIMIT 20"))
        await ex.press("ctrl+r", "tab")
        await ex.wait_until(lambda: "(ListQueries)" in ex.dialog_text(), what="the service's list")
        await ex.wait_until(lambda: any("LIMIT 200" in line for line in ex.history_lines), what="its queries")
        lines = [line for line in ex.history_lines if line.strip()]
        assert len(lines) == 2, lines
        assert "FINISHED" in lines[0] and "LIMIT 20" in lines[0] and "LIMIT 200" in lines[1], lines
        assert first.query_id and not any(first.query_id[:8] in line for line in lines)  # room for the SQL
        assert second.query_id and second.query_id in ex.history_preview and "LIMIT 20" in ex.history_preview


async def test_a_custom_range_ending_on_a_day_takes_in_that_whole_day(demo_lake: Any) -> None:
    """alt+t, custom, from 2026-11-24 to 2026-11-25: the 25th's events are in (the incident's day). The
    bound was `<= '2026-11-25 00:00:00'`, which left out the very day typed as the end."""
    from trailtui.tui.timepicker import TimeRangeScreen

    async with explorer((80, 24)) as ex:
        await ex.ready()
        ex.editor.text = f"SELECT day(eventTime) AS d, count(*) AS n FROM {DEMO_STORE_ID} GROUP BY 1"
        await ex.press("alt+t")
        await ex.wait_until(lambda: isinstance(ex.screen, TimeRangeScreen))
        await ex.press("4", *"2026-11-24", "enter", *"2026-11-25", "enter")
        await ex.wait_until(lambda: not isinstance(ex.screen, TimeRangeScreen))
        assert "eventTime >= '2026-11-24 00:00:00' AND eventTime < '2026-11-26 00:00:00'" in ex.editor_text
        q = await ex.run(ex.editor_text)
        assert q.error is None and sorted(r[0] for r in q.rows) == ["24", "25"]


async def test_named_profiles_and_no_default_say_f10_not_no_profile_found(
    demo_lake: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Profiles named in ~/.aws/config and none called default (a common set-up): the stores pane said
    'no AWS profile or credentials found' to someone with two profiles."""
    without_aws(monkeypatch, tmp_path)
    (tmp_path / "no-config").write_text(
        "[profile prod]\nregion = us-east-1\n\n[profile audit]\nregion = eu-west-1\n"
    )
    async with explorer((80, 24), aws_stores=True) as ex:
        await ex.ready()
        await ex.wait_until(lambda: "no default profile" in ex.stores_text(1), what="the AWS group's message")
        text = ex.stores_text(1)
        assert "F10 switches to a profile: prod, audit" in text and "no AWS profile" not in text, text
        assert any("F10 switches" in line for line in ex.stores_pane_lines())  # wrapped, not cut


async def test_queries_while_the_demo_is_built_say_they_read_the_days_built_so_far(demo_lake: Any) -> None:
    """On a first run a sample picked and run at once read the newest day alone (its time range filled in
    from the store as it was then): 0 rows of root activity, with no word that the demo was not whole.
    The build's reports are posted as its worker posts them."""
    from trailtui.tui import events

    async with explorer((80, 24)) as ex:
        await ex.ready()
        ex.app.main.post(events.DemoBuildProgress(11, 38_500))
        await ex.wait_until(lambda: "11 of 30 days" in " ".join(" ".join(ex.stores_pane_lines()).split()))
        await ex.press("ctrl+l", *"root", "enter")
        await ex.wait_until(lambda: ex.notified("the sample covers the days built so far"))
        await ex.run(SQL)
        assert ex.notified("this query reads the days built so far", "warning")
        ex.app.main.post(events.DemoBuildProgress(30, 105_000, ready=True))
        await ex.wait_until(lambda: ex.notified("is ready"))
        warnings = len(ex.notifications)
        await ex.run(SQL)
        assert not any("built so far" in n for n in ex.notifications[warnings:])
