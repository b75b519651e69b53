"""What the editor's completion offers for the word before the cursor: CloudTrail columns and their struct
paths (userIdentity.sessionContext.sessionIssuer.arn), the Trino functions the local lake runs, a few SQL
keywords, and the IDs of the stores in the stores pane (matched by ID or by name). Pure: text in, choices
out; the popup is in editor.py."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from trailtui.local.schema import COLUMNS, DERIVED_COLUMNS, FieldType, Struct
from trailtui.tui.sqlhighlight import LAKE_FUNCTIONS

MAX_CHOICES = 50


@dataclass(frozen=True)
class Choice:
    text: str  # what replaces the word
    kind: str  # column, function, keyword, store
    detail: str = ""  # a store's name, a column's type


def _paths(prefix: str, t: FieldType) -> Iterable[str]:
    if isinstance(t, Struct):
        for key, sub in t.fields:
            path = f"{prefix}.{key}"
            yield path
            yield from _paths(path, sub)


def _columns() -> tuple[Choice, ...]:
    out = []
    for c in COLUMNS:
        out.append(Choice(c.key, "column"))
        out.extend(Choice(p, "column") for p in _paths(c.key, c.type))
    out.extend(Choice(name, "column") for name, _ in DERIVED_COLUMNS)
    return tuple(out)


# Trino functions the local lake gives Trino's meaning (docs/sql.md), beside those the highlighter knows and
# those the function package rewrites by name.
_MORE_FUNCTIONS = [
    "abs",
    "array_agg",
    "array_distinct",
    "array_join",
    "array_max",
    "array_min",
    "array_position",
    "array_sort",
    "approx_percentile",
    "bool_and",
    "bool_or",
    "ceil",
    "chr",
    "concat_ws",
    "count_if",
    "date_parse",
    "day_of_month",
    "day_of_year",
    "element_at",
    "floor",
    "format",
    "from_iso8601_date",
    "greatest",
    "hour",
    "if",
    "is_nan",
    "json_query",
    "json_value",
    "least",
    "length",
    "lpad",
    "ltrim",
    "map",
    "map_concat",
    "map_entries",
    "map_from_entries",
    "nullif",
    "parse_datetime",
    "position",
    "power",
    "regexp_extract_all",
    "regexp_split",
    "replace",
    "reverse",
    "round",
    "rpad",
    "rtrim",
    "sign",
    "split",
    "sqrt",
    "starts_with",
    "stddev",
    "strpos",
    "to_hex",
    "trim",
    "try",
    "typeof",
    "url_extract_host",
    "variance",
    "week",
    "year_of_week",
]


@cache
def functions() -> tuple[str, ...]:
    """Every function name offered. The function package imports sqlglot (a quarter of a second): it is
    read on the first completion, not before the explorer's first paint."""
    from trailtui.local.trino_functions.core import HANDLERS

    return tuple(
        sorted(set(LAKE_FUNCTIONS) | {k for k in HANDLERS if isinstance(k, str)} | set(_MORE_FUNCTIONS))
    )


KEYWORDS = [
    "SELECT",
    "FROM",
    "WHERE",
    "GROUP",
    "BY",
    "ORDER",
    "BY",
    "HAVING",
    "LIMIT",
    "DISTINCT",
    "AND",
    "OR",
    "NOT",
    "IN",
    "IS",
    "NULL",
    "LIKE",
    "BETWEEN",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "AS",
    "ASC",
    "DESC",
    "JOIN",
    "LEFT",
    "ON",
    "UNNEST",
    "CROSS",
    "WITH",
    "UNION",
    "ALL",
    "INTERVAL",
    "TIMESTAMP",
]
COLUMN_CHOICES = _columns()

_WORD = re.compile(r"[A-Za-z0-9_.]*$")
_STORE_WORD = re.compile(r"[A-Za-z0-9_.:/-]*$")


def word_before(line: str, store_ids: Iterable[str] = ()) -> str:
    """The word completion replaces: letters, digits, `_` and `.` (struct paths); with `-`, `:` and `/`
    when that longer word starts a store's ID or ARN (else `a-b` is a minus)."""
    base = _WORD.search(line)
    longer = _STORE_WORD.search(line)
    word = base.group() if base else ""
    if longer and longer.group() != word:
        candidate = longer.group().lower()
        tail = candidate.rsplit("/", 1)[-1]
        if any(i.lower().startswith(tail) for i in store_ids) and (
            "/" not in candidate or candidate.startswith("arn:")
        ):
            return longer.group()
    return word


def choices(word: str, stores: Iterable[tuple[str, str]] = ()) -> list[Choice]:
    """What completes `word` (case-insensitive): prefix matches first (columns, stores, functions,
    keywords), then words containing it. `stores` are (ID, name) pairs. An empty word offers stores and
    columns. A qualified word (`e.eventNa`) completes after its first dot when nothing starts with it."""
    needle = word.lower()
    if needle.startswith("arn:") and "/" in needle:  # an ARN's store ID
        prefix, _, tail = word.rpartition("/")
        return [
            Choice(f"{prefix}/{c.text}", "store", c.detail)
            for c in choices(tail, stores)
            if c.kind == "store"
        ]
    pool: list[Choice] = [Choice(sid, "store", name) for sid, name in stores]
    pool += COLUMN_CHOICES
    pool += [Choice(f, "function") for f in functions()]
    pool += [Choice(k, "keyword") for k in KEYWORDS]
    if not needle:
        return [c for c in pool if c.kind == "store" or (c.kind == "column" and "." not in c.text)][
            :MAX_CHOICES
        ]

    depth = needle.count(".")

    def starts(c: Choice) -> bool:
        if c.kind == "store":
            return c.text.lower().startswith(needle) or c.detail.lower().startswith(needle)
        # A struct's fields one level at a time: `userIdentity.` offers its fields, not their sub-paths.
        text = c.text.lower()
        return text.startswith(needle) and text != needle and text.count(".") == depth

    first = [c for c in pool if starts(c)]
    first.sort(key=lambda c: c.kind != "store")
    if "." in needle and not first:
        qualifier, _, rest = word.partition(".")
        return [
            Choice(f"{qualifier}.{c.text}", c.kind, c.detail) for c in choices(rest) if c.kind == "column"
        ]
    if not first and len(needle) >= 3:  # nothing starts so: a field or function by a part of its name
        first = [c for c in pool if needle in c.text.lower() and c.kind != "keyword"]
    return first[:MAX_CHOICES]


def completed(c: Choice) -> str:
    """The text put in place of the word: a function gets its opening parenthesis."""
    return c.text + "(" if c.kind == "function" else c.text
