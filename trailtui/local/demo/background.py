"""The explorer's first run: the demo built by a child process, its newest day first, the rest when told.

A child process rather than a thread: generating and writing the demo is pure Python, and a builder thread
held the GIL the explorer needed to open the lake and list its stores (measured: a first start listed its
stores 2.5 times later than a second start, under load). As its own process the builder starts at once (on
a fresh machine before the explorer even loads: firstrun.py), in parallel with the explorer's imports and
connection, on the other core; after the newest day it waits until the explorer has listed its stores and
says "go", then builds the rest at a lower priority.

The child speaks JSON lines on stdout (one per slice: days built, events so far; then ready, or an error)
and listens on stdin: "go" continues past the newest day; end of input (the explorer closed) stops it after
the slice in progress, which commits whole. A stopped build is completed on the next start (build.py).

    python -m trailtui.local.demo.background DATA STATE CONFIG CACHE [COUNT]
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from trailtui.local.demo.org import DAYS
from trailtui.local.firstrun import spawn
from trailtui.paths import Locations

if TYPE_CHECKING:
    from trailtui.local.importer import ImportReport

# The rest of the demo runs at this much lower priority than the explorer (os.nice), so it takes the CPU
# the explorer leaves. Modest: a writer holding the lake lock while starved would make a query wait.
REST_NICENESS = 5


@dataclass(frozen=True)
class BuildNews:
    """What the builder reports: after each slice, at the end, or why it stopped."""

    days_done: int
    events: int
    ready: bool = False
    error: str | None = None

    @property
    def ended(self) -> bool:
        return self.ready or self.error is not None


class DemoBuilder:
    """The explorer's side of a demo build running in a child process."""

    def __init__(
        self, where: Locations, count: int | None = None, process: subprocess.Popen[str] | None = None
    ) -> None:
        """The builder for the lake at `where`: `process` if one was started early (firstrun.py), else a
        new one."""
        self.process = process or spawn(where, count)
        self.last = BuildNews(0, 0)

    def _next(self, should_stop: Callable[[], bool]) -> BuildNews | None:
        """The next report, or None when the explorer is stopping. A child that ends without saying
        why reports its exit status as the error."""
        out = self.process.stdout
        assert out is not None
        while not should_stop():
            ready, _, _ = select.select([out], [], [], 0.25)
            if not ready:
                continue
            line = out.readline()
            if not line:
                code = self.process.wait()
                return BuildNews(self.last.days_done, self.last.events, error=f"the builder exited ({code})")
            try:
                self.last = BuildNews(**json.loads(line))
            except (ValueError, TypeError):
                continue  # not one of ours (a library printing to stdout): ignore it
            return self.last
        return None

    def newest_day(self, should_stop: Callable[[], bool] = lambda: False) -> BuildNews | None:
        """Wait until the newest day is in the lake (or the build failed)."""
        return self._next(should_stop)

    def rest(self, should_stop: Callable[[], bool] = lambda: False) -> Iterator[BuildNews]:
        """Tell the builder to go on, and yield its news until it ends (or the explorer stops)."""
        self._say("go\n")
        while (news := self._next(should_stop)) is not None:
            yield news
            if news.ended:
                return
        self.stop()

    def stop(self) -> None:
        """Let the builder stop after the slice in progress (it commits whole)."""
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()

    def _say(self, text: str) -> None:
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(text)
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            pass  # the builder is gone; _next reports how it ended


def _child(where: Locations, count: int | None) -> int:
    from trailtui.local.demo.build import build_demo
    from trailtui.local.lakefile import LakeFile

    go, stop = threading.Event(), threading.Event()

    def listen() -> None:
        for line in sys.stdin:
            if line.strip() == "go":
                go.set()
        stop.set()  # end of input: the explorer closed
        go.set()

    threading.Thread(target=listen, daemon=True).start()

    def say(news: BuildNews) -> None:
        try:
            print(json.dumps(asdict(news)), flush=True)
        except (BrokenPipeError, OSError):
            stop.set()

    built = [BuildNews(0, 0)]

    def on_slice(days: int, events: int) -> None:
        built[0] = BuildNews(days, events, ready=days >= DAYS)
        say(built[0])

    lake = LakeFile(where.ensure())
    try:
        first = build_demo(lake, count=count, max_slices=1, on_slice=on_slice)
        if not first.ok:
            say(BuildNews(0, 0, error=_reason(first)))
            return 1
        if built[0].ready or first.files_read == 0:  # nothing (more) to build
            say(BuildNews(DAYS, first.store.event_count, ready=True))
            return 0
        go.wait()
        if stop.is_set():
            return 0
        os.nice(REST_NICENESS)
        report = build_demo(lake, count=count, should_stop=stop.is_set, on_slice=on_slice)
        if not report.ok and not stop.is_set():
            say(BuildNews(built[0].days_done, built[0].events, error=_reason(report)))
            return 1
        return 0
    except Exception as exc:  # say why, in the explorer; the lake keeps every slice committed
        say(BuildNews(built[0].days_done, built[0].events, error=f"{type(exc).__name__}: {exc}"))
        return 1


def _reason(report: ImportReport) -> str:
    return report.rejected[0].reason if report.rejected else "stopped"


def main(argv: list[str]) -> int:
    data, state, config, cache = (Path(a) for a in argv[:4])
    # TRAILTUI_DEMO_EVENTS sizes the demo of an explorer's first run (tests use a small one).
    size = argv[4] if len(argv) > 4 else os.environ.get("TRAILTUI_DEMO_EVENTS")
    count = int(size) if size else None
    return _child(Locations(data, state, config, cache), count)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
