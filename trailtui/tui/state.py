"""What the explorer knows, with no Textual in it: the open connections, where queries go (connection and
store), the runs and their progress, who each AWS profile is. The main screen's handlers change it; the
widgets show it; tests read it without a terminal.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from trailtui.lake.connection import Connection, ConnectionKey, EventDataStore
from trailtui.lake.delivered import Delivery
from trailtui.lake.results import END_STATES, QueryState, ResultPage

LOCAL_KEY = ConnectionKey.local()


@dataclass
class WaitingQuery:
    """A query asked for (ctrl+j) before its connection opened: the statement and its place in the editor as
    they were then, since text typed while the connection opens is not part of the query asked for."""

    key: ConnectionKey
    sql: str
    origin: tuple[int, int]


@dataclass
class Run:
    """One query as the explorer follows it (a new one, or an earlier one reopened from the history)."""

    run_id: int
    sql: str
    key: ConnectionKey
    label: str  # the connection, as the status line shows it
    store_id: str | None = None
    started: float = field(default_factory=time.monotonic)
    ended: float | None = None
    query_id: str | None = None
    state: QueryState | None = None
    error: str | None = None
    loaded: int = 0
    total: int | None = None
    cancel_requested: bool = False
    complete: bool = False  # every page loaded, or nothing more will come (error, failed, cancelled early)
    reopened: bool = False  # following an earlier query's results, not a new query
    origin: tuple[int, int] = (0, 0)  # where its SQL starts in the editor (line, column): for error positions
    delivery: Delivery | None = None  # its results delivery (`:deliver`), if it has one

    @property
    def status(self) -> str:
        if self.error and not self.state:
            return "ERROR"
        return self.state.status if self.state else "STARTING"

    @property
    def active(self) -> bool:
        return self.ended is None

    # -- what the workers reported ----------------------------------------------------------------------
    def state_changed(self, state: QueryState) -> None:
        self.state = state
        if state.status in END_STATES and self.ended is None:
            self.ended = time.monotonic()
            if state.status == "FAILED":
                self.complete = True

    def page_arrived(self, page: ResultPage, done: bool) -> None:
        self.total = page.total
        self.loaded += len(page.rows)
        self.complete = done

    def described_only(self) -> None:
        """An earlier query whose SQL only was fetched (to the editor): not a running query."""
        self.ended = self.ended or time.monotonic()
        self.complete = True

    def failed(self, reason: str) -> None:
        self.error = reason
        self.ended = self.ended or time.monotonic()
        self.complete = True


class ExplorerState:
    """The explorer's state. Connections are keyed by their typed `ConnectionKey`."""

    def __init__(self) -> None:
        self.connections: dict[ConnectionKey, Connection] = {}
        self.current: ConnectionKey = LOCAL_KEY  # where queries go
        self.aws: ConnectionKey | None = None  # the AWS profile shown in the stores pane, if any
        self.store: EventDataStore | None = None  # the current store
        self.identities: dict[ConnectionKey, Any] = {}  # an Identity, or why it could not be had
        self.runs: dict[int, Run] = {}
        self.current_run: int | None = None
        self.run_when_open: WaitingQuery | None = None  # asked for before its connection opened
        self.failed: dict[ConnectionKey, str] = {}  # connections that did not open, and why
        self._next_run = 1

    # -- connections --------------------------------------------------------------------------------------
    def label(self, key: ConnectionKey) -> str:
        conn = self.connections.get(key)
        if conn is not None and not key.is_local:
            return ConnectionKey.aws(key.profile, conn.region).label
        return key.label

    def group_of(self, key: ConnectionKey) -> str | None:
        """The stores pane group of a connection; None for a profile the user has since left."""
        if key.is_local:
            return "local"
        return "aws" if key == self.aws else None

    def opened(self, requested: ConnectionKey, conn: Connection) -> None:
        """A connection opened; an AWS key asked for without a Region becomes the real one everywhere."""
        self.connections[conn.key] = conn
        self.failed.pop(requested, None)
        if requested != conn.key:
            if self.aws == requested:
                self.aws = conn.key
            if self.current == requested:
                self.current = conn.key
            if self.run_when_open is not None and self.run_when_open.key == requested:
                self.run_when_open.key = conn.key

    def current_profile(self) -> str | None:
        return self.aws.profile if self.aws is not None else None

    def current_region(self) -> str | None:
        return self.aws.region if self.aws is not None else None

    # -- runs ---------------------------------------------------------------------------------------------
    def new_run(self, sql: str, key: ConnectionKey, *, make_current: bool = True) -> Run:
        run = Run(self._next_run, sql, key, self.label(key), self.store.id if self.store else None)
        self._next_run += 1
        self.runs[run.run_id] = run
        if make_current:
            self.current_run = run.run_id
        return run

    @property
    def run(self) -> Run | None:
        return self.runs.get(self.current_run) if self.current_run is not None else None

    def running(self) -> list[Run]:
        return [r for r in self.runs.values() if r.active]

    def others_running(self) -> int:
        shown = self.run
        return sum(1 for r in self.runs.values() if r.active and r is not shown)
