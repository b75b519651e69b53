"""Trino's math functions (Trino documentation: functions/math) where DuckDB lacks them or differs.

nan(), infinity() and e() are constants DuckDB spells differently; is_nan/is_finite/is_infinite are
DuckDB's isnan/isfinite/isinf; to_base prints lower-case digits in Trino; cbrt of a perfect cube is exact
in Java (Math.cbrt) but not in DuckDB's pow-based cbrt, so an exact integer root is snapped to.
"""

from __future__ import annotations

from typing import Any

from trailtui.local.translate.late import late

_CONSTANTS = {
    "nan": "CAST('NaN' AS DOUBLE)",
    "infinity": "CAST('Infinity' AS DOUBLE)",
    "e": "exp(1)",
}
_RENAMES = {"is_nan": "isnan", "is_finite": "isfinite", "is_infinite": "isinf"}


def rewrite_math(node: Any) -> Any:
    """A math function call in DuckDB's terms, or the node unchanged."""
    from sqlglot import exp

    if isinstance(node, exp.Anonymous):
        name = node.name.lower()
        args = list(node.expressions)
        if name in _CONSTANTS and not args:
            return late(_CONSTANTS[name], [], "DOUBLE")
        if name in _RENAMES and len(args) == 1:
            return late(f"{_RENAMES[name]}(CAST({{0}} AS DOUBLE))", args, "BOOLEAN")
        if name == "to_base" and len(args) == 2:
            return late("lower(to_base({0}, {1}))", args, "VARCHAR")
    if isinstance(node, exp.Cbrt):
        # The argument once, through a one-element list (DuckDB has no LET).
        return late(
            "list_transform([CAST({0} AS DOUBLE)], v -> CASE WHEN round(cbrt(v)) ^ 3 = v "
            "THEN round(cbrt(v)) ELSE cbrt(v) END)[1]",
            [node.this],
            "DOUBLE",
        )
    return node
