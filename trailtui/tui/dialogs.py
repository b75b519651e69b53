"""Small modal screens: help generated from the keymap, a yes/no confirmation, and the `:` command line."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static

from trailtui.tui.footer import WholeKeysFooter
from trailtui.tui.interpreter import COMMANDS, placeholder
from trailtui.tui.keymap import KEYMAP
from trailtui.tui.safe import safe_text

_KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "colon": ":",
    "enter": "Enter",
    "escape": "Esc",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "minus": "-",
    "plus": "+",
    "dollar_sign": "$",
}
_CONTEXTS = {
    "app": "Everywhere",
    "grid": "Results grid",
    "stores": "Stores pane",
    "detail": "Detail view",
    "editor": "Editor",
    "history": "History",
}


def key_label(keys: str) -> str:
    out = []
    for k in keys.split(","):
        k = _KEY_NAMES.get(k, k)
        out.append(k.replace("ctrl+", "ctrl+").replace("shift+", "shift+"))
    return ", ".join(out)


def help_table() -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=True)
    # The keys' column wraps (`:import PATH|s3://…`, the longest, took 35 of 70 cells at 80x24).
    table.add_column("key", style="bold cyan", max_width=26)
    table.add_column("what")
    for context, title in _CONTEXTS.items():
        keys = [k for k in KEYMAP if k.context == context]
        if not keys:
            continue
        table.add_row(Text(title, style="bold underline"), "")
        for k in keys:
            table.add_row(Text(key_label(k.keys)), Text(k.help))
        table.add_row("", "")
    table.add_row(Text("Editor", style="bold underline"), "")
    for editor_keys, what in (
        ("arrows, PgUp/PgDn, Home/End", "move"),
        ("shift+arrows, F6, F7", "select (line, all)"),
        ("ctrl+z, ctrl+y", "undo, redo"),
        ("ctrl+x, ctrl+c, ctrl+v", "cut, copy, paste"),
        ("Tab", "next pane (the editor does not take Tab)"),
    ):
        table.add_row(Text(editor_keys), Text(what))
    table.add_row("", "")
    table.add_row(Text("Commands (:)", style="bold underline"), "")
    for command in COMMANDS:
        table.add_row(Text(command.usage), Text(command.help))
    table.add_row("", "")
    table.add_row(Text("ctrl+p", style="bold cyan"), Text("Command palette: every action above, searchable."))
    return table


def modal_list_width(options: OptionList) -> int:
    """The width of a list in a modal box 96% of the screen wide (history, running queries). Their lists are
    filled when the screen mounts, before the first layout gives them a size: then it is the box's width
    less its border."""
    return options.size.width or options.app.size.width * 96 // 100 - 2


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,f1,question_mark", "dismiss", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 90%; max-width: 110; height: 90%; border: round $accent; background: $surface; }
    HelpScreen VerticalScroll { padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(), VerticalScroll():
            yield Static(Text("trailtui keys", style="bold"))
            yield Static(help_table())
        yield WholeKeysFooter()


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question (billing, deleting, replacing a file), answered only by a key typed once it is
    on screen: keys typed ahead (a burst behind ctrl+j or :drop, a word holding a `y`) were not typed
    in answer to it, and are dropped rather than taken for a yes."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical { width: 70; height: auto; border: thick $warning; background: $surface; padding: 1 2; }
    """

    def __init__(self, question: str, yes: str = "yes, run it") -> None:
        super().__init__()
        self.asked_at = float("inf")  # until mounted, no key answers
        self.question = question
        self.yes = yes  # what `y` does, in a few words

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe_text(self.question))
            yield Static(Text(f"\ny: {self.yes}      n / Esc: no", style="bold"))
        yield WholeKeysFooter()  # over the main screen's: its keys do not apply while the question is open

    def on_mount(self, event: events.Mount) -> None:
        self.asked_at = event.time  # the clock of the events: a key carries when it was typed

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        if event.time < self.asked_at:
            return  # typed before the question showed
        if event.key == "y":
            self.dismiss(True)
        elif event.key in ("n", "escape"):
            self.dismiss(False)


class CommandLine(ModalScreen[str | None]):
    """k9s-style command mode: one line, carried out by the interpreter (interpreter.py)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]
    DEFAULT_CSS = """
    CommandLine { align: center bottom; }
    CommandLine > Input { width: 100%; margin: 0 0 1 0; border: tall $accent; }
    """

    def __init__(self, value: str = "") -> None:
        super().__init__()
        self.value = value

    def compose(self) -> ComposeResult:
        yield Input(value=self.value, placeholder=placeholder(), id="command-input")
        yield WholeKeysFooter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip().lstrip(":"))


class PromptScreen(ModalScreen[str | None]):
    """Ask for one line of text (a file name, a filter)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]
    DEFAULT_CSS = """
    PromptScreen { align: center middle; }
    PromptScreen > Vertical { width: 80; height: auto; border: round $accent; background: $surface; padding: 0 1; }
    """

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe_text(self.title_text, style="bold"))
            yield Input(value=self.value, placeholder=self.placeholder, id="prompt-input")
        yield WholeKeysFooter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)
