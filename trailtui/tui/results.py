"""The results panel: the grid, its filter box and its title ("Results  N of M loaded"), as one widget.

It handles its own filter (`/`, Enter keeps it, Esc clears it) and account filter (`a`); requests it cannot
answer alone (open a row or an event, copy) bubble up as `ResultGrid.Requested`.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Key
from textual.widgets import Input

from trailtui.tui.grid import ResultGrid
from trailtui.tui.safe import cell_text
from trailtui.tui.throttle import STREAMING_UPDATES, Throttle
from trailtui.units import rows


class ResultsPanel(Vertical):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.loaded = 0
        self.total: int | None = None
        self.account: str | None = None  # the account filter (`a`), shown in the title while applied
        self.border_title = "Results"
        self._retitle_soon = Throttle(self, STREAMING_UPDATES, self._retitle)

    def compose(self) -> ComposeResult:
        yield ResultGrid(id="grid")
        yield Input(placeholder="filter loaded rows (Enter: keep, Esc: clear)", id="filter")

    def on_mount(self) -> None:
        self.filter_box.display = False

    @property
    def grid(self) -> ResultGrid:
        return self.query_one(ResultGrid)

    @property
    def filter_box(self) -> Input:
        return self.query_one("#filter", Input)

    # -- what the screen tells it -------------------------------------------------------------------------
    def clear(self, message: str, keep_filter: bool = False) -> None:
        """A new query (or none): no rows, no counts of the previous one, no filter box left unapplied;
        with `keep_filter`, a filter typed for this query's rows stays (typed while its connection opened)."""
        self.grid.clear(message)
        self.loaded, self.total, self.account = 0, None, None
        self.border_title = "Results"
        self._retitle_soon.ran()  # an update still due for the previous run's pages would draw '0 of 0'
        if keep_filter and self.filter_box.display:
            self.grid.apply_filter(self.filter_box.value)  # the grid's own filter went with its rows
        elif self.filter_box.display or self.filter_box.value:
            if self.filter_box.has_focus:
                self.grid.focus()
            self._drop_filter_box()

    def add_page(
        self,
        columns: list[str],
        rows: list[list[str | None]],
        loaded: int,
        total: int | None,
        done: bool = True,
        now: bool = True,
    ) -> None:
        """A page of the current run's results (`loaded` counts this page; `done`: the last page). With `now`
        False (a page between the first and the last), the counts are updated with the next few pages."""
        if not columns and loaded == 0:
            self.grid.clear("The query returned no rows.")
        else:
            self.grid.add_rows(columns, rows, last=done, expected=total)
        self.show_counts(loaded, total, now)

    def show_counts(self, loaded: int, total: int | None, now: bool = True) -> None:
        self.loaded, self.total = loaded, total
        self._retitle_soon(now)

    def _retitle(self) -> None:
        self._retitle_soon.ran()
        grid = self.grid
        shown = len(grid.view)
        title = f"Results  {self.loaded:,} of {self.total or 0:,} loaded"
        if self.account is not None:
            title += f"  account {cell_text(self.account)}: {shown:,} shown"
        elif grid.filter_text or shown != len(grid.rows):
            title += f"  ({shown:,} shown by the filter)"
        hidden = len(grid.model.hidden)
        if hidden:
            title += f"  {hidden} column{'s' if hidden > 1 else ''} hidden (+ shows)"
        self.border_title = Text(
            title
        )  # a Text: a str would be read as markup, and the account is event data

    @on(ResultGrid.Changed)
    def _grid_changed(self, event: ResultGrid.Changed) -> None:
        event.stop()
        self._retitle()

    # -- its own behaviour --------------------------------------------------------------------------------
    @on(ResultGrid.Requested)
    def _request(self, message: ResultGrid.Requested) -> None:
        if message.what == "filter":
            message.stop()
            self.filter_box.display = True
            self.filter_box.focus()
        elif message.what == "account":
            message.stop()
            self._filter_account(message)

    def _drop_filter_box(self) -> None:
        box = self.filter_box
        with box.prevent(Input.Changed):  # emptied, not a new (empty) filter to apply
            box.value = ""
        box.display = False

    def _filter_account(self, message: ResultGrid.Requested) -> None:
        cols = [i for i, c in enumerate(message.columns) if c.lower() == "recipientaccountid"]
        if not cols:
            self.notify("This result has no recipientAccountId column.", severity="warning")
            return
        account = message.row[cols[0]]
        shown = self.grid.filter_column("recipientAccountId", account)
        self._drop_filter_box()  # the account filter replaces the text one: no box left with unapplied text
        self.account = account or "null"
        self.notify(f"{rows(shown)} of account {account or 'null'} (/ then Esc clears)")
        self._retitle()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.grid.apply_filter(event.value)
        self.account = None  # a text filter replaces the account filter
        self._retitle()

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.grid.focus()

    def on_key(self, event: Key) -> None:
        box = self.filter_box
        if event.key == "escape" and box.has_focus:
            box.value = ""
            box.display = False
            self.grid.apply_filter("")
            self.account = None
            self._retitle()
            self.grid.focus()
            event.stop()
