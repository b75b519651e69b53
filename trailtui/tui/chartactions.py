"""The main screen's chart and editor-tool actions (keys in keymap.py): the chart of the grid's rows, the
time-range picker, formatting and soft wrap. A mixin of MainScreen, kept here so main.py stays wiring."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trailtui.tui.chart import choose_chart
from trailtui.tui.chartscreen import ChartScreen
from trailtui.tui.sqlformat import CannotFormat, format_sql
from trailtui.tui.timepicker import TimeRangeScreen
from trailtui.tui.timerange import TimeRange, Unboundable, set_time_range

if TYPE_CHECKING:
    from textual.screen import Screen

    from trailtui.tui.editor import SqlEditor
    from trailtui.tui.results import ResultsPanel

    _Base = Screen[None]
else:
    _Base = object


class ChartsMixin(_Base):
    if TYPE_CHECKING:  # provided by MainScreen

        @property
        def editor(self) -> SqlEditor: ...
        @property
        def results(self) -> ResultsPanel: ...

    def action_chart(self) -> None:
        grid = self.results.grid
        rows = [grid.rows[i] for i in grid.view]
        plan = choose_chart(grid.columns, rows, grid.column_index)  # cursor_col counts shown columns
        if isinstance(plan, str):
            self.notify(plan, severity="warning")
            return
        shown = len(rows) if len(rows) != len(grid.rows) else self.results.loaded
        self.app.push_screen(ChartScreen(grid.columns, rows, plan, shown, self.results.total))

    def action_time_range(self) -> None:
        self.app.push_screen(TimeRangeScreen(), self._apply_time_range)

    def _editor_statement(self) -> tuple[str, bool]:
        """The statement the editor tools work on: the selection if there is one, else the whole text."""
        selected = self.editor.selected_text
        return (selected, True) if selected.strip() else (self.editor.text, False)

    def _replace_statement(self, new: str, selection: bool) -> None:
        """Put the rewritten statement in place (one undo step, ctrl+z) with the cursor at its start, so the
        statement shows from its first line and column, not scrolled to where the cursor was."""
        editor = self.editor
        if selection:
            start, end = sorted((editor.selection.start, editor.selection.end))
        else:
            start, end = (0, 0), editor.document.end
        editor.replace(new, start, end)
        editor.move_cursor(start)
        editor.scroll_to(x=0, animate=False)
        editor.focus()

    def _apply_time_range(self, chosen: TimeRange | None) -> None:
        if chosen is None:
            return
        sql, selection = self._editor_statement()
        try:
            bounded = set_time_range(sql, chosen)
        except Unboundable as exc:
            self.notify(f"No time range set: {exc}", severity="error")
            return
        if bounded != sql:
            self._replace_statement(bounded, selection)
        self.notify(f"eventTime bound: {chosen.condition()}")

    def action_format_sql(self) -> None:
        sql, selection = self._editor_statement()
        try:
            formatted = format_sql(sql)
        except CannotFormat as exc:
            self.notify(str(exc), severity="error")
            return
        if formatted != sql:
            self._replace_statement(formatted, selection)

    def action_toggle_wrap(self) -> None:
        on = self.editor.toggle_wrap()
        self.notify("Soft wrap on: long lines wrap in the editor." if on else "Soft wrap off.")
