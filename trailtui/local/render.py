"""Rendering DuckDB values the way CloudTrail Lake (Trino) prints them in QueryResultRows.

Every value becomes a string: timestamps as `YYYY-MM-DD HH:MM:SS.mmm`, booleans as `true`/`false`, structs
and maps as `{key=value, ...}` (struct field names in lower case, every field present, `null` for missing
ones), arrays as `[a, b]`, doubles as Java prints them (`1.5`, `1.0E10`). A top-level SQL NULL is returned
as None (JSON null on the wire); see docs/sql.md.

A renderer is built once per result column from its DuckDB type (a Python dict may be a struct or a map,
and only the type says which), then applied to every value of the column.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import struct
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from trailtui.local.translate.types import TrinoType

Renderer = Callable[[Any], str]


def _type_id(t: Any) -> str:
    return str(getattr(t, "id", "")).lower()


def java_double(v: float) -> str:
    """Java's Double.toString, which Trino uses for DOUBLE: `1.5`, `2.0`, `1.0E10`, `1.2E-5`, `NaN`."""
    return _java_float(v, repr(v))


def java_real(v: float) -> str:
    """Java's Float.toString, which Trino uses for REAL: the shortest digits that read back as the same
    32-bit float (`CAST(0.1 AS real)` prints `0.1`, not the double `0.10000000149011612`)."""
    if math.isnan(v) or math.isinf(v) or v == 0:
        return java_double(v)
    for digits in range(1, 10):
        text = f"{v:.{digits}g}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == v:
            return _java_float(float(text), text)
    return java_double(v)


def _java_float(v: float, shortest: str) -> str:
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if v == 0:
        return "-0.0" if math.copysign(1.0, v) < 0 else "0.0"
    # `shortest` holds the shortest digits that read back as the same value, as Java's do; only the
    # layout differs: plain notation in [1e-3, 1e7), else one digit, a point, the rest and E<exponent>.
    sign, digits, exponent = Decimal(shortest).as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    point = len(digits) + int(exponent)  # where the decimal point falls after the first `point` digits
    prefix = "-" if sign else ""
    if 1e-3 <= abs(v) < 1e7:
        if point <= 0:
            return f"{prefix}0.{'0' * -point}{text}"
        whole, frac = text[:point].ljust(point, "0"), text[point:]
        return f"{prefix}{whole}.{frac or '0'}"
    return f"{prefix}{text[0]}.{text[1:] or '0'}E{point - 1}"


def _timestamp(v: dt.datetime) -> str:
    if v.tzinfo is not None:  # shown in UTC whatever zone the value came in (a session's, the machine's)
        v = v.astimezone(dt.UTC)
    text = v.replace(tzinfo=None).isoformat(sep=" ", timespec="milliseconds")
    return text + " UTC" if v.tzinfo is not None else text


def _scalar(v: Any) -> str:
    """Render a value whose type we do not know in detail (inside JSON-ish containers)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return java_double(v)
    if isinstance(v, dt.datetime):
        return _timestamp(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dt.time):
        return v.isoformat(timespec="milliseconds")
    if isinstance(v, dt.timedelta):
        return _interval(v)
    if isinstance(v, bytes | bytearray | memoryview):
        return bytes(v).hex(" ")
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}={_nested(x, _scalar)}" for k, x in v.items()) + "}"
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_nested(x, _scalar) for x in v) + "]"
    if isinstance(v, Decimal):
        return format(v, "f")
    return str(v)


def _interval(v: dt.timedelta) -> str:
    total_ms = round(v.total_seconds() * 1000)
    sign = "-" if total_ms < 0 else ""
    total_ms = abs(total_ms)
    days, rem = divmod(total_ms, 86_400_000)
    hours, rem = divmod(rem, 3_600_000)
    minutes, rem = divmod(rem, 60_000)
    seconds, ms = divmod(rem, 1000)
    return f"{sign}{days} {hours:02d}:{minutes:02d}:{seconds:02d}.{ms:03d}"


def _year_month(v: dt.timedelta) -> str:
    """interval year to month as Trino prints it: years, a dash, months (`INTERVAL '14' MONTH` is `1-2`).
    DuckDB hands a months-only interval to Python as 30 days a month, so the months are exact."""
    months = round(v.total_seconds() / 86_400 / 30)
    sign = "-" if months < 0 else ""
    return f"{sign}{abs(months) // 12}-{abs(months) % 12}"


def _nested(v: Any, render: Renderer) -> str:
    return "null" if v is None else render(v)


def _timestamp_digits(precision: int) -> Renderer:
    """timestamp(p): Trino prints exactly p fractional digits (none for timestamp(0))."""

    def render(v: dt.datetime) -> str:
        text = v.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        return text[: 19 + (precision + 1 if precision else 0)].ljust(
            19 + (precision + 1 if precision else 0), "0"
        )

    return render


def _time_digits(precision: int) -> Renderer:
    """time(p): p fractional digits."""

    def render(v: dt.time) -> str:
        text = v.isoformat(timespec="microseconds")
        return text[: 8 + (precision + 1 if precision else 0)]

    return render


def _zoned(precision: int, zone: str | None) -> Renderer:
    """timestamp(p) with time zone: the wall time in the value's zone, then the zone as Trino names it."""
    from zoneinfo import ZoneInfo

    digits = _timestamp_digits(precision)
    label = zone or "UTC"
    tz: dt.tzinfo
    m = re.fullmatch(r"([+-])(\d{2}):(\d{2})", label)
    if m:
        offset = dt.timedelta(hours=int(m.group(2)), minutes=int(m.group(3)))
        tz = dt.timezone(-offset if m.group(1) == "-" else offset)
    else:
        try:
            tz = ZoneInfo(label)
        except Exception:
            tz = dt.UTC
            label = "UTC"

    def render(v: dt.datetime) -> str:
        local = v.astimezone(tz) if v.tzinfo is not None else v.replace(tzinfo=dt.UTC).astimezone(tz)
        return f"{digits(local)} {label}"

    return render


def renderer_for(t: Any, trino: TrinoType | None = None) -> Renderer:
    """A function that renders a non-NULL value of DuckDB type `t` as Lake prints it; `trino`, the value's
    Trino type where the translator knows it, decides what DuckDB's type cannot (REAL, a timestamp's
    precision, a timestamp's zone)."""
    kind = _type_id(t)
    if trino is not None:
        precision = trino.precision
        if precision is not None and "with time zone" in trino.name and kind.startswith("timestamp"):
            return _zoned(precision, trino.zone)
        if precision is not None and kind.startswith("timestamp"):
            return _timestamp_digits(precision)
        if precision is not None and kind == "time":
            return _time_digits(precision)
        if trino.name == "real" and kind in ("float", "double"):
            return java_real
        if trino.name == "interval year to month" and kind == "interval":
            return _year_month
    if kind == "float":
        return java_real
    inner = inner_types(t, trino)
    if kind == "struct":
        fields = [
            (str(name), name.lower() if isinstance(name, str) else str(name), renderer_for(ft, tt))
            for (name, ft), tt in zip(t.children, inner, strict=True)
        ]

        def struct(v: Any) -> str:
            return "{" + ", ".join(f"{low}={_nested(v.get(name), r)}" for name, low, r in fields) + "}"

        return struct
    if kind == "map":
        key_r = renderer_for(t.children[0][1], inner[0])
        val_r = renderer_for(t.children[1][1], inner[1])

        def mapping(v: Any) -> str:
            items = (
                v.items() if isinstance(v, dict) else zip(v.get("key", []), v.get("value", []), strict=False)
            )
            return "{" + ", ".join(f"{_nested(k, key_r)}={_nested(x, val_r)}" for k, x in items) + "}"

        return mapping
    if kind in ("list", "array"):
        item_r = renderer_for(t.children[0][1], inner[0])

        def listing(v: Any) -> str:
            return "[" + ", ".join(_nested(x, item_r) for x in v) + "]"

        return listing
    if kind == "varchar":
        return str
    if kind == "boolean":
        return lambda v: "true" if v else "false"
    if kind in ("double", "float"):
        return java_double
    if kind.startswith("timestamp"):
        return _timestamp
    return _scalar


def inner_types(t: Any, trino: TrinoType | None) -> list[TrinoType | None]:
    """The Trino types of a struct's fields, a map's key and value or a list's element, where the
    translator knows them (a timestamp inside keeps its precision and zone), else None for each."""
    kind = _type_id(t)
    if kind not in ("struct", "map", "list", "array"):
        return []
    count = {"map": 2, "list": 1, "array": 1}.get(kind, len(t.children))
    if trino is not None and len(trino.children) == count:
        return list(trino.children)
    return [None] * count


def render_row(row: tuple[Any, ...], renderers: list[Renderer]) -> list[str | None]:
    return [None if v is None else r(v) for v, r in zip(row, renderers, strict=True)]
