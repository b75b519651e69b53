"""Operators with Trino's meaning for their operand types (Trino documentation: functions/math "Mathematical
operators", functions/decimal, functions/comparison, functions/array and functions/map "Subscript
operator", language/types).

- Literals are typed as Trino types them: `2` integer (bigint past 2^31-1), `3.0` decimal(2,1), `1e0`
  double, `DECIMAL '137.7'` decimal(4,1).
- `/` on integers truncates toward zero; on decimals it has Trino's precision and scale with HALF_UP
  rounding, computed exactly on integers; division or modulo of integers or decimals by zero fails the
  query with "Division by zero" (DuckDB raises it for `//` and `%`; our decimal division raises it too).
- Comparing varchar with a number or a boolean is refused, as Trino refuses it ("Cannot apply operator"),
  except Lake's documented coercion of string literals compared with eventTime (and other timestamps).
- NaN is not equal to, less than or greater than anything, NaN included (DuckDB orders NaN last and
  equal to itself).
- `array[i]` out of range and `map[key]` for a missing key fail the query with Trino's messages;
  `element_at` still gives NULL.
- `typeof(x)` is Trino's type name; `x AT TIME ZONE 'zone'` keeps the instant and tags the zone.
"""

from __future__ import annotations

import functools
from typing import Any

from trailtui.local.errors import InvalidQueryStatement
from trailtui.local.translate.aggtypes import rewrite_aggregate
from trailtui.local.translate.casts import (
    DUCK_INTEGER,
    check_castable,
    guard_untyped_text_cast,
    rewrite_array_join,
    rewrite_cast,
)
from trailtui.local.translate.coercion import check_coercible, check_concat, rows_as_tuples
from trailtui.local.translate.comparisons import check_comparable, is_time, nan_safe, nested_comparison
from trailtui.local.translate.functypes import fill_result_type, keep_argument_type
from trailtui.local.translate.intervals import interval_family, interval_operator, type_interval
from trailtui.local.translate.late import defuse, late
from trailtui.local.translate.mathfuncs import rewrite_math
from trailtui.local.translate.nested import carry_nested_zone
from trailtui.local.translate.parse import Source
from trailtui.local.translate.scopes import check_having, children_in_order, derived_type
from trailtui.local.translate.timefuncs import carry_zone, check_set_zones, rewrite_time
from trailtui.local.translate.types import set_zone, trino_name

INT_PRECISION = {"TINYINT": 3, "SMALLINT": 5, "INT": 10, "BIGINT": 19}
MAX_INT = 2**31 - 1
MAX_BIGINT = 2**63 - 1
_CURRENT = {  # the session's clock, at Trino's default precision (functions/datetime)
    "CurrentTimestamp": "TIMESTAMP(3) WITH TIME ZONE",
    "CurrentTime": "TIME(3) WITH TIME ZONE",
    "Localtime": "TIME(3)",
    "Localtimestamp": "TIMESTAMP(3)",
}


@functools.lru_cache(maxsize=256)
def _dt(text: str) -> Any:
    """A Trino type (parsed once per spelling: types are shared, never changed in place)."""
    from sqlglot import exp

    return exp.DataType.build(text, dialect="trino")


def kind(node: Any) -> str:
    t = getattr(node, "type", None)
    return t.this.name if t is not None else "UNKNOWN"


def is_int(node: Any) -> bool:
    return kind(node) in INT_PRECISION


def is_decimal(node: Any) -> bool:
    return kind(node) == "DECIMAL"


def is_float(node: Any) -> bool:
    return kind(node) in ("FLOAT", "DOUBLE")


def is_text(node: Any) -> bool:
    return kind(node) in ("VARCHAR", "CHAR", "TEXT", "NVARCHAR")


def is_numeric(node: Any) -> bool:
    return is_int(node) or is_decimal(node) or is_float(node)


def decimal_params(node: Any) -> tuple[int, int]:
    """(precision, scale) of a decimal or integer expression (integers as Trino widens them)."""
    k = kind(node)
    if k in INT_PRECISION:
        return INT_PRECISION[k], 0
    params = [int(p.name) for p in node.type.expressions if p.name.isdigit()]
    if len(params) >= 2:
        return params[0], params[1]
    return (params[0], 0) if params else (38, 0)


def literal_decimal(text: str) -> tuple[int, int]:
    """Trino's decimal(p, s) for a decimal literal: `3.0` is decimal(2,1), `0.1` decimal(1,1)."""
    whole, _, frac = text.lstrip("+-").partition(".")
    scale = len(frac)
    return max(len(whole.lstrip("0")) + scale, 1), scale


def _type_literal(node: Any) -> Any:
    from sqlglot import exp

    text = node.name
    if "e" in text.lower():
        node.type = _dt("DOUBLE")
        return node
    if "." in text:
        p, s = literal_decimal(text)
        if p > 38:
            raise InvalidQueryStatement(f"Invalid numeric literal: {text}")
        if p > 18:  # DuckDB would read it as a double
            cast = exp.Cast(this=exp.Literal.string(text), to=_dt(f"DECIMAL({p}, {s})").copy())
            cast.type = _dt(f"DECIMAL({p}, {s})")
            return cast
        node.type = _dt(f"DECIMAL({p}, {s})")
        return node
    value = int(text)
    if value > MAX_BIGINT:
        raise InvalidQueryStatement(f"Invalid numeric literal: {text}")
    node.type = _dt("INTEGER" if value <= MAX_INT else "BIGINT")
    return node


def _wider_int(a: Any, b: Any) -> str:
    order = ["TINYINT", "SMALLINT", "INT", "BIGINT"]
    k = max(order.index(kind(a)), order.index(kind(b)))
    return {"INT": "INTEGER"}.get(order[k], order[k])


def _unscaled(i: int, scale: int) -> str:
    """The digits of decimal operand {i} as a HUGEINT (value * 10^scale), exactly."""
    return f"CAST(CAST({{{i}}} AS DECIMAL(38, {scale})) * {10**scale} AS HUGEINT)"


def _decimal_divide(a: Any, b: Any) -> Any:
    """Trino's decimal division: scale max(s1, s2), precision p1 + s2 + max(0, s2 - s1) (at most 38),
    rounded HALF_UP, computed on integers so that no binary rounding creeps in."""
    p1, s1 = decimal_params(a)
    _p2, s2 = decimal_params(b)
    s = max(s1, s2)
    p = min(38, p1 + s2 + max(0, s2 - s1))
    n = f"({_unscaled(0, s1)} * {10 ** (s + s2 - s1)})"
    d = _unscaled(1, s2)
    step = f"0.{'0' * (s - 1)}1" if s else "1"
    text = (
        f"CASE WHEN {d} = 0 THEN error('Division by zero') ELSE CAST(CAST("
        f"sign({n}) * sign({d}) * ((2 * abs({n}) + abs({d})) // (2 * abs({d})))"
        f" AS DECIMAL(38, 0)) * {step} AS DECIMAL({p}, {s})) END"
    )
    return late(text, [a, b], f"DECIMAL({p}, {s})")


def _divide(node: Any) -> Any:
    from sqlglot import exp

    a, b = node.this, node.expression
    if is_int(a) and is_int(b):
        out = exp.IntDiv(this=a, expression=b)
        out.type = _dt(_wider_int(a, b))
        return out
    if (is_decimal(a) or is_decimal(b)) and (is_decimal(a) or is_int(a)) and (is_decimal(b) or is_int(b)):
        return _decimal_divide(a, b)
    if "UNKNOWN" in (kind(a), kind(b)) and all(
        kind(x) in ("UNKNOWN", "NULL") or is_int(x) or is_decimal(x) for x in (a, b)
    ):
        # A side whose Trino type the translator could not work out (a lambda's result, a row's field by
        # position): if DuckDB holds integers or decimals there, its `/` would not divide as Trino does.
        exact = f"regexp_matches(typeof({{0}}), '^({DUCK_INTEGER}|DECIMAL.*)$')"
        text = (
            f"CASE WHEN {exact} AND {exact.replace('{0}', '{1}')} THEN error('Dividing values whose type the "
            "local lake cannot tell (integers or decimals) is not supported: cast one side, such as "
            "CAST(x AS bigint) or CAST(x AS double)') ELSE {0} / {1} END"
        )
        return late(text, [a, b], "DOUBLE")
    return node


def _negate(node: Any) -> Any:
    """-x of an integer type fails at the type's minimum, as Trino's negate does ("bigint negation
    overflow: -9223372036854775808"); DuckDB widened the result (to a bigint, or past bigint's range)."""
    k = kind(node.this)
    bits = {"TINYINT": 8, "SMALLINT": 16, "INT": 32, "BIGINT": 64}[k]
    name = {"INT": "integer"}.get(k, k.lower())
    duck = {"INT": "INTEGER"}.get(k, k)
    lowest = -(2 ** (bits - 1))
    text = (
        f"CASE WHEN {{0}} = {lowest} THEN error('{name} negation overflow: ' || CAST({{0}} AS VARCHAR)) "
        f"ELSE CAST(-CAST({{0}} AS HUGEINT) AS {duck}) END"
    )
    return late(text, [node.this], node.this.type)


def _arithmetic_type(node: Any) -> Any:
    """Trino's result type of + - * % (functions/decimal: precision and scale of decimal results)."""
    from sqlglot import exp

    a, b = node.this, node.expression
    if (
        isinstance(node, exp.Add | exp.Sub)
        and "DATE" in (kind(a), kind(b))
        and "INTERVAL" in (kind(a), kind(b))
    ):
        # Trino: a date plus a day-to-second interval is a date (DuckDB makes it a timestamp).
        return late("CAST({0} AS DATE)", [node], "DATE")
    if isinstance(node, exp.Sub) and is_time(a) and is_time(b) and kind(a) != "DATE":
        node.type = _dt("INTERVAL")
        return node
    if is_int(a) and is_int(b):
        node.type = _dt(_wider_int(a, b))
    elif is_float(a) or is_float(b):
        if is_numeric(a) and is_numeric(b):
            node.type = _dt("REAL" if kind(a) != "DOUBLE" and kind(b) != "DOUBLE" else "DOUBLE")
    elif (is_decimal(a) or is_decimal(b)) and is_numeric(a) and is_numeric(b):
        p1, s1 = decimal_params(a)
        p2, s2 = decimal_params(b)
        s = max(s1, s2)
        if isinstance(node, exp.Mul):
            p, s = min(38, p1 + p2), s1 + s2
            if s > 38:
                raise InvalidQueryStatement(f"DECIMAL scale must be in range [0, precision (38)]: {s}")
            if p1 + p2 > 18:  # DuckDB multiplies two narrow decimals in 64 bits and overflows
                return late(
                    f"CAST(CAST({{0}} AS DECIMAL(38, {s1})) * CAST({{1}} AS DECIMAL(38, {s2})) AS DECIMAL({p}, {s}))",
                    [a, b],
                    f"DECIMAL({p}, {s})",
                )
        elif isinstance(node, exp.Mod):
            p = min(p2 - s2, p1 - s1) + s
        else:
            p = min(38, 1 + s + max(p1 - s1, p2 - s2))
        node.type = _dt(f"DECIMAL({p}, {s})")
    return node


def _branches(node: Any) -> list[Any]:
    from sqlglot import exp

    if isinstance(node, exp.If):
        return [x for x in (node.args.get("true"), node.args.get("false")) if x is not None]
    if isinstance(node, exp.Case):
        return [i.args.get("true") for i in node.args.get("ifs") or []] + (
            [node.args["default"]] if node.args.get("default") is not None else []
        )
    return [node.this, *node.expressions]


def _common_numeric_type(node: Any) -> Any:
    """The type of if/CASE/coalesce/greatest/least whose values mix integers and decimals: Trino coerces
    them to one decimal wide enough for all (sqlglot says double)."""
    values = [b for b in _branches(node) if kind(b) not in ("NULL", "UNKNOWN")]
    if values and all(is_int(v) or is_decimal(v) for v in values) and any(is_decimal(v) for v in values):
        params = [decimal_params(v) for v in values]
        scale = max(s for _, s in params)
        digits = max(p - s for p, s in params)
        node.type = _dt(f"DECIMAL({min(38, digits + scale)}, {scale})")
    elif kind(node) == "UNKNOWN" and values and all(is_int(b) or kind(b) == "NULL" for b in _branches(node)):
        # integers only, one of them typed by the translator after sqlglot (`coalesce(try(CAST(x AS
        # integer)), 0)`): the widest (Trino's common super type); unknown, `/ 2` was refused
        widest = max((kind(v) for v in values), key=lambda k: INT_PRECISION[k])
        node.type = _dt({"INT": "INTEGER"}.get(widest, widest))
    return node


def _array_type(node: Any) -> Any:
    """ARRAY[...] typed from its elements once they have their Trino types (sqlglot typed it before:
    `ARRAY[1.25]` is array(decimal(3,2)), not array(double))."""
    from sqlglot import exp

    values = [e for e in node.expressions if kind(e) not in ("NULL", "UNKNOWN")]
    families = {interval_family(v.type) for v in values}
    if values and len(families) == 1 and None not in families:  # ARRAY[INTERVAL '14' MONTH] prints [1-2]
        node.type = exp.DataType(
            this=exp.DataType.Type.ARRAY, expressions=[values[0].type.copy()], nested=True
        )
        return node
    if not values or not all(is_numeric(v) for v in values):
        return node
    if any(is_float(v) for v in values):
        element = "DOUBLE" if any(kind(v) == "DOUBLE" for v in values) else "REAL"
    elif any(is_decimal(v) for v in values):
        params = [decimal_params(v) for v in values]
        scale = max(s for _, s in params)
        element = f"DECIMAL({min(38, max(p - s for p, s in params) + scale)}, {scale})"
    else:
        element = max((kind(v) for v in values), key=lambda k: INT_PRECISION[k])
        element = {"INT": "INTEGER"}.get(element, element)
    node.type = _dt(f"ARRAY({element})")
    return node


def _subscript(node: Any) -> Any:
    """`array[i]` and `map[key]` fail where Trino fails (element_at gives NULL)."""
    from sqlglot import exp

    base = node.this
    if len(node.expressions) != 1:
        return node
    t = base.type
    if t is not None and t.this == exp.DataType.Type.ARRAY and t.expressions and kind(node) == "UNKNOWN":
        node.type = t.expressions[0]  # an element of an array whose type the translator worked out
    if node.args.get("safe"):  # element_at: NULL where the subscript fails, but index 0 is an error
        if t is not None and t.this == exp.DataType.Type.MAP and len(t.expressions) == 2:
            node.type = t.expressions[1]
        if t is not None and t.this == exp.DataType.Type.ARRAY:
            zero = "CASE WHEN {2} = 0 THEN error('SQL array indices start at 1') ELSE {0} END"
            return late(zero, [node, base, node.expressions[0]], node.type or "UNKNOWN")
        return node
    key = node.expressions[0]
    if t is None:
        return node
    if t.this == exp.DataType.Type.ARRAY:
        idx = "(({2}) + 1)"  # sqlglot keeps the index 0-based
        text = (
            f"CASE WHEN {idx} = 0 THEN error('SQL array indices start at 1') "
            f"WHEN {idx} < 0 THEN error('Array subscript is negative: ' || {idx}) "
            f"WHEN {idx} > len({{1}}) THEN error('Array subscript must be less than or equal to array "
            f"length: ' || {idx} || ' > ' || len({{1}})) ELSE {{0}} END"
        )
        return late(text, [node, base, key], node.type or "UNKNOWN")
    if t.this == exp.DataType.Type.MAP:
        if len(t.expressions) == 2:
            node.type = t.expressions[1]
        text = (
            "CASE WHEN NOT map_contains({1}, {2}) THEN error('Key not present in map: ' || {2}) ELSE {0} END"
        )
        return late(text, [node, base, key], node.type or "UNKNOWN")
    return node


def _at_time_zone(node: Any) -> Any:
    from sqlglot import exp

    zone = node.args.get("zone")
    if not (isinstance(zone, exp.Literal) and zone.is_string):
        raise InvalidQueryStatement(
            "AT TIME ZONE needs a literal zone name on the local lake (a zone that varies by row "
            "cannot be carried)."
        )
    this = node.this
    # a timestamp is read in the session zone, UTC
    out = this if kind(this) == "TIMESTAMPTZ" else exp.Cast(this=this, to=_dt("TIMESTAMPTZ").copy())
    p = [e.name for e in (this.type.expressions if this.type is not None else [])]
    out.type = _dt(f"TIMESTAMP({p[0] if p and p[0].isdigit() else 3}) WITH TIME ZONE")
    name = zone.name
    set_zone(out, None if name.upper() in ("UTC", "Z", "+00:00") else name)
    if name.upper() in ("UTC", "Z"):
        set_zone(out, "UTC")
    return out


def _rule(node: Any, src: Source) -> Any:
    from sqlglot import exp

    if isinstance(node, exp.Func | exp.Window | exp.Filter):
        keep_argument_type(node)
    if isinstance(node, exp.Func):
        fill_result_type(node)
        carry_zone(node)
        carry_nested_zone(node)
    if isinstance(node, exp.Column):
        inner = derived_type(node)  # a subquery's or CTE's column: its projection's Trino type
        if inner is not None:
            node.type = inner
        return node
    if isinstance(node, exp.Literal) and not node.is_string:
        return _type_literal(node)
    if isinstance(node, exp.Literal):  # a string literal is varchar(n) in Trino
        node.type = _dt(f"VARCHAR({max(len(node.name), 1)})") if node.name else _dt("VARCHAR(0)")
        return node
    if isinstance(
        node, exp.CurrentTimestamp | exp.CurrentTime | exp.Localtime | exp.Localtimestamp
    ):  # functions/datetime
        node.type = _dt(_CURRENT[type(node).__name__])
        return node
    if isinstance(node, exp.Anonymous | exp.Cbrt | exp.Round | exp.Ceil | exp.Floor | exp.Sign | exp.Trunc):
        return rewrite_math(node)
    timed = rewrite_time(node) if not isinstance(node, exp.Window | exp.Filter | exp.Sum | exp.Avg) else None
    if timed is not None:
        return timed
    if isinstance(node, exp.Window | exp.Filter | exp.Sum | exp.Avg):
        summed = rewrite_aggregate(node)
        if summed is not None:
            return summed
    if isinstance(node, exp.Interval):
        return type_interval(node)
    if isinstance(node, exp.Add | exp.Sub | exp.Mul | exp.Div | exp.Neg):
        with_interval = interval_operator(node, src)
        if with_interval is not None:
            return with_interval
    if isinstance(node, exp.Div):
        return _divide(node)
    if isinstance(node, exp.Add | exp.Sub | exp.Mul | exp.Mod):
        return _arithmetic_type(node)
    if isinstance(node, exp.Neg) and is_int(node.this) and not isinstance(node.this, exp.Literal):
        return _negate(node)
    if isinstance(node, exp.Neg) and is_numeric(node.this):
        node.type = node.this.type
        return node
    if isinstance(node, exp.Paren):
        node.type = node.this.type
        return node
    if isinstance(node, exp.DPipe | exp.Concat):
        check_concat(node, src)
    if isinstance(node, exp.And | exp.Or | exp.Not | exp.In | exp.Case | exp.If | exp.Coalesce | exp.Nullif):
        check_coercible(node, src)
    if isinstance(node, exp.EQ | exp.NEQ | exp.In):
        rows_as_tuples(node)
    if isinstance(node, exp.Greatest | exp.Least):
        check_coercible(node, src)
    if isinstance(node, exp.EQ | exp.NEQ | exp.GT | exp.GTE | exp.LT | exp.LTE):
        check_comparable(node, src)
        return nested_comparison(node) or nan_safe(node)
    if isinstance(node, exp.Between) and any(
        is_float(x) and not isinstance(x, exp.Literal)
        for x in (node.this, node.args.get("low"), node.args.get("high"))
    ):
        floats = [x for x in (node.this, node.args.get("low"), node.args.get("high")) if is_float(x)]
        cond = " OR ".join(f"isnan({{{i + 1}}})" for i in range(len(floats)))
        return late(f"CASE WHEN {cond} THEN false ELSE {{0}} END", [node, *floats], "BOOLEAN")
    if isinstance(node, exp.If | exp.Case | exp.Coalesce | exp.Greatest | exp.Least):
        return _common_numeric_type(node)
    if isinstance(node, exp.Bracket):
        return _subscript(node)
    if isinstance(node, exp.Typeof):
        name = trino_name(node.this.type)
        if name == "unknown":  # not a type Trino has: the translator could not work it out
            raise InvalidQueryStatement("typeof() of this expression is not supported on the local lake")
        if node.this.find(exp.AggFunc) is not None:  # keep the aggregate: typeof(count(*)) is one row
            quoted = "'" + name.replace("'", "''") + "'"
            return late(f"CASE WHEN ({{0}}) IS NULL THEN {quoted} ELSE {quoted} END", [node.this], "VARCHAR")
        out = exp.Literal.string(name)
        out.type = _dt("VARCHAR")
        return out
    if isinstance(node, exp.AtTimeZone):
        return _at_time_zone(node)
    if isinstance(node, exp.Cast | exp.TryCast):
        check_castable(node, src)
        return guard_untyped_text_cast(node) or rewrite_cast(node)
    if isinstance(node, exp.Date) and is_text(node.this):  # date(x) is CAST(x AS date) (functions/datetime)
        return rewrite_cast(exp.Cast(this=node.this, to=_dt("DATE").copy()))
    if isinstance(node, exp.Array):
        return _array_type(node)
    if isinstance(node, exp.ArrayToString):
        return rewrite_array_join(node)
    if isinstance(node, exp.Try):
        defuse(node)
    if isinstance(node, exp.SetOperation):
        check_set_zones(node)
    if isinstance(node, exp.Having):
        check_having(node, src)
    if isinstance(node, exp.LimitOptions) and node.args.get("with_ties"):
        raise InvalidQueryStatement("FETCH FIRST ... WITH TIES is not supported on the local lake")
    return node


def _post_order(node: Any, fn: Any) -> Any:
    """Apply fn to every node, children first (so each rule sees its operands already in Trino form and
    typed), replacing nodes in place."""
    stack: list[tuple[Any, bool]] = [(node, False)]
    root = node
    while stack:
        current, done = stack.pop()
        if not done:
            stack.append((current, True))
            stack.extend((child, False) for child in children_in_order(current))
            continue
        replacement = fn(current)
        if replacement is not current:
            if current is root:
                root = replacement
            else:
                current.replace(replacement)
    return root


def rewrite_typed(tree: Any, src: Source) -> Any:
    return _post_order(tree, lambda n: _rule(n, src))


def rewrite_untyped(tree: Any, src: Source) -> Any:
    """Without types, only what does not depend on them: literal integer division."""
    from sqlglot import exp

    def rule(node: Any) -> Any:
        if isinstance(node, exp.Literal) and not node.is_string:
            return _type_literal(node)
        if isinstance(node, exp.Div) and is_int(node.this) and is_int(node.expression):
            return _divide(node)
        return node

    return _post_order(tree, rule)
