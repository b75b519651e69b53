"""Typed messages from workers to the UI. Workers only post these; message handlers own UI state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from trailtui.lake.results import QueryState, ResultPage


@dataclass
class StoreInfo:
    """A store as the stores pane shows it (from GetEventDataStore, plus local figures when known)."""

    connection: str
    id: str
    name: str
    arn: str
    details: dict[str, Any]
    event_count: int | None = None
    first_event: Any = None
    last_event: Any = None


class StoresLoaded(Message):
    def __init__(self, connection: str, stores: list[StoreInfo], problem: str | None = None) -> None:
        super().__init__()
        self.connection = connection
        self.stores = stores
        self.problem = problem  # an engine that could not list (Lake closed, Glue denied), shown in place


class StoresFailed(Message):
    def __init__(self, connection: str, reason: str) -> None:
        super().__init__()
        self.connection = connection
        self.reason = reason


class LakeReady(Message):
    """The local lake is open (and the demo built, on a first run)."""


class Notice(Message):
    def __init__(self, text: str, severity: str = "information") -> None:
        super().__init__()
        self.text = text
        self.severity = severity


class QueryStarted(Message):
    def __init__(self, run_id: int, query_id: str) -> None:
        super().__init__()
        self.run_id = run_id
        self.query_id = query_id


class QueryStateChanged(Message):
    def __init__(self, run_id: int, state: QueryState) -> None:
        super().__init__()
        self.run_id = run_id
        self.state = state


class ResultsArrived(Message):
    def __init__(self, run_id: int, page: ResultPage, done: bool) -> None:
        super().__init__()
        self.run_id = run_id
        self.page = page
        self.done = done


class QueryFailed(Message):
    """The query could not be started or followed (client-side error: bad SQL, credentials, network)."""

    def __init__(self, run_id: int, reason: str) -> None:
        super().__init__()
        self.run_id = run_id
        self.reason = reason


class ServiceQueriesLoaded(Message):
    """ListQueries for the current store, for the history screen that asked."""

    def __init__(self, screen: Any, queries: list[Any], error: str | None = None) -> None:
        super().__init__()
        self.screen = screen
        self.queries = queries
        self.error = error


class EventLoaded(Message):
    """The whole event (eventjson) of a result row, from the drill-down query."""

    def __init__(self, event_id: str, eventjson: str | None, error: str | None = None) -> None:
        super().__init__()
        self.event_id = event_id
        self.eventjson = eventjson
        self.error = error


class ExportProgress(Message):
    def __init__(self, path: str, rows: int, done: bool, error: str | None = None) -> None:
        super().__init__()
        self.path = path
        self.rows = rows
        self.done = done
        self.error = error


class IdentityLoaded(Message):
    """STS GetCallerIdentity (and the account alias) of a connection."""

    def __init__(self, connection: str, identity: Any) -> None:
        super().__init__()
        self.connection = connection
        self.identity = identity


class IdentityFailed(Message):
    def __init__(self, connection: str, reason: str) -> None:
        super().__init__()
        self.connection = connection
        self.reason = reason


class ConnectionOpened(Message):
    """An AWS connection opened; `key` is its real name once its Region is known."""

    def __init__(self, placeholder: str, key: str) -> None:
        super().__init__()
        self.placeholder = placeholder
        self.key = key
