"""Trino's JSON functions with the simple `$.a.b[0]` path (trino.io/docs/current/functions/json.html):
json_extract, json_extract_scalar, json_size, json_array_get, json_array_length, json_array_contains,
is_json_scalar, json_format and json_parse. Expected values from Trino's TestJsonFunctions and
TestJsonExtract.

Path steps are keys (`.key`, `["key"]`) or array indexes (`[0]`); a step whose key is a number also indexes
an array (`$.1` is `$[1]`), as in Trino. Invalid JSON gives NULL; an invalid path is an error.
"""

from __future__ import annotations

import functools
import logging
import math
import re
from decimal import Decimal
from typing import Any

from sqlglot import exp

from trailtui.local.trino_functions.core import Rewriter, args_of, handles, macro, udf
from trailtui.local.trino_functions.json_values import (
    InvalidJson,
    JNum,
    parse,
    scalar_text,
    try_parse,
    write,
)

# Trino's path tokens (TestJsonExtract.testJsonTokenizer): `.key` of letters, digits, `_` and `:`;
# `[key]` of letters, digits and `_`; `["any text"]` with `\\` and `\"` escapes; no whitespace anywhere.
_BARE = re.compile(r"\w+", re.UNICODE)


class _Missing:
    pass


MISSING = _Missing()


@functools.lru_cache(maxsize=256)
def path_steps(path: str) -> tuple[str, ...]:
    """The keys of a Trino JSON path; ValueError('Invalid JSON path: ...') if it is not one."""
    bad = ValueError(f"Invalid JSON path: '{path}'")
    if not path.startswith("$"):
        raise bad
    steps: list[str] = []
    i = 1
    n = len(path)
    while i < n:
        c = path[i]
        if c == ".":
            j = i + 1
            while j < n and (path[j].isalnum() or path[j] in "_:"):
                j += 1
            if j == i + 1:
                raise bad
            steps.append(path[i + 1 : j])
            i = j
        elif c == "[" and path[i + 1 : i + 2] == '"':
            j = i + 2
            key: list[str] = []
            while j < n and path[j] != '"':
                if path[j] == "\\":
                    if path[j + 1 : j + 2] not in ('"', "\\"):
                        raise bad
                    key.append(path[j + 1])
                    j += 2
                else:
                    key.append(path[j])
                    j += 1
            if path[j + 1 : j + 2] != "]":
                raise bad
            steps.append("".join(key))
            i = j + 2
        elif c == "[":
            m = _BARE.match(path, i + 1)
            if not m or path[m.end() : m.end() + 1] != "]":
                raise bad
            steps.append(m.group(0))
            i = m.end() + 1
        else:
            raise bad
    return tuple(steps)


def extract(value: Any, steps: tuple[str, ...]) -> Any:
    for key in steps:
        if isinstance(value, dict):
            value = value.get(key, MISSING)
        elif isinstance(value, list) and key.isdigit():
            k = int(key)
            value = value[k] if k < len(value) else MISSING
        else:
            return MISSING
        if value is MISSING:
            return MISSING
    return value


_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def _lookup(text: str, path: str) -> Any:
    steps = path_steps(path)
    ok, value = try_parse(text)
    if not ok and "," in text:
        # Trino reads the document as a stream and stops at the value it wants, so a trailing comma
        # (`{"a": 1, }`) does not spoil it (TestJsonExtract.testFullJsonExtract).
        ok, value = try_parse(_TRAILING_COMMA.sub(r"\1", text))
    return extract(value, steps) if ok else MISSING


@udf("trino_json_extract", ("VARCHAR", "VARCHAR"), "JSON")
def _json_extract(text: str, path: str) -> str | None:
    value = _lookup(text, path)
    return None if value is MISSING else write(value)


@udf("trino_json_extract_scalar", ("VARCHAR", "VARCHAR"), "VARCHAR")
def _json_extract_scalar(text: str, path: str) -> str | None:
    value = _lookup(text, path)
    return None if value is MISSING else scalar_text(value)


@udf("trino_json_size", ("VARCHAR", "VARCHAR"), "BIGINT")
def _json_size(text: str, path: str) -> int | None:
    value = _lookup(text, path)
    if value is MISSING:
        return None
    return len(value) if isinstance(value, dict | list) else 0


@udf("trino_json_array_length", ("VARCHAR",), "BIGINT")
def _json_array_length(text: str) -> int | None:
    ok, value = try_parse(text)
    return len(value) if ok and isinstance(value, list) else None


@udf("trino_json_array_get", ("VARCHAR", "BIGINT"), "JSON")
def _json_array_get(text: str, index: int) -> str | None:
    """json_array_get: an element by 0-based index (negative from the end); a string element comes back
    without its quotes, a JSON null as NULL (TestJsonFunctions.testJsonArrayGet*)."""
    ok, value = try_parse(text)
    if not ok or not isinstance(value, list):
        return None
    if not -len(value) <= index < len(value):
        return None
    item = value[index]
    if isinstance(item, dict | list):
        return write(item)
    return scalar_text(item)


_INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER"}


@udf("trino_json_array_contains", ("VARCHAR", "VARCHAR", "VARCHAR"), "BOOLEAN")
def _json_array_contains(text: str, needle: str, needle_type: str) -> bool | None:
    """json_array_contains: a boolean matches JSON booleans, an integer JSON integers, a double JSON
    numbers with a fraction or exponent, a string JSON strings (TestJsonFunctions.testJsonArrayContains*)."""
    ok, value = try_parse(text)
    if not ok or not isinstance(value, list):
        return None
    kind = needle_type.upper()
    for item in value:
        if kind == "BOOLEAN":
            if isinstance(item, bool) and item == (needle.lower() == "true"):
                return True
        elif kind in _INTEGER_TYPES:
            if isinstance(item, JNum) and item.is_int and int(item.text) == int(needle):
                return True
        elif kind in ("DOUBLE", "FLOAT", "REAL") or kind.startswith("DECIMAL"):
            if isinstance(item, JNum) and not item.is_int and float(item.text) == float(needle):
                return True
        elif isinstance(item, str) and item == needle:
            return True
    return False


@udf("trino_is_json_scalar", ("VARCHAR",), "BOOLEAN")
def _is_json_scalar(text: str) -> bool:
    try:
        value = parse(text)
    except InvalidJson:
        raise ValueError(f"Invalid JSON value: {text}") from None
    return not isinstance(value, dict | list)


@udf("trino_json_parse", ("VARCHAR",), "JSON")
def _json_parse(text: str) -> str:
    """json_parse and JSON literals: validated, written compactly with object keys sorted."""
    try:
        return write(parse(text), sort_keys=True)
    except InvalidJson:
        raise ValueError(f"Cannot convert value to JSON: '{text}'") from None


@udf("trino_json_format", ("VARCHAR",), "VARCHAR")
def _json_format(text: str) -> str:
    return text


# -- rewrites ------------------------------------------------------------------------------------------


_WRITTEN = "trino_written_path"


def remember_paths(tree: Any, text: str) -> None:
    """Tag each literal JSON path with the text the query wrote, when only one string literal of the query
    parses to it: sqlglot rewrites paths while parsing (`'eventName'` became `$.eventName`, which Trino
    refuses: "Invalid JSON path: 'eventName'"), and the written text is what Trino reads."""
    from sqlglot.dialects.trino import Trino
    from sqlglot.tokens import TokenType

    nodes = list(tree.find_all(exp.JSONPath))
    if not nodes:
        return
    dialect = Trino()
    written: dict[str, set[str]] = {}
    quiet = logging.getLogger("sqlglot")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # sqlglot warns about each string that is not a path to it
    try:
        for token in dialect.tokenize(text):
            if token.token_type != TokenType.STRING:
                continue
            try:
                parsed = dialect.to_json_path(exp.Literal.string(token.text))
                key = parsed.sql(dialect="trino") if parsed is not None else None
            except Exception:  # a string that is no path to sqlglot is none of the nodes
                continue
            if key is not None:
                written.setdefault(key, set()).add(token.text)
    finally:
        quiet.setLevel(level)
    for node in nodes:
        try:
            originals = written.get(node.sql(dialect="trino"), set())
        except ValueError:
            continue
        if len(originals) == 1:
            node.meta[_WRITTEN] = next(iter(originals))


def path_arg(node: Any) -> Any:
    """The path argument as a string again (sqlglot parses literal JSON paths into its own tree): the text
    the query wrote where it is known (remember_paths)."""
    if not isinstance(node, exp.JSONPath):
        return node
    if node.meta and _WRITTEN in node.meta:
        return exp.Literal.string(str(node.meta[_WRITTEN]))
    try:
        text = node.sql(dialect="trino")
    except ValueError:  # a form sqlglot reads but cannot write back, such as `$..key`: invalid in Trino
        return exp.Literal.string("$..")
    return exp.Literal.string(text[1:-1].replace("''", "'") if text.startswith("'") else text)


def _checked_path(node: Any) -> Any:
    """The path argument; a literal one that Trino cannot read is refused when the query starts (Trino
    fails on a constant path whatever the rows: "Invalid JSON path: 'eventName'")."""
    path = path_arg(node)
    if isinstance(path, exp.Literal) and path.is_string:
        path_steps(path.this)
    return path


@handles(exp.JSONExtract)
def _extract(rw: Rewriter, node: Any) -> Any:
    if node.args.get("json_query"):
        return None  # json_query(...): the SQL/JSON path functions
    return rw.call("trino_json_extract", node.this, _checked_path(node.expression))


@handles(exp.JSONExtractScalar)
def _extract_scalar(rw: Rewriter, node: Any) -> Any:
    return rw.call("trino_json_extract_scalar", node.this, _checked_path(node.expression))


@handles(exp.ParseJSON)
def _parse_json(rw: Rewriter, node: Any) -> Any:
    return rw.call("trino_json_parse", node.this)


@handles("json_size", "json_array_length", "is_json_scalar", "json_format", "json_array_get")
def _simple(rw: Rewriter, node: Any) -> Any:
    return rw.call("trino_" + str(node.name).lower(), *[path_arg(a) for a in args_of(node)])


@handles(exp.JSONFormat)
def _format(rw: Rewriter, node: Any) -> Any:
    return rw.call("trino_json_format", node.this)


@handles(exp.JSONArrayContains, "json_array_contains")
def _contains(rw: Rewriter, node: Any) -> Any:
    args = args_of(node) if isinstance(node, exp.Anonymous) else [node.this, node.expression]
    if len(args) != 2:
        return None
    text, needle = args
    kind = exp.Anonymous(this="typeof", expressions=[needle.copy()])
    return rw.call("trino_json_array_contains", text, exp.cast(needle, "VARCHAR"), kind)


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
