"""sum and avg with Trino's result types (Trino documentation: functions/aggregate, "General aggregate
functions"; the types are those of Trino's aggregation implementations).

- sum of integers is a bigint, and fails past bigint's range (`bigint addition overflow`); DuckDB sums
  into a 128-bit integer and would print a number Trino never gives.
- sum of decimal(p, s) is decimal(38, s) (DuckDB's too: only the type is recorded).
- avg of decimal(p, s) is decimal(p, s), rounded half up: `avg(CASE WHEN errorCode IS NULL THEN 1.0 ELSE
  0.0 END)` is `0.9`, not DuckDB's double `0.8934...`. Computed exactly from the sum and the count.
"""

from __future__ import annotations

from typing import Any

from trailtui.local.translate.late import late

_INTS = ("TINYINT", "SMALLINT", "INT", "BIGINT")


def _kind(node: Any) -> str:
    t = getattr(node, "type", None)
    return t.this.name if t is not None else "UNKNOWN"


def _decimal(node: Any) -> tuple[int, int] | None:
    """(precision, scale) of a decimal expression, None where the type does not say (then DuckDB's answer
    stands, as for any expression the translator cannot type)."""
    params = [int(p.name) for p in node.type.expressions if p.name.isdigit()]
    return (params[0], params[1]) if len(params) == 2 else None


def rewrite_aggregate(node: Any) -> Any | None:
    """A sum or avg (or the window / FILTER around one) with Trino's type and meaning, or None."""
    from sqlglot import exp

    if isinstance(node.parent, exp.Window | exp.Filter) and node.parent.this is node:
        return None  # rewritten with the window or FILTER around it
    agg = node
    while isinstance(agg, exp.Window | exp.Filter):
        agg = agg.this
    if not isinstance(agg, exp.Sum | exp.Avg) or isinstance(agg.this, exp.Distinct):
        return None
    arg = agg.this
    if isinstance(agg, exp.Sum) and _kind(arg) in _INTS:
        return late(
            "CASE WHEN ({0}) NOT BETWEEN -9223372036854775808 AND 9223372036854775807 "
            "THEN error('bigint addition overflow') ELSE CAST({0} AS BIGINT) END",
            [node],
            "BIGINT",
        )
    params = _decimal(arg) if _kind(arg) == "DECIMAL" else None
    if params is None:
        return None
    p, s = params
    if isinstance(agg, exp.Sum):
        node.type = exp.DataType.build(f"DECIMAL(38, {s})")
        return node
    total_agg = exp.Sum(this=exp.cast(arg.copy(), f"DECIMAL(38, {s})"))
    count_agg = exp.Count(this=arg.copy())
    total = f"CAST({{0}} * {10**s} AS HUGEINT)"
    count = "{1}"
    step = f"0.{'0' * (s - 1)}1" if s else "1"
    text = (
        f"CASE WHEN {count} = 0 THEN NULL ELSE CAST(CAST(sign({total}) * "
        f"((2 * abs({total}) + {count}) // (2 * {count})) AS DECIMAL(38, 0)) * {step} AS DECIMAL({p}, {s})) END"
    )
    return late(
        text, [_with_aggregate(node, total_agg), _with_aggregate(node, count_agg)], f"DECIMAL({p}, {s})"
    )


def _with_aggregate(node: Any, agg: Any) -> Any:
    """A copy of `node` (an aggregate, or the window / FILTER around one) computing `agg` instead."""
    from sqlglot import exp

    if not isinstance(node, exp.Window | exp.Filter):
        return agg
    out = node.copy()
    out.set("this", _with_aggregate(node.this, agg))
    return out
