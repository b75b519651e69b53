"""The results grid: renders only the lines on screen, so 100,000 rows scroll as fast as 100.

Textual's DataTable measures and renders every cell it is given (seconds for 100k rows) and parses string
cells as markup; textual-fastdatatable would fix both but brings pyarrow (about 100 MB) for what is a few
hundred lines here. So the grid is ours: rows are kept as lists of strings (in `GridModel`, with the filter,
the sort order and the hidden and pinned columns), a cell is sanitised when its line is drawn, and column
widths come from the header and the first page. DataTable's `fixed_columns` (the first N columns stay) would
not have served anyway: pinning here moves any column to the left and keeps it there while you scroll right.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from trailtui.tui import grid_copy
from trailtui.tui.grid_model import GridModel, Row
from trailtui.tui.keymap import bindings
from trailtui.tui.safe import cell_text, fit
from trailtui.tui.throttle import STREAMING_UPDATES, Throttle

MAX_WIDTH = 48  # a column is never wider than this; the detail view shows the rest
MIN_WIDTH = 4
SAMPLE_ROWS = 500
GAP = 2
ARROWS = {False: "▲", True: "▼"}  # the sort indicator, ascending and descending
PIN_EDGE = "│ "  # drawn after the last pinned column, in place of the gap
NO_MATCH = "  No loaded row matches: / then Esc clears the filter."  # whole at 80x24


@dataclass(frozen=True)
class _Frame:
    """What every line of one frame shares."""

    base: Style
    header: Style
    cursor_row: Style
    odd: Style
    null: Style
    cursor_cell: Style
    width: int
    pin_room: int
    scroll_x: int
    scroll_y: int


class ResultGrid(ScrollView, can_focus=True):
    """Columns as returned (duplicates kept), rows of strings, a cursor cell, a filter, a sort order."""

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
    cursor_col: reactive[int] = reactive(0, always_update=True)  # a position among the columns shown

    class CellChosen(Message):
        def __init__(self, column: str, value: str | None, row: list[str | None], columns: list[str]) -> None:
            super().__init__()
            self.column, self.value, self.row, self.columns = column, value, row, columns

    class Requested(Message):
        """The user asked for something about the cursor's row (open the row, the event, filter...);
        `column` is the cursor's column as an index into `columns` (the query's order)."""

        def __init__(self, what: str, row: list[str | None], columns: list[str], column: int) -> None:
            super().__init__()
            self.what, self.row, self.columns, self.column = what, row, columns, column

    class Changed(Message):
        """Which rows or columns show changed (filter, sort, hide, pin): the panel retitles."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.model = GridModel()
        self.widths: list[int] = []  # by column index
        self._shown: list[int] = []  # column indices in drawing order
        self._offsets: list[int] = []  # x of each shown column: pinned from 0, the others from 0 after them
        self._pinned = 0  # how many of `_shown` are pinned
        self._pin_width = 0
        self.empty_message = "No results yet: ctrl+j (or F5) runs the query."  # whole at 80x24
        self._frame: _Frame | None = None  # set while a frame is drawn
        self._relayout_soon = Throttle(self, STREAMING_UPDATES, self._relayout)
        self._expected = 0  # rows the streaming result holds in all (its TotalResultsCount), 0 once loaded

    # -- what the rest of the explorer reads --------------------------------------------------------------
    @property
    def columns(self) -> list[str]:
        return self.model.columns

    @property
    def rows(self) -> list[Row]:
        return self.model.rows

    @property
    def view(self) -> list[int]:
        return self.model.view

    @property
    def filter_text(self) -> str:
        return self.model.filter_text

    @property
    def shown_columns(self) -> list[str]:
        """Column names in the order drawn (pinned first, hidden ones left out)."""
        return [self.model.columns[i] for i in self._shown]

    @property
    def column_index(self) -> int:
        """The cursor's column, as an index into `columns`."""
        return self._shown[min(self.cursor_col, len(self._shown) - 1)] if self._shown else 0

    # -- data ---------------------------------------------------------------------------------------------
    def clear(self, message: str | None = None) -> None:
        self.model.clear()
        self.widths = []
        self._expected = 0
        if message:
            self.empty_message = message
        self._relayout()  # before the cursor moves: its watchers read the layout
        self.cursor_row = self.cursor_col = 0

    def add_rows(
        self, columns: list[str], rows: list[Row], last: bool = True, expected: int | None = None
    ) -> None:
        """Rows as they arrive; `expected` is how many the result holds, when known.

        A change of the scrollable size lays out the whole screen (Textual's `virtual_size` is a layout
        reactive), which cost more than the rows themselves: for 100,000 rows in 100 pages, a layout per
        page took most of the explorer's time. So while every row shows (no filter), the scrollable height
        is the result's whole size from the first page on: later pages change nothing but the lines they
        fill, and are drawn only if they reach the screen. Otherwise the size follows the rows, updated at
        most every STREAMING_UPDATES seconds while pages stream in, and at once for the first and last."""
        first = not self.model.columns and bool(columns)
        shown_before = len(self.model.view)
        self.model.add_rows(columns, rows)
        self._expected = 0 if last else max(self._expected, expected or 0)
        if first:
            self._measure(rows)
        elif self.virtual_size.height == self._height():
            if shown_before < self.scroll_offset.y + self.size.height:  # new rows reach the screen
                self.refresh()
            return
        self._relayout_soon(now=first or last)

    def _height(self) -> int:
        """The scrollable height: the header and the rows shown, or every row expected while all show."""
        shown = len(self.model.view)
        if shown == len(self.model.rows):
            shown = max(shown, self._expected)
        return shown + 1

    def _measure(self, sample: list[Row]) -> None:
        # Room for the sort indicator beside the name.
        widths = [max(MIN_WIDTH, cell_len(cell_text(c)) + 2) for c in self.model.columns]
        for row in sample[:SAMPLE_ROWS]:
            for i, v in enumerate(row):
                widths[i] = max(widths[i], min(MAX_WIDTH, cell_len(cell_text(v))))
        self.widths = [min(w, MAX_WIDTH) for w in widths]

    def _relayout(self) -> None:
        """Recompute the drawing order and offsets of the columns, and the scrollable size."""
        self._relayout_soon.ran()
        model = self.model
        self._shown = model.shown_columns if self.widths else []
        self._pinned = model.pinned_shown if self._shown else 0
        self._offsets, x = [], 0
        for n, col in enumerate(self._shown):
            if n == self._pinned:
                self._pin_width, x = x, 0
            self._offsets.append(x)
            x += self.widths[col] + GAP
        if self._pinned == len(self._shown):
            self._pin_width, x = x, 0
        self.virtual_size = Size(self._pin_room + x, self._height())
        self.cursor_col = min(self.cursor_col, max(0, len(self._shown) - 1))
        self.refresh()

    @property
    def _pin_room(self) -> int:
        """Columns the pinned ones take: all they need, up to two thirds of the grid (the rest scrolls)."""
        return min(self._pin_width, max(MIN_WIDTH, self._room.width * 2 // 3))

    @property
    def _room(self) -> Size:
        """The cells rows are drawn in: the widget less its scrollbars (`size` counts a horizontal one)."""
        region = self.scrollable_content_region
        return Size(region.width, region.height) if region.width else self.size

    def on_resize(self) -> None:
        self._relayout()

    def _changed(self) -> None:
        self._relayout()
        self.post_message(self.Changed())

    # -- filter -------------------------------------------------------------------------------------------
    def apply_filter(self, text: str) -> int:
        """Show only loaded rows containing `text` (case-insensitive) in any cell; returns the count."""
        self.model.set_filter(text)
        self.cursor_row = 0
        self._relayout()
        self.scroll_to(y=0, animate=False)
        return len(self.model.view)

    def filter_column(self, column: str, value: str | None) -> int:
        """Show only rows whose `column` equals `value` exactly."""
        self.model.filter_column(column, value)
        self.cursor_row = 0
        self._relayout()
        self.scroll_to(y=0, animate=False)
        return len(self.model.view)

    # -- sort, hide, pin ----------------------------------------------------------------------------------
    def action_sort(self) -> None:
        if not self._shown:
            return
        current = self.current_index
        self.model.cycle_sort(self.column_index)
        view = self.model.view
        # The cursor stays on the row it was on (k9s and spreadsheets keep the selection).
        self.cursor_row = view.index(current) if current is not None and current in view else 0
        self._changed()

    def action_hide_column(self) -> None:
        if not self._shown:
            return
        name = self.model.columns[self.column_index]
        current = self.current_index
        if not self.model.hide(self.column_index):
            self.notify("The last column shown stays.", severity="warning")
            return
        self._keep_row(current)  # the filter now leaves the hidden column out: the rows shown may change
        self._changed()
        self.notify(f"Hid {cell_text(name)} (+ shows every column)")

    def action_show_columns(self) -> None:
        current = self.current_index
        if self.model.show_all():
            self._keep_row(current)
            self._changed()

    def _keep_row(self, index: int | None) -> None:
        view = self.model.view
        self.cursor_row = view.index(index) if index is not None and index in view else 0

    def action_pin_column(self) -> None:
        if not self._shown:
            return
        col = self.column_index
        self.model.toggle_pin(col)
        self._changed()
        self.cursor_col = self._shown.index(col)

    # -- cursor -------------------------------------------------------------------------------------------
    @property
    def current_index(self) -> int | None:
        view = self.model.view
        return view[min(self.cursor_row, len(view) - 1)] if view else None

    @property
    def current_row(self) -> Row | None:
        index = self.current_index
        return None if index is None else self.model.rows[index]

    def action_cursor(self, rows: int, cols: int) -> None:
        if not self.model.view:
            return
        self.cursor_row = max(0, min(len(self.model.view) - 1, self.cursor_row + rows))
        self.cursor_col = max(0, min(len(self._shown) - 1, self.cursor_col + cols))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self._room.height - 2), 0)

    def action_first_row(self) -> None:
        self.cursor_row = 0

    def action_last_row(self) -> None:
        self.cursor_row = max(0, len(self.model.view) - 1)

    def action_first_column(self) -> None:
        self.cursor_col = 0

    def action_last_column(self) -> None:
        self.cursor_col = max(0, len(self._shown) - 1)

    def watch_cursor_row(self) -> None:
        self._follow_cursor()
        self.refresh()

    def watch_cursor_col(self) -> None:
        self._follow_cursor()
        self.refresh()

    def _follow_cursor(self) -> None:
        """Scroll just enough to show the cursor's cell below the sticky header, right of the pinned ones."""
        if not self._shown:
            return
        n = min(self.cursor_col, len(self._shown) - 1)
        x, y = self.scroll_offset
        if n >= self._pinned:  # pinned columns never scroll
            room = max(1, self._room.width - self._pin_room)
            left = self._offsets[n]
            right = left + self.widths[self._shown[n]]
            if left < x or right - left > room:  # a column wider than the room shows from its start
                x = left
            elif right > x + room:
                x = right - room
        rows_visible = max(1, self._room.height - 1)
        if self.cursor_row < y:
            y = self.cursor_row
        elif self.cursor_row >= y + rows_visible:
            y = self.cursor_row - rows_visible + 1
        if (x, y) != tuple(self.scroll_offset):
            self.scroll_to(x, y, animate=False)

    def on_click(self, event: object) -> None:
        offset = getattr(event, "offset", None)
        if offset is None or not self.model.view:
            return
        y = offset.y + self.scroll_offset.y - 1
        if y >= 0:
            self.cursor_row = min(y, len(self.model.view) - 1)
        pinned = offset.x < self._pin_room
        x = offset.x if pinned else offset.x - self._pin_room + self.scroll_offset.x
        for n, start in enumerate(self._offsets):
            if (n < self._pinned) == pinned and start <= x < start + self.widths[self._shown[n]] + GAP:
                self.cursor_col = n

    # -- actions on the cursor's row ----------------------------------------------------------------------
    def _request(self, what: str) -> None:
        row = self.current_row
        if row is not None:
            self.post_message(self.Requested(what, row, self.model.columns, self.column_index))

    def action_open_cell(self) -> None:
        row = self.current_row
        if row is not None and self._shown:
            col = self.column_index
            self.post_message(self.CellChosen(self.model.columns[col], row[col], row, self.model.columns))

    def action_open_row(self) -> None:
        self._request("row")

    def action_open_event(self) -> None:
        self._request("event")

    def action_filter(self) -> None:
        """The filter box opens even before the rows arrive: a word typed right behind `/` goes into it
        (and filters the rows as they come) rather than to the grid, where its letters are keys."""
        self.post_message(self.Requested("filter", [], self.model.columns, self.column_index))

    def action_filter_account(self) -> None:
        self._request("account")

    def action_copy_cell(self) -> None:
        self._request("copy_cell")

    def action_copy_row(self) -> None:
        self._request("copy_row")

    def action_copy_row_tsv(self) -> None:
        row = self.current_row
        if row is not None:
            self._copy(grid_copy.row_tsv(self.model.columns, row), "the row (TSV, with its header)")

    def action_copy_column(self) -> None:
        if not self._shown or not self.model.view:
            return
        col, rows = self.column_index, self.model.rows
        values = [rows[i][col] for i in self.model.view]
        name = cell_text(self.model.columns[col])
        self._copy(grid_copy.column_lines(values), f"{len(values):,} values of {name}, one a line")

    def _copy(self, text: str, what: str) -> None:
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied {what} to the clipboard.")

    def row_as_json(self, row: Row) -> str:
        """The row as flat JSON ({"column": value}), values as their natural JSON types where unambiguous."""
        return grid_copy.row_json(self.model.columns, row)

    # -- drawing ------------------------------------------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        # Styles and sizes are looked up once a frame, not once a line (they cost more than a line's cells).
        self._frame = self._make_frame()
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def _make_frame(self) -> _Frame:
        style = self.get_component_rich_style
        base = self.rich_style
        return _Frame(
            base=base,
            header=style("grid--header"),
            cursor_row=base + style("grid--cursor-row"),
            odd=base + style("grid--odd"),
            null=style("grid--null"),
            cursor_cell=style("grid--cursor-cell"),
            width=self.size.width,
            pin_room=self._pin_room,
            scroll_x=self.scroll_offset.x,
            scroll_y=self.scroll_offset.y,
        )

    def render_line(self, y: int) -> Strip:
        frame = self._frame or self._make_frame()
        width, base = frame.width, frame.base
        if not self._shown:
            if y == 1:
                return Strip([Segment(fit("  " + self.empty_message, width), base)])
            return Strip.blank(width, base)
        if y == 0:
            header = frame.header
            return self._join(frame, [(self._header_cell(c), header) for c in self._shown], header)
        index = frame.scroll_y + y - 1
        view = self.model.view
        if index >= len(view):
            if not view and y == 1:  # rows loaded, none kept: say so rather than show a blank grid
                return Strip([Segment(fit(NO_MATCH, width), base)])
            return Strip.blank(width, base)
        row = self.model.rows[view[index]]
        is_cursor = index == self.cursor_row
        row_style = frame.cursor_row if is_cursor else (frame.odd if index % 2 else base)
        null_style = row_style + frame.null
        cells = []
        for n, col in enumerate(self._shown):
            value = row[col] if col < len(row) else None
            style = null_style if value is None else row_style
            if is_cursor and n == self.cursor_col:
                style = row_style + frame.cursor_cell
            cells.append((fit(cell_text(value), self.widths[col]), style))
        return self._join(frame, cells, row_style)

    def _header_cell(self, col: int) -> str:
        name, w = cell_text(self.model.columns[col]), self.widths[col]
        if self.model.sort_column != col:
            return fit(name, w)
        return fit(name, w - 2) + " " + ARROWS[self.model.descending]

    def _join(self, frame: _Frame, cells: list[tuple[str, Style]], style: Style) -> Strip:
        """The pinned cells as they are, then the others scrolled horizontally into the room left."""
        pinned: list[Segment] = []
        rest: list[Segment] = []
        for n, (text, cell_style) in enumerate(cells):
            into = pinned if n < self._pinned else rest
            into.append(Segment(text, cell_style))
            into.append(Segment(PIN_EDGE if n == self._pinned - 1 else " " * GAP, style))
        pin_room, width = frame.pin_room, frame.width
        left = Strip(pinned)
        if left.cell_length > pin_room:  # cut, keeping the edge that tells pinned from scrolled
            left = Strip([*left.crop(0, pin_room - len(PIN_EDGE)), Segment(PIN_EDGE, style)])
        room = width - pin_room
        right = Strip(rest).crop(frame.scroll_x, frame.scroll_x + room)
        return Strip([*left, *right]).extend_cell_length(width, style)
