"""Trino's date and time functions where DuckDB's differ (trino.io/docs/current/functions/datetime.html);
expected values from the documentation and Trino's TestDateTimeFunctions.

How `timestamp with time zone` values travel is the translator's business (translate/types.py: the
instant in a TIMESTAMPTZ, the zone as a static tag of the expression, session zone UTC); these rewrites read
the Trino types and zone tags it sets.
"""

from __future__ import annotations

from typing import Any

from sqlglot import exp

from trailtui.local.trino_functions.core import Rewriter, args_of, handles, macro

# A UTC offset in seconds as ISO 8601 prints it: `Z` for zero, else `+HH:MM`.
macro(
    "trino_iso_offset",
    "(secs) AS CASE WHEN secs = 0 THEN 'Z' ELSE (CASE WHEN secs < 0 THEN '-' ELSE '+' END) || "
    "lpad(CAST(abs(secs) // 3600 AS VARCHAR), 2, '0') || ':' || "
    "lpad(CAST((abs(secs) % 3600) // 60 AS VARCHAR), 2, '0') END",
)


def _kind(node: Any) -> str:
    t = getattr(node, "type", None)
    if t is None or t.this == exp.DataType.Type.UNKNOWN:
        return ""
    return str(t.this.name)


def _precision(node: Any, default: int = 3) -> int:
    t = getattr(node, "type", None)
    for p in t.expressions if t is not None else []:
        text = p.name if hasattr(p, "name") else str(p)
        if str(text).isdigit():
            return int(text)
    return default


def _zone(node: Any) -> str | None:
    t = getattr(node, "type", None)
    zone = t.meta.get("trino_zone") if t is not None and t.meta else None
    return None if zone in (None, "UTC", "Z", "+00:00") else str(zone)


def _fraction(p: int) -> str:
    return {0: "", 3: ".%g", 6: ".%f"}.get(p, ".%g")


def _fn(name: str, *args: Any) -> Any:
    return exp.Anonymous(this=name, expressions=list(args))


def _wall(node: Any) -> Any:
    """The wall time of a timestamp with time zone in its zone (a TIMESTAMPTZ prints in UTC)."""
    zone = _zone(node)
    return node if zone is None else _fn("timezone", exp.Literal.string(zone), node)


@handles(exp.Extract)
def _extract(rw: Rewriter, node: Any) -> Any:
    """extract(DOW|DAY_OF_WEEK ...) is ISO (Monday 1 .. Sunday 7); DOY|DAY_OF_YEAR; YOW|YEAR_OF_WEEK;
    MILLISECOND is within the second."""
    field = str(node.this.name).upper()
    value = node.expression
    if field in ("DOW", "DAY_OF_WEEK"):
        return _fn("isodow", _wall(value))
    if field in ("DOY", "DAY_OF_YEAR"):
        return _fn("dayofyear", _wall(value))
    if field in ("YOW", "YEAR_OF_WEEK"):
        return _fn("isoyear", _wall(value))
    if field == "MILLISECOND":
        return exp.Mod(this=_fn("millisecond", _wall(value)), expression=exp.Literal.number(1000))
    return None


@handles("millisecond")
def _millisecond(rw: Rewriter, node: Any) -> Any:
    (value,) = args_of(node) or [None]
    if value is None:
        return None
    return exp.Mod(this=_fn("millisecond", _wall(value)), expression=exp.Literal.number(1000))


@handles("dow")
def _dow(rw: Rewriter, node: Any) -> Any:
    return _fn("isodow", *args_of(node))


@handles("doy")
def _doy(rw: Rewriter, node: Any) -> Any:
    return _fn("dayofyear", *args_of(node))


@handles(exp.DateDiff)
def _date_diff(rw: Rewriter, node: Any) -> Any:
    """date_diff counts whole units elapsed (Trino), not unit boundaries crossed (DuckDB's date_diff):
    DuckDB's date_sub is the former."""
    unit = node.args.get("unit")
    if unit is None:
        return None
    return _fn("date_sub", exp.Literal.string(unit.name.lower()), node.expression, node.this)


@handles("to_iso8601")
def _to_iso8601(rw: Rewriter, node: Any) -> Any:
    (value,) = args_of(node) or [None]
    if value is None:
        return None
    kind = "TIMESTAMPTZ" if isinstance(value, exp.UnixToTime) else _kind(value)  # from_unixtime: with zone
    if kind == "DATE":
        return _fn("strftime", value, exp.Literal.string("%Y-%m-%d"))
    fmt = "%Y-%m-%dT%H:%M:%S" + _fraction(_precision(value))
    if kind == "TIMESTAMP":
        return _fn("strftime", value, exp.Literal.string(fmt))
    if kind in ("TIMESTAMPTZ", "TIMESTAMPLTZ"):
        zone = _zone(value)
        if zone is None:
            return _fn("strftime", value, exp.Literal.string(fmt + "Z"))
        wall = _wall(value)
        offset = exp.Sub(this=_fn("epoch", wall.copy()), expression=_fn("epoch", value.copy()))
        return exp.DPipe(
            this=_fn("strftime", wall, exp.Literal.string(fmt)),
            expression=rw.call("trino_iso_offset", exp.cast(offset, "BIGINT")),
        )
    raise ValueError("to_iso8601 needs a date or timestamp argument on the local lake")


_JODA = [
    ("yyyy", "%Y"),
    ("yy", "%y"),
    ("y", "%Y"),
    ("MMMM", "%B"),
    ("MMM", "%b"),
    ("MM", "%m"),
    ("M", "%-m"),
    ("dd", "%d"),
    ("d", "%-d"),
    ("HH", "%H"),
    ("H", "%-H"),
    ("hh", "%I"),
    ("h", "%-I"),
    ("mm", "%M"),
    ("m", "%-M"),
    ("ss", "%S"),
    ("s", "%-S"),
    ("SSSSSS", "%f"),
    ("SSS", "%g"),
    ("a", "%p"),
    ("EEEE", "%A"),
    ("EEE", "%a"),
    ("E", "%a"),
    ("DDD", "%j"),
]


def joda_to_strftime(pattern: str, utc: bool) -> str:
    """A Joda-Time pattern (format_datetime, parse_datetime) as a DuckDB strftime format; ValueError for
    letters this conversion does not know (rather than print something else)."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "'":
            end = pattern.find("'", i + 1)
            if end < 0:
                raise ValueError(f"Invalid format: unterminated quote in '{pattern}'")
            text = pattern[i + 1 : end] or "'"
            out.append(text.replace("%", "%%"))
            i = end + 1
            continue
        if c.isalpha():
            run = 1
            while i + run < len(pattern) and pattern[i + run] == c:
                run += 1
            token = c * run
            if c == "Z" and utc:
                out.append("+00:00" if run == 2 else ("UTC" if run >= 3 else "+0000"))
            elif c == "z" and utc:
                out.append("UTC")
            else:
                conv = next((f for j, f in _JODA if j == token), None)
                if conv is None:
                    raise ValueError(
                        f"format_datetime pattern letter '{token}' is not supported by the local lake"
                    )
                out.append(conv)
            i += run
            continue
        out.append("%%" if c == "%" else c)
        i += 1
    return "".join(out)


@handles("format_datetime")
def _format_datetime(rw: Rewriter, node: Any) -> Any:
    args = args_of(node)
    if len(args) != 2:
        return None
    value, pattern = args
    if not (isinstance(pattern, exp.Literal) and pattern.is_string):
        raise ValueError("format_datetime needs a literal pattern on the local lake")
    utc = _zone(value) is None
    return _fn("strftime", _wall(value), exp.Literal.string(joda_to_strftime(pattern.this, utc)))


@handles(exp.UnixToTime)
def _from_unixtime(rw: Rewriter, node: Any) -> Any:
    zone = node.args.get("zone")
    if zone is None:
        return None
    if isinstance(zone, exp.Literal) and zone.is_string and zone.this.upper() in ("UTC", "Z", "+00:00"):
        node.set("zone", None)
        return node
    raise ValueError("from_unixtime with a time zone other than UTC is not supported by the local lake")
