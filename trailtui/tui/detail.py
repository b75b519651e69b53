"""The detail view: one cell, one row, or one event, with room to read it.

Long values wrap; Trino-style nested values show as a tree; JSON (eventjson, or any value that is a JSON
object or array) shows pretty-printed and highlighted. Everything shown is sanitised; `y` copies the
original value, byte for byte.
"""

from __future__ import annotations

import json
from typing import Any

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from trailtui.lake.text import sanitize
from trailtui.tui.footer import WholeKeysFooter
from trailtui.tui.keymap import bindings
from trailtui.tui.safe import safe_text
from trailtui.tui.toastroom import keep_toasts_below
from trailtui.tui.trino_value import ValueNode, looks_nested, parse


def as_json(value: str | None) -> Any | None:
    if not value or value[0] not in "{[":
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict | list) else None


def pretty_json(obj: Any) -> str:
    # ensure_ascii=False keeps readable text; sanitize then escapes anything a terminal would act on.
    return sanitize(json.dumps(obj, indent=2, ensure_ascii=False), keep_newlines=True)


def _add(node: TreeNode[None], value: ValueNode) -> None:
    label = Text()
    if value.key is not None:
        label.append_text(safe_text(value.key, style="bold yellow"))
        label.append(" ")
    if value.kind == "leaf":
        label.append_text(
            safe_text(
                "null" if value.text is None else value.text,
                style="italic dim" if value.text in (None, "null") else "",
            )
        )
        node.add_leaf(label)
        return
    label.append("{…}" if value.kind == "struct" else f"[{len(value.children)}]", style="dim")
    child = node.add(label, expand=True)
    for c in value.children:
        _add(child, c)


class DetailScreen(ModalScreen[None]):
    BINDINGS = bindings("detail")
    DEFAULT_CSS = """
    DetailScreen { align: center middle; }
    DetailScreen > Vertical { width: 94%; height: 90%; border: round $accent; background: $surface; }
    DetailScreen #detail-title { height: auto; max-height: 3; background: $primary-darken-2; padding: 0 1; text-style: bold; }
    DetailScreen VerticalScroll { height: 1fr; padding: 0 1; }
    DetailScreen Tree { height: 1fr; }
    """

    def __init__(
        self,
        title: str,
        value: str | None = None,
        row: list[tuple[str, str | None]] | None = None,
        copy_text: str | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.row = row
        self.copy_text = copy_text if copy_text is not None else (value or "")
        self.kind = (
            "row"
            if row is not None
            else ("json" if as_json(value) is not None else ("tree" if looks_nested(value) else "text"))
        )

    def compose(self) -> ComposeResult:
        with Vertical():
            title = safe_text(self.title_text)
            # The kind says how the value is shown (json, tree, text); a row's title says it is a row already.
            kind = "" if self.kind == "row" else f"{self.kind}; "
            title.append(f"  ({kind}y copies, Esc closes)", style="dim")
            yield Static(title, id="detail-title")
            if self.kind == "row":
                tree: Tree[None] = Tree(Text("row"), id="detail-tree")
                tree.show_root = False
                for name, value in self.row or []:
                    if looks_nested(value) and value is not None:
                        _add(tree.root, parse(value, name))
                    else:
                        _add(tree.root, ValueNode(name, value))
                yield tree
            elif self.kind == "tree":
                tree = Tree(Text("value"), id="detail-tree")
                tree.show_root = False
                _add(tree.root, parse(self.value or "", None))
                yield tree
            else:
                with VerticalScroll():
                    if self.kind == "json":
                        yield Static(
                            Syntax(
                                pretty_json(as_json(self.value)),
                                "json",
                                theme="ansi_dark",
                                word_wrap=True,
                                background_color="default",
                            ),
                            id="detail-body",
                        )
                    else:
                        yield Static(
                            safe_text("null" if self.value is None else self.value), id="detail-body"
                        )
        yield WholeKeysFooter()

    def on_mount(self) -> None:
        keep_toasts_below(self, "#detail-title")

    def action_close(self) -> None:
        self.dismiss()

    def action_copy_value(self) -> None:
        self.app.copy_to_clipboard(self.copy_text)
        self.notify(f"Copied {len(self.copy_text):,} characters to the clipboard.")
