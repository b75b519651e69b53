"""Building the demo store: generated day by day, written as trail logs, imported like any other logs.

The newest days come first, in a small first slice, so a new user's explorer has the demo's last days (the
welcome query's) within a second or two; the older days follow in larger slices, each imported as soon as it
is written. A slice at a time keeps memory bounded, and each slice goes through the importer like a user's
logs do. The lake remembers the anchor and the days done, so a build that was stopped (the explorer closed
during the first run) is completed on the next start rather than left half-built.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from trailtui.local.catalog import StoreNotFoundError, create_store, find_store
from trailtui.local.demo.generator import DemoGenerator
from trailtui.local.demo.logs import log_groups, write_groups, write_trail_logs
from trailtui.local.demo.org import DAYS, DEFAULT_EVENTS, DEMO_SELECTORS, DEMO_STORE_ID, DEMO_STORE_NAME
from trailtui.local.importer import ImportProgress, ImportReport, ProgressFn, import_paths

if TYPE_CHECKING:
    import duckdb

    from trailtui.local.lakefile import LakeFile

# The first slice: the newest day, enough for the welcome query (the last week, newest 1,000 first).
FIRST_DAYS = 1
# Later slices: about 30,000 events each, several full row groups per commit, a few tens of MB of text.
SLICE_DAYS = 10
_ANCHOR_KEY = "demo.anchor"
_DAYS_KEY = "demo.days_done"
_COUNT_KEY = "demo.events"

OnDemo = Callable[[str], None]
OnSlice = Callable[[int, int], None]  # days built, events in the store


def demo_anchor(now: datetime | None = None) -> datetime:
    """The demo ends at the start of the current UTC day."""
    return (now or datetime.now(UTC)).replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)


def slices(days: int = DAYS) -> list[list[int]]:
    """Day numbers (0 is the oldest) in the order they are built: the newest first, in slices."""
    order = list(range(days - 1, -1, -1))
    out = [sorted(order[:FIRST_DAYS])]
    out += [sorted(order[i : i + SLICE_DAYS]) for i in range(FIRST_DAYS, days, SLICE_DAYS)]
    return out


@dataclass
class _Plan:
    gen: DemoGenerator
    days_done: set[int]


def _prepare(lake: LakeFile, anchor: datetime | None, count: int | None) -> _Plan:
    """Create the demo store if needed and read which days are already built, and for which anchor."""
    with lake.writer() as con:
        try:
            find_store(con, DEMO_STORE_NAME)
            stored = dict(
                con.execute(
                    "SELECT key, value FROM trailtui_meta WHERE key IN ($a, $d, $c)",
                    {"a": _ANCHOR_KEY, "d": _DAYS_KEY, "c": _COUNT_KEY},
                ).fetchall()
            )
        except StoreNotFoundError:
            stored = {}
        if anchor is None and _ANCHOR_KEY in stored:
            anchor = datetime.fromisoformat(stored[_ANCHOR_KEY])
        if count is None:
            count = int(stored.get(_COUNT_KEY) or DEFAULT_EVENTS)
        end = demo_anchor(anchor)
        same = stored.get(_ANCHOR_KEY) == end.isoformat() and stored.get(_COUNT_KEY) == str(count)
        days_done = {int(d) for d in (stored.get(_DAYS_KEY) or "").split(",") if d} if same else set()
        gen = DemoGenerator(end, count)
        try:
            find_store(con, DEMO_STORE_NAME)
        except StoreNotFoundError:
            create_store(
                con,
                DEMO_STORE_NAME,
                store_id=DEMO_STORE_ID,
                organization_enabled=True,
                multi_region_enabled=True,
                now=gen.end,
                settings={"selectors": DEMO_SELECTORS},
            )
        if not same:
            _remember(con, gen, set())
    return _Plan(gen, days_done)


def _remember(con: duckdb.DuckDBPyConnection, gen: DemoGenerator, days: set[int]) -> None:
    """Record the demo's anchor, size and the days built, so that a stopped build can be completed."""
    keys = {"a": _ANCHOR_KEY, "d": _DAYS_KEY, "c": _COUNT_KEY}
    con.execute("DELETE FROM trailtui_meta WHERE key IN ($a, $d, $c)", keys)
    con.execute(
        "INSERT INTO trailtui_meta VALUES ($a, $anchor), ($d, $days), ($c, $count)",
        keys
        | {"anchor": gen.end.isoformat(), "days": ",".join(map(str, sorted(days))), "count": str(gen.count)},
    )


class _DayProgress:
    """The importer's per-slice progress, as the whole build's: days done of thirty, events so far."""

    def __init__(self, progress: ProgressFn | None, count: int, started: float) -> None:
        self.progress = progress
        self.state = ImportProgress(0, DAYS, 0, count, 0, 0, started)
        self._base_events = 0

    def slice_progress(self, p: ImportProgress) -> None:
        self.state.events_added = self._base_events + p.events_added
        self.state.bytes_done = self.state.events_added
        if self.progress:
            self.progress(self.state)

    def slice_done(self, days: int, added: int) -> None:
        self._base_events += added
        self.state.files_done += days
        self.state.events_added = self._base_events
        self.state.bytes_done = self._base_events
        if self.progress:
            self.progress(self.state)


def build_demo(
    lake: LakeFile,
    anchor: datetime | None = None,
    count: int | None = None,
    keep_logs: Path | None = None,
    progress: ProgressFn | None = None,
    max_slices: int | None = None,
    should_stop: Callable[[], bool] | None = None,
    on_slice: OnSlice | None = None,
) -> ImportReport:
    """Create (or complete) the demo store from freshly generated trail logs, newest days first.

    `count` defaults to the size of the demo being completed, else DEFAULT_EVENTS. `max_slices` stops after
    that many slices (the first run's quick start); calling again completes it. `should_stop` is asked
    before each slice; `on_slice` is told the days and events in the store after each.
    """
    started = time.monotonic()
    plan = _prepare(lake, anchor, count)
    gen = plan.gen
    tracker = _DayProgress(progress, gen.count, started)
    tracker.state.files_done = len(plan.days_done)
    report: ImportReport | None = None
    todo = [s for s in slices() if not set(s) <= plan.days_done]
    for part in todo[:max_slices] if max_slices is not None else todo:
        if should_stop is not None and should_stop():
            break
        events = [ev for day in part for ev in gen.day_events(day)]
        if keep_logs is not None:
            written = write_trail_logs(events, keep_logs)  # this slice's files only are imported
            done = import_paths(lake, written, DEMO_STORE_NAME, tracker.slice_progress)
        else:
            # Plain JSON in a temporary folder: nobody keeps these files, so gzip would only cost time.
            with tempfile.TemporaryDirectory(prefix="trailtui-demo-") as tmp:
                write_groups(log_groups(events), Path(tmp), None)
                del events
                done = import_paths(lake, [Path(tmp)], DEMO_STORE_NAME, tracker.slice_progress)
        if report is None:
            report = done
        else:
            report.add(done)
        if not done.ok:
            break
        plan.days_done |= set(part)
        with lake.writer() as con:
            _remember(con, gen, plan.days_done)
        tracker.slice_done(len(part), done.events_added)
        if on_slice is not None:
            on_slice(len(plan.days_done), done.store.event_count)
    if report is None:  # nothing left to build
        with lake.writer() as con:
            store = find_store(con, DEMO_STORE_NAME)
        report = ImportReport(store=store, store_created=False)
    report.seconds = time.monotonic() - started
    return report


def demo_is_complete(lake: LakeFile) -> bool:
    """True when the lake holds no demo store or a fully built one."""
    if not lake.exists():
        return True
    with lake.reader() as con:
        stores = con.execute(
            "SELECT count(*) FROM lake.trailtui_stores WHERE id = ?", [DEMO_STORE_ID]
        ).fetchone()
        if not stores or not stores[0]:
            return True
        row = con.execute("SELECT value FROM lake.trailtui_meta WHERE key = ?", [_DAYS_KEY]).fetchone()
    done = {int(d) for d in (row[0] if row else "").split(",") if d}
    # A demo built before the lake recorded its days has no record: it was built whole.
    return row is None or done >= set(range(DAYS))


def lake_is_empty(lake: LakeFile) -> bool:
    if not lake.exists():
        return True
    with lake.reader() as con:
        row = con.execute("SELECT count(*) FROM lake.trailtui_stores").fetchone()
    return not row or row[0] == 0


def demo_needed(lake: LakeFile) -> bool:
    """True on a fresh lake (the demo is built so there is something to explore) and when a demo build
    was stopped half way (it is completed)."""
    return lake_is_empty(lake) or not demo_is_complete(lake)


def ensure_demo(
    lake: LakeFile, notify: OnDemo | None = None, count: int | None = None
) -> ImportReport | None:
    """Build the demo if `demo_needed`, newest days first, and return its report; otherwise do nothing.

    The command line's way (`serve`, `query` on a fresh machine); the explorer's first run builds it in a
    child process instead, its newest day first (background.py).
    """
    if not demo_needed(lake):
        return None
    say = notify or (lambda _message: None)
    say("Building the demo organization (first run): the newest day first...")
    report = build_demo(lake, count=count)
    say(f"The demo organization is ready: {report.store.event_count:,} events.")
    return report
