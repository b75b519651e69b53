"""Expressions Trino refuses because their operands have no common type (Trino documentation:
functions/conditional, functions/logical, functions/comparison "IN"; language/types "Type coercion").

Trino coerces only within a family (integers, decimals and doubles with each other; varchar(n) with
varchar; date with timestamp): `CASE WHEN readOnly THEN 1 ELSE 'a' END`, `readOnly AND 1`, `NOT eventName`
and `eventName IN ('GetObject', 1)` fail before the query runs. DuckDB casts between families and answered
(`1`, `true`) or failed later with its own words; they are refused at StartQuery with Trino's reason.
"""

from __future__ import annotations

from typing import Any

from trailtui.local.errors import InvalidQueryStatement
from trailtui.local.translate.parse import Source, start_of
from trailtui.local.translate.types import trino_name

_TIME = ("TIMESTAMP", "TIMESTAMPTZ", "DATE", "DATETIME", "TIMESTAMPLTZ")
_NUMBER = ("TINYINT", "SMALLINT", "INT", "BIGINT", "DECIMAL", "FLOAT", "DOUBLE")
_TEXT = ("VARCHAR", "CHAR", "TEXT", "NVARCHAR")


def _family(node: Any) -> str | None:
    """The coercion family of an expression's Trino type; None when unknown, NULL or another type."""
    t = getattr(node, "type", None)
    name = t.this.name if t is not None else ""
    if name in _TEXT:
        return "text"
    if name in _NUMBER:
        return "number"
    if name == "BOOLEAN":
        return "boolean"
    if name in _TIME:
        return "time"
    return None


def _mixed(values: list[Any]) -> bool:
    families = {f for f in map(_family, values) if f is not None}
    # A string with a timestamp is left alone: Lake coerces time strings (docs/sql.md, "eventTime and
    # strings"), and it is refused later if the string is not a time.
    return len(families - {"text"} if families == {"text", "time"} else families) > 1


def _types(values: list[Any]) -> str:
    return ", ".join(dict.fromkeys(trino_name(v.type) for v in values if _family(v) is not None))


def _branches(node: Any) -> tuple[str, list[Any]] | None:
    from sqlglot import exp

    if isinstance(node, exp.Case):
        results = [i.args.get("true") for i in node.args.get("ifs") or []]
        return "CASE", [*results, node.args.get("default")]
    if isinstance(node, exp.If):
        return "IF", [node.args.get("true"), node.args.get("false")]
    if isinstance(node, exp.Coalesce):
        return "COALESCE", [node.this, *node.expressions]
    if isinstance(node, exp.Greatest | exp.Least):
        return type(node).__name__.upper(), [node.this, *node.expressions]
    return None


class _Where:
    """`line L:C: ` of a node, found only when an error is worded: found for every node checked, it walked a
    long AND chain's subtree at each of its links (quadratic: 10 KB of `a = a AND ...` took 1.7 s of CPU)."""

    def __init__(self, src: Source, node: Any) -> None:
        self.src, self.node = src, node

    def __format__(self, spec: str) -> str:
        return self.src.where(self.node)


def check_coercible(node: Any, src: Source) -> None:
    """Refuse `node` (InvalidQueryStatement) where Trino finds no common type for its operands."""
    from sqlglot import exp

    where = _Where(src, node)
    if isinstance(node, exp.And | exp.Or):
        for side, operand in (("Left", node.this), ("Right", node.expression)):
            family = _family(operand)
            if family not in (None, "boolean"):
                raise InvalidQueryStatement(
                    f"{where}{side} side of logical expression must evaluate to a boolean "
                    f"(actual: {trino_name(operand.type)})"
                )
        return
    if isinstance(node, exp.Not):
        family = _family(node.this)
        if family not in (None, "boolean"):
            raise InvalidQueryStatement(
                f"{where}Value of logical NOT expression must evaluate to a boolean "
                f"(actual: {trino_name(node.this.type)})"
            )
        return
    if isinstance(node, exp.In) and node.expressions:
        values = [node.this, *node.expressions]
        if _mixed(values):
            raise InvalidQueryStatement(
                f"{where}IN value and list items must be the same type: {_types(values)}"
            )
        return
    if isinstance(node, exp.Nullif):
        values = [node.this, node.expression]
        if _mixed(values):
            a, b = (trino_name(v.type) for v in values)
            raise InvalidQueryStatement(f"{where}Types are not comparable with NULLIF: {a} vs {b}")
        return
    found = _branches(node)
    if found is None:
        return
    name, values = found
    values = [v for v in values if v is not None]
    if _mixed(values):
        raise InvalidQueryStatement(
            f"{where}All {name} results must be the same type or coercible to a common type. "
            f"Cannot find common supertype for types {_types(values)}"
        )


def check_concat(node: Any, src: Source) -> None:
    """`||` and concat() take strings (or arrays): Trino has no implicit cast of a number, a boolean or a
    timestamp to varchar, so `'a' || 1` fails (functions/string: concat; functions/conversion)."""
    from sqlglot import exp

    args = [node.this, node.expression] if isinstance(node, exp.DPipe) else list(node.expressions)
    families = {_family(a) for a in args}
    if "text" in families and families & {"number", "boolean", "time"}:
        types = ", ".join(trino_name(a.type) for a in args)
        raise InvalidQueryStatement(f"{src.where(node)}Unexpected parameters ({types}) for function concat")
    # `array || element`, `element || array` and `array || array` are arrays (functions/array.html,
    # concatenation operator); sqlglot types every `||` varchar, so typeof() and what reads it were wrong.
    arrays = [a.type for a in args if a.type is not None and a.type.this == exp.DataType.Type.ARRAY]
    if arrays:
        node.type = max(arrays, key=lambda t: len(t.sql()))  # of two arrays, the one holding the other


def rows_as_tuples(node: Any) -> None:
    """`ROW(a, b) = ROW('x', 'y')` compares field by field in Trino (functions/comparison). DuckDB builds
    each ROW as a struct named after its fields' expressions ({'eventsource': ...} against {'_0': ...}),
    and structs with different names are never equal: the query counted 0 rows. Compared as tuples, the
    fields pair by position, as in Trino."""
    from sqlglot import exp

    def anonymous_row(side: Any) -> bool:
        return isinstance(side, exp.Struct) and not any(
            isinstance(e, exp.PropertyEQ | exp.Alias) for e in side.expressions
        )

    sides = [node.this, *node.expressions] if isinstance(node, exp.In) else [node.this, node.expression]
    if len(sides) < 2 or not all(anonymous_row(s) for s in sides):
        return
    for side in sides:
        row = exp.Tuple(expressions=list(side.expressions))
        row.type = side.type
        side.replace(row)


def quantified_operand(node: Any) -> Any:
    """What a comparison's right side compares with: for `x = ANY (SELECT y ...)` (ALL, SOME) the subquery's
    column, not the ANY node (sqlglot types it boolean: `eventName = ANY (SELECT eventName ...)` was refused
    as `varchar = boolean`)."""
    from sqlglot import exp

    if isinstance(node, exp.Any | exp.All):
        query = node.this.unnest() if isinstance(node.this, exp.Subquery | exp.Paren) else node.this
        if isinstance(query, exp.Select) and len(query.expressions) == 1:
            inner = query.expressions[0]
            return inner.unalias() if isinstance(inner, exp.Alias) else inner
        return exp.Null()  # the family is unknown: not refused here
    return node


# Trino's date_diff signatures, as its error lists them (functions/datetime.html#date_diff).
_DATE_DIFF_EXPECTED = ", ".join(
    f"date_diff(varchar(x), {t}, {t})"
    for t in ("date", "time(p)", "time(p) with time zone", "timestamp(p)", "timestamp(p) with time zone")
)


def check_date_diff(tree: Any, src: Source) -> None:
    """date_diff takes dates, times or timestamps: Trino casts no varchar to them implicitly, so
    `date_diff('day', '2026-11-01', '2026-11-20')` fails (DuckDB's error named its own date_sub)."""
    import re

    from sqlglot import exp

    for node in tree.find_all(exp.DateDiff):
        unit = node.args.get("unit")
        args = [node.expression, node.this]  # date_diff(unit, earlier, later)
        if unit is None or not any(_family(a) in ("text", "number", "boolean") for a in args):
            continue
        unit_type = f"varchar({len(unit.name)})" if isinstance(unit, exp.Literal | exp.Var) else "varchar"
        types = ", ".join([unit_type, *(trino_name(a.type) for a in args)])
        start = start_of(node)
        calls = [m.start() for m in re.finditer(r"\bdate_diff\s*\(", src.parsed, re.I)]
        before = [c for c in calls if start is None or c <= start]
        line, col = src.position(before[-1]) if before else (0, 0)
        where = f"line {line}:{col}: " if before else ""
        raise InvalidQueryStatement(
            f"{where}Unexpected parameters ({types}) for function date_diff. Expected: {_DATE_DIFF_EXPECTED}"
        )
