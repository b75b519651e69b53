"""Comparisons with Trino's meaning (Trino documentation: functions/comparison, language/types "Type
coercion"): comparing values of type families Trino does not coerce between is refused with Trino's words
and position, and NaN compares false with everything (split from operators.py, which types the operands)."""

from __future__ import annotations

from typing import Any

from trailtui.local.errors import InvalidQueryStatement
from trailtui.local.translate.coercion import quantified_operand as compared_with
from trailtui.local.translate.late import late
from trailtui.local.translate.parse import Source
from trailtui.local.translate.types import trino_name


def _kind(node: Any) -> str:
    t = getattr(node, "type", None)
    return t.this.name if t is not None else "UNKNOWN"


def is_float(node: Any) -> bool:
    return _kind(node) in ("FLOAT", "DOUBLE")


def is_text(node: Any) -> bool:
    return _kind(node) in ("VARCHAR", "CHAR", "TEXT", "NVARCHAR")


def is_numeric(node: Any) -> bool:
    return _kind(node) in ("TINYINT", "SMALLINT", "INT", "BIGINT", "DECIMAL", "FLOAT", "DOUBLE")


def operator_at(src: Source, node: Any, symbol: str) -> str:
    """`line L:C: ` of a binary operator: the first `symbol` after its left operand."""
    from trailtui.local.translate.parse import start_of

    left_end = max((int(n.meta["end"]) for n in node.this.walk() if n.meta and "end" in n.meta), default=None)
    if left_end is None:
        return src.where(node)
    at = src.parsed.find(symbol, left_end + 1)
    if at < 0:
        start = start_of(node)
        at = start if start is not None else 0
    line, col = src.position(at)
    return f"line {line}:{col}: "


_SYMBOLS = {"EQ": "=", "NEQ": "<>", "GT": ">", "GTE": ">=", "LT": "<", "LTE": "<="}


def is_time(node: Any) -> bool:
    return _kind(node) in ("TIMESTAMP", "TIMESTAMPTZ", "DATE", "DATETIME", "TIMESTAMPLTZ")


def _family(node: Any) -> str:
    if is_text(node):
        return "text"
    if is_numeric(node):
        return "number"
    if _kind(node) == "BOOLEAN":
        return "boolean"
    if is_time(node):
        return "time"
    return "other"


# Pairs of type families Trino cannot compare (no implicit coercion between them). A string compared with
# a timestamp is not among them: Lake coerces string literals compared with eventTime.
_INCOMPARABLE = {
    frozenset(("text", "number")),
    frozenset(("text", "boolean")),
    frozenset(("boolean", "number")),
    frozenset(("time", "number")),
    frozenset(("time", "boolean")),
}


def check_comparable(node: Any, src: Source) -> None:
    a, b = node.this, compared_with(node.expression)
    if frozenset((_family(a), _family(b))) in _INCOMPARABLE:
        symbol = _SYMBOLS.get(type(node).__name__, "=")
        if symbol == "<>" and "!=" in src.parsed:
            symbol = "!="
        raise InvalidQueryStatement(
            f"{operator_at(src, node, symbol)}Cannot apply operator: "
            f"{trino_name(a.type)} {symbol} {trino_name(b.type)}"
        )


def nan_safe(node: Any) -> Any:
    """Trino: NaN compares false with everything. DuckDB: NaN = NaN and NaN is the greatest double."""
    from sqlglot import exp

    a, b = node.this, node.expression
    if not (is_float(a) or is_float(b)):
        return node
    checks = [x for x in (a, b) if is_float(x) and not isinstance(x, exp.Literal)]
    if not checks:
        return node
    cond = " OR ".join(f"isnan({{{i + 1}}})" for i in range(len(checks)))
    answer = "true" if isinstance(node, exp.NEQ) else "false"
    args = [node, *checks]
    return late(f"CASE WHEN {cond} THEN {answer} ELSE {{0}} END", args, "BOOLEAN")
