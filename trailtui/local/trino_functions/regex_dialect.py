"""Regular expressions Trino reads as Java's and DuckDB's RE2 reads otherwise, refused before they run
(trino.io/docs/current/functions/regexp.html: "Trino ... Java pattern syntax").

A pattern RE2 cannot parse fails at run time anyway. The danger is a pattern both read, differently:
`(?U)` is Java's Unicode classes but RE2's ungreedy mode (`regexp_extract('aaa', '(?U)a+')` gave `a`, Trino
`aaa`); `[a-z&&[^b]]` is an intersection in Java and a different class in RE2; `[a-z[0-9]]` a union in
Java; `a{,3}` a literal in RE2. Those, and what RE2 lacks (lookaround, backreferences, atomic groups,
possessive quantifiers, `(?<name>...)`, comments), are refused at StartQuery with a clear reason, for
patterns written as literals.
"""

from __future__ import annotations

import re
from typing import Any

from sqlglot import exp

from trailtui.local.trino_functions.core import Rewriter, args_of, handles

_FLAGS = re.compile(r"[a-zA-Z-]*[:)]")


def java_only(pattern: str) -> str | None:
    """What in `pattern` RE2 would not read as Java does, or None."""
    p = pattern
    i = 0
    depth = 0  # inside a character class
    while i < len(p):
        c = p[i]
        nxt = p[i + 1] if i + 1 < len(p) else ""
        if c == "\\":
            if nxt == "Q":  # quoted to \E
                end = p.find("\\E", i + 2)
                i = len(p) if end < 0 else end + 2
                continue
            if depth == 0 and nxt in "123456789":
                return f"a backreference (\\{nxt})"
            if nxt in "vk":
                return f"\\{nxt}"
            i += 2
            continue
        if depth:
            if c == "[" and nxt == ":":  # a POSIX class [:alpha:], read alike
                end = p.find(":]", i + 2)
                i = len(p) if end < 0 else end + 2
                continue
            if c == "[":
                return "a character class inside a character class"
            if c == "&" and nxt == "&":
                return "a character class intersection (&&)"
            if c == "]":
                depth = 0
            i += 1
            continue
        if c == "[":
            depth = 1
            i += 1
            if p[i : i + 1] == "^":
                i += 1
            if p[i : i + 1] == "]":  # a ] first in the class is itself
                i += 1
            continue
        if c == "(" and nxt == "?":
            rest = p[i + 2 :]
            if rest.startswith(("=", "!", "<=", "<!")):
                return "lookaround"
            if rest.startswith(">"):
                return "an atomic group"
            if rest.startswith("#"):
                return "a comment group"
            if rest.startswith("<"):
                return "a named group (?<name>...)"
            flags = _FLAGS.match(rest)
            if flags and "U" in flags.group(0):
                return "the flag U (Unicode classes in Java, ungreedy in RE2)"
        if c in "*+?}" and nxt == "+":
            return "a possessive quantifier"
        if c == "{" and nxt == ",":
            return "a repetition without a minimum ({,n})"
        i += 1
    return None


def _check(pattern: Any) -> None:
    if isinstance(pattern, exp.Literal) and pattern.is_string:
        what = java_only(pattern.this)
        if what is not None:
            raise ValueError(
                f"The regular expression '{pattern.this}' uses {what}, which the local lake's regular "
                "expression engine (RE2) does not read as Trino (Java) does"
            )


@handles(exp.RegexpLike, exp.RegexpExtract, exp.RegexpExtractAll, exp.RegexpReplace, exp.RegexpSplit)
def _regexp(rw: Rewriter, node: Any) -> Any:
    _check(node.expression)
    return None


@handles(exp.RegexpCount)
def _regexp_count(rw: Rewriter, node: Any) -> Any:
    _check(node.expression)
    return None


@handles("regexp_position", "regexp_count", "regexp_split", "regexp_extract_all")
def _regexp_named(rw: Rewriter, node: Any) -> Any:
    args = args_of(node)
    if len(args) >= 2:
        _check(args[1])
    return None
