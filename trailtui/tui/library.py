"""The query library (ctrl+l): saved queries and the sample queries, with their descriptions."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from trailtui.lake.library import QueryFile
from trailtui.tui.footer import WholeKeysFooter
from trailtui.tui.safe import safe_text
from trailtui.tui.toastroom import keep_toasts_below


class LibraryScreen(ModalScreen[QueryFile | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("enter", "pick", "Insert", priority=True),
    ]
    DEFAULT_CSS = """
    LibraryScreen { align: center middle; }
    LibraryScreen > Vertical { width: 96%; height: 90%; border: round $accent; background: $surface; }
    LibraryScreen #library-title { height: auto; max-height: 3; padding: 0 1; background: $primary-darken-2; text-style: bold; }
    LibraryScreen OptionList { height: 1fr; }
    """

    def __init__(self, queries: list[QueryFile]) -> None:
        super().__init__()
        self.all = queries
        self.shown: list[QueryFile] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Text(
                    "Saved and sample queries: Enter puts one in the editor (the current store and "
                    "its time range filled in; ctrl+z undoes)"
                ),
                id="library-title",
            )
            yield Input(placeholder="search names and descriptions", id="library-search")
            yield OptionList(id="library-list")
        yield WholeKeysFooter()

    def on_mount(self) -> None:
        keep_toasts_below(self, "#library-title")
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, text: str) -> None:
        needle = text.lower()
        self.shown = [q for q in self.all if needle in q.name.lower() or needle in q.description.lower()]
        options = self.query_one(OptionList)
        options.clear_options()
        for q in self.shown:
            label = Text()
            label.append(
                "saved   " if q.kind == "saved" else "sample  ", style="cyan" if q.kind == "saved" else "dim"
            )
            label.append_text(safe_text(q.name, "bold"))
            if q.description:
                label.append("\n        ")
                label.append_text(safe_text(q.description, "dim"))
            options.add_option(Option(label))
        options.highlighted = 0 if self.shown else None

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def action_pick(self) -> None:
        index = self.query_one(OptionList).highlighted
        if index is not None and index < len(self.shown):
            self.dismiss(self.shown[index])
