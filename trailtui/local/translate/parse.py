"""Parsing Lake SQL as Trino does: one read-only query, Trino's grammar, errors at `line L:C`.

sqlglot's parser is more lenient than Trino's: a query Lake would refuse must be refused here too, or a query
written on the local lake fails on Lake, so grammar.check_tokens reads the token stream before parsing, and
function_calls checks the names called after it.

Positions: the parser sees the text with store IDs quoted (two characters more per ID) and without leading
blank lines; `Source.position` maps a position back to the line and column of the text the user sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from trailtui.lake.sqltext import quote_store_ids
from trailtui.local.errors import InvalidQueryStatement
from trailtui.local.translate.function_calls import check_function_names
from trailtui.local.translate.grammar import check_tokens
from trailtui.local.translate.sandbox import denied_function

_PLACEHOLDER = re.compile(r"(?:FROM|JOIN)\s+(<[^>]{1,60}>|\$\{?[A-Za-z_]+\}?)", re.IGNORECASE)


@dataclass
class Source:
    """The user's text, the text given to the parser, and (when an error needs it) the map between their
    offsets."""

    original: str
    parsed: str
    lead: int  # offset in `original` where the parsed text starts
    _map: list[int] | None = None

    @classmethod
    def of(cls, sql: str) -> Source:
        text = sql.strip().rstrip(";").strip()
        lead = sql.find(text) if text else 0
        return cls(sql, quote_store_ids(text), lead)

    @property
    def to_original(self) -> list[int]:
        """Offset in `parsed` -> offset in the stripped original (quoting only inserts characters)."""
        if self._map is None:
            text = self.original[self.lead :]
            mapping: list[int] = []
            j = 0
            for ch in self.parsed:
                mapping.append(j)
                if j < len(text) and ch == text[j]:
                    j += 1
            mapping.append(j)
            self._map = mapping
        return self._map

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column), both from 1, in the user's text, of an offset into the parsed text."""
        offset = max(0, min(offset, len(self.to_original) - 1))
        at = self.lead + self.to_original[offset]
        line = self.original.count("\n", 0, at) + 1
        col = at - (self.original.rfind("\n", 0, at) + 1) + 1
        return line, col

    def offset_of(self, line: int, col: int) -> int:
        """The offset in the parsed text of a 1-based line and column of the parsed text."""
        lines = self.parsed.split("\n")
        return sum(len(x) + 1 for x in lines[: line - 1]) + col - 1

    def where(self, node: Any) -> str:
        """`line L:C: ` for a parsed node that kept its position (identifiers and literals do), else ''."""
        start = start_of(node)
        if start is None:
            return ""
        line, col = self.position(start)
        return f"line {line}:{col}: "

    def hint(self) -> str:
        return placeholder_hint(self.original)


def start_of(node: Any) -> int | None:
    from sqlglot import exp

    best: int | None = None
    for n in node.walk() if isinstance(node, exp.Expression) else ():
        start = n.meta.get("start") if n.meta else None
        if start is not None and (best is None or start < best):
            best = int(start)
    return best


def placeholder_hint(sql: str) -> str:
    m = _PLACEHOLDER.search(sql)
    if m:
        return (
            f" (replace the placeholder {m.group(1)} with an event data store ID, "
            "e.g. FROM 0d3a6f2e-7b1c-4e5a-9c8d-2f4b6a8c0e1d)"
        )
    return ""


def parse(sql: str) -> tuple[Any, Source]:
    """The query's tree and its source, or InvalidQueryStatement with the line and column of the problem."""
    from sqlglot import exp
    from sqlglot.dialects.trino import Trino
    from sqlglot.errors import ParseError, TokenError

    src = Source.of(sql)
    if not src.parsed:
        raise InvalidQueryStatement("The query statement is empty.")
    trino = Trino()
    try:
        tokens = trino.tokenize(src.parsed)
        check_tokens(src, tokens)
        statements = [s for s in trino.parser().parse(tokens, src.parsed) if s is not None]
    except ParseError as exc:
        err = exc.errors[0] if exc.errors else {}
        where = ""
        if err.get("line"):
            near = str(err.get("highlight") or "")
            end = src.offset_of(int(err["line"]), int(err.get("col") or 1))
            line, col = src.position(max(0, end - len(near) + 1) if near else end)
            where = f"line {line}:{col}: "
        desc = _describe_parse_error(err) if err else str(exc).splitlines()[0]
        raise InvalidQueryStatement(f"{where}{desc}{src.hint()}") from None
    except TokenError as exc:
        raise InvalidQueryStatement(f"{exc}{src.hint()}") from None
    if len(statements) != 1:
        raise InvalidQueryStatement(f"Only one statement per query is allowed; found {len(statements)}.")
    tree = statements[0]
    if isinstance(tree, exp.Subquery):
        tree = tree.unnest()
    if not isinstance(tree, exp.Query) or isinstance(tree, exp.Command):
        kind = tree.key.upper() if hasattr(tree, "key") else type(tree).__name__
        raise InvalidQueryStatement(f"Only SELECT queries are allowed; this statement is {kind}{src.hint()}.")
    check_function_names(src, tokens, tree, denied_function)
    if tree.find(exp.Into):
        raise InvalidQueryStatement("SELECT ... INTO is not allowed: queries are read-only.")
    for node in tree.walk():
        if isinstance(
            node, exp.Command | exp.Insert | exp.Update | exp.Delete | exp.Create | exp.Drop | exp.Alter
        ):
            raise InvalidQueryStatement(f"{node.key.upper()} is not allowed: queries are read-only.")
    return tree, src


def _describe_parse_error(err: dict[str, Any]) -> str:
    """sqlglot's error, in Trino's words where they are known, never in terms of sqlglot's classes."""
    desc = str(err.get("description") or "syntax error")
    near = str(err.get("highlight") or "").strip()
    if near:
        return f"mismatched input '{near}'"
    desc = re.sub(r"<class '[\w.]+'>", "expression", desc)
    return re.sub(r"<Token token_type: [^,]+, text: (.*?), line: .*?>", r"'\1'", desc)
