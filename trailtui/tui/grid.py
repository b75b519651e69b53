"""The results grid: renders only the lines on screen, so 100,000 rows scroll as fast as 100.

Textual's DataTable measures and renders every cell it is given (seconds for 100k rows) and parses string
cells as markup; textual-fastdatatable would fix both but brings pyarrow (about 100 MB) for what is a few
hundred lines here. So the grid is ours: rows are kept as lists of strings, a cell is sanitised when its
line is drawn, column widths come from the header and the first page, and filters keep a list of indices.
"""

from __future__ import annotations

import json
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from trailtui.tui.keymap import bindings
from trailtui.tui.safe import cell_text, fit

MAX_WIDTH = 48  # a column is never wider than this; the detail view shows the rest
MIN_WIDTH = 4
SAMPLE_ROWS = 500
GAP = 2


class ResultGrid(ScrollView, can_focus=True):
    """Columns as returned (duplicates kept), rows of strings, a cursor cell, and a filter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1, 0)", show=False),
        Binding("down", "cursor(1, 0)", show=False),
        Binding("left", "cursor(0, -1)", show=False),
        Binding("right", "cursor(0, 1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        *bindings("grid"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "grid--header",
        "grid--cursor-row",
        "grid--cursor-cell",
        "grid--null",
        "grid--odd",
    }
    DEFAULT_CSS = """
    ResultGrid { background: $surface; }
    ResultGrid > .grid--header { text-style: bold; background: $primary-darken-2; color: $text; }
    ResultGrid > .grid--cursor-row { background: $boost; }
    ResultGrid > .grid--cursor-cell { background: $accent; color: $text; text-style: bold; }
    ResultGrid:blur > .grid--cursor-cell { background: $primary-darken-1; }
    ResultGrid > .grid--null { color: $text-muted; text-style: italic; }
    ResultGrid > .grid--odd { background: $surface-lighten-1; }
    """

    cursor_row: reactive[int] = reactive(0, always_update=True)
    cursor_col: reactive[int] = reactive(0, always_update=True)

    class CellChosen(Message):
        def __init__(self, column: str, value: str | None, row: list[str | None], columns: list[str]) -> None:
            super().__init__()
            self.column, self.value, self.row, self.columns = column, value, row, columns

    class Requested(Message):
        """The user asked for something about the cursor's row (open the row, the event, filter...)."""

        def __init__(self, what: str, row: list[str | None], columns: list[str], column: int) -> None:
            super().__init__()
            self.what, self.row, self.columns, self.column = what, row, columns, column

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.columns: list[str] = []
        self.rows: list[list[str | None]] = []
        self.view: list[int] = []  # indices of the rows shown (all, or those matching the filter)
        self.widths: list[int] = []
        self._offsets: list[int] = []
        self.filter_text = ""
        self.empty_message = "No results yet. Write a query and press ctrl+j (or F5)."

    # -- data ---------------------------------------------------------------------------------------------
    def clear(self, message: str | None = None) -> None:
        self.columns, self.rows, self.view, self.widths, self._offsets = [], [], [], [], []
        self.filter_text = ""
        if message:
            self.empty_message = message
        self.cursor_row = self.cursor_col = 0
        self._resize()

    def add_rows(self, columns: list[str], rows: list[list[str | None]]) -> None:
        if not self.columns and columns:
            self.columns = list(columns)
            self._measure(rows)
        start = len(self.rows)
        self.rows.extend(rows)
        if self.filter_text:
            self.view.extend(i for i in range(start, len(self.rows)) if self._matches(self.rows[i]))
        else:
            self.view.extend(range(start, len(self.rows)))
        self._resize()

    def _measure(self, sample: list[list[str | None]]) -> None:
        widths = [max(MIN_WIDTH, cell_len(cell_text(c))) for c in self.columns]
        for row in sample[:SAMPLE_ROWS]:
            for i, v in enumerate(row):
                widths[i] = max(widths[i], min(MAX_WIDTH, cell_len(cell_text(v))))
        self.widths = [min(w, MAX_WIDTH) for w in widths]
        self._offsets = []
        x = 0
        for w in self.widths:
            self._offsets.append(x)
            x += w + GAP

    def _resize(self) -> None:
        width = sum(self.widths) + GAP * len(self.widths)
        self.virtual_size = Size(width, len(self.view) + 1)
        self.refresh()

    # -- filter -------------------------------------------------------------------------------------------
    def _matches(self, row: list[str | None]) -> bool:
        needle = self.filter_text
        return any(v is not None and needle in v.lower() for v in row)

    def apply_filter(self, text: str) -> int:
        """Show only loaded rows containing `text` (case-insensitive) in any cell; returns the count."""
        self.filter_text = text.lower()
        if self.filter_text:
            self.view = [i for i, row in enumerate(self.rows) if self._matches(row)]
        else:
            self.view = list(range(len(self.rows)))
        self.cursor_row = 0
        self._resize()
        self.scroll_to(y=0, animate=False)
        return len(self.view)

    def filter_column(self, column: str, value: str | None) -> int:
        """Show only rows whose `column` equals `value` exactly."""
        idx = [i for i, c in enumerate(self.columns) if c.lower() == column.lower()]
        self.filter_text = ""
        self.view = [i for i, row in enumerate(self.rows) if any(row[j] == value for j in idx)]
        self.cursor_row = 0
        self._resize()
        self.scroll_to(y=0, animate=False)
        return len(self.view)

    # -- cursor -------------------------------------------------------------------------------------------
    @property
    def current_row(self) -> list[str | None] | None:
        if not self.view:
            return None
        return self.rows[self.view[min(self.cursor_row, len(self.view) - 1)]]

    def action_cursor(self, rows: int, cols: int) -> None:
        if not self.view:
            return
        self.cursor_row = max(0, min(len(self.view) - 1, self.cursor_row + rows))
        self.cursor_col = max(0, min(len(self.columns) - 1, self.cursor_col + cols))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self.size.height - 2), 0)

    def action_first_row(self) -> None:
        self.cursor_row = 0

    def action_last_row(self) -> None:
        self.cursor_row = max(0, len(self.view) - 1)

    def watch_cursor_row(self) -> None:
        self._follow_cursor()
        self.refresh()

    def watch_cursor_col(self) -> None:
        self._follow_cursor()
        self.refresh()

    def _follow_cursor(self) -> None:
        """Scroll just enough to show the cursor's cell below the sticky header."""
        if not self.widths:
            return
        col = min(self.cursor_col, len(self.widths) - 1)
        x, y = self.scroll_offset
        left, right = self._offsets[col], self._offsets[col] + self.widths[col]
        if left < x:
            x = left
        elif right > x + self.size.width:
            x = right - self.size.width
        rows_visible = max(1, self.size.height - 1)
        if self.cursor_row < y:
            y = self.cursor_row
        elif self.cursor_row >= y + rows_visible:
            y = self.cursor_row - rows_visible + 1
        if (x, y) != tuple(self.scroll_offset):
            self.scroll_to(x, y, animate=False)

    def on_click(self, event: object) -> None:
        offset = getattr(event, "offset", None)
        if offset is None or not self.view:
            return
        y = offset.y + self.scroll_offset.y - 1
        x = offset.x + self.scroll_offset.x
        if y >= 0:
            self.cursor_row = min(y, len(self.view) - 1)
        for i, start in enumerate(self._offsets):
            if start <= x < start + self.widths[i] + GAP:
                self.cursor_col = i

    # -- actions on the cursor's row ----------------------------------------------------------------------
    def _request(self, what: str) -> None:
        row = self.current_row
        if row is not None:
            self.post_message(self.Requested(what, row, self.columns, self.cursor_col))

    def action_open_cell(self) -> None:
        row = self.current_row
        if row is not None and self.columns:
            col = min(self.cursor_col, len(self.columns) - 1)
            self.post_message(self.CellChosen(self.columns[col], row[col], row, self.columns))

    def action_open_row(self) -> None:
        self._request("row")

    def action_open_event(self) -> None:
        self._request("event")

    def action_filter(self) -> None:
        self._request("filter")

    def action_filter_account(self) -> None:
        self._request("account")

    def action_copy_cell(self) -> None:
        self._request("copy_cell")

    def action_copy_row(self) -> None:
        self._request("copy_row")

    def row_as_json(self, row: list[str | None]) -> str:
        return json.dumps([{c: v} for c, v in zip(self.columns, row, strict=True)], ensure_ascii=False)

    # -- drawing ------------------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        base = self.rich_style
        if not self.columns:
            if y == 1:
                return Strip([Segment(fit("  " + self.empty_message, width), base)])
            return Strip.blank(width, base)
        if y == 0:
            header = self.get_component_rich_style("grid--header")
            segs = [
                Segment(fit(cell_text(c), w) + " " * GAP, header)
                for c, w in zip(self.columns, self.widths, strict=True)
            ]
            return self._finish(segs, scroll_x, width, header)
        index = scroll_y + y - 1
        if index >= len(self.view):
            return Strip.blank(width, base)
        row = self.rows[self.view[index]]
        is_cursor = index == self.cursor_row
        row_style = (
            base + self.get_component_rich_style("grid--cursor-row")
            if is_cursor
            else (base + self.get_component_rich_style("grid--odd") if index % 2 else base)
        )
        null_style = self.get_component_rich_style("grid--null")
        cursor_style = self.get_component_rich_style("grid--cursor-cell")
        segs = []
        for i, (value, w) in enumerate(zip(row, self.widths, strict=False)):
            style = row_style
            if value is None:
                style = row_style + null_style
            if is_cursor and i == self.cursor_col:
                style = row_style + cursor_style
            segs.append(Segment(fit(cell_text(value), w), style))
            segs.append(Segment(" " * GAP, row_style))
        return self._finish(segs, scroll_x, width, row_style)

    @staticmethod
    def _finish(segs: list[Segment], scroll_x: int, width: int, style: Style) -> Strip:
        strip = Strip(segs)
        return strip.crop(scroll_x, scroll_x + width).extend_cell_length(width, style)
