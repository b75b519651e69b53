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


# Arrays and rows compare as Trino compares them (functions/comparison; Trino's ArrayEqualOperator and
# RowEqualOperator): equal is false as soon as two non-null elements differ, else NULL if an element is
# NULL, else true; DuckDB treats NULL elements as equal values (`ARRAY[1, NULL] = ARRAY[1, NULL]` was
# true). Ordering two arrays fails when it reaches a NULL element before a difference ("ARRAY comparison
# not supported for arrays with null elements"). Elements that are themselves arrays or rows compare
# with DuckDB's meaning inside.
_ARRAY_EQ = (
    "CASE WHEN {0} IS NULL OR {1} IS NULL THEN NULL WHEN len({0}) <> len({1}) THEN false "
    "WHEN coalesce(list_bool_or(list_transform(range(1, len({0}) + 1), "
    "lambda __i: {0}[__i] <> {1}[__i])), false) THEN false "
    "WHEN list_count({0}) < len({0}) OR list_count({1}) < len({1}) THEN NULL ELSE true END"
)
_ARRAY_ORDER = (
    "CASE WHEN list_filter(list_transform(range(1, least(len({1}), len({2})) + 1), lambda __i: "
    "CASE WHEN {1}[__i] IS NULL OR {2}[__i] IS NULL THEN 1 WHEN {1}[__i] <> {2}[__i] THEN 0 END), "
    "lambda __c: __c IS NOT NULL)[1] = 1 "
    "THEN error('ARRAY comparison not supported for arrays with null elements') ELSE {0} END"
)


def _row_fields(node: Any) -> list[str] | None:
    """Templates of a row operand's fields, by position: a tuple's expressions or a struct's fields."""
    from sqlglot import exp

    t = getattr(node, "type", None)
    if isinstance(node, exp.Tuple):
        return None
    if t is not None and t.this == exp.DataType.Type.STRUCT and t.expressions:
        return [f"struct_extract_at(SIDE, {i})" for i in range(1, len(t.expressions) + 1)]
    return None


def _row_equal(node: Any) -> Any | None:
    from sqlglot import exp

    a, b = node.this, node.expression
    if isinstance(a, exp.Tuple) and isinstance(b, exp.Tuple) and len(a.expressions) == len(b.expressions):
        n = len(a.expressions)
        operands = [*a.expressions, *b.expressions]
        pairs = [(f"{{{i}}}", f"{{{n + i}}}") for i in range(n)]
    else:
        fa, fb = _row_fields(a), _row_fields(b)
        if fa is None or fb is None or len(fa) != len(fb):
            return None
        operands = [a, b]
        pairs = [(x.replace("SIDE", "{0}"), y.replace("SIDE", "{1}")) for x, y in zip(fa, fb, strict=True)]
    differs = " OR ".join(f"({x} <> {y}) IS TRUE" for x, y in pairs)
    nulls = " OR ".join(f"{x} IS NULL OR {y} IS NULL" for x, y in pairs)
    text = f"CASE WHEN {differs} THEN false WHEN {nulls} THEN NULL ELSE true END"
    if not isinstance(a, exp.Tuple):
        text = f"CASE WHEN {{0}} IS NULL OR {{1}} IS NULL THEN NULL ELSE ({text}) END"
    return late(text, operands, "BOOLEAN")


def nested_comparison(node: Any) -> Any | None:
    """An = <> < <= > >= between arrays or rows with Trino's meaning, or None if `node` compares neither."""
    from sqlglot import exp

    a, b = node.this, node.expression
    kinds = {_kind(a), _kind(b)}
    if kinds == {"ARRAY"}:
        if isinstance(node, exp.EQ | exp.NEQ):
            equal = late(_ARRAY_EQ, [a, b], "BOOLEAN")
            return equal if isinstance(node, exp.EQ) else late("(NOT {0})", [equal], "BOOLEAN")
        return late(_ARRAY_ORDER, [node, a, b], "BOOLEAN")
    if isinstance(node, exp.EQ | exp.NEQ) and (kinds == {"STRUCT"} or isinstance(a, exp.Tuple)):
        equal = _row_equal(node)
        if equal is None:
            return None
        return equal if isinstance(node, exp.EQ) else late("(NOT {0})", [equal], "BOOLEAN")
    return None
