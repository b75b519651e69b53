"""Pages read while the explorer is busy reach it together: every row once, in order, and the rows read
before a failure still reach it."""

from __future__ import annotations

from typing import Any

from trailtui.lake.results import ResultPage
from trailtui.tui import events
from trailtui.tui.workers import RunEvents


def _page(first: int, token: str | None) -> ResultPage:
    rows: list[list[str | None]] = [[str(i), None] for i in range(first, first + 1000)]
    return ResultPage(["n", "x"], rows, 5000, token, "FINISHED")


def _rows(posted: list[Any]) -> list[str | None]:
    return [row[0] for e in posted if isinstance(e, events.ResultsArrived) for row in e.page.rows]


def test_pages_read_at_once_arrive_as_few_messages_with_every_row_in_order() -> None:
    posted: list[Any] = []
    sink = RunEvents(posted.append, run_id=7)
    for n in range(5):
        sink.page(_page(n * 1000, None if n == 4 else f"t{n + 1}"), done=n == 4)
    assert _rows(posted) == [str(i) for i in range(5000)]
    assert len(posted) == 2  # the first page at once, the four read within the interval as one
    assert [e.done for e in posted] == [False, True]
    assert posted[-1].page.next_token is None and posted[-1].page.total == 5000


def test_rows_read_before_a_failure_are_posted_before_it() -> None:
    posted: list[Any] = []
    sink = RunEvents(posted.append, run_id=7)
    sink.page(_page(0, "t1"), done=False)
    sink.page(_page(1000, "t2"), done=False)
    sink.failed("ExpiredTokenException")
    assert _rows(posted) == [str(i) for i in range(2000)]
    assert isinstance(posted[-1], events.QueryFailed)
