"""Trino's math functions (Trino documentation: functions/math) where DuckDB lacks them or differs.

round/ceil/floor of decimals keep Trino's result types; sign of a double is a double (NaN for NaN).
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


def _decimal_rounding(node: Any) -> Any:
    """round/ceil/floor/truncate of a decimal have Trino's result types: round(x, d) keeps x's scale
    (`round(DECIMAL '1.25', 1)` is `1.30`, decimal(min(38, p + 1), s)); without digits the result is
    decimal(p - s + min(s, 1), 0)."""
    from sqlglot import exp

    from trailtui.local.translate.operators import decimal_params

    p, s = decimal_params(node.this)
    digits = node.args.get("decimals") if isinstance(node, exp.Round) else None
    if digits is not None:
        rp = min(38, p + 1)
        return late(
            f"CAST(round({{0}}, {{1}}) AS DECIMAL({rp}, {s}))", [node.this, digits], f"DECIMAL({rp}, {s})"
        )
    node.type = exp.DataType.build(f"DECIMAL({max(1, p - s + min(s, 1))}, 0)")
    return node


def rewrite_math(node: Any) -> Any:
    """A math function call in DuckDB's terms, or the node unchanged."""
    from sqlglot import exp

    from trailtui.local.translate.operators import kind

    if isinstance(node, exp.Round | exp.Ceil | exp.Floor) and kind(node.this) == "DECIMAL":
        return _decimal_rounding(node)
    if isinstance(node, exp.Trunc) and kind(node.this) == "DECIMAL" and node.args.get("decimals") is not None:
        # truncate(x, n) of a decimal keeps x's type: truncate(1.99, 1) is 1.90 (functions/math)
        t = node.this.type
        return late(
            f"CAST(trunc({{0}}, {{1}}) AS {t.sql(dialect='duckdb')})", [node.this, node.args["decimals"]], t
        )
    if isinstance(node, exp.Sign) and kind(node.this) in ("DOUBLE", "FLOAT"):
        # Trino's sign of a double is a double, and NaN for NaN.
        return late(
            "CASE WHEN isnan({0}) THEN {0} ELSE CAST(sign({0}) AS DOUBLE) END", [node.this], node.this.type
        )

    if isinstance(node, exp.Anonymous):
        name = node.name.lower()
        args = list(node.expressions)
        if name in _CONSTANTS and not args:
            return late(_CONSTANTS[name], [], "DOUBLE")
        if name in _RENAMES and len(args) == 1:
            return late(f"{_RENAMES[name]}(CAST({{0}} AS DOUBLE))", args, "BOOLEAN")
        if name == "to_base" and len(args) == 2:
            # Java's Long.toString(x, radix): lower-case digits, a minus sign for negatives (`-ff`)
            return late(
                "CASE WHEN ({0}) < 0 THEN '-' || lower(to_base(-({0}), {1})) ELSE lower(to_base({0}, {1})) END",
                args,
                "VARCHAR",
            )
    if isinstance(node, exp.Cbrt):
        # The argument once, through a one-element list (DuckDB has no LET).
        return late(
            "list_transform([CAST({0} AS DOUBLE)], v -> CASE WHEN round(cbrt(v)) ^ 3 = v "
            "THEN round(cbrt(v)) ELSE cbrt(v) END)[1]",
            [node.this],
            "DOUBLE",
        )
    return node
