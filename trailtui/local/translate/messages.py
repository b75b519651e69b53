"""DuckDB's error texts in Trino's words, for the errors a Trino query can meet at run time (Trino's own
messages, as its operators raise them: "Division by zero", "integer addition overflow: 2147483647 + 1",
"Cannot cast 'abc' to INT", "Out of range for integer: 3.0E10", "Function 'x' not registered")."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable

_DUCK_TYPES = {
    "INT8": "tinyint",
    "INT16": "smallint",
    "INT32": "integer",
    "INT64": "bigint",
    "INT128": "decimal",
    "DOUBLE": "double",
    "FLOAT": "real",
}
_CAST_NAMES = {
    "INT8": "TINYINT",
    "INT16": "SMALLINT",
    "INT32": "INT",
    "INT64": "BIGINT",
    "DOUBLE": "DOUBLE",
    "FLOAT": "REAL",
    "BOOL": "BOOLEAN",
    "DATE": "DATE",
    "TIMESTAMP": "TIMESTAMP",
}

Rule = Callable[[re.Match[str]], str]
_RULES: list[tuple[re.Pattern[str], Rule]] = []


def _rule(pattern: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        _RULES.append((re.compile(pattern), fn))
        return fn

    return register


@_rule(r"^Division by zero")
def _division(m: re.Match[str]) -> str:
    return "Division by zero"


@_rule(r"Overflow in (addition|subtraction|multiplication) of (INT\d+) \((.+?) [-+*] (.+?)\)")
def _overflow(m: re.Match[str]) -> str:
    op = {"addition": "+", "subtraction": "-", "multiplication": "*"}[m.group(1)]
    return f"{_DUCK_TYPES.get(m.group(2), 'bigint')} {m.group(1)} overflow: {m.group(3)} {op} {m.group(4)}"


@_rule(
    r"Overflow in \w+ of DECIMAL|decimal \w+ overflow|to type DECIMAL\(\d+,\d+\) failed: value is out of range"
)
def _decimal_overflow(m: re.Match[str]) -> str:
    return "Decimal overflow"


@_rule(r"Could not convert string '(.*)' to (\w+)")
def _cast(m: re.Match[str]) -> str:
    return f"Cannot cast '{m.group(1)}' to {_CAST_NAMES.get(m.group(2), m.group(2))}"


@_rule(
    r"Type (\w+) with value (\S+) can't be cast because the value is out of range for the destination type (\w+)"
)
def _range(m: re.Match[str]) -> str:
    from trailtui.local.render import java_double

    value = m.group(2)
    with contextlib.suppress(ValueError):
        value = java_double(float(value)) if m.group(1) in ("DOUBLE", "FLOAT") else value
    return f"Out of range for {_DUCK_TYPES.get(m.group(3), m.group(3).lower())}: {value}"


@_rule(r'column "([^"]+)" must appear in the GROUP BY clause')
def _group_by(m: re.Match[str]) -> str:
    return f"'{m.group(1)}' must be an aggregate expression or appear in GROUP BY clause"


@_rule(r"No function matches the given name and argument types '(\w+)\((.*)\)'")
def _parameters(m: re.Match[str]) -> str:
    return f"Unexpected parameters ({m.group(2).lower()}) for function {m.group(1).lower()}"


@_rule(r"Scalar Function with name (\w+) does not exist")
def _function(m: re.Match[str]) -> str:
    return f"Function '{m.group(1).lower()}' not registered"


def trino_message(text: str) -> str:
    """The Trino wording of a DuckDB error's first line, or the line itself."""
    text = re.sub(r"^(Out of Range Error|Invalid Input Error|Conversion Error): ", "", text)
    for pattern, fn in _RULES:
        m = pattern.search(text)
        if m:
            return fn(m)
    return text


@_rule(r"Max expression depth limit of (\d+) exceeded")
def _depth(m: re.Match[str]) -> str:
    # DuckDB's text goes on to name a setting to raise, which a Lake client cannot set.
    return f"The query's expressions are nested too deeply for the local lake (more than {m.group(1)} levels)"
