"""Event values on screen: sanitised and never parsed as markup.

Everything an attacker may control (any value from a query result, an error message, a store name from a
remote account) reaches the screen only through these helpers, as Rich `Text` built from a sanitised
string; never as a markup string.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from trailtui.lake.text import sanitize

NULL = "null"


def cell_text(value: str | None) -> str:
    """A one-line rendering of a result value: control characters escaped, NULL as `null`."""
    return NULL if value is None else sanitize(value)


def fit(text: str, width: int) -> str:
    """Exactly `width` terminal cells: padded, or cut with an ellipsis (wide characters counted as two)."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, max(0, width - 1)) + "…"


def safe_text(value: object, style: str = "", keep_newlines: bool = False) -> Text:
    return Text(sanitize("" if value is None else value, keep_newlines=keep_newlines), style=style)
