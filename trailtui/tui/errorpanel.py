"""The whole error, readable at 80x24: shown in place of the results when the query on screen failed (or its
connection did not open), wrapped and scrollable, never cut at the status line's width.

For an error with a position (`line L:C:`, as Lake and the local lake report syntax and name errors), the
statement's line is shown with a caret under column C, and where that is in the editor (the statement may be
a selection, or start below blank lines)."""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from trailtui.tui.safe import safe_text

_POSITION = re.compile(r"\bline (\d+):(\d+)\b")


def error_position(message: str) -> tuple[int, int] | None:
    """The 1-based line and column an error message points at, if it names one."""
    found = _POSITION.search(message)
    return (int(found.group(1)), int(found.group(2))) if found else None


def caret_lines(sql: str, line: int, column: int, width: int = 72) -> Text | None:
    """The statement's `line` (around `column`, if long) with a caret under the character at `column`, in
    `width` cells: a wrapped line would put the caret under the wrong character."""
    lines = sql.split("\n")
    if not 1 <= line <= len(lines):
        return None
    source = lines[line - 1].expandtabs(1)
    gutter = f"{line:>4} │ "
    window = max(10, width - len(gutter) - 2)  # room for the … on either side
    index = min(max(column - 1, 0), len(source))
    start = max(0, min(index - window // 2, len(source) - window))
    shown = source[start : start + window]
    prefix = "…" if start else ""
    suffix = "…" if start + window < len(source) else ""
    text = Text(no_wrap=True)
    text.append(gutter, style="dim")
    text.append_text(safe_text(prefix + shown + suffix))
    text.append("\n" + " " * (len(gutter) - 2) + "│ ", style="dim")
    text.append(" " * (len(prefix) + index - start) + "^", style="bold red")
    return text


def error_text(
    title: str, message: str, sql: str | None = None, origin: tuple[int, int] = (0, 0), width: int = 72
) -> Text:
    """The panel's text: what failed, the whole message, and where it points in the statement and editor.

    `origin` is where the statement starts in the editor (0-based line and column)."""
    text = Text()
    text.append(title + "\n", style="bold red")
    text.append_text(safe_text(message, keep_newlines=True))
    position = error_position(message)
    if sql and position is not None:
        caret = caret_lines(sql, *position, width=width)
        if caret is not None:
            line, column = position
            editor_line = origin[0] + line
            editor_column = column + (origin[1] if line == 1 else 0)
            text.append("\n\n")
            text.append_text(caret)
            text.append(f"\n(in the editor: line {editor_line}, column {editor_column})", style="dim")
    return text


class ErrorPanel(VerticalScroll):
    """Replaces the results pane while the query on screen failed; scrolls when the message is long."""

    # Shown by the screen's `-error-shown` class, not by an inline style, so the zoom rules (app.tcss) still
    # apply; not scoped, to hide the results pane it stands in for.
    SCOPED_CSS = False
    DEFAULT_CSS = """
    ErrorPanel { display: none; height: 1fr; border: round $error; border-title-color: $text; padding: 0 1; }
    ErrorPanel:focus { border: round $accent; }
    ErrorPanel > Static { width: 100%; }
    Screen.-error-shown ErrorPanel { display: block; }
    Screen.-error-shown ResultsPanel { display: none; }
    Screen.-zoom-editor ErrorPanel, Screen.-zoom-stores ErrorPanel { display: none; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.border_title = "Error"
        self.error: tuple[str, str, str | None, tuple[int, int]] | None = None
        self.can_focus = True  # F4 reaches it, to scroll a long message with the arrows

    def compose(self) -> ComposeResult:
        yield Static("", id="error-text")

    def show(self, title: str, message: str, sql: str | None, origin: tuple[int, int]) -> None:
        self.error = (title, message, sql, origin)
        self._draw()
        self.scroll_home(animate=False)

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        if self.error is None:
            return
        width = self.scrollable_content_region.width
        if width <= 0:  # not laid out yet (it was hidden): the results pane's width is a fair guess
            width = self.screen.query_one("#work").size.width - 4
        self.query_one("#error-text", Static).update(error_text(*self.error, width=max(20, width)))

    @property
    def text(self) -> str:
        return str(self.query_one("#error-text", Static).render())
