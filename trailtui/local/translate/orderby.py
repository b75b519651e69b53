"""ORDER BY names output columns first, as in Trino (sql/select, "ORDER BY clause"; Trino's analyser puts
the select list's fields in the ORDER BY scope in front of the FROM's): in `SELECT -x AS x ... ORDER BY -x`
the `x` of the key is the output column, so the rows come in the order of the source's x. DuckDB binds an
alias only when it is the whole key, and a name inside an expression to the source column: the same query
gave the opposite order. Each such name is replaced by the expression its alias names."""

from __future__ import annotations

from typing import Any


def _outputs(select: Any) -> dict[str, Any | None]:
    """Each output name (lower case) -> the aliased expression, or None when the name is not one
    expression to put in its place (a plain column, or a name given twice: Trino's ambiguity)."""
    from sqlglot import exp

    out: dict[str, Any | None] = {}
    for p in select.expressions:
        name = p.alias_or_name.lower() if isinstance(p, exp.Alias | exp.Column) else ""
        if not name:
            continue
        aliased = p.this if isinstance(p, exp.Alias) else None
        if isinstance(aliased, exp.Column) and aliased.name.lower() == name and not aliased.table:
            aliased = None
        out[name] = None if name in out else aliased
    return out


def order_by_outputs(tree: Any) -> None:
    from sqlglot import exp

    for select in list(tree.find_all(exp.Select)):
        order = select.args.get("order")
        if order is None:
            continue
        outputs = {k: v for k, v in _outputs(select).items() if v is not None}
        if not outputs:
            continue
        for key in order.expressions:
            if isinstance(key.this, exp.Column | exp.Literal):
                continue  # a whole-key alias or ordinal: DuckDB reads it as Trino does
            for col in list(key.this.find_all(exp.Column)):
                if col.table or col.name.lower() not in outputs:
                    continue
                if col.find_ancestor(exp.Lambda, exp.Subquery, exp.Select) not in (None, select):
                    continue
                col.replace(exp.Paren(this=outputs[col.name.lower()].copy()))
