"""JSON values as Trino reads and writes them: numbers keep their text, objects their key order, and JSON
text is written compactly as Jackson writes it (what Trino uses), with doubles as Java prints them."""

from __future__ import annotations

import json
from typing import Any

from trailtui.local.render import java_double


class JNum:
    """A JSON number, with the text it was written as."""

    __slots__ = ("is_int", "text")

    def __init__(self, text: str, is_int: bool) -> None:
        self.text = text
        self.is_int = is_int

    def as_text(self) -> str:
        """As Jackson writes a number it has read: integers as they are, other numbers as doubles."""
        if self.is_int:
            return str(int(self.text))
        return java_double(float(self.text))

    def value(self) -> int | float:
        return int(self.text) if self.is_int else float(self.text)


class InvalidJson(ValueError):
    pass


def _no_constant(name: str) -> Any:
    raise InvalidJson(name)


_DECODER = json.JSONDecoder(
    parse_int=lambda s: JNum(s, True),
    parse_float=lambda s: JNum(s, False),
    parse_constant=_no_constant,
)


def parse(text: str) -> Any:
    """A JSON text as Python values (dict, list, str, JNum, bool, None); InvalidJson if it is not one."""
    try:
        value, end = _DECODER.raw_decode(text.strip())
    except (ValueError, RecursionError):
        raise InvalidJson(text) from None
    if end != len(text.strip()):
        raise InvalidJson(text)
    return value


def try_parse(text: str) -> tuple[bool, Any]:
    try:
        return True, parse(text)
    except InvalidJson:
        return False, None


def write(value: Any, sort_keys: bool = False) -> str:
    """Compact JSON text; `sort_keys` as Trino's json_parse and JSON literals write it."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, JNum):
        return value.as_text()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ",".join(write(v, sort_keys) for v in value) + "]"
    if isinstance(value, dict):
        items = sorted(value.items()) if sort_keys else value.items()
        return (
            "{"
            + ",".join(json.dumps(k, ensure_ascii=False) + ":" + write(v, sort_keys) for k, v in items)
            + "}"
        )
    if isinstance(value, bool | int | float):
        return write(JNum(repr(value), isinstance(value, int)))
    raise TypeError(type(value).__name__)


def scalar_text(value: Any) -> str | None:
    """A scalar as json_extract_scalar gives it: strings unquoted, numbers as written, NULL for JSON null,
    objects and arrays."""
    if value is None or isinstance(value, dict | list):
        return None
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, JNum):
        return value.text
    return str(value)
