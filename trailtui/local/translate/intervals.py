"""Trino's two interval types on DuckDB's one (Trino documentation: language/types "INTERVAL YEAR TO MONTH"
and "INTERVAL DAY TO SECOND"; functions/datetime "Date and time operators").

DuckDB has a single INTERVAL (months, days, microseconds). Trino has two types that do not mix: a year to
month interval (`INTERVAL '14' MONTH`, `INTERVAL '1-2' YEAR TO MONTH`, printed `1-2`) and a day to second one
(`INTERVAL '2' DAY`, `INTERVAL '1 02:03:04' DAY TO SECOND`, printed `1 02:03:04.000`). The family travels as
a tag in the expression's type (like a timestamp's zone, types.py), so that typeof() names it and the
renderer prints it; adding one family to the other is refused as Trino refuses it.
"""

from __future__ import annotations

import re
from typing import Any

from trailtui.local.errors import InvalidQueryStatement
from trailtui.local.translate.comparisons import is_numeric, operator_at
from trailtui.local.translate.late import late
from trailtui.local.translate.parse import Source

FAMILY = "trino_interval"
YEAR_MONTH = "interval year to month"
DAY_SECOND = "interval day to second"

_MICROS = {"DAY": 86_400_000_000, "HOUR": 3_600_000_000, "MINUTE": 60_000_000, "SECOND": 1_000_000}
_DAY_FIELDS = ["DAY", "HOUR", "MINUTE", "SECOND"]


def interval_family(t: Any) -> str | None:
    """The Trino interval type of a sqlglot DataType, or None if it is not an interval."""
    from sqlglot import exp

    if t is None or t.this != exp.DataType.Type.INTERVAL:
        return None
    return str((t.meta or {}).get(FAMILY, DAY_SECOND))


def interval_type(family: str) -> Any:
    """The sqlglot DataType of a Trino interval family."""
    from sqlglot import exp

    t = exp.DataType.build("INTERVAL")
    t.meta[FAMILY] = family
    return t


def _typed(node: Any, family: str) -> Any:
    node.type = interval_type(family)
    return node


def _invalid(text: str) -> Exception:
    return InvalidQueryStatement(f"'{text}' is not a valid INTERVAL literal")


def _day_micros(text: str, fields: list[str]) -> int:
    """Microseconds of a day to second literal's text for its fields (`1 02:03:04.5` for DAY TO SECOND,
    `02:03` for HOUR TO MINUTE), as Trino reads them."""
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("+-")
    parts = re.split(r"[ :]", body)
    if len(parts) != len(fields) or not all(
        re.fullmatch(r"\d+(\.\d+)?" if f == "SECOND" else r"\d+", p)
        for p, f in zip(parts, fields, strict=True)
    ):
        raise _invalid(text)
    if fields[0] == "DAY" and len(fields) > 1 and " " not in body:
        raise _invalid(text)
    total = 0
    for part, f in zip(parts, fields, strict=True):
        total += round(float(part) * _MICROS[f]) if "." in part else int(part) * _MICROS[f]
    return sign * total


def type_interval(node: Any) -> Any:
    """An interval literal typed with its Trino family; `x TO y` literals (which DuckDB cannot read) become
    one-unit intervals of the same length."""
    from sqlglot import exp

    unit = node.args.get("unit")
    text = node.this.name if isinstance(node.this, exp.Literal) else None
    if isinstance(unit, exp.IntervalSpan):
        first, last = unit.this.name.upper(), unit.expression.name.upper()
        if text is None:
            return node
        if (first, last) == ("YEAR", "MONTH"):
            m = re.fullmatch(r"([+-]?)(\d+)-(\d+)", text.strip())
            if not m or int(m.group(3)) > 11:
                raise _invalid(text)
            months = int(m.group(2)) * 12 + int(m.group(3))
            out = exp.Interval(this=exp.Literal.string(f"{m.group(1)}{months}"), unit=exp.var("MONTH"))
            return _typed(out, YEAR_MONTH)
        if (
            first in _DAY_FIELDS
            and last in _DAY_FIELDS
            and _DAY_FIELDS.index(first) < _DAY_FIELDS.index(last)
        ):
            fields = _DAY_FIELDS[_DAY_FIELDS.index(first) : _DAY_FIELDS.index(last) + 1]
            micros = _day_micros(text.strip(), fields)
            out = exp.Interval(this=exp.Literal.string(str(micros)), unit=exp.var("MICROSECOND"))
            return _typed(out, DAY_SECOND)
        raise InvalidQueryStatement(f"Invalid interval qualifier: {first} TO {last}")
    name = unit.name.upper() if unit is not None else ""
    if name in ("YEAR", "MONTH"):
        if text is not None and not re.fullmatch(r"[+-]?\d+", text.strip()):
            raise _invalid(text)  # DuckDB reads '1.5' MONTH as a month and 15 days
        return _typed(node, YEAR_MONTH)
    return _typed(node, DAY_SECOND)


def _months(x: str) -> str:
    return f"(datepart('year', {x}) * 12 + datepart('month', {x}))"


def interval_operator(node: Any, src: Source) -> Any | None:
    """+ - * / and negation with an interval operand, typed with its family, or None if `node` has no
    interval operand. A year to month interval times or divided by a number stays whole months,
    truncated as Trino truncates them (DuckDB spills the fraction into days)."""
    from sqlglot import exp

    if isinstance(node, exp.Neg):
        family = interval_family(node.this.type)
        return _typed(node, family) if family else None
    a, b = node.this, node.expression
    fa, fb = interval_family(a.type), interval_family(b.type)
    if fa is None and fb is None:
        return None
    if isinstance(node, exp.Add | exp.Sub) and fa and fb:
        if fa != fb:
            symbol = "+" if isinstance(node, exp.Add) else "-"
            raise InvalidQueryStatement(
                f"{operator_at(src, node, symbol)}Cannot apply operator: {fa} {symbol} {fb}"
            )
        return _typed(node, fa)
    if isinstance(node, exp.Mul | exp.Div) and (fa is None) != (fb is None):
        interval, number = (a, b) if fa else (b, a)
        family = fa or fb
        if isinstance(node, exp.Div) and fb is not None:
            return None  # a number divided by an interval: no such operator, DuckDB says so
        if not is_numeric(number):
            return None
        if family == YEAR_MONTH:
            op = "*" if isinstance(node, exp.Mul) else "/"
            text = f"to_months(CAST(trunc({_months('{0}')} {op} ({{1}})) AS INTEGER))"
            return late(text, [interval, number], interval_type(YEAR_MONTH))
        return _typed(node, DAY_SECOND)
    return None
