"""Trino's JSON functions with the simple `$.a.b[0]` path (trino.io/docs/current/functions/json.html):
json_extract, json_extract_scalar, json_size, json_array_get, json_array_length, json_array_contains,
is_json_scalar, json_format and json_parse. Expected values from Trino's TestJsonFunctions and
TestJsonExtract.

Path steps are keys (`.key`, `["key"]`) or array indexes (`[0]`); a step whose key is a number also indexes
an array (`$.1` is `$[1]`), as in Trino. Invalid JSON gives NULL; an invalid path is an error.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

from sqlglot import exp

from trailtui.local.trino_functions.core import Rewriter, args_of, handles, udf
from trailtui.local.trino_functions.json_values import (
    InvalidJson,
    JNum,
    parse,
    scalar_text,
    try_parse,
    write,
)

# Trino's path tokens (TestJsonExtract.testJsonTokenizer): `.key` of letters, digits, `_` and `:`;
# `[key]` of letters, digits and `_`; `["any text"]` with `\\` and `\"` escapes; no whitespace anywhere.
_BARE = re.compile(r"\w+", re.UNICODE)


class _Missing:
    pass


MISSING = _Missing()


@functools.lru_cache(maxsize=256)
def path_steps(path: str) -> tuple[str, ...]:
    """The keys of a Trino JSON path; ValueError('Invalid JSON path: ...') if it is not one."""
    bad = ValueError(f"Invalid JSON path: '{path}'")
    if not path.startswith("$"):
        raise bad
    steps: list[str] = []
    i = 1
    n = len(path)
    while i < n:
        c = path[i]
        if c == ".":
            j = i + 1
            while j < n and (path[j].isalnum() or path[j] in "_:"):
                j += 1
            if j == i + 1:
                raise bad
            steps.append(path[i + 1 : j])
            i = j
        elif c == "[" and path[i + 1 : i + 2] == '"':
            j = i + 2
            key: list[str] = []
            while j < n and path[j] != '"':
                if path[j] == "\\":
                    if path[j + 1 : j + 2] not in ('"', "\\"):
                        raise bad
                    key.append(path[j + 1])
                    j += 2
                else:
                    key.append(path[j])
                    j += 1
            if path[j + 1 : j + 2] != "]":
                raise bad
            steps.append("".join(key))
            i = j + 2
        elif c == "[":
            m = _BARE.match(path, i + 1)
            if not m or path[m.end() : m.end() + 1] != "]":
                raise bad
            steps.append(m.group(0))
            i = m.end() + 1
        else:
            raise bad
    return tuple(steps)


def extract(value: Any, steps: tuple[str, ...]) -> Any:
    for key in steps:
        if isinstance(value, dict):
            value = value.get(key, MISSING)
        elif isinstance(value, list) and key.isdigit():
            k = int(key)
            value = value[k] if k < len(value) else MISSING
        else:
            return MISSING
        if value is MISSING:
            return MISSING
    return value


_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def _lookup(text: str, path: str) -> Any:
    steps = path_steps(path)
    ok, value = try_parse(text)
    if not ok and "," in text:
        # Trino reads the document as a stream and stops at the value it wants, so a trailing comma
        # (`{"a": 1, }`) does not spoil it (TestJsonExtract.testFullJsonExtract).
        ok, value = try_parse(_TRAILING_COMMA.sub(r"\1", text))
    return extract(value, steps) if ok else MISSING


@udf("trino_json_extract", ("VARCHAR", "VARCHAR"), "JSON")
def _json_extract(text: str, path: str) -> str | None:
    value = _lookup(text, path)
    return None if value is MISSING else write(value)


@udf("trino_json_extract_scalar", ("VARCHAR", "VARCHAR"), "VARCHAR")
def _json_extract_scalar(text: str, path: str) -> str | None:
    value = _lookup(text, path)
    return None if value is MISSING else scalar_text(value)


@udf("trino_json_size", ("VARCHAR", "VARCHAR"), "BIGINT")
def _json_size(text: str, path: str) -> int | None:
    value = _lookup(text, path)
    if value is MISSING:
        return None
    return len(value) if isinstance(value, dict | list) else 0


@udf("trino_json_array_length", ("VARCHAR",), "BIGINT")
def _json_array_length(text: str) -> int | None:
    ok, value = try_parse(text)
    return len(value) if ok and isinstance(value, list) else None


@udf("trino_json_array_get", ("VARCHAR", "BIGINT"), "JSON")
def _json_array_get(text: str, index: int) -> str | None:
    """json_array_get: an element by 0-based index (negative from the end); a string element comes back
    without its quotes, a JSON null as NULL (TestJsonFunctions.testJsonArrayGet*)."""
    ok, value = try_parse(text)
    if not ok or not isinstance(value, list):
        return None
    if not -len(value) <= index < len(value):
        return None
    item = value[index]
    if isinstance(item, dict | list):
        return write(item)
    return scalar_text(item)


_INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER"}


@udf("trino_json_array_contains", ("VARCHAR", "VARCHAR", "VARCHAR"), "BOOLEAN")
def _json_array_contains(text: str, needle: str, needle_type: str) -> bool | None:
    """json_array_contains: a boolean matches JSON booleans, an integer JSON integers, a double JSON
    numbers with a fraction or exponent, a string JSON strings (TestJsonFunctions.testJsonArrayContains*)."""
    ok, value = try_parse(text)
    if not ok or not isinstance(value, list):
        return None
    kind = needle_type.upper()
    for item in value:
        if kind == "BOOLEAN":
            if isinstance(item, bool) and item == (needle.lower() == "true"):
                return True
        elif kind in _INTEGER_TYPES:
            if isinstance(item, JNum) and item.is_int and int(item.text) == int(needle):
                return True
        elif kind in ("DOUBLE", "FLOAT", "REAL") or kind.startswith("DECIMAL"):
            if isinstance(item, JNum) and not item.is_int and float(item.text) == float(needle):
                return True
        elif isinstance(item, str) and item == needle:
            return True
    return False


@udf("trino_is_json_scalar", ("VARCHAR",), "BOOLEAN")
def _is_json_scalar(text: str) -> bool:
    try:
        value = parse(text)
    except InvalidJson:
        raise ValueError(f"Invalid JSON value: {text}") from None
    return not isinstance(value, dict | list)


@udf("trino_json_parse", ("VARCHAR",), "JSON")
def _json_parse(text: str) -> str:
    """json_parse and JSON literals: validated, written compactly with object keys sorted."""
    try:
        return write(parse(text), sort_keys=True)
    except InvalidJson:
        raise ValueError(f"Cannot convert value to JSON: '{text}'") from None


@udf("trino_json_format", ("VARCHAR",), "VARCHAR")
def _json_format(text: str) -> str:
    return text


# -- rewrites ------------------------------------------------------------------------------------------


_WRITTEN = "trino_written_path"


def remember_paths(tree: Any, text: str) -> None:
    """Tag each literal JSON path with the text the query wrote, when only one string literal of the query
    parses to it: sqlglot rewrites paths while parsing (`'eventName'` became `$.eventName`, which Trino
    refuses: "Invalid JSON path: 'eventName'"), and the written text is what Trino reads."""
    from sqlglot.dialects.trino import Trino
    from sqlglot.tokens import TokenType

    nodes = list(tree.find_all(exp.JSONPath))
    if not nodes:
        return
    dialect = Trino()
    written: dict[str, set[str]] = {}
    quiet = logging.getLogger("sqlglot")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # sqlglot warns about each string that is not a path to it
    try:
        for token in dialect.tokenize(text):
            if token.token_type != TokenType.STRING:
                continue
            try:
                parsed = dialect.to_json_path(exp.Literal.string(token.text))
                key = parsed.sql(dialect="trino") if parsed is not None else None
            except Exception:  # a string that is no path to sqlglot is none of the nodes
                continue
            if key is not None:
                written.setdefault(key, set()).add(token.text)
    finally:
        quiet.setLevel(level)
    for node in nodes:
        try:
            originals = written.get(node.sql(dialect="trino"), set())
        except ValueError:
            continue
        if len(originals) == 1:
            node.meta[_WRITTEN] = next(iter(originals))


def path_arg(node: Any) -> Any:
    """The path argument as a string again (sqlglot parses literal JSON paths into its own tree): the text
    the query wrote where it is known (remember_paths)."""
    if not isinstance(node, exp.JSONPath):
        return node
    if node.meta and _WRITTEN in node.meta:
        return exp.Literal.string(str(node.meta[_WRITTEN]))
    try:
        text = node.sql(dialect="trino")
    except ValueError:  # a form sqlglot reads but cannot write back, such as `$..key`: invalid in Trino
        return exp.Literal.string("$..")
    return exp.Literal.string(text[1:-1].replace("''", "'") if text.startswith("'") else text)


def _checked_path(node: Any) -> Any:
    """The path argument; a literal one that Trino cannot read is refused when the query starts (Trino
    fails on a constant path whatever the rows: "Invalid JSON path: 'eventName'")."""
    path = path_arg(node)
    if isinstance(path, exp.Literal) and path.is_string:
        path_steps(path.this)
    return path


@handles(exp.JSONExtract)
def _extract(rw: Rewriter, node: Any) -> Any:
    if node.args.get("json_query"):
        return None  # json_query(...): the SQL/JSON path functions
    return rw.call("trino_json_extract", node.this, _checked_path(node.expression))


@handles(exp.JSONExtractScalar)
def _extract_scalar(rw: Rewriter, node: Any) -> Any:
    return rw.call("trino_json_extract_scalar", node.this, _checked_path(node.expression))


@handles(exp.ParseJSON)
def _parse_json(rw: Rewriter, node: Any) -> Any:
    return rw.call("trino_json_parse", node.this)


@handles("json_size", "json_array_length", "is_json_scalar", "json_format", "json_array_get")
def _simple(rw: Rewriter, node: Any) -> Any:
    return rw.call("trino_" + str(node.name).lower(), *[path_arg(a) for a in args_of(node)])


@handles(exp.JSONFormat)
def _format(rw: Rewriter, node: Any) -> Any:
    return rw.call("trino_json_format", node.this)


@handles(exp.JSONArrayContains, "json_array_contains")
def _contains(rw: Rewriter, node: Any) -> Any:
    args = args_of(node) if isinstance(node, exp.Anonymous) else [node.this, node.expression]
    if len(args) != 2:
        return None
    text, needle = args
    kind = exp.Anonymous(this="typeof", expressions=[needle.copy()])
    return rw.call("trino_json_array_contains", text, exp.cast(needle, "VARCHAR"), kind)
