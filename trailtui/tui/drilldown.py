"""The main screen's drill-down: `e` on a result row opens its whole event (eventjson, by eventID). The
query is planned in drill.py; on a connection that bills scans, an unbounded one is asked about first,
naming who would pay (cost.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from trailtui.lake.connection import ConnectionKey
from trailtui.lake.run import LakeQuery, store_of
from trailtui.tui import events, workers
from trailtui.tui.cost import store_named, unbounded_question
from trailtui.tui.detail import DetailScreen
from trailtui.tui.dialogs import ConfirmScreen
from trailtui.tui.drill import DrillPlan, drill_down_sql
from trailtui.tui.grid import ResultGrid

if TYPE_CHECKING:
    from textual.screen import Screen

    from trailtui.lake.backoff import PollBackoff
    from trailtui.lake.history import History
    from trailtui.tui.state import ExplorerState

    _Base = Screen[None]
else:
    _Base = object


class DrillDownMixin(_Base):
    if TYPE_CHECKING:  # provided by MainScreen
        state: ExplorerState
        history: History

        def post(self, event: object) -> None: ...
        def start_worker(self, fn: Callable[..., None], *args: Any, group: str) -> None: ...
        def _backoff(self, key: ConnectionKey | None = None) -> PollBackoff: ...

    def _drill_down(self, message: ResultGrid.Requested) -> None:
        run = self.state.run
        if run is None:
            return
        plan = drill_down_sql(message.columns, message.row, run.sql, run.store_id)
        if isinstance(plan, str):
            if plan:
                self.notify(plan, severity="warning")
            return
        conn = self.state.connections[run.key]
        if not plan.bounded and conn.bills_scans:
            what = "The drill-down (the row has no eventTime, the query no eventTime bound)"
            question = unbounded_question(self.state, run.key, store_named(self.state, plan.sql), what)
            self.app.push_screen(
                ConfirmScreen(question), lambda yes: self._fetch_event(plan, run.key) if yes else None
            )
            return
        self._fetch_event(plan, run.key)

    def _fetch_event(self, plan: DrillPlan, key: ConnectionKey) -> None:
        conn = self.state.connections[key]
        self.notify("Fetching the whole event…")
        query = LakeQuery(plan.sql, key, store_of(plan.sql))
        self.start_worker(
            workers.drill_down,
            conn,
            query,
            plan.event_id,
            self.post,
            self.history,
            self._backoff(key),
            group="drill",
        )

    def _event_loaded(self, e: events.EventLoaded) -> None:
        if e.error:
            self.notify(f"Event {e.event_id}: {e.error}", severity="error")
            return
        self.app.push_screen(DetailScreen(f"event {e.event_id}", e.eventjson))
