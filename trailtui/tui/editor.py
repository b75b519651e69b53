"""The SQL editor: Textual's TextArea with Pygments highlighting (see sqlhighlight.py)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import TextArea

from trailtui.tui.sqlhighlight import highlight


class SqlEditor(TextArea):
    """Multi-line SQL with highlighting; Tab moves focus (indent with spaces as typed)."""

    def __init__(self, text: str = "", **kwargs: object) -> None:
        super().__init__(text, tab_behavior="focus", soft_wrap=False, show_line_numbers=True, **kwargs)  # type: ignore[arg-type]

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
