"""Rewrites of Trino constructs DuckDB lacks or reads differently, on the parsed tree."""

from __future__ import annotations

from typing import Any

from trailtui.local.errors import InvalidQueryStatement

_TIME_COLUMNS = {"eventtime"}


def check_time_literals(tree: Any) -> None:
    """Lake compares eventTime with string literals; one that is not a time is the query's error, said now
    (DuckDB would only fail when the comparison runs)."""
    from datetime import datetime

    from sqlglot import exp

    for cmp in tree.find_all(exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Between):
        sides = (
            [cmp.this, cmp.expression]
            if not isinstance(cmp, exp.Between)
            else [cmp.this, cmp.args.get("low"), cmp.args.get("high")]
        )
        if not any(isinstance(x, exp.Column) and x.name.lower() in _TIME_COLUMNS for x in sides):
            continue
        for lit in sides:
            if isinstance(lit, exp.Literal) and lit.is_string:
                text = lit.this.strip()
                try:
                    datetime.fromisoformat(text.replace("Z", "+00:00").replace(" UTC", "+00:00"))
                except ValueError:
                    raise InvalidQueryStatement(
                        f"'{text}' is not a valid timestamp for comparison with eventTime "
                        "(use 'YYYY-MM-DD HH:MM:SS')."
                    ) from None


def rewrite_functions(tree: Any) -> Any:
    """Trino functions that DuckDB does not have, as DuckDB expressions."""
    from sqlglot import exp

    def lam_not(lam: Any) -> Any:
        return exp.Lambda(this=exp.Not(this=exp.Paren(this=lam.this.copy())), expressions=lam.expressions)

    def count_matching(arr: Any, lam: Any) -> Any:
        return exp.Anonymous(
            this="len", expressions=[exp.Anonymous(this="list_filter", expressions=[arr, lam])]
        )

    def transform(node: Any) -> Any:
        if not isinstance(node, exp.Anonymous):
            return node
        name = node.name.lower()
        args = node.expressions
        if (
            name in ("any_match", "all_match", "none_match")
            and len(args) == 2
            and isinstance(args[1], exp.Lambda)
        ):
            arr, lam = args
            if name == "any_match":  # true if some element matches
                return exp.GT(this=count_matching(arr, lam), expression=exp.Literal.number(0))
            if name == "none_match":
                return exp.EQ(this=count_matching(arr, lam), expression=exp.Literal.number(0))
            return exp.EQ(this=count_matching(arr, lam_not(lam)), expression=exp.Literal.number(0))
        if name == "json_array_get" and len(args) == 2:
            j, idx = args
            if isinstance(idx, exp.Literal) and not idx.is_string:
                k = int(idx.name)
                path = f"$[{k}]" if k >= 0 else f"$[#{k}]"
                return exp.Anonymous(this="json_extract", expressions=[j, exp.Literal.string(path)])
            if isinstance(idx, exp.Neg) and isinstance(idx.this, exp.Literal):
                return exp.Anonymous(
                    this="json_extract", expressions=[j, exp.Literal.string(f"$[#-{int(idx.this.name)}]")]
                )
            dynamic = exp.Anonymous(
                this="concat", expressions=[exp.Literal.string("$["), idx, exp.Literal.string("]")]
            )
            return exp.Anonymous(this="json_extract", expressions=[j, dynamic])
        return node

    return tree.transform(transform)
