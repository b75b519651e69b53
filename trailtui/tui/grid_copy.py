"""What the grid's copy keys put on the clipboard: a row as flat JSON or as TSV, a column as lines.

Lake returns every value as a string; flat JSON gives a value its natural JSON type only where that cannot
be wrong: NULL is null, `true`/`false` are booleans, a number written canonically is a number (account IDs,
principal IDs and other identifier columns stay strings: "012345678901" is a name, not a quantity), and a
value holding a JSON object or array (eventjson) is embedded as that object. Everything else stays a string.
TSV and lines escape backslash, tab, newline and carriage return, so each value stays on its line and cell.
"""

from __future__ import annotations

import json
import re
from typing import Any

from trailtui.local.schema import COLUMNS, TS, V

# Top-level CloudTrail columns that are strings whatever they look like (recipientAccountId, eventID...).
_STRING_COLUMNS = frozenset(c.name for c in COLUMNS if c.type in (V, TS))
_INTEGER = re.compile(r"-?(?:0|[1-9]\d*)")
_DECIMAL = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_MAX_EXACT = 2**53  # beyond this a JSON reader (JavaScript, jq) changes the number


def _is_identifier(column: str) -> bool:
    name = column.lower()
    return name in _STRING_COLUMNS or name.endswith("id") or name.endswith("arn")


def json_value(column: str, value: str | None) -> Any:
    if value is None:
        return None
    if value[:1] in ("{", "["):
        try:
            parsed = json.loads(value)
        except ValueError:
            return value  # Trino's {type=AssumedRole, ...} rendering: not JSON, kept as written
        return parsed if isinstance(parsed, dict | list) else value
    if _is_identifier(column):
        return value
    if value in ("true", "false"):
        return value == "true"
    if _INTEGER.fullmatch(value) and abs(int(value)) < _MAX_EXACT:
        return int(value)
    if _DECIMAL.fullmatch(value):
        number = float(value)
        if repr(number) == value or json.dumps(number) == value:  # reads back as written
            return number
    return value


def row_json(columns: list[str], row: list[str | None]) -> str:
    """The row as one flat JSON object. A repeated column name gets a suffix (`name_2`), never lost."""
    obj: dict[str, Any] = {}
    for column, value in zip(columns, row, strict=True):
        key, n = column, 1
        while key in obj:
            n += 1
            key = f"{column}_{n}"
        obj[key] = json_value(column, value)
    return json.dumps(obj, ensure_ascii=False)


def escape(value: str | None) -> str:
    """One TSV cell or one line: NULL is empty; backslash, tab, newline and CR escaped as in a string literal."""
    if value is None:
        return ""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def row_tsv(columns: list[str], row: list[str | None]) -> str:
    """A header line and the row's line, tab-separated, as a spreadsheet pastes them."""
    return "\t".join(escape(c) for c in columns) + "\n" + "\t".join(escape(v) for v in row) + "\n"


def column_lines(values: list[str | None]) -> str:
    return "".join(escape(v) + "\n" for v in values)
