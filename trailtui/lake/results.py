"""Query results as CloudTrail Lake returns them, and the statistics that come with them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

END_STATES = frozenset({"FINISHED", "FAILED", "CANCELLED", "TIMED_OUT"})
READABLE_STATES = frozenset({"FINISHED", "TIMED_OUT", "CANCELLED"})
PRICE_PER_GB = 0.005  # USD per GB scanned, the published CloudTrail Lake query price
# Amazon Athena (Athena pricing page): USD 5 per TB scanned, rounded up to the next MB, 10 MB minimum.
ATHENA_PRICE_PER_TB = 5.0
_MB = 1024 * 1024
_TB = 1024**4
ATHENA_MIN_BILLED = 10 * _MB


def athena_cost(bytes_scanned: int) -> float:
    """USD Athena bills for a query that scanned this much."""
    billed = max(ATHENA_MIN_BILLED, -(-bytes_scanned // _MB) * _MB)
    return billed / _TB * ATHENA_PRICE_PER_TB


@dataclass(frozen=True)
class QueryStatistics:
    events_matched: int = 0
    events_scanned: int = 0
    bytes_scanned: int = 0
    execution_ms: int = 0
    creation_time: datetime | None = None
    engine: str = "lake"  # "athena" for an Athena CloudTrail table (trailtui.athena)
    queue_ms: int = 0  # Athena: time spent queued

    @property
    def estimated_cost(self) -> float:
        """USD, at the engine's published price (Lake's billing rounds per query; this does not)."""
        if self.engine == "athena":
            return athena_cost(self.bytes_scanned)
        return self.bytes_scanned / 1e9 * PRICE_PER_GB

    @classmethod
    def from_describe(cls, s: dict[str, Any]) -> QueryStatistics:
        return cls(
            events_matched=int(s.get("EventsMatched") or 0),
            events_scanned=int(s.get("EventsScanned") or 0),
            bytes_scanned=int(s.get("BytesScanned") or 0),
            execution_ms=int(s.get("ExecutionTimeInMillis") or 0),
            creation_time=s.get("CreationTime"),
            engine=str(s.get("Engine") or "lake"),
            queue_ms=int(s.get("QueueTimeInMillis") or 0),
        )


@dataclass(frozen=True)
class QueryState:
    """What DescribeQuery says about a query."""

    query_id: str
    status: str
    statistics: QueryStatistics = field(default_factory=QueryStatistics)
    error: str | None = None
    query_string: str | None = None

    @property
    def ended(self) -> bool:
        return self.status in END_STATES

    @classmethod
    def from_describe(cls, r: dict[str, Any]) -> QueryState:
        return cls(
            query_id=r["QueryId"],
            status=r["QueryStatus"],
            statistics=QueryStatistics.from_describe(r.get("QueryStatistics") or {}),
            error=r.get("ErrorMessage"),
            query_string=r.get("QueryString"),
        )


@dataclass(frozen=True)
class ResultPage:
    """One GetQueryResults page: column names in SELECT order (duplicates kept) and rows of strings."""

    columns: list[str]
    rows: list[list[str | None]]
    total: int
    next_token: str | None
    status: str
    bytes_scanned: int = 0
    error: str | None = None

    @classmethod
    def from_response(cls, r: dict[str, Any]) -> ResultPage:
        raw = r.get("QueryResultRows") or []
        columns = [next(iter(cell)) for cell in raw[0]] if raw else []
        rows = [[next(iter(cell.values())) for cell in row] for row in raw]
        stats = r.get("QueryStatistics") or {}
        return cls(
            columns=columns,
            rows=rows,
            total=int(stats.get("TotalResultsCount") or 0),
            next_token=r.get("NextToken"),
            status=r.get("QueryStatus", ""),
            bytes_scanned=int(stats.get("BytesScanned") or 0),
            error=r.get("ErrorMessage"),
        )

    def raw_rows(self) -> list[list[dict[str, str | None]]]:
        """The rows back in Lake's shape: lists of single-key maps."""
        return [[{c: v} for c, v in zip(self.columns, row, strict=True)] for row in self.rows]


def joined_pages(pages: list[ResultPage]) -> ResultPage:
    """Consecutive pages of one result as one: their rows in order, the last one's token and status."""
    last = pages[-1]
    rows = [row for page in pages for row in page.rows]
    return replace(last, columns=pages[0].columns or last.columns, rows=rows)
