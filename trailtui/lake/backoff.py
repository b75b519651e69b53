"""Polling intervals for DescribeQuery: quick at first, backing off, quick again after a change."""

from __future__ import annotations

from dataclasses import dataclass

# The longest wait between DescribeQuery calls on the local lake: there a call is made in this process
# (about 2 ms) with no request quota; with AWS's 2 s ceiling a query done after 0.9 s showed its rows (or
# wrote its export) at 1.3 s.
LOCAL_POLL_CEILING = 0.2


@dataclass
class PollBackoff:
    """First poll after `first` seconds, then each wait grows by `factor` up to `ceiling`; a status change
    resets it, since a query that just started running is likely to finish soon."""

    first: float = 0.1
    factor: float = 1.5
    ceiling: float = 2.0
    _next: float = 0.0

    def __post_init__(self) -> None:
        self._next = self.first

    def next_wait(self) -> float:
        wait = self._next
        self._next = min(self.ceiling, self._next * self.factor)
        return wait

    def reset(self) -> None:
        self._next = self.first
