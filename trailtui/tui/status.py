"""The query status line: ID, status with a spinner and elapsed time, statistics, cost, error."""

from __future__ import annotations

import time

from rich.text import Text
from textual.widgets import Static

from trailtui.lake.results import QueryStatistics
from trailtui.tui.safe import safe_text
from trailtui.tui.state import Run
from trailtui.tui.throttle import STREAMING_UPDATES, Throttle
from trailtui.units import human_bytes

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
STATUS_STYLE = {
    "QUEUED": "yellow",
    "RUNNING": "bold yellow",
    "FINISHED": "bold green",
    "FAILED": "bold red",
    "CANCELLED": "magenta",
    "TIMED_OUT": "bold red",
    "STARTING": "yellow",
    "ERROR": "bold red",
}


def cost_text(statistics: QueryStatistics) -> str:
    cost = statistics.estimated_cost
    return "<$0.0001" if 0 < cost < 0.0001 else f"${cost:.4f}"


def statistics_line(s: QueryStatistics, width: int) -> str:
    """The statistics in `width` cells (0: no limit). When the whole line does not fit (80 columns, the
    stores pane shown), the scan and its cost come first and a figure that does not fit is left out whole:
    a number cut by an ellipsis would read as another number."""
    scanned = human_bytes(s.bytes_scanned)
    if s.engine == "athena":  # Athena counts bytes, not events, and queues queries
        whole = parts = [
            "Athena",
            f"{scanned} scanned, est. {cost_text(s)}",
            f"engine {s.execution_ms:,} ms",
            f"queued {s.queue_ms:,} ms",
        ]
    else:
        whole = [f"matched {s.events_matched:,}", f"scanned {s.events_scanned:,}"]
        whole += [f"{scanned} scanned, est. {cost_text(s)}", f"exec {s.execution_ms:,} ms"]
        parts = [
            f"scanned {s.events_scanned:,} events, {scanned}",
            f"est. {cost_text(s)}",
            f"matched {s.events_matched:,}",
            f"exec {s.execution_ms:,} ms",
        ]
    line = "  ".join(whole)
    if not width or len(line) <= width:
        return line
    line = ""
    for part in parts:
        if len(line) + 2 * bool(line) + len(part) <= width:
            line += "  " * bool(line) + part
    return line


class QueryStatusBar(Static):
    DEFAULT_CSS = """
    QueryStatusBar { height: 2; padding: 0 1; background: $panel; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.run: Run | None = None
        self.others_running = 0
        self._frame = 0
        self._redraw = Throttle(self, STREAMING_UPDATES, self._draw)

    def on_mount(self) -> None:
        self.set_interval(0.1, self._tick)
        self.show(None)

    def _tick(self) -> None:
        if self.run is not None and self.run.active:
            self._frame = (self._frame + 1) % len(SPINNER)
            self._draw()

    def show(self, run: Run | None, others_running: int = 0, now: bool = True) -> None:
        """Show `run`; with `now` False (pages streaming in), at most every STREAMING_UPDATES seconds."""
        self.run = run
        self.others_running = others_running
        self._redraw(now)

    def on_resize(self) -> None:
        self._draw()  # the statistics are laid out for the width

    def _draw(self) -> None:
        self._redraw.ran()
        self.update(self._render_run(), layout=False)  # its height is fixed: no layout of the screen

    def _render_run(self) -> Text:
        run = self.run
        if run is None:
            return Text(
                "No query yet.  ctrl+j or F5 runs one; F1: every key.",  # whole at 80x24
                style="italic",
                no_wrap=True,
                overflow="ellipsis",
            )
        status = run.status
        top = Text(no_wrap=True, overflow="ellipsis")
        if run.active:
            top.append(SPINNER[self._frame] + " ", style="yellow")
        top.append(status, style=STATUS_STYLE.get(status, ""))
        elapsed = (run.ended or time.monotonic()) - run.started
        top.append(f"  {elapsed:.1f}s")
        if run.delivery is not None:  # DescribeQuery's DeliveryStatus (:deliver), early: seen at 80 columns
            delivered = run.delivery.status
            style = "green" if delivered == "SUCCESS" else "yellow" if delivered == "PENDING" else "bold red"
            top.append(f"  delivery {delivered}", style=style)
        if run.total is not None:
            top.append(f"  {run.loaded:,} of {run.total:,} rows loaded")
        if self.others_running:
            top.append(f"  +{self.others_running} running", style="yellow")
        top.append_text(safe_text(f"  {run.label}", "dim"))  # a profile name is the user's text, as written
        if run.query_id:
            top.append(f"  {run.query_id}", style="dim")
        bottom = Text(no_wrap=True, overflow="ellipsis")
        state = run.state
        error = run.error or (state.error if state else None)
        if error:
            bottom.append_text(safe_text(error, style="red"))
        elif state is not None:
            bottom.append(statistics_line(state.statistics, self.content_size.width))
        elif run.cancel_requested:
            bottom.append("cancelling…", style="magenta")
        else:
            bottom.append("starting…", style="dim")
        return Text("\n", no_wrap=True).join([top, bottom])
