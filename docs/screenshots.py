"""The explorer's screenshots in docs/img/, made again from scratch: `python docs/screenshots.py`.

A demo lake is built in a temporary TRAILTUI_HOME (the same demo day as the tests, so the same events), and
the explorer is driven by keys in Textual's headless test mode at each size; each screen is saved as SVG
(Textual's own export). Nothing of the user's home is read or written. The running-queries list needs a
query that keeps running: the engine's delay (as `serve --faults query-delay=S`) holds it RUNNING.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "img"
DEMO_DAY = datetime(2026, 11, 27)  # the demo's anchor, as in the tests: the same organization every time
STORE = "0d3a6f2e-7b1c-4e5a-9c8d-2f4b6a8c0e1d"
EVENTS = f"""SELECT eventTime, recipientAccountId, eventSource, eventName, sourceIPAddress, errorCode, eventID
FROM {STORE}
WHERE eventTime >= '2026-11-26 00:00:00' AND eventTime < '2026-11-27 00:00:00'
ORDER BY eventTime DESC
LIMIT 500"""
PER_HOUR = f"""SELECT eventTime, eventName, errorCode
FROM {STORE}
WHERE eventTime >= '2026-11-21 00:00:00' AND eventTime < '2026-11-28 00:00:00'
  AND errorCode IS NOT NULL"""

Shot = Callable[[Any, Any], Awaitable[None]]


async def _until(pilot: Any, cond: Callable[[], bool], what: str, timeout: float = 120) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not cond():
        if loop.time() > deadline:
            raise TimeoutError(f"waiting for {what}")
        await pilot.pause(0.05)


def _status(app: Any) -> str:
    from trailtui.tui.status import QueryStatusBar

    return str(app.main.query_one(QueryStatusBar).render())


async def _ready(app: Any, pilot: Any) -> None:
    from trailtui.tui.context import ContextBar
    from trailtui.tui.editor import SqlEditor

    await _until(pilot, lambda: "store " in str(app.main.query_one(ContextBar).render()), "the demo store")
    editor = app.main.query_one(SqlEditor)
    editor.cursor_blink = False


async def _run(app: Any, pilot: Any, sql: str, until: str = "FINISHED") -> None:
    from trailtui.tui.editor import SqlEditor

    app.main.query_one(SqlEditor).text = sql
    await pilot.press("ctrl+j")
    await _until(pilot, lambda: until in _status(app), f"the query to be {until}")
    await pilot.pause(0.5)


async def main_screen(app: Any, pilot: Any) -> None:
    await _ready(app, pilot)
    await _run(app, pilot, EVENTS)
    await pilot.press("f3")
    await pilot.pause(0.3)


async def running_queries(app: Any, pilot: Any) -> None:
    await _ready(app, pilot)
    await _run(app, pilot, PER_HOUR, until="RUNNING")
    await _run(app, pilot, EVENTS, until="RUNNING")
    await pilot.press("ctrl+t")
    await pilot.pause(1.0)


async def chart(app: Any, pilot: Any) -> None:
    await _ready(app, pilot)
    await _run(app, pilot, PER_HOUR)
    await pilot.press("alt+v")
    await pilot.pause(1.0)


SHOTS: list[tuple[str, tuple[int, int], Shot, float]] = [
    ("main-80x24", (80, 24), main_screen, 0),
    ("main-160x48", (160, 48), main_screen, 0),
    ("running-queries-120x36", (120, 36), running_queries, 600),
    ("chart-120x36", (120, 36), chart, 0),
]


async def _shoot(name: str, size: tuple[int, int], shot: Shot, delay: float) -> Path:
    from trailtui.local.faults import FaultPlan
    from trailtui.local.service import LocalLake
    from trailtui.paths import locations
    from trailtui.tui.app import TrailApp

    lake = LocalLake()
    if delay:
        lake.api.faults = FaultPlan(query_delay=delay)  # RUNNING until cancelled, burning no CPU
    app = TrailApp(locations(), local_lake=lake, aws_stores=False)
    try:
        async with app.run_test(size=size) as pilot:
            await shot(app, pilot)
            OUT.mkdir(exist_ok=True)
            return Path(app.save_screenshot(f"{name}.svg", str(OUT)))
    finally:
        lake.close()


def main(names: list[str]) -> int:
    from trailtui.local.demo import build_demo
    from trailtui.local.lakefile import LakeFile
    from trailtui.paths import locations

    with tempfile.TemporaryDirectory(prefix="trailtui-shots-") as home:
        os.environ["TRAILTUI_HOME"] = home
        report = build_demo(LakeFile(locations(Path(home)).ensure()), DEMO_DAY)
        if not report.ok:
            print(f"the demo did not build: {report.rejected}", file=sys.stderr)
            return 1
        for name, size, shot, delay in SHOTS:
            if names and name not in names:
                continue
            print(asyncio.run(_shoot(name, size, shot, delay)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
