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
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from trailtui.lake.backoff import PollBackoff
from trailtui.lake.results import END_STATES
from trailtui.lake.text import sanitize
from trailtui.paths import Locations, locations
from trailtui.tui.detail import DetailScreen
from trailtui.tui.dialogs import CommandLine, ConfirmScreen, HelpScreen
from trailtui.tui.editor import SqlEditor
from trailtui.tui.grid import ResultGrid
from trailtui.tui.keymap import KEYMAP, bindings
from trailtui.tui.messages import (
    LakeReady,
    Notice,
    QueryFailed,
    QueryStarted,
    QueryStateChanged,
    ResultsArrived,
    StoreInfo,
    StoresFailed,
    StoresLoaded,
)
from trailtui.tui.safe import safe_text
from trailtui.tui.status import QueryStatusBar, RunView
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


class TrailApp(App[None]):
    TITLE = "trailtui"
    CSS_PATH = "app.tcss"
    BINDINGS = bindings("app")

    def __init__(
        self,
        where: Locations | None = None,
        local_lake: Any = None,
        aws_stores: bool = True,
        poll: PollBackoff | None = None,
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
        if self.show_aws:
            stores.show_loading("aws", "AWS (default profile)")
            self._load_aws()
        self._update_context()

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
                ensure_demo(lake_file, notify=lambda m: self._post_notice(m))
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
        from trailtui.lake.errors import explain

        conn = self.connections[name]
        try:
            stores = []
            token = None
            while True:
                page = conn.cloudtrail.list_event_data_stores(**({"NextToken": token} if token else {}))
                for item in page.get("EventDataStores", []):
                    arn = item["EventDataStoreArn"]
                    details = conn.cloudtrail.get_event_data_store(EventDataStore=arn)
                    stores.append(StoreInfo(name, arn.rsplit("/", 1)[-1], item.get("Name", ""), arn, details))
                token = page.get("NextToken")
                if not token:
                    break
            if conn.is_local:
                figures = {s.id: s for s in conn.local.engine.stores(max_age=0)}
                for s in stores:
                    rec = figures.get(s.id)
                    if rec is not None:
                        s.event_count, s.first_event, s.last_event = (
                            rec.event_count,
                            rec.first_event,
                            rec.last_event,
                        )
            self.post_message(StoresLoaded(name, stores))
        except Exception as exc:
            self.post_message(StoresFailed(name, explain(exc, conn.profile)))

    @work(thread=True, group="aws", exit_on_error=False)
    def _load_aws(self) -> None:
        from trailtui.connections import open_aws

        try:
            import boto3

            session = boto3.session.Session()
            if session.get_credentials() is None:
                self.post_message(
                    StoresFailed(
                        "aws",
                        "no AWS credentials found\n(aws configure / aws sso login;\n"
                        "the local lake needs none)",
                    )
                )
                return
            self.connections["aws"] = open_aws(None, session.region_name)
        except Exception as exc:
            from trailtui.lake.errors import explain

            self.post_message(StoresFailed("aws", explain(exc)))
            return
        self._load_stores("aws")

    def _connection_label(self, name: str) -> str:
        conn = self.connections.get(name)
        if name == LOCAL:
            return "local lake"
        if conn is None:
            return "AWS (default profile)"
        return f"AWS {conn.name} ({conn.region})"

    def on_lake_ready(self, _: LakeReady) -> None:
        self._update_context()

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

    def on_stores_loaded(self, message: StoresLoaded) -> None:
        pane = self.query_one(StoresPane)
        pane.set_stores(message.connection, self._connection_label(message.connection), message.stores)
        if self.current_store is None and message.connection == LOCAL and message.stores:
            demo = next((s for s in message.stores if s.id == DEMO_STORE_ID), message.stores[0])
            self.current_store = demo
            pane.show_details(demo)
            self._update_context()

    def on_stores_failed(self, message: StoresFailed) -> None:
        self.query_one(StoresPane).set_failed(
            message.connection, self._connection_label(message.connection), message.reason
        )

    @on(StoresPane.StoreChosen)
    def _store_chosen(self, message: StoresPane.StoreChosen) -> None:
        self.current_store = message.store
        self._update_context()
        self.notify(
            f"Queries now run on {message.store.name} ({self._connection_label(message.store.connection)})"
        )

    def _update_context(self) -> None:
        text = Text()
        text.append(" trailtui ", style="bold reverse")
        store = self.current_store
        conn_name = store.connection if store else LOCAL
        conn = self.connections.get(conn_name)
        text.append("  ")
        text.append_text(safe_text(self._connection_label(conn_name), "bold"))
        if conn is not None and conn.is_local:
            text.append(f"  account {conn.local.api.account_id}  {conn.region}", style="")
        if store is not None:
            text.append("  store ")
            text.append_text(safe_text(store.name, "bold cyan"))
        running = sum(1 for r in self.runs.values() if r.active)
        if running:
            text.append(f"  {running} running", style="yellow")
        self.query_one("#context", ContextBar).update(text)

    # -- running queries ----------------------------------------------------------------------------------
    def action_run_query(self) -> None:
        editor = self.query_one("#editor", SqlEditor)
        sql = editor.statement.strip()
        if not sql:
            self.notify("The editor is empty.", severity="warning")
            return
        self._save_editor()
        conn_name = self.current_store.connection if self.current_store else LOCAL
        if conn_name not in self.connections:
            self.notify("The connection is still opening; try again in a moment.", severity="warning")
            return
        if not self.connections[conn_name].is_local:
            from trailtui.lake.sqltext import has_time_bound

            if not has_time_bound(sql):
                question = (
                    "This query has no eventTime bound. On CloudTrail Lake it scans, and bills, every "
                    "event in the store. Run it anyway?"
                )
                self.push_screen(
                    ConfirmScreen(question), lambda yes: self._start(sql, conn_name) if yes else None
                )
                return
        self._start(sql, conn_name)

    def _start(self, sql: str, conn_name: str) -> None:
        run = RunView(self._next_run, sql, self._connection_label(conn_name), conn_name)
        self._next_run += 1
        self.runs[run.run_id] = run
        self.current_run = run.run_id
        grid = self.query_one(ResultGrid)
        grid.clear("Waiting for results…")
        self._show_status()
        self._query_worker(run, conn_name)
        self._update_context()

    @work(thread=True, group="query", exit_on_error=False)
    def _query_worker(self, run: RunView, conn_name: str) -> None:
        from trailtui.lake.errors import explain
        from trailtui.lake.query import QueryRun

        worker = get_current_worker()
        conn = self.connections[conn_name]
        q = QueryRun(conn.cloudtrail, run.sql)
        try:
            query_id = q.start()
            self.post_message(QueryStarted(run.run_id, query_id))
            backoff = PollBackoff(self.poll.first, self.poll.factor, self.poll.ceiling)
            last = None
            cancel_sent = False
            while not worker.is_cancelled:
                if run.cancel_requested and not cancel_sent:
                    cancel_sent = True
                    try:
                        conn.cloudtrail.cancel_query(QueryId=query_id)
                    except Exception as exc:  # the query may have just ended: say so, keep following it
                        self.post_message(Notice(f"Cancel: {explain(exc, conn.profile)}", "warning"))
                state = q.describe()
                if state.status != last:
                    last = state.status
                    backoff.reset()
                    self.post_message(QueryStateChanged(run.run_id, state))
                if state.status in END_STATES:
                    break
                time.sleep(backoff.next_wait())
            if worker.is_cancelled or last not in ("FINISHED", "TIMED_OUT", "CANCELLED"):
                return
            for page in q.pages(PAGE_SIZE, should_stop=lambda: worker.is_cancelled):
                self.post_message(ResultsArrived(run.run_id, page, done=not page.next_token))
        except Exception as exc:
            self.post_message(QueryFailed(run.run_id, explain(exc, conn.profile)))

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
            self.notify("Event drill-down needs an eventID column in the result.", severity="warning")

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


def _quiet_cancel(client: Any, query_id: str) -> None:
    with contextlib.suppress(Exception):  # the query may have ended; nothing to do on the way out
        client.cancel_query(QueryId=query_id)


def run_app(where: Locations | None = None) -> int:
    TrailApp(where).run()
    return 0
