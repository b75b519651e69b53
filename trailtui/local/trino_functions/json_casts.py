"""Casts to and from JSON as Trino does them (trino.io/docs/current/functions/json.html, "Cast to JSON" and
"Cast from JSON"; Trino's JsonUtil and JsonOperators): a varchar becomes a JSON string, a JSON scalar's text
comes back, numbers with a fraction are written as doubles, and what Trino cannot cast is refused."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from sqlglot import exp

from trailtui.local.trino_functions.core import Rewriter, handles, macro, udf
from trailtui.local.trino_functions.json_values import (
    JNum,
    parse,
    scalar_text,
    write,
)


@udf("trino_json_from_varchar", ("VARCHAR",), "JSON")
def _json_from_varchar(text: str) -> str:
    """CAST(varchar AS JSON) is a JSON string holding the text (functions/json.html#cast-to-json)."""
    return write(text)


@udf("trino_json_to_varchar", ("VARCHAR",), "VARCHAR")
def _json_to_varchar(text: str) -> str | None:
    """CAST(json AS varchar): a JSON string's text, a number or boolean as written, NULL for JSON null;
    an array or object cannot be cast (functions/json.html#cast-from-json)."""
    value = parse(text)
    if isinstance(value, dict | list):
        raise ValueError(f"Cannot cast '{text}' to varchar")
    if isinstance(value, JNum) and not value.is_int:
        return _double_text(float(value.text))
    return scalar_text(value)


def _double_text(v: float) -> str:
    """A JSON number with a fraction or an exponent as Trino casts it to varchar: read as a double, written
    as CAST(double AS varchar) writes it, Java's shortest digits in scientific notation (JsonUtil.
    currentTokenAsVarchar; TestJsonOperators.testCastToVarchar: JSON '128.9' is 1.289E2, 0.1 is 1.0E-1)."""
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if v == 0:
        return "-0E0" if math.copysign(1.0, v) < 0 else "0E0"
    negative, digits, exponent = Decimal(repr(v)).as_tuple()
    text = "".join(map(str, digits))
    power = len(text) - 1 + int(exponent)
    text = text.rstrip("0")
    return ("-" if negative else "") + text[0] + "." + (text[1:] or "0") + f"E{power}"


_JSON_RESULTS = {
    "trino_json_extract",
    "trino_json_parse",
    "trino_json_array_get",
    "trino_json_from_varchar",
}


def _is_json(node: Any) -> bool:
    if isinstance(node, exp.Anonymous) and str(node.name) in _JSON_RESULTS:
        return True
    t = getattr(node, "type", None)
    return t is not None and t.this == exp.DataType.Type.JSON


def _is_text(node: Any) -> bool:
    if isinstance(node, exp.Literal) and node.is_string:
        return True
    t = getattr(node, "type", None)
    return t is not None and t.this in (
        exp.DataType.Type.VARCHAR,
        exp.DataType.Type.CHAR,
        exp.DataType.Type.TEXT,
    )


@handles(exp.Cast, exp.TryCast)
def _json_cast(rw: Rewriter, node: Any) -> Any:
    to = node.args.get("to")
    if not isinstance(to, exp.DataType):
        return None
    if to.this == exp.DataType.Type.JSON and _is_text(node.this) and not _is_json(node.this):
        return rw.call("trino_json_from_varchar", node.this)
    if to.this == exp.DataType.Type.JSON and not _is_json(node.this):
        return _to_json(node)
    if _is_json(node.this) and _of_varchar(to):
        # Trino's JSON-to-varchar reads only scalars (JsonUtil.currentTokenAsVarchar: "Unexpected token");
        # DuckDB wrote a nested object or array as its JSON text.
        from trailtui.local.translate.types import trino_name

        bad: Any = exp.Anonymous(
            this="error",
            expressions=[
                exp.DPipe(
                    this=exp.Literal.string(
                        f"Cannot cast to {trino_name(to)}. Unexpected token when cast to varchar: "
                    ),
                    expression=exp.cast(node.this.copy(), "VARCHAR"),
                )
            ],
        )
        every = "$[*]" if to.this == exp.DataType.Type.ARRAY else "$.*"
        check = rw.call("trino_json_nested_inside", node.this.copy(), exp.Literal.string(every))
        if isinstance(node, exp.TryCast):
            bad = exp.Null()
        return exp.Case(ifs=[exp.If(this=check, true=bad)], default=node.copy())
    if (
        to.this in (exp.DataType.Type.VARCHAR, exp.DataType.Type.TEXT)
        and not to.expressions
        and _is_json(node.this)
    ):
        return rw.call("trino_json_to_varchar", node.this)
    return None


macro(
    "trino_json_nested_inside",
    "(j, p) AS coalesce(list_bool_or(list_transform(json_extract(CAST(j AS JSON), p), "
    "lambda v: json_type(v) IN ('OBJECT', 'ARRAY'))), false)",
)


def _of_varchar(to: Any) -> bool:
    """map(k, varchar) or array(varchar): a cast from JSON whose elements DuckDB would write as text."""
    T = exp.DataType.Type
    inner = to.expressions[-1] if to.this in (T.MAP, T.ARRAY) and to.expressions else None
    return isinstance(inner, exp.DataType) and inner.this in (T.VARCHAR, T.TEXT, T.CHAR)


_NOT_JSON = {  # types Trino cannot cast to JSON (JsonUtil.canCastToJson)
    exp.DataType.Type.TIMESTAMPTZ,
    exp.DataType.Type.TIME,
    exp.DataType.Type.TIMETZ,
    exp.DataType.Type.INTERVAL,
    exp.DataType.Type.VARBINARY,
    exp.DataType.Type.BINARY,
}


def _to_json(node: Any) -> Any:
    """CAST(x AS JSON) of a non-text value as Trino writes it (JsonUtil's writers): a map's keys in sorted
    order (TreeMap), a timestamp with its precision (`"2024-01-01 10:00:00.000"`); the types Trino cannot
    cast are refused in its words. DuckDB kept a map's order and dropped a timestamp's zero fraction."""
    from trailtui.local.translate.types import trino_name

    t = getattr(node.this, "type", None)
    if t is None or t.this == exp.DataType.Type.UNKNOWN:
        return None
    parts = [d.this for d in t.find_all(exp.DataType)]
    if any(p in _NOT_JSON for p in parts):
        raise ValueError(f"Cannot cast {trino_name(t)} to json")
    T = exp.DataType.Type
    if t.this == T.TIMESTAMP:
        digits = [e.name for e in t.expressions if e.name.isdigit()]
        p = int(digits[0]) if digits else 3
        fmt = "%Y-%m-%d %H:%M:%S" + {0: "", 3: ".%g", 6: ".%f"}.get(p, ".%g")
        text = exp.Anonymous(this="strftime", expressions=[node.this, exp.Literal.string(fmt)])
        return exp.Anonymous(this="to_json", expressions=[text])
    if T.TIMESTAMP in parts:
        raise ValueError(
            "CAST of a timestamp inside an array, map or row to json is not supported on the local lake"
        )
    if t.this == T.STRUCT and _anonymous(t):
        return _anonymous_row_to_json(node.this, t)
    if any(d.this == T.STRUCT and _anonymous(d) for d in t.find_all(exp.DataType)):
        raise ValueError(
            "CAST of a row with unnamed fields inside an array or map to json is not supported on the local "
            'lake (Trino names each field ""): name the fields with CAST(ROW(...) AS ROW(a integer, ...))'
        )
    if t.this == T.MAP:
        if parts.count(T.MAP) > 1:  # the inner maps' keys would keep DuckDB's order
            raise ValueError("CAST of a map holding maps to json is not supported on the local lake")
        entries = exp.Anonymous(this="map_entries", expressions=[node.this])
        ordered = exp.Anonymous(this="list_sort", expressions=[entries])
        return exp.Anonymous(
            this="to_json", expressions=[exp.Anonymous(this="map_from_entries", expressions=[ordered])]
        )
    return None


def _anonymous(t: Any) -> bool:
    """A row type whose fields have no names (`ROW(1, 'a')`): sqlglot lists bare types."""
    return bool(t.expressions) and not any(isinstance(f, exp.ColumnDef) for f in t.expressions)


def _anonymous_row_to_json(value: Any, t: Any) -> Any:
    """Trino writes a row's fields under their names, an unnamed field under "" (RowToJsonCast: `CAST(ROW(1,
    'a') AS JSON)` is `{"":1,"":"a"}`); DuckDB named them `_0`, `_1`. Each field is written as its own cast
    to JSON writes it."""
    import sqlglot

    parts: list[Any] = [exp.Literal.string("{")]
    for i, field_type in enumerate(t.expressions, start=1):
        field = exp.Anonymous(this="struct_extract_at", expressions=[value.copy(), exp.Literal.number(i)])
        field.type = field_type
        cast = exp.Cast(this=field, to=exp.DataType.build("JSON"))
        written = _to_json(cast) or exp.Anonymous(this="to_json", expressions=[field])
        text = exp.Coalesce(
            this=exp.Cast(this=written, to=exp.DataType.build("VARCHAR")),
            expressions=[exp.Literal.string("null")],
        )
        parts += [exp.Literal.string(("," if i > 1 else "") + '"":'), text]
    parts.append(exp.Literal.string("}"))
    whole = parts[0]
    for p in parts[1:]:
        whole = exp.DPipe(this=whole, expression=p)
    out = exp.Case(
        ifs=[exp.If(this=exp.Is(this=value.copy(), expression=exp.Null()), true=exp.Null())],
        default=sqlglot.exp.Cast(this=exp.Paren(this=whole), to=exp.DataType.build("JSON")),
    )
    return out
