"""Fault injection for `trailtui serve --faults`: the failures real AWS produces, on demand, reproducibly.

A fault plan is a comma-separated list, for example
    throttle=0.2,5xx=0.05,latency=50-200,expire-after=100,deny=StartQuery+ListQueries,fail-queries=0.3,seed=7

    throttle=P         a request fails with ThrottlingException (HTTP 400), with probability P
    5xx=P              a request fails with InternalFailure (500) or ServiceUnavailable (503)
    drop=P             the connection is closed without an answer
    latency=MS|A-B     every request waits MS milliseconds (or between A and B)
    expire-after=N     after N requests, every request fails with ExpiredTokenException
    deny=Op+Op         those operations fail with AccessDeniedException
    fail-queries=P     a started query ends FAILED (P of them)
    timeout-queries=P  a started query ends TIMED_OUT, its partial results readable (P of them)
    query-delay=S      every query runs at least S seconds (a slow query, for clients' polling tests)
    seed=N             the random sequence (default 0): the same plan and seed give the same faults

Decisions are drawn from one seeded generator in the order requests arrive, so a sequential client sees
the same faults on every run.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

from trailtui.local.errors import _error

Throttling = _error("ThrottlingException")
InternalFailure500 = _error("InternalFailure", 500)
ServiceUnavailable503 = _error("ServiceUnavailableException", 503)
ExpiredToken = _error("ExpiredTokenException")
AccessDenied = _error("AccessDeniedException")


class FaultSpecError(ValueError):
    pass


class DropConnection(Exception):
    """Close the connection without answering."""


@dataclass
class FaultPlan:
    throttle: float = 0.0
    server_error: float = 0.0
    drop: float = 0.0
    latency_ms: tuple[int, int] = (0, 0)
    expire_after: int | None = None
    deny: frozenset[str] = frozenset()
    fail_queries: float = 0.0
    timeout_queries: float = 0.0
    query_delay: float = 0.0
    seed: int = 0
    _rng: random.Random = field(default_factory=random.Random, repr=False)
    _calls: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    @property
    def active(self) -> bool:
        return bool(
            self.throttle
            or self.server_error
            or self.drop
            or self.latency_ms[1]
            or self.expire_after is not None
            or self.deny
            or self.fail_queries
            or self.timeout_queries
            or self.query_delay
        )

    def before_request(self, operation: str, principal_arn: str) -> float:
        """Raise the fault this request meets, if any; return the latency to add (seconds)."""
        with self._lock:
            self._calls += 1
            calls = self._calls
            roll_drop, roll_5xx, roll_throttle = self._rng.random(), self._rng.random(), self._rng.random()
            pick_503 = self._rng.random() < 0.5
            low, high = self.latency_ms
            delay = (self._rng.uniform(low, high) if high > low else low) / 1000
        if self.expire_after is not None and calls > self.expire_after:
            raise ExpiredToken("The security token included in the request is expired")
        if operation in self.deny:
            raise AccessDenied(
                f"User: {principal_arn} is not authorized to perform: cloudtrail:{operation} because no "
                "identity-based policy allows the cloudtrail:" + operation + " action"
            )
        if roll_drop < self.drop:
            raise DropConnection()
        if roll_5xx < self.server_error:
            if pick_503:
                raise ServiceUnavailable503("Service is unavailable. Please try again later.")
            raise InternalFailure500("We encountered an internal error. Please try again.")
        if roll_throttle < self.throttle:
            raise Throttling("Rate exceeded")
        return delay

    def query_outcome(self) -> tuple[str, str] | None:
        """For a query just started: the end it is forced to, if any."""
        with self._lock:
            roll = self._rng.random()
        if roll < self.fail_queries:
            return ("FAILED", "Query exhausted resources at this scale factor")
        if roll < self.fail_queries + self.timeout_queries:
            return ("TIMED_OUT", "Query exceeded the time limit; partial results are available.")
        return None


def parse_faults(spec: str) -> FaultPlan:
    plan = FaultPlan()
    kwargs: dict[str, object] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        key, _, value = part.partition("=")
        key = key.strip().lower()
        try:
            if key in ("throttle", "5xx", "drop", "fail-queries", "timeout-queries"):
                p = float(value)
                if not 0 <= p <= 1:
                    raise FaultSpecError(f"{key} is a probability between 0 and 1, not {value}")
                attr = {
                    "5xx": "server_error",
                    "fail-queries": "fail_queries",
                    "timeout-queries": "timeout_queries",
                }
                kwargs[attr.get(key, key)] = p
            elif key == "latency":
                low, _, high = value.removesuffix("ms").partition("-")
                kwargs["latency_ms"] = (int(low), int(high or low))
            elif key == "expire-after":
                kwargs["expire_after"] = int(value)
            elif key == "deny":
                kwargs["deny"] = frozenset(op.strip() for op in value.split("+") if op.strip())
            elif key == "query-delay":
                kwargs["query_delay"] = float(value)
            elif key == "seed":
                kwargs["seed"] = int(value)
            else:
                raise FaultSpecError(f"unknown fault {key!r}")
        except ValueError as exc:
            if isinstance(exc, FaultSpecError):
                raise
            raise FaultSpecError(f"bad value in {part!r}: {exc}") from None
    plan = FaultPlan(**kwargs)  # type: ignore[arg-type]
    return plan
