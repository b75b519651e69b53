"""Polling intervals for DescribeQuery: quick at first, backing off, quick again after a change."""

from __future__ import annotations

from dataclasses import dataclass


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
