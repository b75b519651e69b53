"""The keys table of docs/tui.md, generated from the keymap (keymap.py) so the docs cannot drift from the
keys: `python -m trailtui.tui.keydocs docs/tui.md` rewrites the table between its two marker lines, and a
test checks the file is up to date."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from trailtui.tui.dialogs import key_label
from trailtui.tui.keymap import KEYMAP

START = "<!-- keys table: generated from trailtui/tui/keymap.py by `python -m trailtui.tui.keydocs docs/tui.md` -->"
END = "<!-- end of the generated keys table -->"
WHERE = {
    "app": "everywhere",
    "editor": "editor",
    "grid": "results",
    "stores": "stores",
    "detail": "detail view",
}
# Keys Textual gives every screen, not in the keymap (which holds only trailtui's own).
TEXTUAL_KEYS = (
    ("Tab, shift+Tab", "everywhere", "Next / previous pane (the editor does not take Tab)."),
    ("ctrl+p", "everywhere", "Command palette: every action, searchable."),
)
_FKEY = re.compile(r"^f(\d+)$")


def _keys(labels: str) -> str:
    """`F5`, `ctrl+j` as the docs write them (the help screen's labels, function keys in capitals)."""
    return ", ".join("`" + _FKEY.sub(r"F\1", label) + "`" for label in labels.split(", "))


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def keys_table() -> str:
    rows = ["| key | where | what |", "|---|---|---|"]
    for context, where in WHERE.items():
        for k in (k for k in KEYMAP if k.context == context):
            rows.append(f"| {_cell(_keys(key_label(k.keys)))} | {where} | {_cell(k.help)} |")
    rows += [f"| {_cell(_keys(keys))} | {where} | {what} |" for keys, where, what in TEXTUAL_KEYS]
    return "\n".join(rows)


def with_keys_table(markdown: str) -> str:
    """`markdown` with the text between the marker lines replaced by the table as the keymap has it."""
    head, start, rest = markdown.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise ValueError(f"the marker lines are missing: {START} ... {END}")
    return f"{head}{START}\n{keys_table()}\n{END}{tail}"


def main(argv: list[str]) -> int:
    path = Path(argv[0] if argv else "docs/tui.md")
    path.write_text(with_keys_table(path.read_text()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
