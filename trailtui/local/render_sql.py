"""Lake's rendering of values (render.py) as DuckDB SQL expressions, so that DuckDB prints results.

render.py is the reference: it renders one Python value at a time, which costs microseconds per value (a
100,000-row result of whole events spent a minute there). Here the same text is produced by SQL expressions
inside DuckDB, set-based and on every core. Each function below must give exactly what render.py gives
(tests/test_render_sql.py compares the two on every type); where DuckDB cannot print a type the same way
(Java's doubles and floats, intervals, times, blobs, a timestamp in a named zone), `sql_renderer` returns
None and that column is rendered in Python.

A renderer maps an SQL expression to an SQL expression of its text. A NULL value gives NULL (the caller
decides: None at the top level, `null` inside a struct, map or array).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from trailtui.local.translate.types import TrinoType

SqlRenderer = Callable[[str], str]

_AS_TEXT = {  # DuckDB's cast to VARCHAR prints these as Python's str() does
    "varchar",
    "tinyint",
    "smallint",
    "integer",
    "bigint",
    "hugeint",
    "utinyint",
    "usmallint",
    "uinteger",
    "ubigint",
    "uhugeint",
    "decimal",
    "uuid",
    "date",
}
_SECONDS = "%Y-%m-%d %H:%M:%S"


def quote(text: str) -> str:
    """An SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _type_id(t: Any) -> str:
    return str(getattr(t, "id", "")).lower()


def _timestamp(digits: int) -> SqlRenderer:
    """`YYYY-MM-DD HH:MM:SS` and `digits` fractional digits, truncated, as render.py's isoformat does
    (past microseconds, zeros: DuckDB's timestamps hold microseconds)."""
    if digits == 0:
        return lambda x: f"strftime({x}, '{_SECONDS}')"
    if digits == 3:
        return lambda x: f"strftime({x}, '{_SECONDS}.%g')"
    if digits <= 6:
        return lambda x: f"(strftime({x}, '{_SECONDS}.') || left(strftime({x}, '%f'), {digits}))"
    pad = "0" * (digits - 6)
    return lambda x: f"strftime({x}, '{_SECONDS}.%f{pad}')"


def _in_utc(inner: SqlRenderer) -> SqlRenderer:
    return lambda x: "(" + inner(f"timezone('UTC', {x})") + " || ' UTC')"


def decimal_fraction_text(x: str) -> str:
    """A decimal(p, p) (no integer digits) as text with its leading zero, as Trino prints it: `0.50`,
    `-0.50` (DuckDB's cast to VARCHAR gives `.50`)."""
    return f"regexp_replace(CAST({x} AS VARCHAR), '^(-?)[.]', '\\10.')"


def _null_safe(x: str, text: str) -> str:
    return f"CASE WHEN {x} IS NULL THEN NULL ELSE {text} END"


def _nested(render: SqlRenderer, x: str) -> str:
    return f"coalesce({render(x)}, 'null')"


def sql_renderer(t: Any, trino: TrinoType | None = None, depth: int = 0) -> SqlRenderer | None:
    """The SQL that renders a value of DuckDB type `t` as render.renderer_for(t, trino) does, or None."""
    kind = _type_id(t)
    if trino is not None:
        precision = trino.precision
        if precision is not None and "with time zone" in trino.name and kind.startswith("timestamp"):
            if kind != "timestamp with time zone" or (trino.zone or "UTC") != "UTC":
                return None  # a named zone: Python's zoneinfo and DuckDB's ICU may not agree on its rules
            return _in_utc(_timestamp(precision))
        if precision is not None and kind.startswith("timestamp"):
            return _timestamp(precision) if kind == "timestamp" else None
        if precision is not None and kind == "time":
            return None
        if trino.name == "real" and kind in ("float", "double"):
            return None
        if trino.name == "interval year to month":
            return None
    if kind == "decimal" and dict(t.children).get("precision") == dict(t.children).get("scale"):
        return decimal_fraction_text  # DuckDB prints decimal(2,2) 0.5 as `.50`; Trino as `0.50`
    if kind in _AS_TEXT:
        return lambda x: f"CAST({x} AS VARCHAR)"
    if kind == "boolean":
        return lambda x: f"CASE WHEN {x} THEN 'true' WHEN NOT {x} THEN 'false' END"
    if kind == "timestamp":
        return _timestamp(3)
    if kind == "timestamp with time zone":
        return _in_utc(_timestamp(3))
    if kind == "struct":
        return _struct(t, depth, trino)
    if kind == "map":
        return _map(t, depth, trino)
    if kind == "list":
        return _list(t, depth, trino)
    return None  # doubles, floats, intervals, times, blobs, arrays, unions, ...: render.py does them


def _inner(t: Any, trino: TrinoType | None) -> list[TrinoType | None]:
    """The Trino types of a nested value's parts (render.py's _inner_types)."""
    from trailtui.local.render import inner_types

    return inner_types(t, trino)


def _struct(t: Any, depth: int, trino: TrinoType | None) -> SqlRenderer | None:
    fields = []
    inner = _inner(t, trino)
    for n, ((name, ft), tt) in enumerate(zip(t.children, inner, strict=True), start=1):
        r = sql_renderer(ft, tt, depth=depth + 1)
        if r is None:
            return None
        label = name.lower() if isinstance(name, str) else str(name)
        fields.append((n, quote(label + "="), r))

    def render(x: str) -> str:
        # One concat, not a chain of ||: each || copies everything before it (quadratic in the fields).
        parts = ", ', ', ".join(
            f"{label}, {_nested(r, f'struct_extract_at({x}, {n})')}" for n, label, r in fields
        )
        return _null_safe(x, f"concat('{{', {parts}, '}}')")

    return render


def _map(t: Any, depth: int, trino: TrinoType | None) -> SqlRenderer | None:
    inner = _inner(t, trino)
    key_r = sql_renderer(t.children[0][1], inner[0], depth=depth + 1)
    val_r = sql_renderer(t.children[1][1], inner[1], depth=depth + 1)
    if key_r is None or val_r is None:
        return None
    e = f"__entry{depth}"

    def render(x: str) -> str:
        item = f"{_nested(key_r, f'{e}.key')} || '=' || {_nested(val_r, f'{e}.value')}"
        joined = f"array_to_string(list_transform(map_entries({x}), lambda {e}: {item}), ', ')"
        return _null_safe(x, f"('{{' || {joined} || '}}')")

    return render


def _list(t: Any, depth: int, trino: TrinoType | None) -> SqlRenderer | None:
    item_r = sql_renderer(t.children[0][1], _inner(t, trino)[0], depth=depth + 1)
    if item_r is None:
        return None
    e = f"__item{depth}"

    def render(x: str) -> str:
        joined = f"array_to_string(list_transform({x}, lambda {e}: {_nested(item_r, e)}), ', ')"
        return _null_safe(x, f"('[' || {joined} || ']')")

    return render


def wire_row(names: list[str], texts: list[str]) -> str:
    """The SQL of one result row as GetQueryResults sends it: a JSON list of single-key objects
    (`[{"eventTime":"2022-04-06 16:01:09.000"},...]`), NULL as JSON null. `texts` are the columns' rendered
    text expressions."""
    cells = [
        f"{quote('{' + json.dumps(n, ensure_ascii=False) + ':')}, coalesce(CAST(to_json({x}) AS VARCHAR), 'null')"
        for n, x in zip(names, texts, strict=True)
    ]
    if not cells:
        return "'[]'"
    return "concat('[', " + ", '},', ".join(cells) + ", '}]')"  # one concat: see _struct


def csv_record(texts: list[str]) -> str:
    """The SQL of one row as a line of a delivered CSV file (no line end): NULL as an empty field, a field
    holding a comma, a quote or a line break quoted, quotes doubled (delivery.csv_record in Python)."""

    def field(x: str) -> str:
        special = " OR ".join(f"contains({x}, {c})" for c in ("','", "'\"'", "chr(10)", "chr(13)"))
        return f"CASE WHEN {x} IS NULL THEN '' WHEN {special} THEN '\"' || replace({x}, '\"', '\"\"') || '\"' ELSE {x} END"

    if len(texts) == 1:  # a lone empty field is quoted, or the line would read as a blank line
        return f"CASE WHEN coalesce({texts[0]}, '') = '' THEN '\"\"' ELSE {field(texts[0])} END"
    return "concat(" + ", ',', ".join(field(x) for x in texts) + ")"  # one concat: see _struct
