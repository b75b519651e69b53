"""What workers report to the explorer: typed events, one dataclass each, with no Textual in them.

Workers (workers.py) only call `post(event)`; the main screen wraps each event in one Textual message and
its handlers, on the UI thread, change the state (state.py) and the widgets. No worker touches either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trailtui.lake.connection import Connection, ConnectionKey, EventDataStore
from trailtui.lake.delivered import Delivery
from trailtui.lake.results import QueryState, ResultPage


@dataclass(frozen=True)
class Notice:
    text: str
    severity: str = "information"  # information, warning, error


# What the explorer says when the first run's demo build ends (benchmarks.firstrun_bench waits for it).
DEMO_READY = "The demo is ready"


@dataclass(frozen=True)
class DemoBuildProgress:
    """The demo organization's build on a first run: started (0 days), after each slice, ready, or failed."""

    days_done: int
    events: int
    ready: bool = False
    error: str | None = None
    days_total: int = 30  # the demo's DAYS (not imported: this module is on the first-paint path)

    @property
    def text(self) -> str:
        if self.error:
            return f"The demo organization could not be completed: {self.error}"
        if self.ready:
            # One line of a toast at 80 columns (its width: 60%, less padding).
            return f"{DEMO_READY}: {self.events:,} events, {self.days_total} days."
        if not self.days_done:
            return "Building the demo organization (first run): the newest day first..."
        return (
            f"Building the demo organization: {self.days_done} of {self.days_total} days "
            f"({self.events:,} events) so far..."
        )


@dataclass(frozen=True)
class ConnectionOpened:
    """A connection opened: the local lake, or an AWS profile once its Region is known (`requested` is the
    key the user asked for, whose Region may have been unknown)."""

    requested: ConnectionKey
    connection: Connection


@dataclass(frozen=True)
class ConnectionFailed:
    connection: ConnectionKey
    reason: str


@dataclass(frozen=True)
class StoresLoaded:
    connection: ConnectionKey
    stores: list[EventDataStore]
    problem: str | None = None  # an engine that could not list (Lake closed, Glue denied), shown in place


@dataclass(frozen=True)
class StoresFailed:
    connection: ConnectionKey
    reason: str


@dataclass(frozen=True)
class IdentityLoaded:
    """STS GetCallerIdentity (and the account alias) of a connection."""

    connection: ConnectionKey
    identity: Any  # trailtui.aws.identity.Identity


@dataclass(frozen=True)
class IdentityFailed:
    connection: ConnectionKey
    reason: str


@dataclass(frozen=True)
class QueryStarted:
    run_id: int
    query_id: str


@dataclass(frozen=True)
class QueryDescribed:
    """An earlier query's SQL, from DescribeQuery (reopening it from the history)."""

    run_id: int
    sql: str
    to_editor: bool


@dataclass(frozen=True)
class QueryStateChanged:
    run_id: int
    state: QueryState


@dataclass(frozen=True)
class ResultsArrived:
    run_id: int
    page: ResultPage
    done: bool


@dataclass(frozen=True)
class QueryFailed:
    """The query could not be started or followed (a call raised: bad SQL, credentials, network)."""

    run_id: int
    reason: str


@dataclass(frozen=True)
class EventLoaded:
    """The whole event (eventjson) of a result row, from the drill-down query."""

    event_id: str
    eventjson: str | None
    error: str | None = None


@dataclass(frozen=True)
class DeliveryChanged:
    """What DescribeQuery says of a run's results delivery (`:deliver`): PENDING, then how it ended."""

    run_id: int
    delivery: Delivery


@dataclass(frozen=True)
class ExportProgress:
    path: str
    rows: int
    done: bool
    error: str | None = None


@dataclass(frozen=True)
class ImportFinished:
    """An import into the local lake ended (the stores it changed are reloaded next)."""

    text: str
    severity: str
