"""The quick time-range picker (alt+t): last hour, 24 hours, 7 days, or a custom start and end; it answers
a TimeRange, which timerange.py writes into the editor's statement."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from trailtui.tui.footer import WholeKeysFooter
from trailtui.tui.safe import safe_text
from trailtui.tui.timerange import PRESETS, TimeRange, Unboundable, custom_range

CUSTOM = "custom"


class TimeRangeScreen(ModalScreen[TimeRange | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("1", "preset(0)", show=False),
        Binding("2", "preset(1)", show=False),
        Binding("3", "preset(2)", show=False),
        Binding("4,c", "custom", show=False),
    ]
    DEFAULT_CSS = """
    TimeRangeScreen { align: center middle; }
    TimeRangeScreen > Vertical { width: 64; max-width: 100%; height: auto; border: round $accent;
        background: $surface; padding: 0 1; }
    TimeRangeScreen OptionList { height: auto; max-height: 6; border: none; }
    TimeRangeScreen Input { width: 100%; }
    TimeRangeScreen #range-custom { height: auto; display: none; }
    TimeRangeScreen #range-error { color: $error; height: auto; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("eventTime bound of the editor's query", style="bold"))
            yield OptionList(
                *(Option(f"{i + 1}  {p.label}", id=str(i)) for i, p in enumerate(PRESETS)),
                Option("4  Custom start and end…", id=CUSTOM),
                id="range-list",
            )
            with Vertical(id="range-custom"):
                yield Static("Start and end in UTC (YYYY-MM-DD [HH:MM[:SS]]); either may be empty.")
                yield Input(placeholder="start, e.g. 2026-11-20 08:00", id="range-start")
                yield Input(placeholder="end, e.g. 2026-11-21 (Enter applies)", id="range-end")
            yield Static("", id="range-error")
        yield WholeKeysFooter()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == CUSTOM:
            self.action_custom()
        else:
            self.action_preset(int(event.option.id or 0))

    def action_preset(self, index: int) -> None:
        if self.query_one("#range-custom").display:
            return  # digits typed into the custom fields are times, not choices
        self.dismiss(PRESETS[index])

    def action_custom(self) -> None:
        self.query_one("#range-custom").display = True
        self.query_one("#range-start", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "range-start":
            self.query_one("#range-end", Input).focus()
            return
        try:
            chosen = custom_range(
                self.query_one("#range-start", Input).value, self.query_one("#range-end", Input).value
            )
        except Unboundable as exc:
            self.query_one("#range-error", Static).update(safe_text(str(exc)))
            return
        self.dismiss(chosen)
