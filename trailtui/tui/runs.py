"""The main screen's query runs: starting the editor's statement (asking first when it would bill an
unbounded scan), following each run's events, the status line, and the error panel that shows a failed
query's whole message in place of the results."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from trailtui.lake.backoff import LOCAL_POLL_CEILING, PollBackoff
from trailtui.lake.connection import ConnectionKey
from trailtui.lake.delivered import Delivery
from trailtui.lake.run import LakeQuery, store_of
from trailtui.tui import events, workers
from trailtui.tui.cost import store_named, unbounded_question
from trailtui.tui.dialogs import ConfirmScreen
from trailtui.tui.errorpanel import ErrorPanel
from trailtui.tui.state import Run, WaitingQuery
from trailtui.tui.status import QueryStatusBar
from trailtui.tui.stores import StoresPane

if TYPE_CHECKING:
    import threading
    from collections.abc import Callable

    from textual.screen import Screen

    from trailtui.lake.history import History
    from trailtui.tui.editor import SqlEditor
    from trailtui.tui.results import ResultsPanel
    from trailtui.tui.state import ExplorerState

    _Base = Screen[None]
else:
    _Base = object


class RunsMixin(_Base):
    if TYPE_CHECKING:  # provided by MainScreen
        state: ExplorerState
        history: History
        poll: PollBackoff
        stopping: threading.Event

        @property
        def editor(self) -> SqlEditor: ...
        @property
        def results(self) -> ResultsPanel: ...
        def post(self, event: object) -> None: ...
        def start_worker(self, fn: Callable[..., None], *args: Any, group: str) -> None: ...
        def set_editor(self, sql: str) -> None: ...
        def save_editor(self) -> None: ...
        def update_context(self) -> None: ...
        def delivery_for(self, key: ConnectionKey) -> str | None: ...

    # -- running queries ----------------------------------------------------------------------------------
    def action_run_query(self) -> None:
        sql, origin = self._statement()
        self._run(sql, origin)

    def run_waiting(self) -> None:
        """The connection a query was asked for on has opened: run the statement as it was at that ctrl+j,
        keeping a filter typed since for its rows (the results pane was cleared at the ctrl+j)."""
        waiting = self.state.run_when_open
        if waiting is not None:
            self._run(waiting.sql, waiting.origin, keep_filter=True)

    def _run(self, sql: str, origin: tuple[int, int], keep_filter: bool = False) -> None:
        if not sql:
            self.notify("The editor is empty.", severity="warning")
            return
        self.save_editor()
        key = self.state.current
        conn = self.state.connections.get(key)
        if conn is None and key in self.state.failed:
            self.notify(
                f"The query was not run: {key.label} did not open (see the stores pane).", severity="error"
            )
            return
        if conn is None:
            self.state.run_when_open = WaitingQuery(key, sql, origin)
            what = "The local lake" if key.is_local else "The connection"
            self.clear_results(f"{what} is still opening; the query runs as soon as it is ready.")
            self.notify(f"{what} is still opening; the query runs as soon as it is ready.")
            return
        self.state.run_when_open = None
        if conn.bills_scans:
            from trailtui.lake.sqltext import has_time_bound

            if not has_time_bound(sql):
                question = unbounded_question(self.state, key, store_named(self.state, sql), "This query")
                self.app.push_screen(
                    ConfirmScreen(question),
                    lambda yes: self._start(sql, key, origin, keep_filter) if yes else None,
                )
                return
        self._start(sql, key, origin, keep_filter)

    def stopping_check(self) -> bool:
        return self.stopping.is_set()

    def _backoff(self, key: ConnectionKey | None = None) -> PollBackoff:
        """The polling of a query on `key`: the explorer's; on the local lake, never more than
        LOCAL_POLL_CEILING apart (a DescribeQuery there is a call in this process, about 2 ms, with no
        request quota; with AWS's 2 s ceiling a query done after 0.9 s would show its rows at 1.3 s)."""
        ceiling = self.poll.ceiling
        if key is not None and key.is_local:
            ceiling = min(ceiling, LOCAL_POLL_CEILING)
        return PollBackoff(self.poll.first, self.poll.factor, ceiling)

    def _statement(self) -> tuple[str, tuple[int, int]]:
        """The statement to run (the selection, or the whole editor) without the blank space around it,
        and where it starts in the editor (0-based line, column): error positions are the statement's."""
        editor = self.editor
        raw = editor.statement
        line, column = (
            min(editor.selection.start, editor.selection.end) if editor.selected_text.strip() else (0, 0)
        )
        stripped = raw.lstrip()
        for char in raw[: len(raw) - len(stripped)]:
            line, column = (line + 1, 0) if char == "\n" else (line, column + 1)
        return stripped.rstrip(), (line, column)

    def _start(
        self, sql: str, key: ConnectionKey, origin: tuple[int, int] = (0, 0), keep_filter: bool = False
    ) -> None:
        conn = self.state.connections[key]
        if key.is_local and self.query_one(StoresPane).building:
            # A query on the first run's demo before it is whole answers for the days built so far only.
            self.notify(
                "Demo still being built: this query reads the days built so far (run it again when ready).",
                severity="warning",
            )
        run = self.state.new_run(sql, key)
        run.origin = origin
        self.clear_results("Waiting for results…", keep_filter)
        self._show_status()
        uri = self.delivery_for(key)  # `:deliver` (export.py)
        if uri:
            run.delivery = Delivery("PENDING", uri)
        query = LakeQuery(sql, key, store_of(sql, run.store_id), delivery_uri=uri)
        self.start_worker(
            workers.follow_run,
            conn,
            query,
            run.run_id,
            self.post,
            self.history,
            self._backoff(key),
            self.stopping_check,
            lambda: run.cancel_requested,
            group="query",
        )
        self.update_context()

    def _query_started(self, e: events.QueryStarted) -> None:
        self.state.runs[e.run_id].query_id = e.query_id
        self._show_status()

    def _query_described(self, e: events.QueryDescribed) -> None:
        run = self.state.runs[e.run_id]
        run.sql = e.sql
        if e.to_editor:  # only its SQL was wanted: nothing more runs
            run.described_only()
            self.set_editor(e.sql)

    def _query_state_changed(self, e: events.QueryStateChanged) -> None:
        run = self.state.runs[e.run_id]
        was_active = run.active
        run.state_changed(e.state)
        if (
            was_active
            and not run.active
            and e.state.status != "FINISHED"
            and e.run_id == self.state.current_run
        ):
            ended = e.state.status
            if e.state.error:
                self.show_error(f"The query ended {ended}:", e.state.error, run)
            else:
                cancelled = "The query was cancelled before it returned any rows."
                self.clear_results(cancelled if ended == "CANCELLED" else f"The query ended {ended}.")
        self._show_status()
        self.update_context()

    def _results_arrived(self, e: events.ResultsArrived) -> None:
        run = self.state.runs[e.run_id]
        run.page_arrived(e.page, e.done)
        now = e.done or run.loaded == len(e.page.rows)  # the first and the last page show at once
        if e.run_id == self.state.current_run and run.status == "CANCELLED" and not run.loaded:
            self.clear_results("The query was cancelled before it returned any rows.")
        elif e.run_id == self.state.current_run:
            self.results.add_page(e.page.columns, e.page.rows, run.loaded, run.total, e.done, now)
        self._show_status(now)

    def _query_failed(self, e: events.QueryFailed) -> None:
        run = self.state.runs[e.run_id]
        run.failed(e.reason)
        if e.run_id == self.state.current_run:
            self.show_error("The query could not run:", e.reason, run)
        self._show_status()
        self.update_context()

    def _show_status(self, now: bool = True) -> None:
        self.query_one(QueryStatusBar).show(self.state.run, self.state.others_running(), now)

    # -- the error panel, in place of the results ----------------------------------------------------------
    def show_error(self, title: str, message: str, run: Run | None = None) -> None:
        """The whole message, wrapped, where the results would be (the status line has room for one line)."""
        panel = self.query_one(ErrorPanel)
        panel.show(title, message, run.sql if run else None, run.origin if run else (0, 0))
        if self.results.has_focus_within:
            panel.focus()
        self.add_class("-error-shown")

    def clear_results(self, message: str, keep_filter: bool = False) -> None:
        """A new state of the results pane: no error panel, no rows, `message` in their place (and the
        filter box kept with `keep_filter`)."""
        if self.has_class("-error-shown"):
            if self.query_one(ErrorPanel).has_focus:
                self.results.grid.focus()
            self.remove_class("-error-shown")
        self.results.clear(message, keep_filter)
