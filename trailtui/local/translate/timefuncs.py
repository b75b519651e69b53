"""date_trunc, date_add, date_diff and interval arithmetic with Trino's types and time zones (Trino
documentation: functions/datetime, "Truncation function", "Interval functions", "Date and time operators").

- The result has its argument's type: `date_trunc('week', DATE '2024-03-31')` is the date `2024-03-25`
  (DuckDB makes it a timestamp), a timestamp(0) stays timestamp(0), and a timestamp with time zone keeps
  its zone (DuckDB's TIMESTAMPTZ is the instant; the zone is the expression's tag, translate/types.py).
- On a timestamp with a time zone other than UTC, calendar units (day and longer) count in that zone's wall
  time, as Trino's zoned chronology does: `date_add('day', 1, ...)` across a daylight-saving change keeps
  the wall time, `date_trunc('day', ...)` is local midnight, `date_diff('day', ...)` counts local days
  (the zone of the first timestamp, as Trino). Hours and shorter units, and day-to-second intervals, are
  elapsed time on the instant, as in Trino.
"""

from __future__ import annotations

from typing import Any

from trailtui.local.translate.late import late
from trailtui.local.translate.types import zone_of

_CALENDAR = {"DAY": "to_days", "WEEK": "to_weeks", "MONTH": "to_months", "YEAR": "to_years"}


def _kind(node: Any) -> str:
    t = getattr(node, "type", None)
    return t.this.name if t is not None else "UNKNOWN"


def _local_zone(node: Any) -> str | None:
    """The zone of a timestamp with time zone other than UTC, else None."""
    if _kind(node) != "TIMESTAMPTZ":
        return None
    zone = zone_of(node)
    return None if zone in (None, "UTC", "Z", "+00:00", "-00:00") else zone


def _offset_seconds(zone: str) -> int | None:
    import re

    m = re.fullmatch(r"([+-])(\d{1,2}):?(\d{2})", zone.strip())
    if not m:
        return None
    secs = int(m.group(2)) * 3600 + int(m.group(3)) * 60
    return -secs if m.group(1) == "-" else secs


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def wall_time(x: str, zone: str) -> str:
    """DuckDB SQL of the wall time (TIMESTAMP) of the instant `x` in `zone` (UTC included)."""
    if zone.upper() in ("UTC", "Z"):
        return f"CAST({x} AS TIMESTAMP)"  # every query connection runs in UTC
    return _wall(x, zone)


def _wall(x: str, zone: str) -> str:
    """DuckDB SQL of the wall time (TIMESTAMP) of the instant `x` in `zone`."""
    secs = _offset_seconds(zone)
    if secs is not None:
        return f"(CAST({x} AS TIMESTAMP) + to_seconds({secs}))"
    return f"timezone({_quote(zone)}, {x})"


def _instant(wall: str, zone: str) -> str:
    """DuckDB SQL of the instant (TIMESTAMPTZ) of the wall time `wall` read in `zone`."""
    secs = _offset_seconds(zone)
    if secs is not None:
        return f"CAST({wall} - to_seconds({secs}) AS TIMESTAMPTZ)"
    return f"timezone({_quote(zone)}, {wall})"


def _unit(node: Any) -> str:
    unit = node.args.get("unit")
    return str(unit.name).upper() if unit is not None else ""


def _calendar(unit: str, n: str) -> str | None:
    if unit == "QUARTER":
        return f"to_months(3 * ({n}))"
    fn = _CALENDAR.get(unit)
    return f"{fn}({n})" if fn else None


def _trunc(node: Any) -> Any:
    x = node.this
    unit = _unit(node)
    if _kind(x) == "DATE":
        return late(f"CAST(date_trunc({_quote(unit.lower())}, {{0}}) AS DATE)", [x], x.type)
    zone = _local_zone(x)
    if zone is not None and unit:
        wall = f"date_trunc({_quote(unit.lower())}, {_wall('{0}', zone)})"
        return late(_instant(wall, zone), [x], x.type)
    if _kind(x) in ("TIMESTAMP", "TIMESTAMPTZ"):
        node.type = x.type
    return node


def _date_add(node: Any) -> Any:
    x, n = node.this, node.expression
    zone = _local_zone(x)
    step = _calendar(_unit(node), "{1}")
    if zone is not None and step is not None:
        return late(_instant(f"({_wall('{0}', zone)} + {step})", zone), [x, n], x.type)
    if _kind(x) in ("TIMESTAMP", "TIMESTAMPTZ"):
        node.type = x.type
    return node


def _date_diff(node: Any) -> Any:
    later, earlier = node.this, node.expression  # date_diff(unit, earlier, later)
    zone = _local_zone(earlier)
    unit = _unit(node)
    if zone is None or _calendar(unit, "1") is None:
        return node
    text = f"date_sub({_quote(unit.lower())}, {_wall('{0}', zone)}, {_wall('{1}', zone)})"
    return late(text, [earlier, later], "BIGINT")


def _interval_arithmetic(node: Any) -> Any:
    from sqlglot import exp

    a, b = node.this, node.expression
    if _kind(b) != "INTERVAL" or _kind(a) not in ("TIMESTAMP", "TIMESTAMPTZ"):
        return None
    zone = _local_zone(a)
    calendar = _unit(b) in ("MONTH", "YEAR", "QUARTER") if isinstance(b, exp.Interval) else None
    if not isinstance(b, exp.Interval):
        from trailtui.local.translate.intervals import YEAR_MONTH, interval_family

        calendar = interval_family(b.type) == YEAR_MONTH
    if zone is not None and calendar:
        sign = "-" if isinstance(node, exp.Sub) else "+"
        text = _instant(f"({_wall('{0}', zone)} {sign} {{1}})", zone)
        return late(text, [a, b], a.type)
    node.type = a.type  # the instant moves; the type (precision, zone) stays
    return node


_TIME_UNITS = ("HOUR", "MINUTE", "SECOND", "MILLISECOND")


def _date_unit_error(node: Any) -> Any | None:
    """A unit of time on dates fails as in Trino (DateTimeFunctions.getDateField: "'hour' is not a valid
    DATE field"), for each row whose dates are not NULL; DuckDB answered (`date_diff('hour', DATE ..., DATE
    ...)` was 24, `date_trunc('hour', DATE ...)` the date)."""
    from sqlglot import exp

    unit = _unit(node)
    dates = [
        a
        for a in (node.this, node.expression if not isinstance(node, exp.DateAdd) else None)
        if a is not None
    ]
    if unit not in _TIME_UNITS or not dates or any(_kind(d) != "DATE" for d in dates):
        return None
    nulls = " OR ".join(f"{{{i}}} IS NULL" for i in range(len(dates)))
    message = _quote(f"'{unit.lower()}' is not a valid DATE field")
    out_type = "BIGINT" if isinstance(node, exp.DateDiff) else node.this.type
    return late(f"CASE WHEN {nulls} THEN NULL ELSE error({message}) END", dates, out_type)


def rewrite_time(node: Any) -> Any | None:
    """A date/time function or interval arithmetic with Trino's types and zones, or None if `node` is not
    one."""
    from sqlglot import exp

    if isinstance(node, exp.TimestampTrunc | exp.DateTrunc | exp.DateAdd | exp.DateDiff):
        refused = _date_unit_error(node)
        if refused is not None:
            return refused
    if isinstance(node, exp.TimestampTrunc | exp.DateTrunc):
        return _trunc(node)
    if isinstance(node, exp.DateAdd):
        return _date_add(node)
    if isinstance(node, exp.DateDiff):
        return _date_diff(node)
    if isinstance(node, exp.Add | exp.Sub):
        return _interval_arithmetic(node)
    return None


def _valued_args(node: Any) -> list[Any]:
    """The arguments whose values a min/max/coalesce/CASE/... returns as they are."""
    from sqlglot import exp

    if isinstance(node, exp.Case):
        return [i.args.get("true") for i in node.args.get("ifs") or []] + [node.args.get("default")]
    if isinstance(node, exp.If):
        return [node.args.get("true"), node.args.get("false")]
    if isinstance(node, exp.Coalesce | exp.Greatest | exp.Least):
        return [node.this, *node.expressions]
    return [node.this]


_CARRIERS = (
    "Min",
    "Max",
    "AnyValue",
    "ArgMax",
    "ArgMin",
    "Coalesce",
    "If",
    "Case",
    "Greatest",
    "Least",
    "Nullif",
    "FirstValue",
    "LastValue",
    "NthValue",
    "Lag",
    "Lead",
)


def carry_zone(node: Any) -> None:
    """A function returning one of its timestamp-with-time-zone arguments keeps their zone (min, max,
    arbitrary, max_by, coalesce, if, CASE, ...); arguments in different zones would give each row its own
    zone, which the translator cannot carry: refused."""
    from trailtui.local.errors import InvalidQueryStatement
    from trailtui.local.translate.types import set_zone

    if type(node).__name__ not in _CARRIERS:
        return
    zoned = [a for a in _valued_args(node) if a is not None and _kind(a) == "TIMESTAMPTZ"]
    if not zoned:
        return
    zones = {zone_of(a) or "UTC" for a in zoned}
    if len(zones) > 1:
        raise InvalidQueryStatement(
            "Values in different time zones in one column are not supported on the local lake "
            f"({', '.join(sorted(zones))}): convert them to one zone with AT TIME ZONE"
        )
    node.type = zoned[0].type
    set_zone(node, zone_of(zoned[0]))


def check_set_zones(node: Any) -> None:
    """UNION / INTERSECT / EXCEPT whose sides put timestamps of different zones in one column: refused, as
    for CASE (each row would have its own zone)."""
    from sqlglot import exp

    from trailtui.local.errors import InvalidQueryStatement

    def projections(side: Any) -> list[Any]:
        while isinstance(side, exp.Subquery | exp.SetOperation):
            side = side.this
        return [p.unalias() for p in side.expressions] if isinstance(side, exp.Select) else []

    for left, right in zip(projections(node.this), projections(node.expression), strict=False):
        if _kind(left) == "TIMESTAMPTZ" and _kind(right) == "TIMESTAMPTZ":
            zones = {zone_of(left) or "UTC", zone_of(right) or "UTC"}
            if len(zones) > 1:
                raise InvalidQueryStatement(
                    "Values in different time zones in one column are not supported on the local lake "
                    f"({', '.join(sorted(zones))}): convert them to one zone with AT TIME ZONE"
                )
