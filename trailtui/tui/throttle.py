"""Screen updates folded together while results stream in.

A 100,000-row result arrives as 100 pages in a second or two. Redrawing the counts and laying out the screen
for each page cost more than the rows themselves (Textual lays out the whole screen when a scrollable size
changes), so each of those updates runs at most every `interval` seconds while pages arrive: at once when
it has not run for that long, otherwise once at the end of the interval, for all the pages in between.
Callers update at once (`now`) for the first and the last page, so nothing shown is ever left stale.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.message_pump import MessagePump
from textual.timer import Timer

STREAMING_UPDATES = 0.25  # seconds between updates of the grid's size and the counts while pages arrive


class Throttle:
    def __init__(self, owner: MessagePump, interval: float, action: Callable[[], None]) -> None:
        self.owner, self.interval, self.action = owner, interval, action
        self._timer: Timer | None = None
        self._last = float("-inf")

    def __call__(self, now: bool = False) -> None:
        if now or (self._timer is None and time.monotonic() - self._last >= self.interval):
            self._run()
        elif self._timer is None:
            self._timer = self.owner.set_timer(self.interval - (time.monotonic() - self._last), self._due)

    def _due(self) -> None:
        # A timer that fired before `ran` stopped it still has its callback queued: nothing is due then
        # (the action ran since, or its owner was cleared, as a new query clears the results' counts).
        if self._timer is not None:
            self._run()

    def _run(self) -> None:
        self.ran()
        self.action()

    def ran(self) -> None:
        """The action has run (whoever called it): nothing is due until `interval` from now."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._last = time.monotonic()
