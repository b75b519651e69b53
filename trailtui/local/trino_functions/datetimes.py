"""Trino's date and time functions where DuckDB's differ (trino.io/docs/current/functions/datetime.html);
expected values from the documentation and Trino's TestDateTimeFunctions.

How `timestamp with time zone` values travel is the translator's business (translate/types.py: the
instant in a TIMESTAMPTZ, the zone as a static tag of the expression, session zone UTC); these rewrites read
the Trino types and zone tags it sets.
"""

from __future__ import annotations

import math
import re
from typing import Any

from sqlglot import exp

from trailtui.local.trino_functions.core import Rewriter, args_of, handles, macro, udf

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


_OFFSET = re.compile(r"^([+-])(\d{1,2}):?(\d{2})$")


def offset_seconds(zone: str) -> int | None:
    """The seconds of a fixed-offset zone such as `+07:09`; None for a named zone."""
    m = _OFFSET.match(zone.strip())
    if not m:
        return None
    secs = int(m.group(2)) * 3600 + int(m.group(3)) * 60
    return -secs if m.group(1) == "-" else secs


def wall_time_of(node: Any) -> Any:
    """The wall time of a timestamp with time zone in its zone (a TIMESTAMPTZ prints in UTC)."""
    zone = _zone(node)
    if zone is None:
        return node
    secs = offset_seconds(zone)
    if secs is not None:  # DuckDB's time zones are named ones: add the fixed offset to the UTC wall time
        utc_wall = exp.cast(node, "TIMESTAMP")
        return exp.Add(
            this=utc_wall, expression=exp.Interval(this=exp.Literal.string(str(secs)), unit=exp.var("SECOND"))
        )
    return _fn("timezone", exp.Literal.string(zone), node)


@handles(exp.Extract)
def _extract(rw: Rewriter, node: Any) -> Any:
    """extract(DOW|DAY_OF_WEEK ...) is ISO (Monday 1 .. Sunday 7); DOY|DAY_OF_YEAR; YOW|YEAR_OF_WEEK;
    MILLISECOND is within the second."""
    field = str(node.this.name).upper()
    value = node.expression
    if field in ("DOW", "DAY_OF_WEEK"):
        return _fn("isodow", wall_time_of(value))
    if field in ("DOY", "DAY_OF_YEAR"):
        return _fn("dayofyear", wall_time_of(value))
    if field in ("YOW", "YEAR_OF_WEEK"):
        return _fn("isoyear", wall_time_of(value))
    if field == "MILLISECOND":
        return exp.Mod(this=_fn("millisecond", wall_time_of(value)), expression=exp.Literal.number(1000))
    if field in ("TIMEZONE_HOUR", "TIMEZONE_MINUTE"):
        return _zone_part(value, field == "TIMEZONE_HOUR")
    if _zone(value) is not None:  # a field of the wall time in the value's zone
        node.set("expression", wall_time_of(value))
        return node
    return None


_FIELDS = (
    exp.Hour,
    exp.Minute,
    exp.Second,
    exp.Day,
    exp.Month,
    exp.Year,
    exp.Quarter,
    exp.WeekOfYear,
    exp.DayOfMonth,
    exp.DayOfYear,
    exp.DayOfWeek,
    exp.DayOfWeekIso,
    exp.YearOfWeek,
    exp.LastDay,
    exp.Date,
)


@handles(*_FIELDS)
def _field_in_zone(rw: Rewriter, node: Any) -> Any:
    """hour(t), day(t), ... of a timestamp with time zone read its wall time in its zone, as Trino does
    (DuckDB would read the UTC wall time)."""
    if _zone(node.this) is None:
        return None
    node.set("this", wall_time_of(node.this))
    return node


def _zone_part(value: Any, hours: bool) -> Any:
    zone = _zone(value)
    if zone is None:
        secs: Any = exp.Literal.number(0)
    elif offset_seconds(zone) is not None:
        secs = exp.Literal.number(offset_seconds(zone) or 0)
    else:
        secs = exp.Sub(this=_fn("epoch", wall_time_of(value)), expression=_fn("epoch", value.copy()))
    unit = 3600 if hours else 60
    whole = _fn("trunc", exp.Div(this=secs, expression=exp.Literal.number(unit)))
    if not hours:
        whole = _fn(
            "trunc",
            exp.Div(
                this=exp.Mod(this=secs.copy(), expression=exp.Literal.number(3600)),
                expression=exp.Literal.number(60),
            ),
        )
    return exp.cast(whole, "BIGINT")


@handles("timezone_hour", "timezone_minute")
def _timezone_field(rw: Rewriter, node: Any) -> Any:
    args = args_of(node)
    if len(args) != 1:
        return None
    return _zone_part(args[0], str(node.name).lower() == "timezone_hour")


@handles("millisecond")
def _millisecond(rw: Rewriter, node: Any) -> Any:
    (value,) = args_of(node) or [None]
    if value is None:
        return None
    return exp.Mod(this=_fn("millisecond", wall_time_of(value)), expression=exp.Literal.number(1000))


@handles("dow")
def _dow(rw: Rewriter, node: Any) -> Any:
    return _fn("isodow", *args_of(node))


@handles("yow")
def _yow(rw: Rewriter, node: Any) -> Any:
    return _fn("isoyear", *args_of(node))


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


# from_iso8601_timestamp(text) keeps each value's own offset (Trino); the local lake carries one zone per
# expression, so a value read from a column is placed in UTC. That is the same instant, but hour(), day(),
# date() and the printed text would be UTC's: such a value fails the query instead of answering UTC's numbers.
# `from_iso8601_timestamp(x) AT TIME ZONE 'UTC'` asks for UTC's numbers, so it is not guarded.
macro(
    "trino_iso_utc_only",
    r"(s) AS CASE WHEN regexp_matches(s, '[T ]\d{2}(:\d{2}(:\d{2}([.,]\d+)?)?)?[+-]\d{2}(:?\d{2})?$') "
    r"AND NOT regexp_matches(s, '[+-]00(:?00)?$') THEN error('from_iso8601_timestamp of text with an offset "
    r"other than UTC is not supported on the local lake (unless the text is a literal, or the result is read AT "
    r"TIME ZONE ''UTC''): ' || s) ELSE s END",
)


@handles(exp.FromISO8601Timestamp)
def _from_iso8601_timestamp(rw: Rewriter, node: Any) -> Any:
    if isinstance(node.this, exp.Literal) or node.meta.get("read_in_zone"):
        return None  # a literal's offset is the zone of the expression (prepare, below)
    return exp.FromISO8601Timestamp(this=rw.call("trino_iso_utc_only", node.this))


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
        wall = wall_time_of(value)
        fixed = offset_seconds(zone)
        if fixed is not None:
            offset: Any = exp.Literal.number(fixed)
        else:
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
    ("D", "%-j"),
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
    return _fn("strftime", wall_time_of(value), exp.Literal.string(joda_to_strftime(pattern.this, utc)))


@handles(exp.DateAdd)
def _date_add(rw: Rewriter, node: Any) -> Any:
    """date_add on a date gives a date (DuckDB's date + interval is a timestamp)."""
    if _kind(node.this) != "DATE":
        return None
    unit = node.args.get("unit")
    if unit is not None and unit.name.upper() not in ("DAY", "WEEK", "MONTH", "QUARTER", "YEAR"):
        raise ValueError(f"'{unit.name.lower()}' is not a valid DATE field")
    return exp.cast(node.copy(), "DATE")


@udf("trino_human_readable_seconds", ("DOUBLE",), "VARCHAR")
def _human_readable_seconds(value: float) -> str:
    """human_readable_seconds(96) is '1 minute, 36 seconds' (functions/datetime.html)."""
    if math.isnan(value) or math.isinf(value):
        raise ValueError("Invalid argument found: " + repr(value))
    rest = round(abs(value))
    parts = []
    for name, size in (("week", 604800), ("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)):
        n, rest = divmod(rest, size)
        if n:
            parts.append(f"{n} {name}" + ("" if n == 1 else "s"))
    return ", ".join(parts) or "0 seconds"


handles("human_readable_seconds")(lambda rw, node: rw.call("trino_human_readable_seconds", *args_of(node)))


def _literal_offset(node: Any) -> str | None:
    """The UTC offset written at the end of an ISO 8601 literal (`...+07:09`), if any."""
    if not (isinstance(node, exp.Literal) and node.is_string):
        return None
    m = re.search(r"[T ]\d{2}(?::\d{2}(?::\d{2}(?:\.\d+)?)?)?([+-]\d{2}(?::?\d{2})?)$", node.this.strip())
    if not m:
        return None
    text = m.group(1)
    return text if ":" in text or len(text) == 3 else text[:3] + ":" + text[3:]


def _offset_zone(hours: Any, minutes: Any) -> Any:
    """from_unixtime's hours and minutes as the zone `+HH:MM` (literals only: the zone is a static tag)."""
    from trailtui.local.trino_functions.core import literal_int

    h = literal_int(hours)
    m = literal_int(minutes) if minutes is not None else 0
    if h is None or m is None:
        raise ValueError("from_unixtime(x, hours, minutes) needs literal hours and minutes on the local lake")
    total = h * 60 + (m if h >= 0 else -m)
    if abs(total) > 14 * 60:
        raise ValueError(f"Invalid time zone offset: {h}:{m}")
    sign = "-" if total < 0 else "+"
    return exp.Literal.string(f"{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}")


def prepare(tree: Any) -> Any:
    """Before the translator types the query (it carries each timestamp with time zone's zone as a static
    tag): functions that produce a value in a zone become `... AT TIME ZONE zone`, which it handles. Zone
    names are first spelt as Trino spells them (zones.py)."""
    _canonical_zones(tree)
    for node in list(tree.find_all(exp.Anonymous)):
        name = str(node.name).lower()
        args = list(node.expressions)
        if name == "at_timezone" and len(args) == 2:
            node.replace(exp.AtTimeZone(this=args[0], zone=args[1]))
        elif name == "with_timezone" and len(args) == 2:  # the wall time read in the zone
            instant = _fn("timezone", args[1].copy(), args[0])
            node.replace(exp.AtTimeZone(this=instant, zone=args[1]))
        elif name == "parse_datetime" and len(args) == 2 and isinstance(args[1], exp.Literal):
            parsed = _fn("strptime", args[0], exp.Literal.string(joda_to_strftime(args[1].this, True)))
            node.replace(exp.AtTimeZone(this=parsed, zone=exp.Literal.string("UTC")))
    for node in list(tree.find_all(exp.ParseDatetime)):
        fmt = node.args.get("format")
        if isinstance(fmt, exp.Literal) and fmt.is_string:
            parsed = _fn("strptime", node.this, exp.Literal.string(joda_to_strftime(fmt.this, True)))
            node.replace(exp.AtTimeZone(this=parsed, zone=exp.Literal.string("UTC")))
    for node in list(tree.find_all(exp.UnixToTime)):
        zone = node.args.get("zone")
        if isinstance(node.parent, exp.AtTimeZone):
            continue
        if node.args.get("hours") is not None:  # from_unixtime(x, hours, minutes): that fixed offset
            zone = _offset_zone(node.args.get("hours"), node.args.get("minutes"))
            node.set("hours", None)
            node.set("minutes", None)
        node.set("zone", None)  # from_unixtime(x[, zone]): timestamp(3) with time zone, UTC by default
        node.replace(exp.AtTimeZone(this=node.copy(), zone=zone or exp.Literal.string("UTC")))
    for node in list(tree.find_all(exp.FromISO8601Timestamp)):
        if isinstance(node.parent, exp.AtTimeZone):  # the user's own AT TIME ZONE: read in that zone
            node.meta["read_in_zone"] = True
        offset = _literal_offset(node.this)
        if offset is not None and not isinstance(node.parent, exp.AtTimeZone):
            node.replace(exp.AtTimeZone(this=node.copy(), zone=exp.Literal.string(offset)))
    return tree


def _canonical_zones(tree: Any) -> None:
    """Every literal zone name of AT TIME ZONE, at_timezone, with_timezone and from_unixtime as Trino reads
    it, or the query refused with Trino's error for an unknown zone."""
    from trailtui.local.trino_functions.zones import canonical_zone

    def fix(zone: Any) -> None:
        if isinstance(zone, exp.Literal) and zone.is_string:
            zone.replace(exp.Literal.string(canonical_zone(zone.this)))

    for node in list(tree.find_all(exp.AtTimeZone)):
        fix(node.args.get("zone"))
    for node in list(tree.find_all(exp.UnixToTime)):
        fix(node.args.get("zone"))
    for node in list(tree.find_all(exp.Anonymous)):
        if str(node.name).lower() in ("at_timezone", "with_timezone") and len(node.expressions) == 2:
            fix(node.expressions[1])
