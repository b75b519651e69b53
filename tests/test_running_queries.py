"""Every running query can be seen and cancelled (issue 15, item 2): the running-queries list (ctrl+t) shows
each query running on any connection with its elapsed time and SQL; ctrl+g cancels the one that runs, or asks
which when several run; reopening a running query from the history follows it, with its own clock, once."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from tests.explorer import Explorer, QueryView, explorer, slow_lake
from trailtui.lake.history import History
from trailtui.local.demo import DEMO_STORE_ID
from trailtui.paths import locations
from trailtui.tui.history import HistoryScreen
from trailtui.tui.running import RunningScreen

FIRST = f"SELECT eventName FROM {DEMO_STORE_ID} WHERE eventTime > '2026-11-26' LIMIT 1"
SECOND = f"SELECT eventSource FROM {DEMO_STORE_ID} WHERE eventTime > '2099-01-01' LIMIT 2"  # no rows
_ELAPSED = re.compile(r"(\d+\.\d)s")


def _elapsed(status_line: str) -> float:
    found = _ELAPSED.search(status_line)
    assert found, status_line
    return float(found.group(1))


@asynccontextmanager
async def _two_running(first_for_a_second: bool = False) -> AsyncIterator[tuple[Explorer, QueryView]]:
    """The explorer at 80x24 on a lake whose queries take two minutes, with FIRST then SECOND running
    (SECOND on screen); yields the explorer and FIRST as the status line showed it."""
    lake = slow_lake(120)
    try:
        async with explorer((80, 24), local_lake=lake) as ex:
            await ex.ready()
            await ex.start(FIRST)
            first = await ex.running()
            if first_for_a_second:
                await ex.wait_until(lambda: _elapsed(ex.status_line) >= 1.0, what="a second to pass")
            await ex.start(SECOND)
            await ex.running()
            yield ex, first
    finally:
        lake.close()


async def test_ctrl_g_asks_which_when_two_run_and_cancels_each(demo_lake: Any) -> None:
    async with _two_running() as (ex, _):
        assert "2 running" in ex.context
        await ex.press("ctrl+g")
        await ex.wait_until(lambda: isinstance(ex.screen, RunningScreen), what="the question")
        assert "2 queries are running: which one to cancel?" in ex.running_title
        await ex.wait_until(lambda: len(ex.running_list) == 2, what="both queries listed")
        lines = ex.running_list
        assert any("eventName" in line for line in lines) and any("eventSource" in line for line in lines)
        highlighted = ex.running_preview  # the query on screen is offered first
        assert "eventSource" in highlighted and "LIMIT 2" in highlighted
        await ex.press("down", "c")  # cancel the other one, the first query
        await ex.wait_until(lambda: len(ex.running_list) == 1, what="the first query to end")
        assert "eventSource" in ex.running_list[0]
        assert "2 queries" not in ex.running_title and "Running queries" in ex.running_title
        await ex.press("escape")
        assert "1 running" in ex.context and ex.query.status == "RUNNING"
        await ex.press("ctrl+g")  # one runs now: cancelled at once, no question
        q = await ex.finished(30)
        assert q.status == "CANCELLED" and not isinstance(ex.screen, RunningScreen)
        assert ex.results_message == "The query was cancelled before it returned any rows."
        assert "running" not in ex.context
        await ex.press("ctrl+g")
        assert ex.notified("No query is running.")
    statuses = {e.sql: e.status for e in History(locations().history_db).search("")}
    assert statuses[FIRST] == "CANCELLED" and statuses[SECOND] == "CANCELLED"


async def test_running_list_shows_every_query_with_its_clock_and_follows_one(demo_lake: Any) -> None:
    async with _two_running() as (ex, _):
        await ex.press("ctrl+t")
        await ex.wait_until(lambda: isinstance(ex.screen, RunningScreen), what="the list")
        assert "Running queries (all connections)" in ex.running_title
        await ex.wait_until(lambda: len(ex.running_list) == 2, what="both queries listed")
        lines = ex.running_list
        assert all("\n" not in line and len(line) < 80 for line in lines)  # one line each at 80x24
        assert all(re.match(r"\s*\d+:\d\d RUNNING\s+local lake ", line) for line in lines), lines
        await ex.press("down")
        assert FIRST in " ".join(ex.running_preview.split())  # the whole SQL, not a cut line
        header, sql = ex.running_preview.split("\n", 1)  # the connection and ID, then the SQL below
        assert header.startswith("local lake") and "\\n" not in header and sql.strip().startswith("SELECT")
        await ex.press("enter")  # follow the first query: the status line shows it
        await ex.wait_until(lambda: not isinstance(ex.screen, RunningScreen))
        assert "+1 running" in ex.status_line
        assert ex.results_title == "Results"


async def test_running_list_then_cancel_typed_in_one_burst_cancels_the_first(demo_lake: Any) -> None:
    """ctrl+t then c typed before the list has shown: the c cancels the query at the top, as typed slowly."""
    async with _two_running() as (ex, _):
        ex.burst("ctrl+t", "c")
        await ex.wait_until(lambda: isinstance(ex.screen, RunningScreen), what="the list")
        await ex.wait_until(lambda: len(ex.running_list) == 1, what="one query left running")
        statuses = [e.status for e in History(locations().history_db).search("")]
        assert statuses.count("CANCELLED") == 1 and statuses.count("RUNNING") == 1


async def test_reopening_a_running_query_keeps_its_clock_and_counts_it_once(demo_lake: Any) -> None:
    async with _two_running(first_for_a_second=True) as (ex, q):
        await ex.press("ctrl+r")
        await ex.wait_until(lambda: isinstance(ex.screen, HistoryScreen), what="the history")
        ex.burst(*"eventName", "down", "ctrl+o")  # search for the first query, reopen its results
        await ex.wait_until(lambda: not isinstance(ex.screen, HistoryScreen))
        await ex.wait_until(lambda: ex.query.query_id == q.query_id, what="the first query shown")
        assert _elapsed(ex.status_line) >= 1.0  # its clock, not a new one
        assert "2 running" in ex.context and "+1 running" in ex.status_line
