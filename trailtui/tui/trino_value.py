"""Reading Trino-style rendered values back into a tree: `{k=v, k2={a=b}}` and `[a, b]`.

Lake renders structs, maps and arrays this way, without quoting, so a value that contains `, ` or `=` is
ambiguous. Parsing is best effort: it never raises, and what it cannot split stays one leaf, so the detail
view always shows every character of the original text.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ValueNode:
    key: str | None
    text: str | None  # a leaf's text
    children: list[ValueNode] = field(default_factory=list)
    kind: str = "leaf"  # leaf, struct, array


def looks_nested(text: str | None) -> bool:
    if not text or len(text) < 2:
        return False
    return (text[0], text[-1]) in (("{", "}"), ("[", "]")) and ("=" in text or text[0] == "[")


def _split_top(body: str) -> list[str]:
    parts, depth, start = [], 0, 0
    i = 0
    while i < len(body):
        ch = body[i]
        if ch in "{[":
            depth += 1
        elif ch in "}]":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0 and body[i + 1 : i + 2] == " ":
            parts.append(body[start:i])
            start = i + 2
            i += 1
        i += 1
    parts.append(body[start:])
    return parts


def parse(text: str, key: str | None = None, depth: int = 0) -> ValueNode:
    if depth > 50 or not looks_nested(text):
        return ValueNode(key, text)
    body = text[1:-1]
    if text[0] == "[":
        items = _split_top(body) if body else []
        return ValueNode(
            key, None, [parse(item, f"[{i + 1}]", depth + 1) for i, item in enumerate(items)], "array"
        )
    node = ValueNode(key, None, kind="struct")
    for part in _split_top(body) if body else []:
        k, sep, v = part.partition("=")
        if not sep:
            return ValueNode(key, text)  # not key=value after all: keep the text whole
        node.children.append(parse(v, k, depth + 1))
    return node
