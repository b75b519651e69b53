"""A driver for explorer tests: it presses keys as a user does and reads only what a user sees (the status
line, the grid, the results title, the context line, the stores pane, notifications, the clipboard, the
screen on top), never the explorer's private state. Tests written against it survive any reshaping of the
explorer's insides.
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events as textual_events
from textual.app import App
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static

from tests.awsenv import no_aws
from trailtui.lake.backoff import PollBackoff
from trailtui.paths import locations
from trailtui.tui.app import TrailApp
from trailtui.tui.context import ContextBar
from trailtui.tui.editor import SqlEditor
from trailtui.tui.grid import ResultGrid
from trailtui.tui.results import ResultsPanel
from trailtui.tui.status import QueryStatusBar
from trailtui.tui.stores import StoresPane

FAST_POLL = PollBackoff(first=0.05, factor=1.5, ceiling=0.5)
STATUSES = ("QUEUED", "RUNNING", "FINISHED", "FAILED", "CANCELLED", "TIMED_OUT", "STARTING", "ERROR")
_STATUS = re.compile(r"\b(" + "|".join(STATUSES) + r")\b")
_COUNTS = re.compile(r"([\d,]+) of ([\d,]+) rows loaded")
_QUERY_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class _Shown(App[None]):
    """Sits between TrailApp and Textual's App, so it sees notifications exactly as they are shown (after
    TrailApp has sanitised them)."""

    shown: list[tuple[str, str]]

    def notify(self, message: str, *, severity: Any = "information", **kwargs: Any) -> None:
        self.shown.append((str(severity), str(message)))
        super().notify(message, severity=severity, **kwargs)


class ObservedApp(TrailApp, _Shown):
    """The explorer, keeping a record of what it showed outside its widgets: toasts and the clipboard."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.shown = []  # (severity, text) of every notification, as shown
        self.copied: list[str] = []
        super().__init__(*args, **kwargs)

    def copy_to_clipboard(self, text: str) -> None:
        self.copied.append(text)


@dataclass(frozen=True)
class QueryView:
    """The current query as the status line, the grid and the results title show it."""

    status: str
    error: str | None
    query_id: str | None
    loaded: int
    total: int | None
    columns: list[str]
    rows: list[list[str | None]]
    status_line: str

    @property
    def done(self) -> bool:
        if self.status in ("FAILED", "ERROR") or self.error:
            return True
        return (
            self.status in ("FINISHED", "CANCELLED", "TIMED_OUT")
            and self.total is not None
            and (self.loaded >= self.total)
        )


class Explorer:
    def __init__(self, app: ObservedApp, pilot: Pilot[None]) -> None:
        self.app = app
        self.pilot = pilot

    # -- waiting and keys ---------------------------------------------------------------------------------
    async def wait_until(self, cond: Callable[[], bool], timeout: float = 30, what: str = "") -> None:
        deadline = time.monotonic() + timeout
        while not cond():
            assert time.monotonic() < deadline, f"timed out waiting{': ' + what if what else ''}"
            await self.pilot.pause(0.05)

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)

    def burst(self, *keys: str) -> None:
        """Keys arriving in one burst (type-ahead over a slow link): all posted at once, with no pause for
        the explorer to handle one before the next arrives, as a terminal delivers them. Single characters
        are typed as themselves; longer names are keys (`enter`, `ctrl+j`, `f4`)."""
        for key in keys:
            name = _character_to_key(key) if len(key) == 1 and not key.isalnum() else key
            char = key if len(key) == 1 else {"enter": "\r", "tab": "\t", "space": " "}.get(key)
            self.app.post_message(textual_events.Key(name, char))

    def terminal(self, typed: str) -> None:
        """Bytes as a terminal (or tmux) sends them, read by Textual's own input parser and posted at once:
        `"\\x1bs"` is what tmux sends for Esc then `s` typed within its escape-time. The parser is the one the
        explorer's terminal driver makes (the explorer may have given the driver its own)."""
        from textual.constants import ESCAPE_DELAY
        from textual.drivers import linux_driver

        parser = linux_driver.XTermParser()
        keys = list(parser.feed(typed))
        time.sleep(ESCAPE_DELAY * 1.5)  # the parser's wait for the rest of an escape sequence, run out
        for key in [*keys, *parser.tick()]:
            self.app.post_message(key)

    def paste(self, text: str) -> None:
        """A bracketed paste, posted at once (as part of a burst, with `burst` before or after it)."""
        self.app.post_message(textual_events.Paste(text))

    async def command(self, line: str, paste: bool = False) -> None:
        """Type a `:` command, from the results grid (in the editor, ':' types a colon); `paste` puts the
        line in as a paste would (for text no keyboard types)."""
        from trailtui.tui.dialogs import CommandLine

        await self.press("f4", "colon")
        await self.wait_until(lambda: isinstance(self.screen, CommandLine))
        if paste:
            self.screen.query_one("#command-input", Input).value = line
        else:
            await self.press(*line)
        await self.press("enter")

    async def export(self, target: Any) -> None:
        """ctrl+e, and the file name typed into the export prompt (the prompt's question stays on screen
        until enter)."""
        from trailtui.tui.dialogs import PromptScreen

        await self.press("ctrl+e")
        await self.wait_until(lambda: isinstance(self.screen, PromptScreen), what="the export prompt")
        self.screen.query_one("#prompt-input", Input).value = str(target)
        await self.press("enter")

    async def ready(self) -> Explorer:
        """The local lake is open and a store is current (the context line names it)."""
        await self.wait_until(lambda: "store " in self.context and "local lake" in self.stores_text(), 60)
        self.editor.cursor_blink = False
        return self

    # -- what is on screen --------------------------------------------------------------------------------
    @property
    def screen(self) -> Screen[Any]:
        return self.app.screen

    @property
    def editor(self) -> SqlEditor:
        return self.app.main.query_one(SqlEditor)

    @property
    def grid(self) -> ResultGrid:
        return self.app.main.query_one(ResultGrid)

    @property
    def context(self) -> str:
        return str(self.app.main.query_one(ContextBar).render())

    @property
    def context_text(self) -> Text:
        """The context line with its styles (colours, markers)."""
        content = self.app.main.query_one(ContextBar).content
        assert isinstance(content, Text)
        return content

    @property
    def status_line(self) -> str:
        return str(self.app.main.query_one(QueryStatusBar).render())

    @property
    def results_title(self) -> str:
        return str(self.app.main.query_one(ResultsPanel).border_title)

    @property
    def error_panel(self) -> list[str] | None:
        """The error shown in place of the results, as drawn: its wrapped lines (None when not shown)."""
        from textual.geometry import Region

        from trailtui.tui.errorpanel import ErrorPanel

        panel = self.app.main.query_one(ErrorPanel)
        if not panel.display or panel.size.height == 0:
            return None
        body = panel.query_one("#error-text", Static)
        strips = body.render_lines(Region(0, 0, body.size.width, body.size.height))
        return ["".join(seg.text for seg in strip).rstrip() for strip in strips]

    @property
    def history_preview(self) -> str:
        """The history screen's preview of the highlighted entry (its SQL and error), as drawn."""
        from textual.geometry import Region

        body = self.screen.query_one("#history-preview", Static)
        strips = body.render_lines(Region(0, 0, body.size.width, body.size.height))
        return "\n".join("".join(seg.text for seg in strip).rstrip() for strip in strips)

    @property
    def history_lines(self) -> list[str]:
        """The history screen's list as drawn: one line per entry on screen, as wide as the list's inside
        (its border and scrollbar left out), trailing spaces kept."""
        options = self.screen.query_one("#history-list", OptionList)
        height = options.scrollable_content_region.height
        return ["".join(seg.text for seg in options.render_line(y)) for y in range(height)]

    @property
    def results_message(self) -> str | None:
        """What the results pane says instead of rows (waiting, no rows, cancelled, see the error)."""
        return None if self.grid.rows else self.grid.empty_message

    @property
    def filter_text(self) -> str | None:
        """The filter box's text, or None when the box is not shown."""
        box = self.app.main.query_one(ResultsPanel).query_one("#filter", Input)
        return box.value if box.display else None

    @property
    def running_list(self) -> list[str]:
        """The running-queries screen's lines (elapsed, status, connection, SQL), while it is on top."""
        from trailtui.tui.running import RunningScreen

        assert isinstance(self.screen, RunningScreen), f"not the running queries: {self.screen!r}"
        return self._option_lines(self.screen.query_one(OptionList))

    @property
    def running_title(self) -> str:
        return str(self.screen.query_one("#running-title", Static).render())

    @property
    def running_preview(self) -> str:
        """The highlighted running query's connection, ID and whole SQL, below the list."""
        return str(self.screen.query_one("#running-sql", Static).render())

    @property
    def picker_list(self) -> list[str]:
        """The profile or Region picker's choices (F10, F11), in the order shown, while it is on top."""
        from trailtui.tui.picker import PickerScreen

        assert isinstance(self.screen, PickerScreen), f"not a picker: {self.screen!r}"
        return self._option_lines(self.screen.query_one(OptionList))

    @staticmethod
    def _option_lines(options: OptionList) -> list[str]:
        return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]

    @property
    def notifications(self) -> list[str]:
        return [text for _, text in self.app.shown]

    def notified(self, text: str, severity: str | None = None) -> bool:
        return any(text in t and severity in (None, s) for s, t in self.app.shown)

    @property
    def clipboard(self) -> list[str]:
        return self.app.copied

    # -- the results grid, as drawn ----------------------------------------------------------------------
    def grid_line(self, y: int) -> str:
        """Line `y` of the grid as drawn (0 is the header), cut to the grid's width as on screen."""
        return "".join(seg.text for seg in self.grid.render_line(y))

    @property
    def header(self) -> str:
        return self.grid_line(0)

    @property
    def shown_columns(self) -> list[str]:
        """The grid's columns in the order drawn (pinned first, hidden ones left out)."""
        return self.grid.shown_columns

    @property
    def shown_rows(self) -> list[list[str | None]]:
        """Every row the grid shows (filtered), in the order shown, all columns as the query returned them."""
        grid = self.grid
        return [grid.rows[i] for i in grid.view]

    @property
    def cursor_cell(self) -> tuple[str, str | None]:
        """The column name and value under the grid's cursor."""
        grid = self.grid
        row = grid.current_row
        index = grid.column_index
        return grid.columns[index], None if row is None else row[index]

    def stores(self, connection: str | None = None) -> list[str]:
        """Store names in the stores pane (of one group, `local` or `aws`, if given)."""
        pane = self.app.main.query_one(StoresPane)
        return [s.name for s in pane.all_stores() if connection is None or s.connection.kind == connection]

    def store_details(self) -> str:
        """The store details pane (under the stores) as text."""
        from io import StringIO

        from rich.console import Console
        from textual.widgets import Static

        console = Console(file=StringIO(), width=60, record=True)
        console.print(self.app.main.query_one("#store-details-text", Static).content)
        return console.export_text()

    def stores_text(self, group: int | None = None) -> str:
        """The stores pane's tree as text (one group, by position, if given); a message wrapped over
        several lines of the tree reads as one line."""
        pane = self.app.main.query_one(StoresPane)
        root = pane.store_tree.root
        groups = root.children if group is None else root.children[group : group + 1]

        def lines(g: Any) -> str:
            return "".join((" " if c.id in pane.continued else "\n  ") + str(c.label) for c in g.children)

        return "\n".join(str(g.label) + lines(g) for g in groups)

    def stores_pane_lines(self) -> list[str]:
        """The stores pane as on screen: each line of the terminal inside the pane's border."""
        region = self.app.main.query_one(StoresPane).region
        if not region.width:
            return []
        lines = self.screen_lines()
        return [line[region.x + 1 : region.right - 1] for line in lines[region.y + 1 : region.bottom - 1]]

    @property
    def query(self) -> QueryView:
        text = self.status_line
        top, _, bottom = text.partition("\n")
        status = _STATUS.search(top)
        counts = _COUNTS.search(top)
        qid = _QUERY_ID.search(top)
        bottom = bottom.strip()
        statistics = ("matched", "scanned", "starting", "cancelling")  # scanned: the line at 80 columns
        error = bottom if bottom and not bottom.startswith(statistics) else None
        return QueryView(
            status=status.group(1) if status else "",
            error=error,
            query_id=qid.group() if qid else None,
            loaded=int(counts.group(1).replace(",", "")) if counts else 0,
            total=int(counts.group(2).replace(",", "")) if counts else None,
            columns=list(self.grid.columns),
            rows=list(self.grid.rows),
            status_line=text,
        )

    # -- the terminal as a whole (room: what is on screen where) ------------------------------------------
    def screen_lines(self) -> list[str]:
        """The terminal's text, line by line, as the user sees it (every layer composed, toasts included)."""
        import io

        from rich.console import Console

        width, height = self.app.size
        console = Console(width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False)
        console.print(self.screen._compositor.render_update(full=True))
        return console.export_text(styles=False).splitlines()

    def dialog_text(self) -> str:
        """The text of the screen on top (help, a question), whole: every line, as if it all fitted."""
        import io

        from rich.console import Console
        from textual.widgets import Static

        console = Console(width=1000, file=io.StringIO(), record=True)  # no wrapping: whole sentences
        for part in self.screen.query(Static):
            console.print(part.content)  # the renderable the help screen was given
        return console.export_text(styles=False)

    def grid_rows_covered(self) -> int:
        """How many of the grid's visible lines have some cell hidden under another widget (a toast)."""
        grid = self.grid
        region = grid.region
        covered = 0
        for y in range(region.y, region.bottom):
            for x in range(region.x, region.right):
                widget, _ = self.screen.get_widget_at(x, y)
                if widget is not grid and grid not in widget.ancestors:
                    covered += 1
                    break
        return covered

    def pane_size(self, pane: str) -> tuple[int, int]:
        """(width, height) on screen of `stores`, `editor`, `results` or `store-details`; (0, 0) hidden."""
        widget = self.app.main.query_one(f"#{pane}")
        region = widget.region if widget.display and widget.visible else None
        return (region.width, region.height) if region else (0, 0)

    # -- charts and the editor's tools ------------------------------------------------------------------
    @property
    def chart_text(self) -> str:
        """The chart on top, as the user reads it: its heading, the chart, its keys line ('' if none)."""
        from trailtui.tui.chartscreen import ChartScreen

        return self.screen.text if isinstance(self.screen, ChartScreen) else ""

    @property
    def completion_options(self) -> list[str]:
        """The editor's completion menu, as the text each choice inserts ([] when it is closed)."""
        return self.editor.completion_options

    @property
    def editor_text(self) -> str:
        return self.editor.text

    @property
    def editor_subtitle(self) -> str:
        return str(self.editor.border_subtitle or "")

    # -- running queries ----------------------------------------------------------------------------------
    async def start(self, sql: str) -> None:
        """Put `sql` in the editor and press ctrl+j; returns once the status line shows the new run."""
        before = self.status_line
        self.editor.text = sql
        await self.press("ctrl+j")
        await self.wait_until(lambda: self.status_line != before, what="the query to start")

    async def run(self, sql: str, timeout: float = 60) -> QueryView:
        """Run `sql` and wait until it ended and every page is in the grid."""
        await self.start(sql)
        return await self.finished(timeout)

    async def finished(self, timeout: float = 60) -> QueryView:
        await self.wait_until(lambda: self.query.done, timeout, "the query to end")
        return self.query

    async def running(self, timeout: float = 30) -> QueryView:
        await self.wait_until(lambda: self.query.status == "RUNNING", timeout, "RUNNING")
        return self.query


@asynccontextmanager
async def explorer(
    size: tuple[int, int] = (120, 40),
    *,
    local_lake: Any = None,
    aws_stores: bool = False,
    profile: str | None = None,
    region: str | None = None,
    toasts: bool = False,
) -> AsyncIterator[Explorer]:
    """The explorer on $TRAILTUI_HOME (tests set it), at `size`, polling fast; `toasts` puts notifications
    on screen as well (Textual's tests leave them off), for tests of what they cover."""
    app = ObservedApp(
        locations(),
        local_lake=local_lake,
        aws_stores=aws_stores,
        poll=FAST_POLL,
        profile=profile,
        region=region,
    )
    async with app.run_test(size=size, notifications=toasts) as pilot:
        yield Explorer(app, pilot)


def slow_lake(seconds: float) -> Any:
    """The local lake of $TRAILTUI_HOME with every query taking at least `seconds` (the engine's delay,
    as `serve --faults query-delay=S`): a query that stays RUNNING without burning CPU."""
    from trailtui.local.faults import FaultPlan
    from trailtui.local.service import LocalLake

    lake = LocalLake()
    lake.api.faults = FaultPlan(query_delay=seconds)
    return lake


def without_aws(monkeypatch: Any, folder: Any) -> None:
    """No AWS set-up at all (no config, no credentials, no instance metadata): the explorer's AWS group
    says so in the stores pane. The config and credentials files are `folder`/no-config and no-credentials,
    not there until the test writes one. `monkeypatch` is pytest's; `folder` a temporary folder."""
    no_aws(monkeypatch)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(folder / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(folder / "no-credentials"))
