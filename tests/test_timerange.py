"""The quick time-range picker's rewrite of the editor's statement (trailtui/tui/timerange.py): the bound it
sets, where it goes, what it replaces, what it keeps of the user's text, and when it refuses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from tests.explorer import explorer
from trailtui.lake.sqltext import has_time_bound
from trailtui.tui.editor import WELCOME_SQL
from trailtui.tui.timepicker import TimeRangeScreen
from trailtui.tui.timerange import (
    LAST_DAY,
    LAST_HOUR,
    LAST_WEEK,
    TimeRange,
    Unboundable,
    custom_range,
    parse_time,
    set_time_range,
)

S = "0d3a6f2e-7b1c-4e5a-9c8d-2f4b6a8c0e1d"
ARN = f"arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/{S}"
HOUR = "eventTime > date_add('hour', -1, current_timestamp)"
DAY = "eventTime > date_add('hour', -24, current_timestamp)"
WEEK = "eventTime > date_add('day', -7, current_timestamp)"
NOV = custom_range("2026-11-20", "2026-11-21 12:00")
NOV_SQL = "eventTime >= '2026-11-20 00:00:00' AND eventTime <= '2026-11-21 12:00:00'"


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        # no WHERE: one is added, before the clause that follows FROM, on the same line
        (f"SELECT eventName FROM {S}", f"SELECT eventName FROM {S} WHERE {HOUR}"),
        (f"SELECT eventName FROM {S} LIMIT 5;", f"SELECT eventName FROM {S} WHERE {HOUR} LIMIT 5;"),
        (
            f"SELECT eventName, count(*) FROM {S} GROUP BY eventName ORDER BY 2 DESC LIMIT 9",
            f"SELECT eventName, count(*) FROM {S} WHERE {HOUR} GROUP BY eventName ORDER BY 2 DESC LIMIT 9",
        ),
        # ... or on its own line, indented as the next clause, when the statement is laid out in lines
        (
            f"select eventName, count(*)\nfrom {S}\n  group by 1\n  order by 2 desc",
            f"select eventName, count(*)\nfrom {S}\n  WHERE {HOUR}\n  group by 1\n  order by 2 desc",
        ),
        # an ARN names the store as well as an ID does
        (f"SELECT eventName FROM {ARN} LIMIT 1", f"SELECT eventName FROM {ARN} WHERE {HOUR} LIMIT 1"),
        # a WHERE without a bound: the bound is AND-ed after the user's terms
        (
            f"SELECT * FROM {S} WHERE eventName = 'ConsoleLogin' ORDER BY eventTime",
            f"SELECT * FROM {S} WHERE eventName = 'ConsoleLogin' AND {HOUR} ORDER BY eventTime",
        ),
        # an OR at the top of the WHERE is parenthesised, or the bound would bind to its last term only
        (
            f"SELECT * FROM {S} WHERE eventName = 'x' OR errorCode IS NOT NULL ORDER BY 1",
            f"SELECT * FROM {S} WHERE (eventName = 'x' OR errorCode IS NOT NULL) AND {HOUR} ORDER BY 1",
        ),
        (
            f"SELECT * FROM {S} WHERE a = 1 OR b = 2 AND c = 3",
            f"SELECT * FROM {S} WHERE (a = 1 OR b = 2 AND c = 3) AND {HOUR}",
        ),
        # an existing bound is replaced in place: >, >=, <, <=, BETWEEN, either side, any case
        (
            f"SELECT * FROM {S} WHERE eventTime > '2026-01-01' AND eventName = 'x'",
            f"SELECT * FROM {S} WHERE {HOUR} AND eventName = 'x'",
        ),
        (
            f"SELECT * FROM {S} WHERE eventName = 'x' AND EVENTTIME >= now() - interval '2' day LIMIT 3",
            f"SELECT * FROM {S} WHERE eventName = 'x' AND {HOUR} LIMIT 3",
        ),
        (
            f"SELECT * FROM {S} WHERE '2026-01-01' < eventtime AND eventName = 'x'",
            f"SELECT * FROM {S} WHERE {HOUR} AND eventName = 'x'",
        ),
        # BETWEEN's own AND is not a term boundary; every bound goes, the first one's place takes the new
        (
            f"SELECT * FROM {S} WHERE eventTime BETWEEN '2026-01-01' AND '2026-02-01' AND eventName = 'a' "
            "AND eventTime < now()",
            f"SELECT * FROM {S} WHERE {HOUR} AND eventName = 'a'",
        ),
        (
            f"SELECT * FROM {S} WHERE eventName = 'a' AND eventTime >= '2026-01-01' AND eventTime < '2026-02-01'",
            f"SELECT * FROM {S} WHERE eventName = 'a' AND {HOUR}",
        ),
        (
            f"SELECT * FROM {S} WHERE eventTime >= '2026-01-01' AND eventTime < '2026-02-01'",
            f"SELECT * FROM {S} WHERE {HOUR}",
        ),
        # a bound inside parentheses with other terms, or under an OR, is not the WHERE's: it stays
        (
            f"SELECT * FROM {S} WHERE (eventTime > '2026-01-01' OR eventName = 'x')",
            f"SELECT * FROM {S} WHERE (eventTime > '2026-01-01' OR eventName = 'x') AND {HOUR}",
        ),
        # a comparison of eventTime in the select list bounds nothing
        (
            f"SELECT eventTime > '2026-01-01' AS recent FROM {S}",
            f"SELECT eventTime > '2026-01-01' AS recent FROM {S} WHERE {HOUR}",
        ),
        # AND inside CASE and inside function calls is not a term boundary
        (
            f"SELECT CASE WHEN a AND b THEN 1 END FROM {S} WHERE coalesce(a AND b, c) AND d = 1",
            f"SELECT CASE WHEN a AND b THEN 1 END FROM {S} WHERE coalesce(a AND b, c) AND d = 1 AND {HOUR}",
        ),
        # strings and comments that look like SQL are left alone
        (
            f"SELECT 'WHERE x ORDER BY' AS s FROM {S} -- ORDER BY eventTime\nLIMIT 3",
            f"SELECT 'WHERE x ORDER BY' AS s FROM {S}\nWHERE {HOUR} -- ORDER BY eventTime\nLIMIT 3",
        ),
        (
            f"SELECT * FROM {S} WHERE eventName = 'x' /* and eventTime > 1 */ ORDER BY 1",
            f"SELECT * FROM {S} WHERE eventName = 'x' AND {HOUR} /* and eventTime > 1 */ ORDER BY 1",
        ),
        # the one SELECT that reads the store is bounded: in a WITH, in a subquery
        (
            f"WITH x AS (SELECT * FROM {S} WHERE eventName = 'a') SELECT count(*) FROM x",
            f"WITH x AS (SELECT * FROM {S} WHERE eventName = 'a' AND {HOUR}) SELECT count(*) FROM x",
        ),
        (
            f"SELECT n FROM (SELECT eventName AS n FROM {S}) t ORDER BY n",
            f"SELECT n FROM (SELECT eventName AS n FROM {S} WHERE {HOUR}) t ORDER BY n",
        ),
        # a JOIN of UNNEST (a store's own arrays) reads no other store
        (
            f"SELECT r.arn FROM {S} CROSS JOIN UNNEST(resources) AS t(r) WHERE eventName = 'x' LIMIT 5",
            f"SELECT r.arn FROM {S} CROSS JOIN UNNEST(resources) AS t(r) WHERE eventName = 'x' AND {HOUR} LIMIT 5",
        ),
        # an alias on the store
        (f"SELECT e.eventName FROM {S} e LIMIT 2", f"SELECT e.eventName FROM {S} e WHERE {HOUR} LIMIT 2"),
    ],
)
def test_sets_the_bound(sql: str, expected: str) -> None:
    assert set_time_range(sql, LAST_HOUR) == expected
    assert has_time_bound(expected)


def test_the_welcome_query_keeps_its_comments_and_layout() -> None:
    out = set_time_range(WELCOME_SQL, LAST_DAY)
    assert out == WELCOME_SQL.replace("eventTime > date_add('day', -7, current_timestamp)", DAY)
    assert set_time_range(out, LAST_WEEK) == WELCOME_SQL  # and back: nothing else moved


def test_presets_and_custom_ranges() -> None:
    base = f"SELECT eventName FROM {S}"
    assert set_time_range(base, LAST_DAY).endswith(DAY)
    assert set_time_range(base, LAST_WEEK).endswith(WEEK)
    assert set_time_range(base, NOV).endswith(NOV_SQL)
    only_start = custom_range("2026-11-20T10:00:00Z", "")
    assert set_time_range(base, only_start).endswith("WHERE eventTime >= '2026-11-20 10:00:00'")
    only_end = custom_range("", "2026-11-21 08:30")
    assert set_time_range(base, only_end).endswith("WHERE eventTime <= '2026-11-21 08:30:00'")
    whole_days = custom_range("2026-11-20", "2026-11-21")  # an end typed as a day: through that day
    assert (
        whole_days.condition() == "eventTime >= '2026-11-20 00:00:00' AND eventTime < '2026-11-22 00:00:00'"
    )
    # A custom range replaces a relative one (and its two terms are the bound from then on).
    assert set_time_range(set_time_range(base, LAST_WEEK), NOV).endswith(NOV_SQL)
    assert set_time_range(set_time_range(base, NOV), LAST_HOUR) == f"{base} WHERE {HOUR}"


def test_times_as_people_type_them() -> None:
    assert parse_time("2026-11-20") == datetime(2026, 11, 20)
    assert parse_time(" 2026-11-20 13:05 ") == datetime(2026, 11, 20, 13, 5)
    assert parse_time("2026-11-20T13:05:09+02:00") == datetime(2026, 11, 20, 11, 5, 9)  # shown in UTC
    assert parse_time("") is None
    with pytest.raises(Unboundable, match="YYYY-MM-DD"):
        parse_time("yesterday")
    with pytest.raises(Unboundable, match="ends before it starts"):
        custom_range("2026-11-21", "2026-11-20")
    with pytest.raises(Unboundable, match="start, an end or both"):
        custom_range(" ", "")
    with pytest.raises(Unboundable, match="start, an end or both"):
        TimeRange("Custom").condition()


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("", "empty"),
        ("   \n", "empty"),
        ("DESCRIBE x", "Only a SELECT"),
        (f"SELECT eventName FROM {S} WHERE", "does not parse"),
        (f"SELECT eventName FROM {S} WHERE (a = 1", "does not parse"),
        ("SELECT 1", "reads no event data store"),
        (f"SELECT 1; SELECT eventName FROM {S}", "more than one statement"),
        (f"SELECT a FROM {S} UNION ALL SELECT a FROM {S}", "2 places"),
        (f"SELECT count(*) FROM {S} WHERE eventName IN (SELECT eventName FROM {S})", "2 places"),
        (f"SELECT * FROM {S} a JOIN {ARN} b ON a.eventID = b.eventID", "JOINs stores"),
    ],
)
def test_refuses_what_it_cannot_bound(sql: str, reason: str) -> None:
    with pytest.raises(Unboundable, match=reason):
        set_time_range(sql, LAST_HOUR)


# -- the picker, from the keyboard ------------------------------------------------------------------------


async def test_picker_presets_and_custom_range_from_the_keyboard(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.press("alt+t")
        await ex.wait_until(lambda: isinstance(ex.screen, TimeRangeScreen))
        await ex.press("2")  # last 24 hours
        await ex.wait_until(lambda: not isinstance(ex.screen, TimeRangeScreen))
        assert ex.editor_text == WELCOME_SQL.replace("date_add('day', -7", "date_add('hour', -24")
        assert ex.notified("eventTime bound: " + DAY)
        # ctrl+z gives back the statement as it was
        await ex.press("f3", "ctrl+z")
        assert ex.editor_text == WELCOME_SQL
        # A custom range: typed, then the bounded query runs and every row is inside it.
        ex.editor.text = f"SELECT eventTime, eventName FROM {S} ORDER BY eventTime"
        await ex.press("alt+t")
        await ex.wait_until(lambda: isinstance(ex.screen, TimeRangeScreen))
        await ex.press("down", "down", "down", "enter")  # Custom…
        await ex.press(*"2026-11-26 10:00", "enter", *"2026-11-26 10:30", "enter")
        await ex.wait_until(lambda: not isinstance(ex.screen, TimeRangeScreen))
        assert ex.editor_text == (
            f"SELECT eventTime, eventName FROM {S} WHERE eventTime >= '2026-11-26 10:00:00' "
            "AND eventTime <= '2026-11-26 10:30:00' ORDER BY eventTime"
        )
        q = await ex.run(ex.editor_text)
        assert q.rows and q.error is None
        assert all("2026-11-26 10:00:00" <= (r[0] or "") <= "2026-11-26 10:30:00.999" for r in q.rows)


async def test_picker_errors_are_said_and_lose_nothing(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        # A custom time that is not one: said in the picker, which stays open.
        await ex.press("alt+t")
        await ex.wait_until(lambda: isinstance(ex.screen, TimeRangeScreen))
        await ex.press("c", *"yesterday", "enter", "enter")
        assert isinstance(ex.screen, TimeRangeScreen)
        assert "Not a time: 'yesterday'" in str(ex.screen.query_one("#range-error").render())
        await ex.press("escape")
        await ex.wait_until(lambda: not isinstance(ex.screen, TimeRangeScreen))
        assert ex.editor_text == WELCOME_SQL
        # A statement that cannot be bounded: said, the editor unchanged.
        ex.editor.text = "SELECT 1"
        await ex.press("alt+t", "1")
        await ex.wait_until(lambda: ex.notified("No time range set", "error"))
        assert ex.notified("reads no event data store")
        assert ex.editor_text == "SELECT 1"


async def test_picker_bounds_the_selection_only(demo_lake: Any) -> None:
    async with explorer((100, 30)) as ex:
        await ex.ready()
        first = f"SELECT eventName FROM {S} LIMIT 5;"
        ex.editor.text = first + "\n" + "SELECT 1;"
        await ex.press("f3", "ctrl+home", "shift+down")  # the first line selected
        await ex.press("alt+t", "3")
        await ex.wait_until(lambda: ex.notified("eventTime bound"))
        assert ex.editor_text == f"SELECT eventName FROM {S} WHERE {WEEK} LIMIT 5;\nSELECT 1;"
