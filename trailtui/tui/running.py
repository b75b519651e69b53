"""The running queries (ctrl+t, and ctrl+g when several run): every query still running on any connection,
with its elapsed time, where it runs and its SQL; cancel one (`c`, Del, ctrl+g) or follow it (Enter).

The screen reads the runs through a function each second, so it always shows what runs now; cancelling
asks the main screen (a callback) and keeps the list open, to cancel several."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from trailtui.tui.dialogs import modal_list_width
from trailtui.tui.footer import WholeKeysFooter
from trailtui.tui.safe import safe_text
from trailtui.tui.state import Run
from trailtui.tui.status import STATUS_STYLE
from trailtui.tui.toastroom import keep_toasts_below


def elapsed_text(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes:2}:{secs:02}"


def run_label(run: Run, now: float) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{elapsed_text(now - run.started)} ", style="bold")
    status = "CANCELLING" if run.cancel_requested else run.status
    text.append(f"{status:<10} ", style=STATUS_STYLE.get(run.status, "magenta"))
    text.append_text(safe_text(f"{run.label}  ", "cyan"))
    text.append_text(safe_text(" ".join(run.sql.split()) or "(reopened: SQL loading)"))
    return text


class RunningScreen(ModalScreen[int | None]):
    """Returns the run to follow (Enter), or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss(None)", "Close"),
        Binding("enter", "follow", "Follow", priority=True),
        Binding("c,delete,ctrl+g", "cancel", "Cancel it", priority=True),
    ]
    DEFAULT_CSS = """
    RunningScreen { align: center middle; }
    RunningScreen > Vertical { width: 96%; height: 90%; border: round $accent; background: $surface; }
    RunningScreen #running-title { height: auto; padding: 0 1; background: $primary-darken-2; text-style: bold; }
    RunningScreen OptionList { height: 1fr; min-height: 3; text-wrap: nowrap; text-overflow: ellipsis; }
    RunningScreen #running-sql { height: auto; max-height: 45%; padding: 0 1; border-top: solid $accent; }
    """

    def __init__(
        self,
        runs: Callable[[], list[Run]],
        cancel: Callable[[Run], None],
        highlight: int | None = None,
        question: str | None = None,
    ) -> None:
        """`runs` lists the running queries now; `cancel` asks for one to be cancelled; `question`, when
        ctrl+g found several, says what the list is for."""
        super().__init__()
        self.runs = runs
        self.cancel = cancel
        self.first = highlight
        self.question = question
        self.shown: list[Run] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._title(), id="running-title")
            yield OptionList(id="running-list")
            yield Static("", id="running-sql")
        yield WholeKeysFooter()

    def _title(self) -> Text:
        title = self.question or "Running queries (all connections)"
        return Text(f"{title}   Enter: follow  c: cancel  Esc: close")

    def on_mount(self) -> None:
        keep_toasts_below(self, "#running-title")
        # Filled now, not after the first layout: enter or c typed right behind ctrl+t acts on this list.
        self.refresh_list()
        self.set_interval(1.0, self.refresh_list)
        self.query_one(OptionList).focus()

    def refresh_list(self) -> None:
        options = self.query_one(OptionList)
        keep = (
            self.shown[options.highlighted].run_id if self.shown and options.highlighted is not None else None
        )
        keep = keep if keep is not None else self.first
        asked = len(self.shown)
        self.shown = self.runs()
        if self.question and asked and len(self.shown) != asked:  # "2 queries are running" no longer true
            self.question = None
            self.query_one("#running-title", Static).update(self._title())
        now = time.monotonic()
        options.clear_options()
        width = max(30, modal_list_width(options) - 4)  # less the list's own border and padding
        labels = [run_label(r, now) for r in self.shown]
        for label in labels:
            label.truncate(width, overflow="ellipsis")  # one line per query: the whole SQL is below
        options.add_options(
            [Option(label, id=str(r.run_id)) for label, r in zip(labels, self.shown, strict=True)]
        )
        if not self.shown:
            options.add_option(Option(Text("No query is running.", style="italic"), disabled=True))
            options.highlighted = None
        else:
            ids = [r.run_id for r in self.shown]
            options.highlighted = ids.index(keep) if keep in ids else 0
        self._preview()

    def on_option_list_option_highlighted(self, _: OptionList.OptionHighlighted) -> None:
        self._preview()

    def _preview(self) -> None:
        run = self.highlighted
        preview = self.query_one("#running-sql", Static)
        if run is None:
            preview.update("")
            return
        text = Text()
        text.append_text(safe_text(f"{run.label}  {run.query_id or 'starting…'}", "dim"))
        text.append("\n")  # our own line break: safe_text shows a newline in its value as \n
        text.append_text(safe_text(run.sql.strip() or "(reopened: SQL loading)", keep_newlines=True))
        preview.update(text)

    @property
    def highlighted(self) -> Run | None:
        index = self.query_one(OptionList).highlighted
        return self.shown[index] if index is not None and index < len(self.shown) else None

    def action_cancel(self) -> None:
        run = self.highlighted
        if run is None:
            return
        self.cancel(run)
        self.refresh_list()

    def action_follow(self) -> None:
        run = self.highlighted
        if run is not None:
            self.dismiss(run.run_id)
