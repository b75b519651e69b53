"""Checks and rewrites on the parsed tree. Trino's functions are rewritten by trailtui.local.trino_functions."""

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
