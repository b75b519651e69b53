"""Time zone names as Trino reads them (io.trino.spi.type.TimeZoneKey: getTimeZoneKey, normalizeZoneId).

Trino reads a zone name case-insensitively (`america/new_york` is `America/New_York`), reads `UTC+2`,
`GMT-05:30`, `UT+3` and `Etc/GMT+2` (whose sign is reversed, as in the tz database) as fixed offsets printed
`+02:00`, names UTC's aliases `UTC`, and fails on a name it does not know: `Time zone not supported: x`. The
local lake printed an unknown zone as UTC and `GMT+2` as UTC: a wrong time, quietly.
"""

from __future__ import annotations

import functools
import re

_UTC_NAMES = {"utc", "z", "ut", "uct", "gmt", "gmt0", "greenwich", "universal", "zulu", "+00:00", "-00:00"}


@functools.lru_cache(maxsize=1)
def _known() -> dict[str, str]:
    from zoneinfo import available_timezones

    return {name.lower(): name for name in available_timezones()}


def _offset(sign: str, hours: str, minutes: str) -> str:
    h, m = int(hours), int(minutes or 0)
    if h > 14 or m > 59 or (h == 14 and m > 0):
        raise ValueError(f"Invalid offset: {sign}{hours}:{minutes or '00'}")
    return "UTC" if h == 0 and m == 0 else f"{sign}{h:02d}:{m:02d}"


def canonical_zone(name: str) -> str:
    """The zone as Trino names it (`UTC`, `+02:00`, `America/New_York`); ValueError in Trino's words for a
    zone Trino does not know."""
    low = name.strip().lower()
    etc = low.startswith("etc/")
    body = low[4:] if etc else low
    if body in _UTC_NAMES:
        return "UTC"
    rest = body
    for prefix in ("utc", "gmt", "ut"):
        if body.startswith(prefix) and len(body) > len(prefix):
            rest = body[len(prefix) :]
            break
    m = re.fullmatch(r"([+-])(\d{1,2})(?::?(\d{2}))?", rest)
    if m:
        sign = m.group(1)
        if etc and body.startswith("gmt"):  # Etc/GMT+2 is two hours behind UTC
            sign = "-" if sign == "+" else "+"
        return _offset(sign, m.group(2), m.group(3) or "0")
    known = _known().get(low)
    if known is None or known.lower().startswith(("posix/", "right/")):
        raise ValueError(f"Time zone not supported: {name}")
    return "UTC" if known.lower() in ("etc/utc", "etc/uct", "etc/universal", "etc/zulu") else known
