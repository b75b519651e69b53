"""The main screen: lays out the context line, stores, editor, status and results, and wires them.

Its handlers are the only code that changes the explorer's state (state.py): workers (workers.py) run
in threads and report through `post`, which wraps each typed event in one `WorkerReport` message; the
handler of each event type is in `_handlers`. Accounts (profiles, Regions) are in accounts.py, the `:`
commands in interpreter.py.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen

from trailtui.aws.memory import ProfileMemory
from trailtui.lake.backoff import PollBackoff
from trailtui.lake.connection import EventDataStore
from trailtui.lake.history import History
from trailtui.paths import Locations
from trailtui.settings import Settings
from trailtui.tui import events, workers
from trailtui.tui.accounts import ORG_HINT, AccountsMixin
from trailtui.tui.chartactions import ChartsMixin
from trailtui.tui.context import ContextBar
from trailtui.tui.detail import DetailScreen
from trailtui.tui.dialogs import CommandLine, HelpScreen
from trailtui.tui.drilldown import DrillDownMixin
from trailtui.tui.editor import DEMO_STORE_ID, SqlEditor
from trailtui.tui.errorpanel import ErrorPanel
from trailtui.tui.export import ExportMixin
from trailtui.tui.footer import WholeKeysFooter
from trailtui.tui.grid import ResultGrid
from trailtui.tui.interpreter import (
    AdministerStore,
    CommandError,
    DeliverResults,
    DropStore,
    ImportLogs,
    Quit,
    UseLocal,
    UseProfile,
    UseRegion,
    UseStore,
    interpret,
)
from trailtui.tui.keymap import bindings
from trailtui.tui.queries import QueriesMixin
from trailtui.tui.results import ResultsPanel
from trailtui.tui.room import RoomMixin
from trailtui.tui.runs import RunsMixin
from trailtui.tui.state import LOCAL_KEY, ExplorerState
from trailtui.tui.status import QueryStatusBar
from trailtui.tui.storeadmin import StoreCommands
from trailtui.tui.stores import StoresPane


class WorkerReport(Message):
    """One event from a worker (events.py), delivered on the UI thread."""

    def __init__(self, event: object) -> None:
        super().__init__()
        self.event = event


class MainScreen(
    RoomMixin, DrillDownMixin, AccountsMixin, RunsMixin, QueriesMixin, ExportMixin, ChartsMixin, Screen[None]
):
    BINDINGS = bindings("app")

    def __init__(
        self,
        where: Locations,
        settings: Settings,
        *,
        local_lake: Any = None,
        aws_stores: bool = True,
        poll: PollBackoff | None = None,
        requested: tuple[str | None, str | None] = (None, None),
    ) -> None:
        super().__init__()
        self.where = where
        self.settings = settings
        self.local_lake = local_lake
        self.show_aws = aws_stores
        self.poll = poll or PollBackoff()
        self.requested = requested
        self.state = ExplorerState()
        self.memory = ProfileMemory(where.state / "profiles.json")
        self.history = History(where.history_db, settings.history_cap)
        self.stopping = threading.Event()  # set on the way out: workers stop following queries
        self._handlers: dict[type, Callable[[Any], None]] = {
            events.Notice: lambda e: self.notify(e.text, severity=e.severity),
            events.DemoBuildProgress: self.show_demo_build,
            events.ConnectionOpened: self._connection_opened,
            events.ConnectionFailed: self._connection_failed,
            events.StoresLoaded: self._stores_loaded,
            events.StoresFailed: self._stores_failed,
            events.IdentityLoaded: self._identity_loaded,
            events.IdentityFailed: self._identity_loaded,
            events.QueryStarted: self._query_started,
            events.QueryDescribed: self.reopened_described,
            events.QueryStateChanged: self._query_state_changed,
            events.ResultsArrived: self._results_arrived,
            events.QueryFailed: self._query_failed,
            events.EventLoaded: self._event_loaded,
            events.ExportProgress: self._export_progress,
            events.DeliveryChanged: self._delivery_changed,
            events.ImportFinished: lambda e: self.notify(e.text, severity=e.severity),
        }

    # -- layout -------------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield ContextBar("trailtui · opening the local lake…", id="context")
        with Horizontal(id="main"):
            yield StoresPane(id="stores")
            with Vertical(id="work"):
                editor = SqlEditor(file=self.where.state / "editor.sql", id="editor")
                editor.border_title = "SQL"
                yield editor
                yield QueryStatusBar(id="status")
                yield ErrorPanel(id="error")
                yield ResultsPanel(id="results")
        yield WholeKeysFooter()

    def on_resize(self, event: Any) -> None:
        self.fit_to_size(event.size.width, event.size.height)

    def on_mount(self) -> None:
        self.fit_to_size(self.app.size.width, self.app.size.height)
        self.keep_toasts_above_results()
        self.editor.focus()
        self.query_one(StoresPane).show_loading("local", "local lake")
        self.start_worker(
            workers.open_local_lake, self.where, self.local_lake, self.post, self.stopping_check, group="lake"
        )
        profile, region = self.requested
        if profile or region:
            self.switch_aws(profile, region)  # `trailtui --profile NAME --region NAME` opens on that profile
        elif self.show_aws:
            self.switch_aws(None, None, make_current=False)  # the default profile's stores, beside the lake
        self.update_context()
        if self.settings.problem:
            self.notify(self.settings.problem, severity="warning")

    @property
    def editor(self) -> SqlEditor:
        return self.query_one("#editor", SqlEditor)

    @property
    def results(self) -> ResultsPanel:
        return self.query_one(ResultsPanel)

    # -- workers and their reports ------------------------------------------------------------------------
    def post(self, event: object) -> None:
        """For workers: hand an event to the UI thread."""
        self.post_message(WorkerReport(event))

    def start_worker(self, fn: Callable[..., None], *args: Any, group: str) -> None:
        self.run_worker(lambda: fn(*args), thread=True, group=group, exit_on_error=False)

    def on_worker_report(self, message: WorkerReport) -> None:
        self._handlers[type(message.event)](message.event)

    def update_context(self) -> None:
        self.query_one(ContextBar).show(self.state, self.settings)

    def save_editor(self) -> None:
        self.editor.save()

    def set_editor(self, sql: str) -> None:
        self.editor.set_sql(sql)

    # -- connections and stores ---------------------------------------------------------------------------
    def _connection_opened(self, e: events.ConnectionOpened) -> None:
        self.state.opened(e.requested, e.connection)
        self.update_context()
        opened = e.connection.key
        waiting = self.state.run_when_open
        if waiting is not None and waiting.key == opened and self.state.current == opened:
            self.run_waiting()  # asked for while it was opening, and the user is still on it

    def _connection_failed(self, e: events.ConnectionFailed) -> None:
        self.state.failed[e.connection] = e.reason
        if e.connection == self.state.current and self.state.run is None:
            self.show_error(f"{e.connection.label} did not open:", e.reason)  # the whole reason, readable
        self._stores_failed(events.StoresFailed(e.connection, e.reason))
        if not e.connection.is_local:
            self.state.identities[e.connection] = e.reason
            self.update_context()

    def _stores_loaded(self, e: events.StoresLoaded) -> None:
        group = self.state.group_of(e.connection)
        if group is None:
            return
        pane = self.query_one(StoresPane)
        label = self.state.label(e.connection)
        pane.set_stores(group, label, e.stores, e.problem)
        if not e.stores and group == "aws":
            pane.set_failed(group, label, ORG_HINT)
        current = self.state.store
        if e.connection == self.state.current and current is not None:
            # After a store change (:edit, :delete, :restore), show the store as it is now.
            fresh = next((s for s in e.stores if s.id == current.id), None)
            if fresh is not None:
                self.state.store = fresh
                pane.show_details(fresh)
                self.update_context()
        if e.connection == self.state.current and self.state.store is None and e.stores:
            remembered = self.memory.get("local" if group == "local" else e.connection.profile or "")
            preferred = remembered.store or (DEMO_STORE_ID if group == "local" else None)
            store = next((s for s in e.stores if s.id == preferred), e.stores[0])
            self.state.store = store
            pane.show_details(store)
            self.update_context()

    def _stores_failed(self, e: events.StoresFailed) -> None:
        waiting = self.state.run_when_open
        if waiting is not None and waiting.key == e.connection and e.connection not in self.state.connections:
            self.state.run_when_open = None  # it will not open: the query waiting for it is not run
            self.notify(
                "The query was not run: its connection did not open (see the stores pane).", severity="error"
            )
        group = self.state.group_of(e.connection)
        if group is not None:
            self.query_one(StoresPane).set_failed(group, self.state.label(e.connection), e.reason)

    @on(StoresPane.StoreChosen)
    def _store_chosen(self, message: StoresPane.StoreChosen) -> None:
        store: EventDataStore = message.store
        label = self.state.label(store.connection)
        moved = store.connection != self.state.current
        if moved:
            self.remember_current()
            self.state.current = store.connection
        self.state.store = store
        self.update_context()
        # Not "queries now run on the store": the FROM clause says which store a query reads.
        self.notify(
            (f"Queries now run on {label}. " if moved else "")
            + f"Current store: {store.name} ({label}); a query reads the store its FROM names, "
            "ctrl+o inserts this one's ID."
        )

    # -- focus, keys, commands ----------------------------------------------------------------------------
    def action_focus_pane(self, pane: str) -> None:
        target = {"stores": "#store-tree", "editor": "#editor", "results": "#grid"}[pane]
        if pane == "results" and self.has_class("-error-shown"):
            target = "#error"  # the results pane shows the error: F4 reaches it, to scroll a long one
        self.query_one(target).focus()

    def action_insert_store_id(self) -> None:
        store = self.query_one(StoresPane).highlighted or self.state.store
        if store is None:
            self.notify("No store is selected yet.", severity="warning")
            return
        self.editor.insert_at_cursor(store.id)
        self.editor.focus()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    def action_command_line(self, value: str = "") -> None:
        self.app.push_screen(CommandLine(value), self.run_command)

    def run_command(self, line: str | None) -> None:
        command = interpret(line or "")
        if command is None:
            return
        if isinstance(command, Quit):
            self.leave()
            self.app.exit()
        elif isinstance(command, UseProfile):
            self.use_profile(command.name)
        elif isinstance(command, UseRegion):
            self.use_region(command.name)
        elif isinstance(command, UseLocal):
            self.switch_local()
        elif isinstance(command, UseStore):
            if self.query_one(StoresPane).select_store_by(command.name) is None:
                self.notify(f"No store {command.name} is loaded.", severity="error")
        elif isinstance(command, AdministerStore):
            StoreCommands(self).run(command.verb, command.arg)
        elif isinstance(command, DropStore):
            StoreCommands(self).drop(command.name)
        elif (
            isinstance(command, ImportLogs)
            and not self.state.current.is_local
            and command.request.source.startswith("s3://")
        ):
            StoreCommands(self).lake_import(
                command.request.source
            )  # Lake's own import, into the current store
        elif isinstance(command, ImportLogs):
            local = self.state.connections.get(LOCAL_KEY)
            if local is None:
                self.notify("The local lake is still opening; try again in a moment.", severity="warning")
                return
            self.notify(f"Importing {command.request.source} into {command.request.store}…")
            self.start_worker(workers.import_logs, local, command.request, self.post, group="import")
        elif isinstance(command, DeliverResults):
            self.set_delivery(command.target)
        elif isinstance(command, CommandError):
            self.notify(command.message, severity="error")

    # -- the results grid's requests ----------------------------------------------------------------------
    @on(ResultGrid.CellChosen)
    def _open_cell(self, message: ResultGrid.CellChosen) -> None:
        self.app.push_screen(DetailScreen(message.column, message.value))

    @on(ResultGrid.Requested)
    def _grid_request(self, message: ResultGrid.Requested) -> None:
        grid = self.results.grid
        if message.what == "row":
            pairs = list(zip(message.columns, message.row, strict=True))
            where = f"row {grid.cursor_row + 1:,} of {len(grid.view):,}"
            self.app.push_screen(DetailScreen(where, row=pairs, copy_text=grid.row_as_json(message.row)))
        elif message.what == "copy_cell":
            value = message.row[message.column] if message.column < len(message.row) else None
            self.app.copy_to_clipboard(value or "")
            self.notify("Copied the cell to the clipboard.")
        elif message.what == "copy_row":
            self.app.copy_to_clipboard(grid.row_as_json(message.row))
            self.notify("Copied the row (flat JSON) to the clipboard.")
        elif message.what == "event":
            self._drill_down(message)

    # -- leaving ------------------------------------------------------------------------------------------
    def leave(self) -> None:
        """On quit: keep the editor, cancel running queries (on AWS they keep billing), stop the workers."""
        self.save_editor()
        for run in self.state.running():
            conn = self.state.connections.get(run.key)
            if conn is not None and run.query_id:
                threading.Thread(target=workers.quiet_cancel, args=(conn, run.query_id), daemon=True).start()
        self.stopping.set()

    def close_connections(self) -> None:
        for conn in self.state.connections.values():
            with contextlib.suppress(Exception):  # closing on the way out; nothing left to tell
                conn.close()
