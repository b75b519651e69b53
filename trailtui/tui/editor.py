"""The SQL editor: Textual's TextArea with Pygments highlighting (see sqlhighlight.py), whose content is
kept in a file across runs (a welcome query on the first)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import TextArea

from trailtui.tui.sqlhighlight import highlight

DEMO_STORE_ID = "0d3a6f2e-7b1c-4e5a-9c8d-2f4b6a8c0e1d"
WELCOME_SQL = f"""-- Welcome to trailtui. Run this query with ctrl+j (or F5); F1 lists every key.
-- The demo organization's last 7 days, newest first. Something odd happened in account 444455556666...
SELECT eventTime, recipientAccountId, eventSource, eventName, userIdentity.arn,
       sourceIPAddress, errorCode
FROM {DEMO_STORE_ID}
WHERE eventTime > date_add('day', -7, current_timestamp)
ORDER BY eventTime DESC
LIMIT 1000
"""


class SqlEditor(TextArea):
    """Multi-line SQL with highlighting; Tab moves focus (indent with spaces as typed)."""

    def __init__(self, text: str = "", file: Path | None = None, **kwargs: object) -> None:
        """With `file`, the editor starts with its content (or the welcome query) and `save()` keeps it."""
        self.file = file
        if file is not None and not text:
            text = _read(file)
        super().__init__(text, tab_behavior="focus", soft_wrap=False, show_line_numbers=True, **kwargs)  # type: ignore[arg-type]

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
        self.replace(sql, (0, 0), self.document.end)
        self.focus()

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


def _read(file: Path) -> str:
    try:
        text = file.read_text()
    except OSError:
        return WELCOME_SQL
    return text if text.strip() else WELCOME_SQL
