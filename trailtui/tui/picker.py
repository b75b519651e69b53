"""A fuzzy-filtered picker (profiles, Regions): type to narrow, Enter to choose, most recent first."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from trailtui.aws.profiles import fuzzy_score
from trailtui.tui.footer import WholeKeysFooter
from trailtui.tui.safe import safe_text
from trailtui.tui.toastroom import keep_toasts_below


class PickerScreen(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("enter", "pick", "Choose", priority=True),
        Binding("down", "move(1)", show=False, priority=True),
        Binding("up", "move(-1)", show=False, priority=True),
    ]
    DEFAULT_CSS = """
    PickerScreen { align: center middle; }
    PickerScreen > Vertical { width: 80; max-width: 96%; height: 70%; border: round $accent; background: $surface; }
    PickerScreen #picker-title { height: auto; max-height: 3; padding: 0 1; background: $primary-darken-2; text-style: bold; }
    PickerScreen OptionList { height: 1fr; }
    """

    def __init__(self, title: str, items: list[tuple[str, str]], initial: str = "") -> None:
        """`items` are (value, label), in the order to show with an empty filter (most recent first)."""
        super().__init__()
        self.title_text = title
        self.items = items
        self.initial = initial
        self.shown: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe_text(self.title_text), id="picker-title")
            yield Input(value=self.initial, placeholder="type to filter", id="picker-filter")
            yield OptionList(id="picker-list")
        yield WholeKeysFooter()

    def on_mount(self) -> None:
        keep_toasts_below(self, "#picker-title")
        self._fill(self.initial)
        self.query_one(Input).focus()

    def _fill(self, text: str) -> None:
        scored = []
        for order, (value, label) in enumerate(self.items):
            score = fuzzy_score(text, value)
            if score is not None:
                scored.append((-score if text else order, order, value, label))
        scored.sort()
        self.shown = [value for *_, value, _ in scored]
        options = self.query_one(OptionList)
        options.clear_options()
        for *_, label in scored:
            options.add_option(Option(safe_text(label)))
        if not scored:
            options.add_option(Option(Text("no match", style="italic"), disabled=True))
        options.highlighted = 0 if self.shown else None

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if self.shown:
            options.highlighted = max(0, min(len(self.shown) - 1, (options.highlighted or 0) + step))

    def action_pick(self) -> None:
        index = self.query_one(OptionList).highlighted
        if index is not None and index < len(self.shown):
            self.dismiss(self.shown[index])
        elif self.query_one(Input).value.strip():
            self.dismiss(self.query_one(Input).value.strip())  # a name typed in full that no list knows
