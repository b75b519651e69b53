"""Sorting result columns the way a reader expects, although Lake returns every value as a string.

A column's kind is decided from the values loaded: all numbers sort numerically, all timestamps
chronologically, anything else as text (case-insensitive). NULLs always sort last, in both
directions, as spreadsheets do. Equal keys keep their arrival order (Python's sort is stable, reversed too).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Literal

Kind = Literal["number", "time", "text"]
SortKey = float | str

# Trino renders doubles as 1.5E2, NaN, Infinity; decimals and integers plainly. Python's float() would also
# take "1_000" and " 5 ", which are text here.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|NaN|[+-]?Infinity")
# Lake's "2026-11-27 23:59:46.000", CloudTrail's "2026-11-27T23:59:46Z", a date alone, an offset or " UTC".
_TIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?))?"
    r"(Z| ?[+-]\d{2}:?\d{2}| UTC)?"
)
_LAKE_TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}")


def _number(text: str) -> float | None:
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    return math.inf if math.isnan(value) else value  # NaN after every number (Trino orders it last)


def _time(text: str) -> str | None:
    """A key that orders chronologically: the instant in UTC as `YYYY-MM-DD HH:MM:SS.ffffff`."""
    if _LAKE_TIME.fullmatch(text):  # Lake's own rendering, already UTC: no parsing (most values)
        return text + "000"
    moment = _parse_time(text)
    return None if moment is None else moment.isoformat(sep=" ", timespec="microseconds")[:26]


def _parse_time(text: str) -> datetime | None:
    match = _TIME.fullmatch(text)
    if match is None:
        return None
    day, clock, zone = match.groups()
    clock = clock or "00:00"
    if "." in clock:  # fromisoformat takes at most microseconds
        whole, frac = clock.split(".")
        clock = f"{whole}.{frac[:6].ljust(6, '0')}"
    zone = {None: "", "Z": "+00:00", " UTC": "+00:00"}.get(zone, (zone or "").strip())
    try:
        moment = datetime.fromisoformat(f"{day}T{clock}{zone}")
    except ValueError:
        return None
    # A value without a zone is UTC (Lake's timestamps are); one with a zone is moved to UTC.
    return moment.astimezone(UTC) if moment.tzinfo else moment


def kind_of(values: Iterable[str | None]) -> Kind:
    """The kind every non-NULL value fits (text if none, or if they disagree)."""
    kind: Kind | None = None
    for value in values:
        if value is None:
            continue
        if kind in (None, "number") and _number(value) is not None:
            kind = "number"
        elif kind in (None, "time") and _time(value) is not None:
            kind = "time"
        else:
            return "text"
    return kind or "text"


def fits(kind: Kind, values: Iterable[str | None]) -> bool:
    if kind == "text":
        return True
    parse = _number if kind == "number" else _time
    return all(v is None or parse(v) is not None for v in values)


def sort_key(kind: Kind, value: str | None) -> SortKey | None:
    """The value's key (None for NULL). Plain floats and strings, no tuples: 100,000 tuples would be as
    many objects for the garbage collector to walk while the user types."""
    if value is None:
        return None
    if kind == "number":
        return _number(value)
    if kind == "time":
        return _time(value)
    return value.casefold()


def order(keys: list[SortKey | None], indices: list[int], descending: bool) -> list[int]:
    """`indices` sorted by `keys`, NULLs last both ways; stable, so ties keep arrival order.

    Timsort finds the runs already in order, so re-sorting after a page arrives (the sorted rows, then the
    new ones) costs little more than sorting the page."""
    present = [i for i in indices if keys[i] is not None]
    nulls = [i for i in indices if keys[i] is None]
    present.sort(key=keys.__getitem__, reverse=descending)  # type: ignore[arg-type]  # no None left
    return present + nulls
