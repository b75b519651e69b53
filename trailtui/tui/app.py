"""The explorer: stores, SQL editor, query status and results, driven by thread workers over boto3.

Workers do the I/O (boto3 calls, opening the lake) and only post typed messages (messages.py); the
handlers here own all UI state. Heavy modules (boto3, duckdb, sqlglot) are imported inside workers, after
the first screen is painted.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from trailtui.aws.memory import ProfileMemory
from trailtui.lake.backoff import PollBackoff
from trailtui.lake.history import History
from trailtui.lake.library import QueryFile, samples, save_query, saved_queries, time_window
from trailtui.lake.results import END_STATES, READABLE_STATES
from trailtui.lake.text import sanitize
from trailtui.paths import Locations, locations
from trailtui.settings import load_settings
from trailtui.tui.accounts import ORG_HINT, AccountsMixin
from trailtui.tui.detail import DetailScreen
from trailtui.tui.dialogs import CommandLine, ConfirmScreen, HelpScreen, PromptScreen
from trailtui.tui.editor import SqlEditor
from trailtui.tui.grid import ResultGrid
from trailtui.tui.history import HistoryScreen, Pick, ServiceQuery
from trailtui.tui.keymap import KEYMAP, bindings
from trailtui.tui.library import LibraryScreen
from trailtui.tui.messages import (
    EventLoaded,
    ExportProgress,
    LakeReady,
    Notice,
    QueryFailed,
    QueryStarted,
    QueryStateChanged,
    ResultsArrived,
    ServiceQueriesLoaded,
    StoreInfo,
    StoresFailed,
    StoresLoaded,
)
from trailtui.tui.status import QueryStatusBar, RunView
from trailtui.tui.storeadmin import VERBS as STORE_VERBS
from trailtui.tui.storeadmin import StoreCommands
from trailtui.tui.stores import StoresPane

LOCAL = "local"
DEMO_STORE_ID = "0d3a6f2e-7b1c-4e5a-9c8d-2f4b6a8c0e1d"
WELCOME_SQL = f"""-- Welcome to trailtui. Run this query with ctrl+j (or F5); F1 lists every key.
-- The demo organization's last 7 days, newest first. Something odd happened in account 444455556666...
SELECT eventTime, recipientAccountId, eventSource, eventName, userIdentity.arn,
       sourceIPAddress, errorCode
FROM {DEMO_STORE_ID}
WHERE eventTime > date_add('day', -7, current_timestamp)
ORDER BY eventTime DESC
LIMIT 1000
"""
PAGE_SIZE = 1000


class ContextBar(Static):
    """Always visible: where queries go (connection, account, region, store)."""

    DEFAULT_CSS = """
    ContextBar { height: 1; background: $primary-darken-3; color: $text; padding: 0 1; }
    """


class TrailApp(AccountsMixin, App[None]):
    TITLE = "trailtui"
    CSS_PATH = "app.tcss"
    BINDINGS = bindings("app")

    def __init__(
        self,
        where: Locations | None = None,
        local_lake: Any = None,
        aws_stores: bool = True,
        poll: PollBackoff | None = None,
        profile: str | None = None,
        region: str | None = None,
    ) -> None:
        super().__init__()
        self.where = where or locations()
        self.local_lake = local_lake
        self.show_aws = aws_stores
        self.poll = poll or PollBackoff()
        self.connections: dict[str, Any] = {}
        self.current_store: StoreInfo | None = None
        self.runs: dict[int, RunView] = {}
        self.current_run: int | None = None
        self._next_run = 1
        self._lock = threading.Lock()
        self.settings = load_settings(self.where)
        self.memory = ProfileMemory(self.where.state / "profiles.json")
        self.identities: dict[str, Any] = {}
        self.aws_key_current: str | None = None
        self.requested = (profile, region)
        self.current_conn = LOCAL
        # A run asked for before its connection opened (the first start builds the demo meanwhile).
        self.run_when_open: str | None = None
        self.history = History(self.where.history_db, self.settings.history_cap)

    # -- layout -------------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield ContextBar(Text("trailtui · opening the local lake…"), id="context")
        with Horizontal(id="main"):
            yield StoresPane(id="stores")
            with Vertical(id="work"):
                editor = SqlEditor(self._initial_sql(), id="editor")
                editor.border_title = "SQL"
                yield editor
                yield QueryStatusBar(id="status")
                with Vertical(id="results"):
                    grid = ResultGrid(id="grid")
                    yield grid
                    yield Input(placeholder="filter loaded rows (Enter: keep, Esc: clear)", id="filter")
        yield Footer()

    def on_resize(self, event: Any) -> None:
        self.screen.set_class(event.size.height < 30 or event.size.width < 100, "-small")

    def on_mount(self) -> None:
        self.screen.set_class(self.size.height < 30 or self.size.width < 100, "-small")
        self.query_one("#results").border_title = "Results"
        self.query_one("#filter", Input).display = False
        self.query_one("#editor", SqlEditor).focus()
        stores = self.query_one(StoresPane)
        stores.show_loading(LOCAL, "local lake")
        self._open_local()
        profile, region = self.requested
        if profile or region:
            self.switch_aws(profile, region)  # `trailtui --profile NAME --region NAME` opens on that profile
        elif self.show_aws:
            self._open_default_aws()
        self._update_context()
        if self.settings.problem:
            self.notify(self.settings.problem, severity="warning")

    # -- editor content, kept across runs -----------------------------------------------------------------
    @property
    def _editor_file(self) -> Path:
        return self.where.state / "editor.sql"

    def _initial_sql(self) -> str:
        try:
            text = self._editor_file.read_text()
            return text if text.strip() else WELCOME_SQL
        except OSError:
            return WELCOME_SQL

    def _save_editor(self) -> None:
        try:
            self._editor_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self._editor_file.with_suffix(".tmp")
            tmp.write_text(self.query_one("#editor", SqlEditor).text)
            tmp.replace(self._editor_file)
        except OSError:
            pass

    # -- workers: the local lake and the stores --------------------------------------------------------------
    @work(thread=True, group="lake", exit_on_error=False)
    def _open_local(self) -> None:
        from trailtui.connections import open_local
        from trailtui.local.demo import ensure_demo
        from trailtui.local.lakefile import LakeFile

        try:
            if self.local_lake is None:
                lake_file = LakeFile(self.where.ensure())
                # First run: the demo's newest day now, the rest built in the background with notices.
                ensure_demo(lake_file, notify=lambda m: self._post_notice(m), background=True)
                from trailtui.local.service import LocalLake

                self.local_lake = LocalLake(self.where)
            self.connections[LOCAL] = open_local(self.local_lake)
            self.post_message(LakeReady())
        except Exception as exc:  # a broken lake must not stop the app: say why, in place
            self.post_message(StoresFailed(LOCAL, f"cannot open the local lake: {exc}"))
            return
        self._load_stores(LOCAL)

    def _load_stores(self, name: str) -> None:
        """(in a worker) ListEventDataStores + GetEventDataStore, posting the result or the reason."""
        from trailtui.lake.errors import error_code

        conn = self.connections[name]
        try:
            stores = []
            problems = []
            token = None
            while True:
                page = conn.cloudtrail.list_event_data_stores(**({"NextToken": token} if token else {}))
                # An AWS profile lists Lake's stores and its Athena tables (trailtui.athena.router); if one
                # of the two could not answer, its error travels in the page, to be shown in place.
                if page.get("LakeError") is not None:
                    problems.append(f"CloudTrail Lake: {conn.explain(page['LakeError'])}")
                # Glue not offered by the endpoint (a `trailtui serve` URL) is no news; a denial is.
                if "AccessDenied" in str(error_code(page.get("AthenaError") or Exception())):
                    problems.append(f"Athena: {conn.explain(page['AthenaError'])}")
                for item in page.get("EventDataStores", []):
                    arn = item["EventDataStoreArn"]
                    details = conn.cloudtrail.get_event_data_store(EventDataStore=arn)
                    stores.append(StoreInfo(name, arn.rsplit("/", 1)[-1], item.get("Name", ""), arn, details))
                token = page.get("NextToken")
                if not token:
                    break
            figures = conn.store_figures()
            for s in stores:
                rec = figures.get(s.id)
                if rec is not None:
                    s.event_count, s.first_event, s.last_event = (
                        rec.event_count,
                        rec.first_event,
                        rec.last_event,
                    )
            self.post_message(StoresLoaded(name, stores, "\n".join(problems) or None))
        except Exception as exc:
            self.post_message(StoresFailed(name, conn.explain(exc)))

    def _open_default_aws(self) -> None:
        """The default profile's stores (as botocore picks it), beside the local lake, without making them
        current. Resolved in the worker, so botocore stays off the first-paint path."""
        self.switch_aws(None, None, make_current=False)

    def _connection_label(self, name: str) -> str:
        if name == LOCAL:
            return "local lake"
        conn = self.connections.get(name)
        profile, _, region = name[4:].rpartition("@")
        return f"AWS {profile} ({conn.region if conn is not None else region})"

    def on_lake_ready(self, _: LakeReady) -> None:
        self._update_context()
        self.run_if_waiting(LOCAL)

    def run_if_waiting(self, opened: str) -> None:
        """Run the query asked for while `opened` was opening, if the user is still on that connection."""
        if self.run_when_open == opened and self.current_conn == opened:
            self.action_run_query()

    def _post_notice(self, text: str) -> None:
        self.post_message(Notice(text))

    def on_notice(self, message: Notice) -> None:
        self.notify(message.text, severity=message.severity)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications may carry text from events or servers: always plain and sanitised, never markup."""
        super().notify(
            sanitize(str(message)), title=sanitize(title), severity=severity, timeout=timeout, markup=False
        )

    def _group_of(self, connection: str) -> str | None:
        """The stores pane group of a connection; None for a profile the user has since left."""
        if connection == LOCAL:
            return LOCAL
        return "aws" if connection == self.aws_key_current else None

    def on_stores_loaded(self, message: StoresLoaded) -> None:
        group = self._group_of(message.connection)
        if group is None:
            return
        pane = self.query_one(StoresPane)
        pane.set_stores(group, self._connection_label(message.connection), message.stores, message.problem)
        if not message.stores and group == "aws":
            pane.set_failed(group, self._connection_label(message.connection), ORG_HINT)
        if message.connection == self.current_conn and self.current_store is not None:
            # After a store change (:edit, :delete, :restore), show the store as it is now.
            fresh = next((s for s in message.stores if s.id == self.current_store.id), None)
            if fresh is not None:
                self.current_store = fresh
                pane.show_details(fresh)
        if message.connection == self.current_conn and self.current_store is None and message.stores:
            profile = LOCAL if group == LOCAL else self._current_profile() or ""
            state = self.memory.get(profile)
            preferred = state.store or (DEMO_STORE_ID if group == LOCAL else None)
            store = next((s for s in message.stores if s.id == preferred), message.stores[0])
            self.current_store = store
            pane.show_details(store)
            if state.editor and group != LOCAL:
                self._set_editor(state.editor)
            self._update_context()

    def on_stores_failed(self, message: StoresFailed) -> None:
        if self.run_when_open == message.connection and message.connection not in self.connections:
            self.run_when_open = None  # it will not open: the query waiting for it is not run
            self.notify(
                "The query was not run: its connection did not open (see the stores pane).", severity="error"
            )
        group = self._group_of(message.connection)
        if group is not None:
            self.query_one(StoresPane).set_failed(
                group, self._connection_label(message.connection), message.reason
            )

    @on(StoresPane.StoreChosen)
    def _store_chosen(self, message: StoresPane.StoreChosen) -> None:
        if message.store.connection != self.current_conn:
            self._remember_current()
            self.current_conn = message.store.connection
        self.current_store = message.store
        self._update_context()
        self.notify(
            f"Queries now run on {message.store.name} ({self._connection_label(message.store.connection)})"
        )

    def _update_context(self) -> None:
        self.query_one("#context", ContextBar).update(self.context_text())

    # -- running queries ----------------------------------------------------------------------------------
    def action_run_query(self) -> None:
        editor = self.query_one("#editor", SqlEditor)
        sql = editor.statement.strip()
        if not sql:
            self.notify("The editor is empty.", severity="warning")
            return
        self._save_editor()
        conn_name = self.current_conn
        if conn_name not in self.connections:
            self.run_when_open = conn_name
            what = "The local lake" if conn_name == LOCAL else "The connection"
            self.notify(f"{what} is still opening; the query runs as soon as it is ready.")
            return
        self.run_when_open = None
        if self.connections[conn_name].bills_scans:
            from trailtui.lake.sqltext import has_time_bound

            if not has_time_bound(sql):
                question = (
                    "This query has no eventTime bound. On CloudTrail Lake it scans, and bills, every "
                    "event in the store (on an Athena table, every log object). Run it anyway?"
                )
                self.push_screen(
                    ConfirmScreen(question), lambda yes: self._start(sql, conn_name) if yes else None
                )
                return
        self._start(sql, conn_name)

    def current_connection_name(self) -> str:
        return self.current_conn

    def _new_run(self, sql: str, conn_name: str) -> RunView:
        run = RunView(self._next_run, sql, self._connection_label(conn_name), conn_name)
        self._next_run += 1
        run.store_id = self.current_store.id if self.current_store else None
        self.runs[run.run_id] = run
        return run

    def _start(self, sql: str, conn_name: str) -> None:
        run = self._new_run(sql, conn_name)
        self.current_run = run.run_id
        grid = self.query_one(ResultGrid)
        grid.clear("Waiting for results…")
        self._show_status()
        self._query_worker(run, conn_name)
        self._update_context()

    @work(thread=True, group="query", exit_on_error=False)
    def _query_worker(self, run: RunView, conn_name: str) -> None:
        self._follow(run, conn_name)

    def _follow(self, run: RunView, conn_name: str) -> None:
        """(in a worker) Start the query (unless reopening one), poll it to its end, then load its pages."""
        from trailtui.lake.run import HistoryRecord, LakeQuery, execute, store_of

        worker = get_current_worker()
        conn = self.connections[conn_name]
        query = LakeQuery(
            run.sql, conn.key, store_of(run.sql, run.store_id), run.query_id if run.reopened else None
        )
        execute(
            conn,
            query,
            _RunEvents(self.post_message, run.run_id),
            record=HistoryRecord(self.history, lambda text: self.post_message(Notice(text, "warning"))),
            backoff=PollBackoff(self.poll.first, self.poll.factor, self.poll.ceiling),
            should_stop=lambda: worker.is_cancelled,
            cancel_requested=lambda: run.cancel_requested,
        )

    def on_query_started(self, message: QueryStarted) -> None:
        run = self.runs[message.run_id]
        run.query_id = message.query_id
        self._show_status()

    def on_query_state_changed(self, message: QueryStateChanged) -> None:
        run = self.runs[message.run_id]
        run.state = message.state
        if message.state.status in END_STATES and run.ended is None:
            run.ended = time.monotonic()
            if message.state.status == "FAILED":
                run.complete = True
            if message.state.status != "FINISHED" and message.run_id == self.current_run:
                self.query_one(ResultGrid).clear(f"The query ended {message.state.status}.")
        self._show_status()
        self._update_context()

    def on_results_arrived(self, message: ResultsArrived) -> None:
        run = self.runs[message.run_id]
        page = message.page
        run.total = page.total
        run.loaded += len(page.rows)
        run.complete = message.done
        if message.run_id == self.current_run:
            grid = self.query_one(ResultGrid)
            if not page.columns and run.loaded == 0:
                grid.clear("The query returned no rows.")
            else:
                grid.add_rows(page.columns, page.rows)
            self._results_title(run)
        self._show_status()

    def on_query_failed(self, message: QueryFailed) -> None:
        run = self.runs[message.run_id]
        run.error = message.reason
        run.ended = run.ended or time.monotonic()
        run.complete = True
        if message.run_id == self.current_run:
            self.query_one(ResultGrid).clear("No results: see the error above.")
        self._show_status()
        self._update_context()

    def _results_title(self, run: RunView) -> None:
        grid = self.query_one(ResultGrid)
        shown = len(grid.view)
        title = f"Results  {run.loaded:,} of {run.total or 0:,} loaded"
        if grid.filter_text or shown != len(grid.rows):
            title += f"  ({shown:,} shown by the filter)"
        self.query_one("#results").border_title = title

    def _show_status(self) -> None:
        run = self.runs.get(self.current_run) if self.current_run is not None else None
        others = sum(1 for r in self.runs.values() if r.active and r is not run)
        self.query_one(QueryStatusBar).show(run, others)

    def action_cancel_query(self) -> None:
        run = self.runs.get(self.current_run) if self.current_run is not None else None
        if run is None or not run.active:
            self.notify("No query is running.", severity="warning")
            return
        run.cancel_requested = True
        self._show_status()
        self.notify("Cancelling the query…")

    # -- focus, keys, commands ----------------------------------------------------------------------------
    _MAIN_SCREEN_ACTIONS = frozenset(
        {
            "run_query",
            "cancel_query",
            "focus_pane",
            "insert_store_id",
            "history",
            "save_query",
            "open_saved",
            "export",
            "copy_sql",
            "command_line",
            "help",
        }
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The main screen's keys do nothing while a dialog is open; the dialog's own keys apply instead."""
        return not (action in self._MAIN_SCREEN_ACTIONS and isinstance(self.screen, ModalScreen))

    def action_focus_pane(self, pane: str) -> None:
        target = {"stores": "#store-tree", "editor": "#editor", "results": "#grid"}[pane]
        self.query_one(target).focus()

    def action_insert_store_id(self) -> None:
        store = self.query_one(StoresPane).highlighted or self.current_store
        if store is None:
            self.notify("No store is selected yet.", severity="warning")
            return
        editor = self.query_one("#editor", SqlEditor)
        editor.insert_at_cursor(store.id)
        editor.focus()

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_command_line(self) -> None:
        self.push_screen(CommandLine(), self._run_command)

    def _run_command(self, command: str | None) -> None:
        if not command:
            return
        verb, _, arg = command.partition(" ")
        arg = arg.strip()
        if verb in ("q", "quit"):
            self.action_quit_app()
        elif verb == "profile":
            from trailtui.aws.profiles import list_profiles

            if arg and arg in {p.name for p in list_profiles()}:
                self.switch_aws(arg)
            else:
                self.action_switch_profile(arg)
        elif verb == "region":
            from trailtui.aws.profiles import regions

            if arg in regions():
                self.switch_aws(self._current_profile(), arg)
            else:
                self.action_switch_region(arg)
        elif verb == "local":
            self.switch_local()
        elif verb == "import" and arg:
            self._import_command(arg)
        elif verb in STORE_VERBS:
            StoreCommands(self).run(verb, arg)
        elif verb == "store" and arg:
            if self.query_one(StoresPane).select_store_by(arg) is None:
                self.notify(f"No store {arg} is loaded.", severity="error")
        else:
            self.notify(f"Unknown command: {command}", severity="error")

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for key in KEYMAP:
            if key.context == "app" and key.action not in ("quit",):
                action = key.action
                yield SystemCommand(
                    key.description,
                    f"{key.help} ({key.keys.split(',')[0]})",
                    lambda a=action: self.run_action(a),
                )

    # -- the results grid's requests ----------------------------------------------------------------------
    @on(ResultGrid.CellChosen)
    def _open_cell(self, message: ResultGrid.CellChosen) -> None:
        self.push_screen(DetailScreen(message.column, message.value))

    @on(ResultGrid.Requested)
    def _grid_request(self, message: ResultGrid.Requested) -> None:
        grid = self.query_one(ResultGrid)
        if message.what == "row":
            pairs = list(zip(message.columns, message.row, strict=True))
            self.push_screen(DetailScreen("row", row=pairs, copy_text=grid.row_as_json(message.row)))
        elif message.what == "filter":
            box = self.query_one("#filter", Input)
            box.display = True
            box.focus()
        elif message.what == "account":
            self._filter_account(message)
        elif message.what == "copy_cell":
            value = message.row[message.column] if message.column < len(message.row) else None
            self.copy_to_clipboard(value or "")
            self.notify("Copied the cell to the clipboard.")
        elif message.what == "copy_row":
            self.copy_to_clipboard(grid.row_as_json(message.row))
            self.notify("Copied the row (JSON) to the clipboard.")
        elif message.what == "event":
            self._drill_down(message)

    def _filter_account(self, message: ResultGrid.Requested) -> None:
        grid = self.query_one(ResultGrid)
        cols = [i for i, c in enumerate(message.columns) if c.lower() == "recipientaccountid"]
        if not cols:
            self.notify("This result has no recipientAccountId column.", severity="warning")
            return
        account = message.row[cols[0]]
        shown = grid.filter_column("recipientAccountId", account)
        self.notify(f"{shown:,} rows of account {account or 'null'} (/ then Esc clears)")
        run = self.runs.get(self.current_run or -1)
        if run:
            self._results_title(run)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_one(ResultGrid).apply_filter(event.value)
        run = self.runs.get(self.current_run or -1)
        if run:
            self._results_title(run)

    @on(Input.Submitted, "#filter")
    def _filter_done(self, _: Input.Submitted) -> None:
        self.query_one("#grid").focus()

    def on_key(self, event: Any) -> None:
        box = self.query_one("#filter", Input)
        if event.key == "escape" and box.has_focus:
            box.value = ""
            box.display = False
            self.query_one(ResultGrid).apply_filter("")
            run = self.runs.get(self.current_run or -1)
            if run:
                self._results_title(run)
            self.query_one("#grid").focus()
            event.stop()

    # -- history, library, saving -------------------------------------------------------------------------
    def action_history(self) -> None:
        label = self.current_store.name if self.current_store else None
        self.push_screen(HistoryScreen(self, label), self._history_pick)

    def _history_pick(self, pick: Pick | None) -> None:
        if pick is None:
            return
        if pick.action == "edit" and pick.sql is not None:
            self._set_editor(pick.sql)
        elif pick.action == "edit" and pick.query_id:
            self._reopen(pick.query_id, pick.connection, results=False)
        elif pick.query_id:
            self._reopen(pick.query_id, pick.connection)

    def _reopen(self, query_id: str, conn_name: str, results: bool = True) -> None:
        if conn_name not in self.connections:
            self.notify(f"The connection {conn_name} is not open; switch to it first.", severity="warning")
            return
        run = self._new_run("", conn_name)
        run.query_id, run.reopened = query_id, True
        if results:
            self.current_run = run.run_id
            self.query_one(ResultGrid).clear("Loading the earlier results…")
            self._show_status()
        self._describe_worker(run, conn_name, results)

    @work(thread=True, group="query", exit_on_error=False)
    def _describe_worker(self, run: RunView, conn_name: str, results: bool) -> None:
        """Fetch a query's SQL (DescribeQuery); then, to reopen it, follow its status and pages."""
        from trailtui.lake.errors import explain

        conn = self.connections[conn_name]
        try:
            described = conn.cloudtrail.describe_query(QueryId=run.query_id)
        except Exception as exc:
            self.post_message(QueryFailed(run.run_id, explain(exc, conn.profile)))
            return
        run.sql = described.get("QueryString") or ""
        if not results:
            self.call_from_thread(self._set_editor, run.sql)
            return
        self._follow(run, conn_name)

    def load_service_queries(self, screen: HistoryScreen) -> None:
        if self.current_store is None:
            screen.set_service([])
            return
        self._service_worker(screen, self.current_store)

    @work(thread=True, group="history", exit_on_error=False)
    def _service_worker(self, screen: HistoryScreen, store: StoreInfo) -> None:
        from trailtui.lake.errors import explain

        conn = self.connections.get(store.connection)
        if conn is None:
            return
        try:
            queries: list[ServiceQuery] = []
            token = None
            while True:
                args: dict[str, Any] = {"EventDataStore": store.arn, "MaxResults": 1000}
                if token:
                    args["NextToken"] = token
                page = conn.cloudtrail.list_queries(**args)
                queries += [
                    ServiceQuery(q["QueryId"], q["QueryStatus"], q.get("CreationTime"))
                    for q in page.get("Queries", [])
                ]
                token = page.get("NextToken")
                if not token:
                    break
            self.post_message(ServiceQueriesLoaded(screen, queries))
        except Exception as exc:
            self.post_message(ServiceQueriesLoaded(screen, [], explain(exc, conn.profile)))

    def on_service_queries_loaded(self, message: ServiceQueriesLoaded) -> None:
        if message.error:
            self.notify(f"ListQueries: {message.error}", severity="error")
        message.screen.set_service(message.queries)

    def _set_editor(self, sql: str) -> None:
        editor = self.query_one("#editor", SqlEditor)
        editor.replace(sql, (0, 0), editor.document.end)  # undoable with ctrl+z
        editor.focus()

    def action_open_saved(self) -> None:
        queries = saved_queries(self.where.saved_queries) + samples()
        self.push_screen(LibraryScreen(queries), self._library_pick)

    def _library_pick(self, query: QueryFile | None) -> None:
        if query is None:
            return
        store = self.current_store
        if store is None:
            self._set_editor(query.sql)
            return
        start, end = time_window(store.first_event, store.last_event)
        self._set_editor(query.filled(store.id, start, end))

    def action_save_query(self) -> None:
        sql = self.query_one("#editor", SqlEditor).text
        if not sql.strip():
            self.notify("The editor is empty.", severity="warning")
            return
        self.push_screen(
            PromptScreen("Save the query as (a name):", placeholder="failed console logins"),
            lambda name: self._save(name, sql),
        )

    def _save(self, name: str | None, sql: str) -> None:
        if not name or not name.strip():
            return
        try:
            path = save_query(self.where.saved_queries, name, sql)
        except OSError as exc:
            self.notify(f"Could not save: {exc}", severity="error")
            return
        self.notify(f"Saved to {path}")

    def action_copy_sql(self) -> None:
        sql = self.query_one("#editor", SqlEditor).statement
        self.copy_to_clipboard(sql)
        self.notify(f"Copied the SQL ({len(sql):,} characters) to the clipboard.")

    # -- drill-down to the whole event ----------------------------------------------------------------------
    def _drill_down(self, message: ResultGrid.Requested) -> None:
        lower = [c.lower() for c in message.columns]
        if "eventid" not in lower:
            self.notify("Drill-down needs an eventID column in the result.", severity="warning")
            return
        event_id = message.row[lower.index("eventid")]
        run = self.runs.get(self.current_run or -1)
        if not event_id or run is None:
            return
        from trailtui.lake.sqltext import first_table_name

        store = _first_store_id(run.sql) or first_table_name(run.sql) or run.store_id  # or an Athena table
        if store is None:
            self.notify("Cannot tell which store this row came from.", severity="warning")
            return
        where = f"eventID = '{event_id.replace(chr(39), chr(39) * 2)}'"
        if "eventtime" in lower and message.row[lower.index("eventtime")]:
            when = message.row[lower.index("eventtime")] or ""
            bounds = _second_around(when)
            if bounds:
                where += f" AND eventTime >= '{bounds[0]}' AND eventTime <= '{bounds[1]}'"
        sql = f"SELECT eventjson FROM {store} WHERE {where} LIMIT 1"
        self.notify("Fetching the whole event…")
        self._drill_worker(sql, event_id, run.connection_key)

    @work(thread=True, group="drill", exit_on_error=False)
    def _drill_worker(self, sql: str, event_id: str, conn_name: str) -> None:
        from trailtui.lake.run import HistoryRecord, LakeQuery, execute, store_of

        conn = self.connections[conn_name]
        found = _DrillEvents()
        state = execute(
            conn,
            LakeQuery(sql, conn.key, store_of(sql)),
            found,
            record=HistoryRecord(self.history, lambda text: self.post_message(Notice(text, "warning"))),
            backoff=PollBackoff(self.poll.first, self.poll.factor, self.poll.ceiling),
            page_size=1,
        )
        if found.error:
            self.post_message(EventLoaded(event_id, None, found.error))
        elif found.eventjson is None:
            why = (state.error if state else None) or "No event with this eventID was found."
            self.post_message(EventLoaded(event_id, None, why))
        else:
            self.post_message(EventLoaded(event_id, found.eventjson))

    def on_event_loaded(self, message: EventLoaded) -> None:
        if message.error:
            self.notify(f"Event {message.event_id}: {message.error}", severity="error")
            return
        self.push_screen(DetailScreen(f"event {message.event_id}", message.eventjson))

    # -- export ---------------------------------------------------------------------------------------------
    def action_export(self) -> None:
        run = self.runs.get(self.current_run or -1)
        if run is None or not run.query_id or run.status not in READABLE_STATES:
            self.notify("Nothing to export yet: run a query first.", severity="warning")
            return
        default = str(Path.home() / f"trailtui-{run.query_id[:8]}.csv")
        self.push_screen(
            PromptScreen("Export the whole result to (.csv, .json or .jsonl):", default),
            lambda path: self._export(path, run),
        )

    def _export(self, path: str | None, run: RunView) -> None:
        if not path:
            return
        target = Path(path).expanduser()
        fmt = target.suffix.lower().lstrip(".")
        if fmt not in ("csv", "json", "jsonl"):
            self.notify("Name the file .csv, .json or .jsonl to choose the format.", severity="error")
            return
        self.notify(f"Exporting to {target}…")
        self._export_worker(run, target, fmt)

    @work(thread=True, group="export", exit_on_error=False)
    def _export_worker(self, run: RunView, target: Path, fmt: str) -> None:
        from trailtui.lake.export import export_query

        conn = self.connections[run.connection_key]
        try:
            rows = export_query(
                conn.cloudtrail,
                run.query_id or "",
                target,
                fmt,
                progress=lambda n: self.post_message(ExportProgress(str(target), n, False)),
            )
            self.post_message(ExportProgress(str(target), rows, True))
        except Exception as exc:
            self.post_message(ExportProgress(str(target), 0, True, conn.explain(exc)))

    def on_export_progress(self, message: ExportProgress) -> None:
        if message.error:
            self.notify(f"Export to {message.path} failed: {message.error}", severity="error")
        elif message.done:
            self.notify(f"Exported {message.rows:,} rows to {message.path}")
        else:
            self.notify(f"Exporting… {message.rows:,} rows so far", timeout=2)

    # -- importing from the explorer ----------------------------------------------------------------------
    def _import_command(self, arg: str) -> None:
        """`:import PATH|s3://BUCKET[/PREFIX] [--store NAME] [--since D] [--until D] [--accounts ..] [--regions ..]`"""
        import argparse
        import shlex

        parser = argparse.ArgumentParser(prog=":import", add_help=False, exit_on_error=False)
        parser.add_argument("source")
        parser.add_argument("--store", default="trail-logs")
        for opt in ("--since", "--until", "--accounts", "--regions", "--profile", "--region"):
            parser.add_argument(opt)
        try:
            args = parser.parse_args(shlex.split(arg))
        except (argparse.ArgumentError, ValueError, SystemExit) as exc:
            self.notify(f":import: {exc}", severity="error")
            return
        if self.current_conn != LOCAL and args.source.startswith("s3://"):
            StoreCommands(self).lake_import(args.source)  # Lake's own import, into the current store
            return
        if LOCAL not in self.connections:
            self.notify("The local lake is still opening; try again in a moment.", severity="warning")
            return
        self.notify(f"Importing {args.source} into {args.store}…")
        self._import_worker(args)

    @work(thread=True, group="import", exit_on_error=False)
    def _import_worker(self, args: Any) -> None:
        from trailtui.lake.connection import ImportRequest

        last = [0.0]

        def progress(done: int, total: int, added: int) -> None:
            if time.monotonic() - last[0] > 2:
                last[0] = time.monotonic()
                self.post_message(Notice(f"Importing: {done:,}/{total:,} files, {added:,} events added"))

        conn = self.connections[LOCAL]
        request = ImportRequest(
            args.source,
            args.store,
            args.since,
            args.until,
            args.accounts,
            args.regions,
            args.profile,
            args.region,
        )
        try:
            report = conn.import_logs(request, progress)
        except Exception as exc:
            self.post_message(Notice(f"Import failed: {conn.explain(exc)}", "error"))
            return
        rejected = f", {report.rejected} files rejected" if report.rejected else ""
        self.post_message(
            Notice(
                f"Imported {report.events_added:,} events into {report.store_name} "
                f"({report.duplicates:,} duplicates skipped{rejected}).",
                "warning" if report.rejected else "information",
            )
        )
        self._load_stores(LOCAL)

    # -- leaving ------------------------------------------------------------------------------------------
    async def action_quit(self) -> None:
        self.action_quit_app()

    def action_quit_app(self) -> None:
        self._save_editor()
        active = [r for r in self.runs.values() if r.active and r.query_id]
        for run in active:  # running queries on AWS keep billing: cancel them (best effort, briefly)
            conn = self.connections.get(run.connection_key)
            if conn is not None:
                threading.Thread(
                    target=_quiet_cancel, args=(conn.cloudtrail, run.query_id), daemon=True
                ).start()
        self.workers.cancel_all()
        self.exit()

    def on_unmount(self) -> None:
        if self.local_lake is not None:
            with contextlib.suppress(Exception):  # closing on the way out; nothing left to tell
                self.local_lake.close()


def _first_store_id(sql: str) -> str | None:
    from trailtui.tui.sqlhighlight import STORE_ID

    m = STORE_ID.search(sql)
    return m.group().rsplit("/", 1)[-1] if m else None


def _second_around(when: str) -> tuple[str, str] | None:
    """A Lake timestamp, as the one-second window around it (for a bounded drill-down query)."""
    from datetime import datetime, timedelta

    try:
        t = datetime.strptime(when[:19], "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return (
        (t - timedelta(seconds=1)).strftime("%Y-%m-%d %H:%M:%S"),
        (t + timedelta(seconds=2)).strftime("%Y-%m-%d %H:%M:%S"),
    )


class _RunEvents:
    """A run's progress, posted to the UI as typed messages."""

    def __init__(self, post: Any, run_id: int) -> None:
        self.post, self.run_id = post, run_id

    def started(self, query_id: str) -> None:
        self.post(QueryStarted(self.run_id, query_id))

    def state(self, state: Any) -> None:
        self.post(QueryStateChanged(self.run_id, state))

    def page(self, page: Any, done: bool) -> None:
        self.post(ResultsArrived(self.run_id, page, done))

    def failed(self, reason: str) -> None:
        self.post(QueryFailed(self.run_id, reason))

    def warning(self, text: str) -> None:
        self.post(Notice(text, "warning"))


class _DrillEvents:
    eventjson: str | None = None
    error: str | None = None

    def started(self, query_id: str) -> None:
        pass

    def state(self, state: Any) -> None:
        pass

    def page(self, page: Any, done: bool) -> None:
        if page.rows and self.eventjson is None:
            self.eventjson = page.rows[0][0]

    def failed(self, reason: str) -> None:
        self.error = reason

    def warning(self, text: str) -> None:
        pass


def _quiet_cancel(client: Any, query_id: str) -> None:
    with contextlib.suppress(Exception):  # the query may have ended; nothing to do on the way out
        client.cancel_query(QueryId=query_id)


def run_app(where: Locations | None = None, profile: str | None = None, region: str | None = None) -> int:
    TrailApp(where, profile=profile, region=region).run()
    return 0
