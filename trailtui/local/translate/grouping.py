"""Trino's words and position for a column that an aggregating query neither groups nor aggregates.

DuckDB finds the error (its binder knows what is grouped) but names only the column, lower-cased, with no
position: `column "eventtime" must appear in the GROUP BY clause`. Trino's analyzer names the select item,
HAVING condition or ORDER BY key that holds it, as written, at its position
(T: sql/analyzer/AggregationAnalyzer: "line 1:8: 'eventTime' must be an aggregate expression or appear in
GROUP BY clause"). So the query's aggregating SELECTs are noted as parsed, before anything rewrites them, and
DuckDB's column is traced back to the first expression that uses it outside an aggregate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from trailtui.local.translate.parse import Source

_MESSAGE = re.compile(r"^'([^']+)' must be an aggregate expression or appear in GROUP BY clause$")
# Trino's aggregates that sqlglot does not parse as aggregate functions.
_AGGREGATES = frozenset(
    {
        "map_agg", "multimap_agg", "approx_most_frequent", "checksum", "every", "bool_and", "bool_or",
        "bitwise_and_agg", "bitwise_or_agg", "histogram", "geometric_mean", "kurtosis", "skewness",
        "listagg", "numeric_histogram", "reduce_agg", "map_union", "approx_set", "merge", "tdigest_agg",
        "qdigest_agg", "arbitrary", "any_value",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Site:
    """One expression of an aggregating SELECT: as Trino prints it, where it is, and the columns it uses
    outside aggregates (lower-case, every part of a dotted name)."""

    text: str
    where: str
    columns: frozenset[str]


def _is_aggregate(node: Any) -> bool:
    from sqlglot import exp

    if isinstance(node, exp.AggFunc | exp.Window):
        return True
    return isinstance(node, exp.Anonymous) and str(node.name).lower() in _AGGREGATES


def _free_columns(expr: Any) -> frozenset[str]:
    from sqlglot import exp

    out: set[str] = set()
    stack = [expr]
    while stack:
        node = stack.pop()
        if _is_aggregate(node) or isinstance(node, exp.Subquery | exp.Select):
            continue
        if isinstance(node, exp.Column):
            out.update(str(p.name).lower() for p in node.parts)
            continue
        stack.extend(node.iter_expressions())
    return frozenset(out)


def _text(expr: Any, src: Source) -> str:
    """The expression as Trino prints it: a column or field path as written; anything else in Trino SQL."""
    from sqlglot import exp

    if isinstance(expr, exp.Column):
        return ".".join(str(p.name) for p in expr.parts)
    return str(expr.sql(dialect="trino", normalize_functions="lower"))


def _where(expr: Any, src: Source) -> str:
    """`line L:C: ` of the expression's start: its first name or literal, moved back over the function calls
    that open before it (`upper(lower(eventName))` starts at `upper`)."""
    from trailtui.local.translate.parse import start_of

    start = start_of(expr)
    if start is None:
        return ""
    calls = re.search(r"(?:[A-Za-z_]\w*\s*\(\s*)+$", src.parsed[:start])
    if calls is not None:
        start = calls.start()
    line, col = src.position(start)
    return f"line {line}:{col}: "


def _grouped(select: Any) -> tuple[set[int], set[str]]:
    """The select items grouped by position, and the grouping expressions' SQL."""
    from sqlglot import exp

    group = select.args.get("group")
    positions: set[int] = set()
    texts: set[str] = set()
    for g in group.expressions if group is not None else []:
        if isinstance(g, exp.Literal) and not g.is_string and g.name.isdigit():
            positions.add(int(g.name))
        else:
            texts.add(g.sql(dialect="trino").lower())
    return positions, texts


def group_sites(tree: Any, src: Source) -> list[Site]:
    """The expressions of the query's aggregating SELECTs, in Trino's order of checking (select list, HAVING,
    ORDER BY), that DuckDB's error may be about."""
    from sqlglot import exp

    sites: list[Site] = []
    for select in tree.find_all(exp.Select):
        if select.args.get("group") is None and not any(
            _is_aggregate(n) for e in select.expressions for n in e.walk()
        ):
            continue
        positions, texts = _grouped(select)
        items: list[Any] = []
        for i, item in enumerate(select.expressions, start=1):
            inner = item.unalias() if isinstance(item, exp.Alias) else item
            if i not in positions and inner.sql(dialect="trino").lower() not in texts:
                items.append(inner)
        having = select.args.get("having")
        items += [having.this] if having is not None else []
        order = select.args.get("order")
        items += [o.this for o in order.expressions] if order is not None else []
        for expr in items:
            cols = _free_columns(expr)
            if cols:
                sites.append(Site(_text(expr, src), _where(expr, src), cols))
    return sites


def locate_group_error(message: str, sites: list[Site]) -> str | None:
    """Trino's message for DuckDB's (already reworded) GROUP BY error, or None if it is another error."""
    m = _MESSAGE.match(message)
    if m is None:
        return None
    column = m.group(1).lower()
    for site in sites:
        if column in site.columns:
            return f"{site.where}'{site.text}' must be an aggregate expression or appear in GROUP BY clause"
    return None
