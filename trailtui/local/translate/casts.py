"""CAST with Trino's meaning (Trino documentation: functions/conversion, language/types).

- To an integer type from double/real: rounded half away from zero (DuckDB rounds half to even).
- To varchar(n): cut to n characters.
- A timestamp to varchar keeps its fractional digits (`2022-04-06 16:01:09.000` for timestamp(3)).
- `DECIMAL '137.7'` is decimal(4,1), not DuckDB's default decimal(18,3).
- A string literal cast to a timestamp gets the literal's own precision (`TIMESTAMP '... 10:00:00'` is
  timestamp(0)) and, with a zone, that zone as its tag.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from trailtui.local.errors import InvalidQueryStatement
from trailtui.local.translate.late import late
from trailtui.local.translate.types import set_zone, zone_of

_ZONE_SUFFIX = re.compile(r"\s+([A-Za-z][A-Za-z0-9_/+-]*|[+-]\d{2}:\d{2})$")


# Java's FloatingPointLiteral may end in a type suffix (`1.5d`, `2F`), which DuckDB does not read: cut off
# before the cast (hexadecimal literals, `0x1p3`, stay refused).
_JAVA_DOUBLE = r"\s*[+-]?(NaN|Infinity|([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?[fFdD]?)\s*"
_JAVA_SUFFIX = r"[fFdD](\s*)$"


def _strict_text() -> dict[Any, tuple[str, str]]:
    """What Trino's varchar casts accept (Java's Long.parseLong, and Trino's boolean words), where DuckDB
    accepts more (`'1.5'` as integer 2, `'yes'` as true)."""
    from sqlglot import exp

    T = exp.DataType.Type
    integer = r"\s*[+-]?[0-9]+\s*"
    return {
        T.TINYINT: (integer, "TINYINT"),
        T.SMALLINT: (integer, "SMALLINT"),
        T.INT: (integer, "INT"),
        T.BIGINT: (integer, "BIGINT"),
        T.BOOLEAN: ("(?i)(true|false|t|f|1|0)", "BOOLEAN"),
        # Java's Double.parseDouble: NaN and Infinity spelled so (DuckDB also took nan, inf, infinity)
        T.DOUBLE: (_JAVA_DOUBLE, "DOUBLE"),
        T.FLOAT: (_JAVA_DOUBLE, "REAL"),
    }


_STRICT_TEXT = _strict_text()


@functools.lru_cache(maxsize=256)
def _dt(text: str) -> Any:
    """A Trino type (parsed once per spelling: types are shared, never changed in place)."""
    from sqlglot import exp

    return exp.DataType.build(text, dialect="trino")


def _params(t: Any) -> list[str]:
    return [p.name for p in t.expressions]


# Trino's reading of a timestamp text (type/DateTimes.DATETIME_PATTERN): a date, then optionally a space, a
# time and a zone. No `T` between date and time.
_DATETIME = re.compile(
    r"(\d{4,})-(\d{1,2})-(\d{1,2})"
    r"(?: (?:(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d+))?)?)?\s*(.+)?)?"
)


def _rounded_wall_time(text: str, precision: int) -> str | None:
    """The date and time of a timestamp text rounded to `precision` fractional digits (half up, as Trino's
    cast rounds), without its zone; None if Trino would not read the text as a timestamp."""
    import datetime as dt

    m = _DATETIME.fullmatch(text.strip())
    if not m:
        return None
    y, mo, d, h, mi, sec, frac = (m.group(i) for i in range(1, 8))
    try:
        value = dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(sec or 0))
    except ValueError:
        return None
    digits = frac or ""
    if len(digits) > precision:  # round half up at `precision` digits, carrying into the seconds
        kept = int(digits[:precision] or "0") + (digits[precision] >= "5")
        if kept == 10**precision:
            value, kept = value + dt.timedelta(seconds=1), 0
        digits = str(kept).zfill(precision) if precision else ""
    return value.isoformat(sep=" ") + (f".{digits}" if digits else "")


def _timestamp_literal(node: Any, to: Any) -> Any:
    """`TIMESTAMP '...'` has the literal's own precision (sqlglot's Trino parser puts it in the type);
    `CAST('...' AS timestamp)` is timestamp(3), rounded. A zone in the text makes a typed literal a
    timestamp with time zone, but CAST(... AS timestamp) ignores it and keeps the wall time
    (operator/scalar/timestamp/VarcharToTimestampCast)."""
    from sqlglot import exp

    text = node.this.name
    given = _params(to)
    precision = int(given[0]) if given and given[0].isdigit() else 3
    with_zone = to.this == exp.DataType.Type.TIMESTAMPTZ
    if with_zone:
        zone = None
        m = _ZONE_SUFFIX.search(text.strip())
        if m and re.search(r"\d{2}:\d{2}", text):
            zone = m.group(1)
        body = text.strip()
        if zone and m:
            from trailtui.local.trino_functions.zones import canonical_zone

            try:  # spelt as Trino spells it: `america/new_york`, `UTC+2` (+02:00); unknown zones fail
                zone = canonical_zone(zone)
            except ValueError as exc:
                raise InvalidQueryStatement(str(exc)) from None
            wall = body[: m.start()].strip()
            offset = re.fullmatch(r"[+-]\d{2}:\d{2}", zone)
            body = wall + zone if offset else f"{wall} {zone}"  # DuckDB reads offsets without a space
        node.set("this", exp.Literal.string(body))
        node.set("to", _dt("TIMESTAMPTZ").copy())
        node.type = _dt(f"TIMESTAMP({precision}) WITH TIME ZONE")
        set_zone(node, zone if zone not in (None, "UTC", "Z") else ("UTC" if zone else None))
        return node
    wall = _rounded_wall_time(text, min(precision, 6))
    if wall is None and "safe" in node.args:  # CAST(...), not a typed literal: fails as Trino's does
        message = f"Value cannot be cast to timestamp: {text}"
        wall_sql = "NULL" if isinstance(node, exp.TryCast) else f"error({_sql_string(message)})"
        return late(f"CAST({wall_sql} AS TIMESTAMP)", [], _dt(f"TIMESTAMP({min(precision, 6)})"))
    node.set("this", exp.Literal.string(wall or text))
    node.set("to", _dt("TIMESTAMP").copy())
    node.type = _dt(f"TIMESTAMP({min(precision, 6)})")
    return node


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _scientific(x: str) -> str:
    """A double or real as Trino casts it to varchar: Java's digits in scientific notation (`3.77E1`,
    `1.2E3`, `0E0`, `NaN`, `Infinity`). DuckDB prints the same shortest digits, in its own layout; the
    digits and the exponent are taken from that text (the value is bound once, through a one-element list).
    """
    digits = "ltrim(replace(split_part(split_part(t, 'e', 1), '.', 1) || split_part(split_part(t, 'e', 1), '.', 2), '-', ''), '0')"
    lead = (
        "(length(replace(split_part(split_part(t, 'e', 1), '.', 1) || split_part(split_part(t, 'e', 1), '.', 2), "
        f"'-', '')) - length({digits}))"
    )
    exponent = (
        "(length(replace(split_part(split_part(t, 'e', 1), '.', 1), '-', '')) - 1 - "
        f"{lead} + coalesce(TRY_CAST(nullif(split_part(t, 'e', 2), '') AS INTEGER), 0))"
    )
    sig = f"rtrim({digits}, '0')"
    body = (
        f"CASE WHEN isnan(v) THEN 'NaN' WHEN isinf(v) THEN (CASE WHEN v > 0 THEN 'Infinity' ELSE '-Infinity' END) "
        f"WHEN v = 0 THEN (CASE WHEN t LIKE '-%' THEN '-0E0' ELSE '0E0' END) "
        f"ELSE (CASE WHEN v < 0 THEN '-' ELSE '' END) || left({sig}, 1) || '.' || "
        f"coalesce(nullif(substr({sig}, 2), ''), '0') || 'E' || CAST({exponent} AS VARCHAR) END"
    )
    return f"list_transform([{x}], v -> list_transform([lower(CAST(v AS VARCHAR))], t -> {body})[1])[1]"


def _from_zoned(node: Any, src: Any, to: Any) -> Any:
    """A timestamp with time zone cast to timestamp, date or varchar reads its wall time in its own zone
    (Trino: `CAST(TIMESTAMP '2024-01-01 22:00:00 America/New_York' AS date)` is 2024-01-01, not the UTC
    date), and as varchar it is printed as Trino prints it, zone included (`2024-01-01 22:00:00
    America/New_York`; DuckDB wrote `2024-01-02 03:00:00+00`)."""
    from sqlglot import exp

    from trailtui.local.translate.timefuncs import wall_time

    T = exp.DataType.Type
    zone = zone_of(src) or "UTC"
    wall = wall_time("{0}", zone)
    given = _params(to)
    if to.this == T.DATE:
        return late(f"CAST({wall} AS DATE)", [src], "DATE")
    if to.this == T.TIMESTAMP:
        p = int(given[0]) if given and given[0].isdigit() else 3
        return late(wall, [src], f"TIMESTAMP({min(p, 6)})")
    digits = _params(src.type)
    p = int(digits[0]) if digits and digits[0].isdigit() else 3
    fmt = "%Y-%m-%d %H:%M:%S" + {0: "", 3: ".%g", 6: ".%f"}.get(p, ".%g")
    text = f"(strftime({wall}, '{fmt}') || {_sql_string(' ' + zone)})"
    return late(f"substr({text}, 1, {given[0]})" if given and given[0].isdigit() else text, [src], "VARCHAR")


_NESTED = ("ARRAY", "MAP", "STRUCT")
_TEXT = ("VARCHAR", "CHAR", "TEXT", "NVARCHAR")


def _cast_at(node: Any, src: Any) -> str:
    """`line L:C: ` of the CAST keyword (Trino's position of a cast error): the parser keeps the position
    of the operand, the keyword is the last `CAST(` before it."""
    from trailtui.local.translate.parse import start_of

    start = start_of(node)
    if start is None:
        return ""
    found = list(re.finditer(r"(?i)\b(?:try_)?cast\s*\(\s*", src.parsed[:start]))
    at = found[-1].start() if found and found[-1].end() == start else start
    line, col = src.position(at)
    return f"line {line}:{col}: "


def check_castable(node: Any, src: Any) -> None:
    """Trino has no cast between text and arrays, maps or rows (functions/conversion; the cast is refused
    when the query is analysed, TRY_CAST too): DuckDB wrote `CAST(requestParameters AS varchar)` as
    `{key=value}` text, which LIKE then searched, and read `'[a, b]'` as a list."""
    from trailtui.local.translate.types import trino_name

    t, to = getattr(node.this, "type", None), node.args["to"]
    kind = t.this.name if t is not None else "UNKNOWN"
    if (kind in _NESTED and to.this.name in _TEXT) or (kind in _TEXT and to.this.name in _NESTED):
        raise InvalidQueryStatement(f"{_cast_at(node, src)}Cannot cast {trino_name(t)} to {trino_name(to)}")


# DuckDB's integer types as its typeof() names them, for a regular expression over typeof() of a value whose
# Trino type the translator could not tell.
DUCK_INTEGER = "U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?"
# DuckDB types whose text DuckDB writes as Trino does (integers, text, booleans, dates).
_SAME_TEXT = f"^(({DUCK_INTEGER})|VARCHAR|BOOLEAN|DATE)$"


def guard_untyped_text_cast(node: Any) -> Any | None:
    """CAST(x AS varchar) of an x whose Trino type the translator could not work out (a lambda's result,
    zip, map_entries): if DuckDB holds an array, map, row or double there, its text is not Trino's (Trino
    refuses the first three, writes doubles as 2.0E0), so such a value fails the query instead."""
    from sqlglot import exp

    t, to = getattr(node.this, "type", None), node.args["to"]
    if (t is not None and t.this != exp.DataType.Type.UNKNOWN) or to.this.name not in _TEXT or to.expressions:
        return None
    text = (
        f"CASE WHEN regexp_matches(typeof({{0}}), '{_SAME_TEXT}') THEN CAST({{0}} AS VARCHAR) "
        "ELSE error('Casting to varchar a value whose type the local lake cannot tell (' || typeof({0}) || "
        "') is not supported; cast or format its parts') END"
    )
    return late(text, [node.this], "VARCHAR")


def rewrite_cast(node: Any) -> Any:
    from sqlglot import exp

    T = exp.DataType.Type
    to = node.args["to"]
    src = node.this
    src_kind = src.type.this if src.type is not None else T.UNKNOWN
    given = _params(to)
    if (
        to.this in (T.VARCHAR, T.CHAR)
        and given
        and given[0].isdigit()
        and src_kind not in (T.VARCHAR, T.CHAR, T.TEXT, T.NVARCHAR, T.UNKNOWN, T.NULL)
    ):
        # A number, boolean or time too long for varchar(n) fails in Trino (only text is cut):
        # "Value 123 cannot be represented as varchar(2)".
        whole = node.copy()
        whole.set("to", _dt("VARCHAR").copy())
        whole.type = _dt("VARCHAR")
        text = rewrite_cast(whole)
        n = int(given[0])
        return late(
            f"CASE WHEN length({{0}}) > {n} THEN error('Value ' || {{0}} || ' cannot be represented as "
            f"varchar({n})') ELSE {{0}} END",
            [text],
            node.type,
        )
    if src_kind == T.TIMESTAMPTZ and to.this in (T.TIMESTAMP, T.DATE, T.VARCHAR, T.CHAR):
        return _from_zoned(node, src, to)
    if isinstance(src, exp.Literal) and src.is_string and to.this == T.DECIMAL and not to.expressions:
        from trailtui.local.translate.operators import literal_decimal

        p, s = literal_decimal(src.name.strip())
        node.set("to", _dt(f"DECIMAL({p}, {s})").copy())
        node.type = _dt(f"DECIMAL({p}, {s})")
        return node
    if isinstance(src, exp.Literal) and src.is_string and to.this == T.TIME and not to.expressions:
        fraction = re.search(r"\.(\d+)", src.name)
        node.type = _dt(f"TIME({min(len(fraction.group(1)), 6) if fraction else 0})")
        return node
    if isinstance(src, exp.Literal) and src.is_string and to.this in (T.TIMESTAMP, T.TIMESTAMPTZ):
        return _timestamp_literal(node, to)
    if src_kind in (T.VARCHAR, T.CHAR, T.TEXT) and to.this == T.DATE:
        # Trino reads only yyyy-mm-dd (DateTimeUtils.parseDate): '2024-01-01 10:00:00' fails
        bad = "NULL" if isinstance(node, exp.TryCast) else "error('Value cannot be cast to date: ' || {0})"
        return late(
            f"CASE WHEN NOT regexp_full_match({{0}}, '\\s*[+-]?[0-9]{{{{4,}}}}-[0-9]{{{{1,2}}}}-[0-9]{{{{1,2}}}}\\s*') "
            f"THEN {bad} ELSE {'TRY_CAST' if isinstance(node, exp.TryCast) else 'CAST'}(trim({{0}}) AS DATE) END",
            [src],
            "DATE",
        )
    if src_kind in (T.VARCHAR, T.CHAR, T.TEXT) and to.this == T.TIMESTAMP:
        # Trino reads a date, then after a space a time (type/DateTimes.DATETIME_PATTERN): DuckDB also read
        # ISO's `2024-01-01T10:00:00`, so a column of such text answered where Trino fails.
        bad = (
            "NULL" if isinstance(node, exp.TryCast) else "error('Value cannot be cast to timestamp: ' || {0})"
        )
        return late(
            f"CASE WHEN NOT regexp_full_match({{0}}, '\\s*[0-9]{{{{4,}}}}-[0-9]{{{{1,2}}}}-[0-9]{{{{1,2}}}}( .*)?') "
            f"THEN {bad} ELSE {'TRY_CAST' if isinstance(node, exp.TryCast) else 'CAST'}({{0}} AS TIMESTAMP) END",
            [src],
            node.type,
        )
    if src_kind in (T.VARCHAR, T.CHAR, T.TEXT) and to.this in _STRICT_TEXT:
        pattern, name = _STRICT_TEXT[to.this]
        target = to.sql(dialect="duckdb")
        quote = "''''"  # a SQL string holding one quote
        bad = (
            "NULL"
            if isinstance(node, exp.TryCast)
            else f"error('Cannot cast ' || {quote} || {{0}} || {quote} || ' to {name}')"
        )
        text = f"regexp_replace({{0}}, '{_JAVA_SUFFIX}', '\\1')" if to.this in (T.DOUBLE, T.FLOAT) else "{0}"
        return late(
            f"CASE WHEN NOT regexp_full_match({{0}}, '{pattern}') THEN {bad} ELSE CAST({text} AS {target}) END",
            [src],
            node.type,
        )
    if to.this in (T.TINYINT, T.SMALLINT, T.INT, T.BIGINT) and src_kind in (T.DOUBLE, T.FLOAT):
        target = to.sql(dialect="duckdb")
        fn = "TRY_CAST" if isinstance(node, exp.TryCast) else "CAST"
        return late(f"{fn}(round({{0}}) AS {target})", [src], node.type)
    if to.this in (T.VARCHAR, T.CHAR) and src_kind in (T.TIMESTAMP, T.DATETIME):
        digits = _params(src.type)
        p = int(digits[0]) if digits and digits[0].isdigit() else 3
        fmt = "%Y-%m-%d %H:%M:%S" + {0: "", 3: ".%g", 6: ".%f"}.get(p, ".%g")
        return late(f"strftime({{0}}, '{fmt}')", [src], "VARCHAR")
    if to.this in (T.VARCHAR, T.CHAR) and src_kind in (T.TIME, T.TIMETZ):
        return _time_text(node, src, src_kind == T.TIMETZ)
    if to.this in (T.VARCHAR, T.CHAR) and src_kind == T.INTERVAL and not given:
        return late(_interval_text(src.type), [src], node.type)
    length = _params(to)[0] if to.expressions and _params(to)[0].isdigit() else None
    if to.this in (T.VARCHAR, T.CHAR) and src_kind == T.DECIMAL and len(set(_params(src.type))) == 1:
        # decimal(p, p): DuckDB writes 0.5 as `.50`, Trino as `0.50`
        text = "regexp_replace(CAST({0} AS VARCHAR), '^(-?)[.]', '\\10.')"
        return late(f"substr({text}, 1, {length})" if length else text, [src], node.type)
    if to.this in (T.VARCHAR, T.CHAR) and src_kind in (T.DOUBLE, T.FLOAT):
        text = _scientific("{0}")
        return late(f"substr({text}, 1, {length})" if length else text, [src], node.type)
    if to.this in (T.VARCHAR, T.CHAR) and length:
        return late(f"substr({{0}}, 1, {length})", [node], node.type)
    return node


def _interval_text(t: Any) -> str:
    """An interval as Trino writes it (the same text render.py gives a result's interval): day to second as
    `D HH:MM:SS.mmm`, year to month as `Y-M`, negative ones with a leading `-`. DuckDB wrote `01:30:00` and
    `1 year 2 months`."""
    from trailtui.local.translate.intervals import YEAR_MONTH, interval_family

    if interval_family(t) == YEAR_MONTH:
        months = "(datepart('year', {0}) * 12 + datepart('month', {0}))"
        n = f"abs({months})"
        return (
            f"CASE WHEN {months} < 0 THEN '-' ELSE '' END || CAST({n} // 12 AS VARCHAR) || '-' || "
            f"CAST({n} % 12 AS VARCHAR)"
        )
    ms = "CAST(round(epoch({0}) * 1000) AS BIGINT)"
    a = f"abs({ms})"
    return (
        f"CASE WHEN {ms} < 0 THEN '-' ELSE '' END || CAST({a} // 86400000 AS VARCHAR) || ' ' || "
        f"printf('%02d:%02d:%02d.%03d', ({a} % 86400000) // 3600000, ({a} % 3600000) // 60000, "
        f"({a} % 60000) // 1000, {a} % 1000)"
    )


def _time_text(node: Any, src: Any, zoned: bool) -> Any:
    """A time(p) as Trino writes it: p fractional digits, and a time with time zone its offset as +hh:mm
    (`CAST(current_time AS varchar)` is `12:34:56.789+00:00`; DuckDB wrote microseconds and `+00`)."""
    digits = _params(src.type)
    p = min(int(digits[0]), 6) if digits and digits[0].isdigit() else 3
    text = f"substr(strftime(DATE '1970-01-01' + CAST({{0}} AS TIME), '%H:%M:%S.%f'), 1, {8 + p + (p > 0)})"
    if zoned:
        text += " || printf('%+03d:%02d', timezone_hour({0}), abs(timezone_minute({0})))"
    return late(text, [src], node.type)


def rewrite_array_join(node: Any) -> Any:
    """array_join casts each element to varchar as CAST does in Trino (functions/array: array_join):
    doubles in Java's scientific notation (`1.5E0`), decimals with their zero (`0.50`), timestamps with
    their precision. DuckDB's array_to_string used its own text (`1.5`, `.50`)."""
    from sqlglot import exp

    T = exp.DataType.Type
    arr = node.this
    t = getattr(arr, "type", None)
    if t is None or t.this != T.ARRAY or not t.expressions:
        return node
    element = t.expressions[0]
    if not isinstance(element, exp.DataType) or element.this not in (
        T.DOUBLE,
        T.FLOAT,
        T.DECIMAL,
        T.TIMESTAMP,
        T.TIMESTAMPTZ,
    ):
        return node
    x = exp.column("trino_element")
    x.type = element
    cast = exp.Cast(this=x, to=_dt("VARCHAR").copy())
    cast.type = _dt("VARCHAR")
    body = rewrite_cast(cast)
    lam = exp.Lambda(this=body, expressions=[exp.to_identifier("trino_element")])
    node.set("this", exp.Anonymous(this="list_transform", expressions=[arr, lam]))
    return node
