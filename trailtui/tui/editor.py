"""The SQL editor: Textual's TextArea with Pygments highlighting (see sqlhighlight.py), whose content is
kept in a file across runs (a welcome query on the first), with completion (ctrl+space), formatting and soft
wrap.

Textual's TextArea has no completion: a small option list under the cursor, driven by the word before the
cursor (completion.py decides what matches), is all it takes. The editor keeps the focus while the list is
open, so typing goes on narrowing it; ↑/↓ move in it, Enter or Tab take the choice, Esc closes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.geometry import Offset
from textual.widgets import OptionList, TextArea
from textual.widgets.option_list import Option

from trailtui.lake.text import sanitize
from trailtui.tui.completion import Choice, choices, completed, word_before
from trailtui.tui.keymap import bindings
from trailtui.tui.safe import fit
from trailtui.tui.sqlhighlight import highlight

DEMO_STORE_ID = "0d3a6f2e-7b1c-4e5a-9c8d-2f4b6a8c0e1d"
# The comment in four lines of at most 47 characters: whole in the editor at 80x24 (stores pane shown), with
# the SELECT below it in view.
WELCOME_SQL = f"""-- Welcome: ctrl+j (or F5) runs this query,
-- F1 lists every key. The demo organization's
-- last 7 days, newest first: something odd
-- happened in account 444455556666...
SELECT eventTime, recipientAccountId, eventSource, eventName, userIdentity.arn,
       sourceIPAddress, errorCode, eventID
FROM {DEMO_STORE_ID}
WHERE eventTime > date_add('day', -7, current_timestamp)
ORDER BY eventTime DESC
LIMIT 1000
"""


class CompletionMenu(OptionList, can_focus=False):
    """The choices for the word before the editor's cursor, shown under it."""

    DEFAULT_CSS = """
    CompletionMenu {
        overlay: screen; position: absolute; constrain: inside inside;
        width: auto; height: auto; max-height: 8;
        border: round $accent; background: $panel; padding: 0;
    }
    """


_KINDS = {"column": "col", "function": "fn", "keyword": "kw", "store": "store"}


class SqlEditor(TextArea):
    """Multi-line SQL with highlighting; Tab moves focus (indent with spaces as typed)."""

    BINDINGS = bindings("editor")
    MENU_KEYS: ClassVar[frozenset[str]] = frozenset(
        {"up", "down", "pageup", "pagedown", "enter", "tab", "escape"}
    )

    def __init__(self, text: str = "", file: Path | None = None, **kwargs: object) -> None:
        """With `file`, the editor starts with its content (or the welcome query) and `save()` keeps it."""
        self.file = file
        if file is not None and not text:
            text = _read(file)
        safe = shown_safely(text)
        super().__init__(safe, tab_behavior="focus", soft_wrap=False, show_line_numbers=True, **kwargs)  # type: ignore[arg-type]
        self._menu: CompletionMenu | None = None
        self._offered: list[Choice] = []

    def save(self) -> None:
        if self.file is None:
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.file.with_suffix(".tmp")
            tmp.write_text(self.text)
            tmp.replace(self.file)
        except OSError:
            pass  # the editor's content is a convenience: never an error in the user's way

    def set_sql(self, sql: str) -> None:
        """Replace the whole text (undoable with ctrl+z) and take the focus."""
        self.replace(shown_safely(sql), (0, 0), self.document.end)
        self.focus()

    async def _on_paste(self, event: events.Paste) -> None:
        # Textual's TextArea inserts a paste as it is, and renders an ESC in it raw to the terminal.
        text = shown_safely(event.text)
        if text != event.text:
            self.notify(
                "The pasted text had control or invisible characters: they are shown as escapes (\\x1b).",
                severity="warning",
            )
        event.text = text  # Textual calls TextArea's own _on_paste next (handlers run down the class tree)

    def scroll_cursor_visible(self, center: bool = False, animate: bool = False) -> Offset:
        # Textual 8.2 bug: undoing a whole-text replace (format, time range, a query reopened) that added
        # or removed the scroll bar scrolls to the cursor before the undo has moved it back into the
        # shorter text, and raises. The undo puts the cursor back and scrolls again right after.
        if self.selection.end[0] >= self.document.line_count:
            return Offset(0, 0)
        return super().scroll_cursor_visible(center, animate)

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        spans = highlight(self.text)
        if line_index < len(spans):
            for start, end, style in spans[line_index]:
                line.stylize(style, start, end)
        return line

    @property
    def statement(self) -> str:
        """What to run: the selection if there is one, else the whole editor."""
        selected = self.selected_text
        return selected if selected.strip() else self.text

    def insert_at_cursor(self, text: str) -> None:
        self.replace(text, self.selection.start, self.selection.end)

    # -- soft wrap ----------------------------------------------------------------------------------------
    def toggle_wrap(self) -> bool:
        self.soft_wrap = not self.soft_wrap
        self.border_subtitle = "wrap" if self.soft_wrap else ""
        return self.soft_wrap

    # -- completion ---------------------------------------------------------------------------------------
    def stores(self) -> Iterable[tuple[str, str]]:
        """(ID, name) of the stores in the stores pane, for completion."""
        from trailtui.tui.stores import StoresPane

        for pane in self.screen.query(StoresPane):
            for store in pane.all_stores():
                yield store.id, store.name

    @property
    def word(self) -> str:
        """The word before the cursor (what completion replaces)."""
        row, col = self.cursor_location
        return word_before(self.document.get_line(row)[:col], [i for i, _ in self.stores()])

    @property
    def completion_open(self) -> bool:
        return self._menu is not None and self._menu.display

    @property
    def completion_options(self) -> list[str]:
        """The choices the menu shows, as inserted (empty when it is closed)."""
        return [c.text for c in self._offered] if self.completion_open else []

    def complete(self) -> str | None:
        """Open the menu for the word before the cursor (a single choice is taken at once); returns a
        message for the user when nothing matches."""
        word = self.word
        found = choices(word, self.stores())
        if not found:
            self.close_completion()
            return f"Nothing completes {word!r}." if word else "Nothing to complete here."
        if len(found) == 1 and word:
            self._take(found[0])
            return None
        self._show(found)
        return None

    def action_complete(self) -> None:
        problem = self.complete()
        if problem:
            self.notify(problem, severity="warning")

    def close_completion(self) -> None:
        if self._menu is not None:
            self._menu.display = False
        self._offered = []

    def _show(self, found: list[Choice]) -> None:
        if self._menu is None:
            self._menu = CompletionMenu()
            self.screen.mount(self._menu)
        menu = self._menu
        self._offered = found
        room = max(24, self.screen.size.width - 4)
        width = min(room, max(len(c.text) + len(c.detail) + 2 for c in found) + 8)
        menu.set_options(
            Option(
                Text(fit(c.text + (f"  {c.detail}" if c.detail else ""), width - 6) + " " + _KINDS[c.kind])
            )
            for c in found
        )
        menu.highlighted = 0
        x, y = self.cursor_screen_offset
        x -= len(self.word)
        below = y + 1
        if below + min(8, len(found) + 2) > self.screen.size.height:
            below = max(0, y - min(8, len(found) + 2))
        menu.styles.offset = (max(0, x - 1), below)
        menu.display = True

    def _take(self, choice: Choice) -> None:
        row, col = self.cursor_location
        start = (row, col - len(self.word))
        self.replace(completed(choice), start, (row, col))
        self.close_completion()

    def _refresh_completion(self) -> None:
        """After a key typed with the menu open: narrow it to the new word, or close it."""
        word = self.word
        found = choices(word, self.stores()) if word else []
        if found:
            self._show(found)
        else:
            self.close_completion()

    async def _on_key(self, event: events.Key) -> None:
        if self.completion_open and event.key in self.MENU_KEYS:
            event.stop()
            event.prevent_default()
            menu = self._menu
            assert menu is not None
            if event.key in ("enter", "tab"):
                index = menu.highlighted or 0
                if index < len(self._offered):
                    self._take(self._offered[index])
            elif event.key == "escape":
                self.close_completion()
            else:
                step = {"up": -1, "down": 1, "pageup": -5, "pagedown": 5}[event.key]
                count = len(self._offered)
                menu.highlighted = max(0, min(count - 1, (menu.highlighted or 0) + step))
            return
        await super()._on_key(event)

    # The menu follows the word: typing, deleting and moving the cursor narrow it or close it (these
    # messages come after the edit is applied, whichever binding or handler applied it).
    def on_text_area_changed(self, _: TextArea.Changed) -> None:
        if self.completion_open:
            self._refresh_completion()

    def on_text_area_selection_changed(self, _: TextArea.SelectionChanged) -> None:
        if self.completion_open:
            self._refresh_completion()

    def on_blur(self, _: events.Blur) -> None:
        self.close_completion()


_LINE_BREAKS_AND_TABS = re.compile("(\r\n|\n|\t)")


def shown_safely(text: str) -> str:
    """`text` with every control, bidi and invisible character but line breaks and tabs as a visible escape
    (lake/text.py), so that nothing in the editor is a character the terminal would act on."""
    parts = _LINE_BREAKS_AND_TABS.split(text)
    return "".join(part if i % 2 else sanitize(part) for i, part in enumerate(parts))


def _read(file: Path) -> str:
    try:
        text = file.read_text()
    except OSError:
        return WELCOME_SQL
    return text if text.strip() else WELCOME_SQL
