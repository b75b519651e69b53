"""Trino's math functions (Trino documentation: functions/math) where DuckDB lacks them or differs.

nan(), infinity() and e() are constants DuckDB spells differently; is_nan/is_finite/is_infinite are
DuckDB's isnan/isfinite/isinf; to_base prints lower-case digits in Trino; cbrt of a perfect cube is exact
in Java (Math.cbrt) but not in DuckDB's pow-based cbrt, so an exact integer root is snapped to.
"""

from __future__ import annotations

from typing import Any

_CONSTANTS = {
    "nan": "CAST('NaN' AS DOUBLE)",
    "infinity": "CAST('Infinity' AS DOUBLE)",
    "e": "exp(1)",
}
_RENAMES = {"is_nan": "isnan", "is_finite": "isfinite", "is_infinite": "isinf"}


def _parse(text: str, type_text: str) -> Any:
    import sqlglot
    from sqlglot import exp

    node = sqlglot.parse_one(text, read="duckdb")
    node.type = exp.DataType.build(type_text)
    return node


def rewrite_math(node: Any) -> Any:
    """A math function call in DuckDB's terms, or the node unchanged."""
    from sqlglot import exp

    if isinstance(node, exp.Anonymous):
        name = node.name.lower()
        args = [a.sql(dialect="duckdb", identify=True) for a in node.expressions]
        if name in _CONSTANTS and not args:
            return _parse(_CONSTANTS[name], "DOUBLE")
        if name in _RENAMES and len(args) == 1:
            return _parse(f"{_RENAMES[name]}(CAST({args[0]} AS DOUBLE))", "BOOLEAN")
        if name == "to_base" and len(args) == 2:
            return _parse(f"lower(to_base({args[0]}, {args[1]}))", "VARCHAR")
    if isinstance(node, exp.Cbrt):
        x = node.this.sql(dialect="duckdb", identify=True)
        # The argument once, through a one-element list (DuckDB has no LET).
        return _parse(
            f"list_transform([CAST({x} AS DOUBLE)], v -> CASE WHEN round(cbrt(v)) ^ 3 = v "
            f"THEN round(cbrt(v)) ELSE cbrt(v) END)[1]",
            "DOUBLE",
        )
    return node
