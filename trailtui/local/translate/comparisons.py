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


# Arrays, maps and rows compare as Trino compares them, at every depth (equality.py). Ordering two arrays
# fails when it reaches a NULL element before a difference ("ARRAY comparison not supported for arrays with
# null elements").
_ARRAY_ORDER = (
    "CASE WHEN list_filter(list_transform(range(1, least(len({1}), len({2})) + 1), lambda __i: "
    "CASE WHEN {1}[__i] IS NULL OR {2}[__i] IS NULL THEN 1 WHEN {1}[__i] <> {2}[__i] THEN 0 END), "
    "lambda __c: __c IS NOT NULL)[1] = 1 "
    "THEN error('ARRAY comparison not supported for arrays with null elements') ELSE {0} END"
)


def _row_equal(node: Any) -> Any | None:
    from sqlglot import exp

    from trailtui.local.translate.equality import equal_sql, pairs_equal

    a, b = node.this, node.expression
    if isinstance(a, exp.Tuple) and isinstance(b, exp.Tuple) and len(a.expressions) == len(b.expressions):
        n = len(a.expressions)
        if n == 0:
            return None
        operands = [*a.expressions, *b.expressions]
        pairs = [
            (f"{{{i}}}", f"{{{n + i}}}", _wider(x, y))
            for i, (x, y) in enumerate(zip(a.expressions, b.expressions, strict=True))
        ]
        return late(pairs_equal(pairs), operands, "BOOLEAN")
    if _kind(a) != "STRUCT" or not a.type.expressions or _kind(b) != "STRUCT":
        return None
    if len(a.type.expressions) != len(b.type.expressions):
        return None
    return late(equal_sql("{0}", "{1}", a.type), [a, b], "BOOLEAN")


def _wider(x: Any, y: Any) -> Any:
    """The type that tells how to compare two fields: a nested one if either is nested."""
    from trailtui.local.translate.equality import is_nested

    tx, ty = getattr(x, "type", None), getattr(y, "type", None)
    return tx if is_nested(tx) or not is_nested(ty) else ty


def nested_comparison(node: Any) -> Any | None:
    """An = <> < <= > >= between arrays or rows with Trino's meaning, or None if `node` compares neither."""
    from sqlglot import exp

    a, b = node.this, node.expression
    kinds = {_kind(a), _kind(b)}
    if kinds in ({"ARRAY"}, {"MAP"}):
        from trailtui.local.translate.equality import equal_sql

        if isinstance(node, exp.EQ | exp.NEQ):
            equal = late(equal_sql("{0}", "{1}", _wider(a, b)), [a, b], "BOOLEAN")
            return equal if isinstance(node, exp.EQ) else late("(NOT {0})", [equal], "BOOLEAN")
        return late(_ARRAY_ORDER, [node, a, b], "BOOLEAN") if kinds == {"ARRAY"} else None
    if isinstance(node, exp.EQ | exp.NEQ) and (kinds == {"STRUCT"} or isinstance(a, exp.Tuple)):
        equal = _row_equal(node)
        if equal is None:
            return None
        return equal if isinstance(node, exp.EQ) else late("(NOT {0})", [equal], "BOOLEAN")
    return None
