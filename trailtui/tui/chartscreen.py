"""The chart screen (key `v` in the grid, "Chart" in the palette): a time histogram or the bars of an
aggregate, of the rows loaded in the grid, drawn to the terminal's size (chart.py draws)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static
from textual.widgets._toast import ToastRack

from trailtui.tui.chart import (
    Bars,
    BarsPlan,
    Histogram,
    TimePlan,
    bars,
    histogram_of,
    histogram_summary,
    max_buckets_for,
    render_bars,
    render_histogram,
    seconds_of,
)
from trailtui.tui.safe import cell_text
from trailtui.units import rows


class BucketMoved(Message):
    """The histogram's selected bucket changed."""


class HistogramView(Widget, can_focus=True):
    """The columns of a histogram, drawn for the widget's size; ←/→ select a bucket."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "move(-1)", "Earlier", show=False),
        Binding("right,l", "move(1)", "Later", show=False),
        Binding("home", "move(-1000000)", "First", show=False),
        Binding("end", "move(1000000)", "Last", show=False),
    ]
    DEFAULT_CSS = "HistogramView { height: 1fr; }"

    selected: reactive[int] = reactive(-1)

    def __init__(self, column: str, values: list[str | None], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.column = column
        self.rows = len(values)
        self.seconds = seconds_of(values)  # parsed once: ←/→ and resizes only count again
        self.hist: Histogram | None = None
        self._width = -1

    def histogram_for(self, width: int) -> Histogram | None:
        if width == self._width:
            return self.hist
        self._width = width
        peak_digits = len(f"{self.rows:,}")
        hist = histogram_of(self.column, self.seconds, self.rows, max_buckets_for(width, peak_digits))
        if hist is not None and (self.hist is None or hist.buckets != self.hist.buckets):
            self.hist = hist
            self.selected = hist.buckets.index(hist.peak)  # a new bucket size: start on the peak
        return self.hist

    def render(self) -> Text:
        hist = self.histogram_for(self.size.width)
        if hist is None:
            return Text("No value of this column is a time.")
        return render_histogram(hist, self.size.width, self.size.height, self.selected)

    def action_move(self, by: int) -> None:
        if self.hist is not None:
            self.selected = max(0, min(len(self.hist.buckets) - 1, self.selected + by))

    def watch_selected(self) -> None:
        self.post_message(BucketMoved())


class ChartScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,v", "dismiss", "Close")]
    DEFAULT_CSS = """
    ChartScreen > #chart-frame { border: round $accent; background: $surface; padding: 0 1; }
    ChartScreen #chart-head { height: auto; }
    ChartScreen #chart-keys { height: 1; color: $text-muted; }
    ChartScreen #chart-bars-scroll { height: 1fr; }
    """

    def __init__(
        self,
        columns: list[str],
        rows: list[list[str | None]],
        plan: TimePlan | BarsPlan,
        loaded: int,
        total: int | None,
    ) -> None:
        super().__init__()
        self.columns, self.rows, self.plan = columns, rows, plan
        self.loaded, self.total = loaded, total
        self.bars: Bars | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="chart-frame"):
            yield Static(id="chart-head")
            if isinstance(self.plan, TimePlan):
                col = self.plan.column
                yield HistogramView(self.columns[col], [r[col] for r in self.rows], id="chart-view")
                keys = "←/→ (h/l) bucket · Home/End · Esc close"
            else:
                self.bars = bars(self.columns, self.rows, self.plan.value_column)
                with VerticalScroll(id="chart-bars-scroll"):
                    yield Static(id="chart-bars")
                keys = "↑/↓ PgUp/PgDn scroll · Esc close"
            yield Static(Text(keys), id="chart-keys")

    def on_mount(self) -> None:
        frame = self.query_one("#chart-frame")
        if isinstance(self.plan, TimePlan):
            # Titles as Text: a str would be read as markup, and column names come from the query.
            frame.border_title = Text("Chart: " + cell_text(self.columns[self.plan.column]) + " over time")
            self.query_one(HistogramView).focus()
        else:
            assert self.bars is not None
            frame.border_title = Text(
                f"Chart: {cell_text(self.bars.value_column)} by {cell_text(self.bars.label_column)}"
            )
            self.query_one("#chart-bars-scroll").focus()
        self._show_head()
        self.screen_layout_refresh_signal.subscribe(self, self._toasts_below_head)

    def _toasts_below_head(self, _screen: object = None) -> None:
        """Toasts (an export ending while the chart is open) start below the heading, over the chart's
        top right for their few seconds: at the screen's top they hid the heading's figures."""
        try:
            rack = self.get_child_by_type(ToastRack)
        except NoMatches:
            return  # notifications are off (Textual's headless tests)
        below = self.query_one("#chart-head").region.bottom
        if below and rack.styles.margin.top != below:
            rack.styles.margin = (below, 0, 0, 0)

    def on_resize(self) -> None:
        self._draw_bars()

    def _draw_bars(self) -> None:
        if self.bars is None:
            return
        scroll = self.query_one("#chart-bars-scroll")
        width = scroll.content_region.width or self.size.width - 6
        # Room for the scrollbar, which comes once the bars are drawn: a line one cell too long wrapped
        # its value onto a line of its own.
        width -= scroll.styles.scrollbar_size_vertical
        self.query_one("#chart-bars", Static).update(render_bars(self.bars, max(20, width - 1)))

    def on_bucket_moved(self, _: BucketMoved) -> None:
        self._show_head()

    def _show_head(self) -> None:
        head = self.query_one("#chart-head", Static)
        of = f" of {self.total:,}" if self.total is not None and self.total > self.loaded else ""
        if isinstance(self.plan, TimePlan):
            view = self.query_one(HistogramView)
            hist = view.hist or view.histogram_for(max(20, self.size.width - 6))
            if hist is None:
                head.update(Text("No value of this column is a time."))
                return
            head.update(histogram_summary(hist, view.selected, self.loaded, self.total))
        else:
            assert self.bars is not None
            head.update(Text(f"{rows(len(self.bars.bars))}{of} (the rows loaded in the grid)"))
        if self.bars is not None:
            self._draw_bars()

    @property
    def text(self) -> str:
        """The chart as the user reads it: the heading, the chart and the keys line (for tests)."""
        parts = [str(self.query_one("#chart-head", Static).render())]
        if isinstance(self.plan, TimePlan):
            parts.append(self.query_one(HistogramView).render().plain)
        else:
            parts.append(str(self.query_one("#chart-bars", Static).render()))
        parts.append(str(self.query_one("#chart-keys", Static).render()))
        return "\n".join(parts)
