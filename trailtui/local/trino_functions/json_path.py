"""json_exists, json_value and json_query with SQL/JSON paths in lax or strict mode
(trino.io/docs/current/functions/json.html#json-path-language).

Supported path steps: `$`, `.key`, `."key"`, `.*`, `[n]`, `[n to m]`, `[last]`, `[last - n]`, `[*]`, and the
methods `size()`, `type()`, `double()`, `abs()`, `floor()`, `ceiling()`. Lax mode unwraps arrays for member
steps and wraps a non-array for index steps; missing members and indexes give an empty result there, an
error in strict mode. The functions' defaults apply: NULL (json_value, json_query) or false (json_exists)
on an empty result and on an error. A path this module cannot read is refused as an error, never guessed.
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any

from sqlglot import exp

from trailtui.local.trino_functions.core import Rewriter, args_of, handles, udf
from trailtui.local.trino_functions.json_values import JNum, try_parse, write

_TOKEN = re.compile(
    r"\s*(?:(?P<mode>lax|strict)\b|(?P<root>\$)|(?P<star>\.\*)|\.(?P<quoted>\"(?:[^\"\\]|\\.)*\")"
    r"|\.(?P<method>[A-Za-z_]\w*)\s*\(\s*\)|\.(?P<key>[A-Za-z_$][\w$]*)|\[(?P<sub>[^\]]*)\])"
)
_SUB = re.compile(r"^\s*(?:(last)(?:\s*-\s*(\d+))?|(\d+))\s*$")


class PathError(ValueError):
    pass


@functools.lru_cache(maxsize=256)
def compile_path(path: str) -> tuple[bool, tuple[tuple[str, Any], ...]]:
    """(strict, steps) of a path; ValueError if this module cannot read it."""
    pos = 0
    strict = False
    steps: list[tuple[str, Any]] = []
    seen_root = False
    text = path.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError(f"Invalid JSON path: '{path}'")
        pos = m.end()
        if m.group("mode"):
            if seen_root or steps:
                raise ValueError(f"Invalid JSON path: '{path}'")
            strict = m.group("mode") == "strict"
        elif m.group("root"):
            seen_root = True
        elif not seen_root:
            raise ValueError(f"Invalid JSON path: '{path}'")
        elif m.group("star"):
            steps.append(("members", None))
        elif m.group("quoted"):
            import json

            steps.append(("member", json.loads(m.group("quoted"))))
        elif m.group("method"):
            name = m.group("method")
            if name not in ("size", "type", "double", "abs", "floor", "ceiling"):
                raise ValueError(f"JSON path method {name}() is not supported by the local lake")
            steps.append(("method", name))
        elif m.group("key"):
            steps.append(("member", m.group("key")))
        else:
            sub = m.group("sub").strip()
            if sub == "*":
                steps.append(("elements", None))
                continue
            ranges = []
            for part in sub.split(","):
                lo, to, hi = part.partition(" to ")
                ranges.append((_index(lo, path), _index(hi, path) if to else None))
            steps.append(("index", tuple(ranges)))
    if not seen_root:
        raise ValueError(f"Invalid JSON path: '{path}'")
    return strict, tuple(steps)


def _index(text: str, path: str) -> tuple[bool, int]:
    m = _SUB.match(text)
    if not m:
        raise ValueError(f"JSON path subscript '{text.strip()}' is not supported by the local lake ({path})")
    if m.group(1):
        return True, -int(m.group(2) or 0)
    return False, int(m.group(3))


def _type_name(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, JNum):
        return "number"
    if isinstance(v, str):
        return "string"
    return "array" if isinstance(v, list) else "object"


def _method(name: str, v: Any, strict: bool) -> Any:
    if name == "size":
        if isinstance(v, list):
            return JNum(str(len(v)), True)
        if strict:
            raise PathError("size() of a non-array")
        return JNum("1", True)
    if name == "type":
        return _type_name(v)
    if not isinstance(v, JNum):
        raise PathError(f"{name}() of a non-number")
    x = v.value()
    if name == "double":
        return JNum(repr(float(x)), False)
    if name == "abs":
        return JNum(str(abs(x)), v.is_int) if v.is_int else JNum(repr(abs(x)), False)
    r = math.floor(x) if name == "floor" else math.ceil(x)
    return JNum(str(r), True) if v.is_int else JNum(repr(float(r)), False)


def evaluate(value: Any, strict: bool, steps: tuple[tuple[str, Any], ...]) -> list[Any]:
    items = [value]
    for kind, arg in steps:
        out: list[Any] = []
        for item in items:
            if kind in ("member", "members") and isinstance(item, list) and not strict:
                targets = item  # lax: a member step applies to each element of an array
            else:
                targets = [item]
            for t in targets:
                if kind == "member":
                    if isinstance(t, dict) and arg in t:
                        out.append(t[arg])
                    elif strict:
                        raise PathError(f"no member {arg}")
                elif kind == "members":
                    if isinstance(t, dict):
                        out.extend(t.values())
                    elif strict:
                        raise PathError("member wildcard on a non-object")
                elif kind == "elements":
                    if isinstance(t, list):
                        out.extend(t)
                    elif strict:
                        raise PathError("element wildcard on a non-array")
                    else:
                        out.append(t)
                elif kind == "index":
                    arr = t if isinstance(t, list) else None
                    if arr is None:
                        if strict:
                            raise PathError("subscript on a non-array")
                        arr = [t]
                    for lo, hi in arg:
                        a = _position(lo, len(arr))
                        b = a if hi is None else _position(hi, len(arr))
                        if strict and not (0 <= a <= b < len(arr)):
                            raise PathError("subscript out of bounds")
                        out.extend(arr[i] for i in range(max(a, 0), min(b, len(arr) - 1) + 1))
                else:
                    out.append(_method(arg, t, strict))
        items = out
    return items


def _position(index: tuple[bool, int], size: int) -> int:
    last, n = index
    return size - 1 + n if last else n


def _run(text: str, path: str) -> list[Any] | None:
    """The items the path selects, or None on an error (invalid JSON, a strict-mode error)."""
    strict, steps = compile_path(path)
    ok, value = try_parse(text)
    if not ok:
        return None
    try:
        return evaluate(value, strict, steps)
    except PathError:
        return None


@udf("trino_json_exists", ("VARCHAR", "VARCHAR"), "BOOLEAN")
def _exists(text: str, path: str) -> bool:
    items = _run(text, path)
    return bool(items)


@udf("trino_json_value", ("VARCHAR", "VARCHAR"), "VARCHAR")
def _value(text: str, path: str) -> str | None:
    """One scalar as text: strings unquoted, numbers as Trino casts them to varchar; NULL otherwise."""
    items = _run(text, path)
    if not items or len(items) != 1:
        return None
    v = items[0]
    if v is None or isinstance(v, dict | list):
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, JNum):
        return v.as_text()
    return str(v)


def _query(text: str, path: str, wrapper: str, omit_quotes: bool) -> str | None:
    items = _run(text, path)
    if items is None:
        return None
    if wrapper == "with" or (
        wrapper == "conditional" and not (len(items) == 1 and isinstance(items[0], dict | list))
    ):
        return write(items)
    if len(items) != 1:
        return None
    v = items[0]
    if omit_quotes and isinstance(v, str):
        return v
    return write(v)


@udf("trino_json_query", ("VARCHAR", "VARCHAR"), "VARCHAR")
def _query_plain(text: str, path: str) -> str | None:
    return _query(text, path, "without", False)


@udf("trino_json_query_wrapped", ("VARCHAR", "VARCHAR"), "VARCHAR")
def _query_wrapped(text: str, path: str) -> str | None:
    return _query(text, path, "with", False)


@udf("trino_json_query_omit_quotes", ("VARCHAR", "VARCHAR"), "VARCHAR")
def _query_omit(text: str, path: str) -> str | None:
    return _query(text, path, "without", True)


# -- rewrites ------------------------------------------------------------------------------------------


def _check_path(node: Any) -> None:
    """A literal path is read now, so that an unsupported one fails at StartQuery."""
    if isinstance(node, exp.Literal) and node.is_string:
        compile_path(node.this)


@handles("json_exists")
def _json_exists(rw: Rewriter, node: Any) -> Any:
    args = args_of(node)
    if len(args) != 2:
        return None
    _check_path(args[1])
    return rw.call("trino_json_exists", *args)


@handles(exp.JSONValue)
def _json_value(rw: Rewriter, node: Any) -> Any:
    path = node.args.get("path")
    _check_path(path)
    if node.args.get("on_condition") is not None:
        raise ValueError("json_value with ON EMPTY or ON ERROR is not supported by the local lake")
    call = rw.call("trino_json_value", node.this, path)
    returning = node.args.get("returning")
    return exp.cast(call, returning) if isinstance(returning, exp.DataType) else call


@handles(exp.JSONExtract)
def _json_query(rw: Rewriter, node: Any) -> Any:
    if not node.args.get("json_query"):
        return None
    path = node.expression
    _check_path(path)
    option = node.args.get("option")
    option_text = option.name.upper() if option is not None else ""
    quote = node.args.get("quote")
    omit = quote is not None and str(quote.args.get("option", "")).upper() == "OMIT"
    if option_text.startswith("WITH ") and "WITHOUT" not in option_text:
        if "CONDITIONAL" in option_text:
            raise ValueError("json_query WITH CONDITIONAL ARRAY WRAPPER is not supported by the local lake")
        return rw.call("trino_json_query_wrapped", node.this, path)
    return rw.call("trino_json_query_omit_quotes" if omit else "trino_json_query", node.this, path)
