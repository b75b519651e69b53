"""The main screen's queries beyond running one: the running queries (follow or cancel any of them), the
history and reopening a query by its ID (no new scan), the query library, saving the editor as a named query,
and copying the SQL. Exporting a result is in export.py."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from trailtui.lake.connection import ConnectionKey
from trailtui.lake.library import QueryFile, file_name, samples, save_query, saved_queries, time_window
from trailtui.lake.run import LakeQuery
from trailtui.lake.text import truncate
from trailtui.tui import events, workers
from trailtui.tui.dialogs import PromptScreen
from trailtui.tui.editor import WELCOME_SQL
from trailtui.tui.history import HistoryScreen, Pick, sql_line
from trailtui.tui.library import LibraryScreen
from trailtui.tui.overwrite import then_unless_declined
from trailtui.tui.running import RunningScreen
from trailtui.tui.state import Run
from trailtui.tui.stores import StoresPane

if TYPE_CHECKING:
    from textual.screen import Screen

    from trailtui.lake.backoff import PollBackoff
    from trailtui.lake.history import History
    from trailtui.paths import Locations
    from trailtui.tui.editor import SqlEditor
    from trailtui.tui.results import ResultsPanel
    from trailtui.tui.state import ExplorerState

    _Base = Screen[None]
else:
    _Base = object


class QueriesMixin(_Base):
    if TYPE_CHECKING:  # provided by MainScreen
        state: ExplorerState
        history: History
        where: Locations

        @property
        def editor(self) -> SqlEditor: ...
        @property
        def results(self) -> ResultsPanel: ...
        def post(self, event: object) -> None: ...
        def start_worker(self, fn: Callable[..., None], *args: Any, group: str) -> None: ...
        def set_editor(self, sql: str) -> None: ...
        def stopping_check(self) -> bool: ...
        def _backoff(self, key: ConnectionKey | None = None) -> PollBackoff: ...
        def _show_status(self) -> None: ...
        def _query_described(self, e: events.QueryDescribed) -> None: ...
        def clear_results(self, message: str, keep_filter: bool = False) -> None: ...

    # -- the running queries ------------------------------------------------------------------------------
    def action_cancel_query(self) -> None:
        """ctrl+g: cancel the query that runs; when several run (on any connection), ask which."""
        running = self.state.running()
        if not running:
            self.notify("No query is running.", severity="warning")
        elif len(running) == 1:
            self.cancel_run(running[0])
        else:
            question = f"{len(running)} queries are running: which one to cancel?"
            screen = RunningScreen(self.state.running, self.cancel_run, self.state.current_run, question)
            self.app.push_screen(screen, self.show_run)

    def action_running_queries(self) -> None:
        screen = RunningScreen(self.state.running, self.cancel_run, self.state.current_run)
        self.app.push_screen(screen, self.show_run)

    def cancel_run(self, run: Run) -> None:
        if not run.active or run.cancel_requested:
            return
        run.cancel_requested = True  # the run's worker sends CancelQuery at its next poll
        self._show_status()
        self.notify(f"Cancelling the query {run.query_id or '(starting)'} on {run.label}…")

    def show_run(self, run_id: int | None) -> None:
        """Follow another run in the status line and the results pane (its pages come when it ends)."""
        run = self.state.runs.get(run_id) if run_id is not None else None
        if run is None or run_id == self.state.current_run:
            return
        self.state.current_run = run.run_id
        self.clear_results("Waiting for results…")
        self._show_status()

    # -- history, library, saving -------------------------------------------------------------------------
    def action_history(self) -> None:
        store = self.state.store
        conn = self.state.connections.get(store.connection) if store is not None else None
        service = (lambda: workers.list_service_queries(conn, store)) if conn and store else None
        screen = HistoryScreen(
            self.history,
            self.state.current,
            store.name if store else None,
            service,
            conn.explain if conn else str,
        )
        self.app.push_screen(screen, self._history_pick)

    def _history_pick(self, pick: Pick | None) -> None:
        if pick is None:
            return
        if pick.action == "edit" and pick.sql is not None:
            self.set_editor(pick.sql)
        elif pick.query_id:
            if pick.action == "open" and pick.sql:
                self.show_reopened_sql(pick.sql)  # now: keys typed behind ctrl+o edit this SQL
            self.reopen(pick.query_id, pick.connection, pick.action != "edit", pick.started)

    def reopened_described(self, e: events.QueryDescribed) -> None:
        """DescribeQuery's answer for a reopened query: its SQL (the service's list knows no SQL before)."""
        self._query_described(e)
        if not e.to_editor and e.run_id == self.state.current_run and e.sql.strip():
            self.show_reopened_sql(e.sql)

    def show_reopened_sql(self, sql: str) -> None:
        """The editor shows the SQL of the results reopened (ctrl+o), unless it holds SQL of the user's that
        would be lost: not the welcome query, not a query of the history. That SQL stays, and a notice says
        which query the rows are from (Enter in the history puts it in the editor; ctrl+z undoes either)."""
        text = self.editor.text.strip()
        if text == sql.strip():
            return
        if (
            not text
            or text == WELCOME_SQL.strip()
            or any(e.sql.strip() == text for e in self.history.search(text))
        ):
            self.set_editor(sql)
            return
        self.notify(
            f"These rows are from: {truncate(sql_line(sql), 70)} (the editor keeps your SQL; "
            "Enter in ctrl+r puts this one in it)."
        )

    def reopen(
        self, query_id: str, key: ConnectionKey, results: bool = True, started: float | None = None
    ) -> None:
        """Follow an earlier query by its ID (`started`: when it started, epoch seconds, if known)."""
        conn = self.state.connections.get(key)
        if conn is None:
            self.notify(f"The connection {key.label} is not open; switch to it first.", severity="warning")
            return
        following = next((r for r in self.state.running() if r.query_id == query_id and r.key == key), None)
        if following is not None:  # still running here: follow that run (its clock, counted once)
            if results:
                self.show_run(following.run_id)
            elif following.sql:
                self.set_editor(following.sql)
            return
        run = self.state.new_run("", key, make_current=results)
        run.query_id, run.reopened = query_id, True
        if started is not None:  # its clock runs from when it started, not from now
            run.started -= max(0.0, time.time() - started)
        if results:
            self.clear_results("Loading the earlier results…")
            self._show_status()
        query = LakeQuery("", key, run.store_id, query_id)
        self.start_worker(
            workers.reopen_run,
            conn,
            query,
            run.run_id,
            self.post,
            self.history,
            self._backoff(key),
            self.stopping_check,
            lambda: run.cancel_requested,
            results,
            group="query",
        )

    def action_open_saved(self) -> None:
        queries = saved_queries(self.where.saved_queries) + samples()
        self.app.push_screen(LibraryScreen(queries), self._library_pick)

    def _library_pick(self, query: QueryFile | None) -> None:
        if query is None:
            return
        store = self.state.store
        if store is None:
            self.set_editor(query.sql)
            return
        start, end = time_window(store.first_event, store.last_event)
        self.set_editor(query.filled(store.id, start, end))
        if store.connection.is_local and self.query_one(StoresPane).building:
            self.notify(
                "Demo still being built: the sample covers the days built so far (pick it again when ready).",
                severity="warning",
            )

    def action_save_query(self) -> None:
        sql = self.editor.text
        if not sql.strip():
            self.notify("The editor is empty.", severity="warning")
            return
        prompt = PromptScreen("Save the query as (a name):", placeholder="failed console logins")
        self.app.push_screen(prompt, lambda name: self._save(name, sql))

    def _save(self, name: str | None, sql: str) -> None:
        if not name or not name.strip():
            return
        target = self.where.saved_queries / file_name(name)
        then_unless_declined(self, target, lambda: self._write_saved(name, sql))

    def _write_saved(self, name: str, sql: str) -> None:
        try:
            path = save_query(self.where.saved_queries, name, sql)
        except OSError as exc:
            self.notify(f"Could not save: {exc}", severity="error")
            return
        self.notify(f"Saved to {path}")

    def action_copy_sql(self) -> None:
        sql = self.editor.statement
        self.app.copy_to_clipboard(sql)
        self.notify(f"Copied the SQL ({len(sql):,} characters) to the clipboard.")
