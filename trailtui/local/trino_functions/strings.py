"""Trino's string functions where DuckDB's differ (trino.io/docs/current/functions/string.html and
functions/regexp.html): NULL where Trino gives NULL, Trino's argument forms and its error texts."""

from __future__ import annotations

import functools
import re
from typing import Any

from sqlglot import exp

from trailtui.local.trino_functions.core import Rewriter, args_of, handles, literal_int, macro, udf

# split_part: NULL past the last field; an index below 1 is an error (functions/string.html#split_part).
macro(
    "trino_split_part",
    "(s, d, n) AS CASE WHEN n < 1 THEN error('Index must be greater than zero') "
    "WHEN d = '' THEN CASE WHEN n <= length(s) THEN substring(s, n, 1) END "
    "WHEN n > len(string_split(s, d)) THEN NULL ELSE string_split(s, d)[n] END",
)
# regexp_extract: NULL when the pattern does not match (functions/regexp.html#regexp_extract).
macro(
    "trino_regexp_extract",
    "(s, p, g) AS CASE WHEN regexp_matches(s, p) THEN regexp_extract(s, p, g) END",
)
# substr: position 0 gives the empty string; a negative start counts from the end, and one before the
# start of the string gives the empty string (TestStringFunctions.testSubstring).
macro(
    "trino_substr",
    "(s, st, n) AS CASE WHEN st = 0 OR n <= 0 THEN '' "
    "WHEN st > 0 THEN substring(s, st, n) "
    "WHEN -st > length(s) THEN '' "
    "ELSE substring(s, length(s) + st + 1, n) END",
)
macro(
    "trino_substr2",
    "(s, st) AS CASE WHEN st = 0 THEN '' WHEN st > 0 THEN substring(s, st) "
    "WHEN -st > length(s) THEN '' ELSE substring(s, length(s) + st + 1) END",
)
macro(
    "trino_codepoint",
    "(s) AS CASE WHEN length(s) <> 1 THEN "
    "error('Input string must be a single character string') ELSE unicode(s) END",
)
macro(
    "trino_hamming_distance",
    "(a, b) AS CASE WHEN length(a) <> length(b) THEN "
    "error('The input strings to hamming_distance function must have the same length') "
    "ELSE hamming(a, b) END",
)


@udf("trino_strpos3", ("VARCHAR", "VARCHAR", "BIGINT"), "BIGINT")
def _strpos_instance(s: str, sub: str, instance: int) -> int:
    """strpos(string, substring, instance): the position of the instance-th occurrence, counted from the
    end when negative; 0 when there is none (functions/string.html#strpos)."""
    if instance == 0:
        raise ValueError("'instance' must be a positive or negative number.")
    if sub == "":
        return 1
    positions = []
    start = 0
    while True:
        i = s.find(sub, start)
        if i < 0:
            break
        positions.append(i + 1)
        start = i + 1
    k = instance - 1 if instance > 0 else len(positions) + instance
    return positions[k] if 0 <= k < len(positions) else 0


@udf("trino_split_limit", ("VARCHAR", "VARCHAR", "BIGINT"), "VARCHAR[]")
def _split_limit(s: str, d: str, limit: int) -> list[str]:
    """split(string, delimiter, limit): at most `limit` fields, the last holding the rest."""
    if limit <= 0:
        raise ValueError("Limit must be positive")
    if d == "":
        raise ValueError("The delimiter may not be the empty string")
    return s.split(d, limit - 1)


@udf("trino_java_replacement", ("VARCHAR",), "VARCHAR")
def _java_replacement(r: str) -> str:
    return java_replacement(r)


@udf("trino_luhn_check", ("VARCHAR",), "BOOLEAN")
def _luhn(s: str) -> bool:
    if not s or not s.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(s)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def pattern_groups(pattern: str) -> int | None:
    """How many capturing groups a literal pattern has (Python's reading, which counts as Java's for the
    patterns RE2 also reads), or None if it cannot tell."""
    try:
        return re.compile(pattern).groups
    except (re.error, RecursionError, OverflowError):
        return None


def java_replacement(r: str, groups: int | None = None) -> str:
    """A Trino (Java-style) replacement, where `$1` names a group and `\\$` is a dollar, in DuckDB's form
    (RE2: `\\1` names a group and a backslash is doubled). With the pattern's number of `groups` known,
    a group number takes more digits while such a group exists, as Trino reads it (JoniRegexpFunctions
    appendReplacement: `$01` is group 1 when there is one, `$10` group 10 when there are ten)."""
    out: list[str] = []
    i = 0
    while i < len(r):
        c = r[i]
        if c == "\\":
            if i + 1 >= len(r):
                raise ValueError("Illegal replacement sequence: \\")
            nxt = r[i + 1]
            out.append("\\\\" if nxt == "\\" else nxt)
            i += 2
        elif c == "$":
            if i + 1 < len(r) and r[i + 1].isdigit():
                group, i = int(r[i + 1]), i + 2
                while (
                    groups is not None and i < len(r) and r[i].isdigit() and group * 10 + int(r[i]) <= groups
                ):
                    group, i = group * 10 + int(r[i]), i + 1
                if groups is not None and group > groups:
                    raise ValueError(f"Illegal replacement sequence: unknown group {group}")
                if group > 9:
                    raise ValueError(
                        "regexp_replace with a replacement naming group 10 or above is not supported"
                    )
                out.append("\\" + str(group))
            else:
                raise ValueError("Illegal group reference")
        else:
            out.append(c)
            i += 1
    return "".join(out)


@handles(exp.SplitPart)
def _split_part(rw: Rewriter, node: Any) -> Any:
    return rw.call("trino_split_part", node.this, node.args.get("delimiter"), node.args.get("part_index"))


def _group_text(pattern: str, group: int) -> str | None:
    """The text of capturing group `group` (1-based) of a regular expression, or None if it cannot tell."""
    count, i, start, depth, opened = 0, 0, -1, 0, []
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":  # a class: up to its closing bracket (a leading ] or ^] is literal)
            j = i + 1 + (pattern[i + 1 : i + 2] == "^")
            j += pattern[j : j + 1] == "]"
            while j < len(pattern) and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            i = j + 1
            continue
        if c == "(":
            capturing = not pattern.startswith("(?", i) or (
                pattern.startswith(("(?P<", "(?<"), i) and not (pattern.startswith(("(?<=", "(?<!"), i))
            )
            opened.append(capturing)
            if capturing:
                count += 1
                if count == group:
                    start, depth = i, len(opened)
        elif c == ")" and opened:
            if start >= 0 and len(opened) == depth:
                body = pattern[start + 1 : i]
                if body.startswith("?"):  # a named group: its name is not part of the pattern
                    body = body[body.index(">") + 1 :]
                return body
            opened.pop()
        i += 1
    return None


# regexp_extract of a group that takes no part in the match is NULL in Trino (Java's Matcher.group gives
# null); DuckDB gives ''. When the group's own pattern cannot match the empty string, '' can only mean
# that, so it becomes NULL.
macro(
    "trino_regexp_extract_group",
    "(s, p, g, body) AS CASE WHEN regexp_matches(s, p) THEN (CASE WHEN regexp_extract(s, p, g) = '' "
    "AND NOT regexp_full_match('', body) THEN NULL ELSE regexp_extract(s, p, g) END) END",
)


@handles(exp.RegexpExtract)
def _regexp_extract(rw: Rewriter, node: Any) -> Any:
    group = node.args.get("group") or exp.Literal.number(0)
    pattern, g = node.expression, literal_int(group)
    if isinstance(pattern, exp.Literal) and pattern.is_string and g is not None and g > 0:
        body = _group_text(pattern.this, g)
        if body is not None:
            return rw.call("trino_regexp_extract_group", node.this, pattern, group, exp.Literal.string(body))
    return rw.call("trino_regexp_extract", node.this, node.expression, group)


@functools.lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _matches_empty(pattern: str) -> bool:
    try:
        return _compiled(pattern).search("") is not None
    except re.error:
        return False


# Java's replaceAll (Trino's regexp_replace) also replaces an empty match right after a match
# (`regexp_replace('aaa', 'a*', 'X')` is `XX`); RE2's global replace, DuckDB's, skips it (`X`). Python's
# re.sub, since 3.7, does as Java does; it is used for the patterns that can match the empty string.
# The replacement comes in RE2's form (java_replacement), which re.sub reads the same way.
@udf("trino_regexp_replace_empty", ("VARCHAR", "VARCHAR", "VARCHAR"), "VARCHAR")
def _replace_with_empty_matches(s: str, pattern: str, replacement: str) -> str:
    return _compiled(pattern).sub(replacement, s)


@handles(exp.RegexpReplace)
def _regexp_replace(rw: Rewriter, node: Any) -> Any:
    repl = node.args.get("replacement")
    if repl is None or isinstance(repl, exp.Lambda):
        return None
    pattern = node.expression
    literal = isinstance(pattern, exp.Literal) and pattern.is_string
    if isinstance(repl, exp.Literal) and repl.is_string:
        groups = pattern_groups(pattern.this) if literal else None
        converted: Any = exp.Literal.string(java_replacement(repl.this, groups))
    else:
        converted = rw.call("trino_java_replacement", repl)
    if literal and _matches_empty(pattern.this):
        return rw.call("trino_regexp_replace_empty", node.this, pattern, converted)
    return exp.Anonymous(
        this="regexp_replace", expressions=[node.this, node.expression, converted, exp.Literal.string("g")]
    )


@handles(exp.Substring)
def _substr(rw: Rewriter, node: Any) -> Any:
    start = node.args.get("start") or exp.Literal.number(1)
    length = node.args.get("length")
    if length is None:
        return rw.call("trino_substr2", node.this, start)
    return rw.call("trino_substr", node.this, start, length)


@handles(exp.StrPosition)
def _strpos(rw: Rewriter, node: Any) -> Any:
    occurrence = node.args.get("occurrence")
    if occurrence is None:
        return None
    return rw.call("trino_strpos3", node.this, node.args.get("substr"), occurrence)


# split(s, ''): Trino fails (StringFunctions.split: "The delimiter may not be the empty string"); DuckDB's
# string_split cut the string into characters.
macro(
    "trino_split",
    "(s, d) AS CASE WHEN d = '' THEN error('The delimiter may not be the empty string') "
    "ELSE string_split(s, d) END",
)


@handles(exp.Split)
def _split(rw: Rewriter, node: Any) -> Any:
    limit = node.args.get("limit")
    if limit is None:
        delimiter = node.expression
        if isinstance(delimiter, exp.Literal) and delimiter.is_string and delimiter.this != "":
            return None  # a literal delimiter that is not empty: DuckDB's split as it is
        return rw.call("trino_split", node.this, delimiter)
    return rw.call("trino_split_limit", node.this, node.expression, limit)


@handles("codepoint")
def _codepoint(rw: Rewriter, node: Any) -> Any:
    return rw.call("trino_codepoint", *args_of(node))


@handles("hamming_distance")
def _hamming(rw: Rewriter, node: Any) -> Any:
    return rw.call("trino_hamming_distance", *args_of(node))


@handles("luhn_check")
def _luhn_check(rw: Rewriter, node: Any) -> Any:
    return rw.call("trino_luhn_check", *args_of(node))


# replace with an empty search string inserts the replacement around every character
# (TestStringFunctions.testReplace: replace('abc', '', 'xx') is 'xxaxxbxxcxx').
macro(
    "trino_replace",
    "(s, f, r) AS CASE WHEN f <> '' THEN replace(s, f, r) WHEN s = '' THEN r "
    "ELSE r || array_to_string(string_split(s, ''), r) || r END",
)
macro(
    "trino_chr",
    "(n) AS CASE WHEN n < 0 OR n > 1114111 OR (n >= 55296 AND n <= 57343) "
    "THEN error('Not a valid Unicode code point: ' || CAST(n AS VARCHAR)) ELSE chr(CAST(n AS INTEGER)) END",
)


@handles(exp.Replace)
def _replace(rw: Rewriter, node: Any) -> Any:
    search = node.expression
    if isinstance(search, exp.Literal) and search.is_string and search.this != "":
        return None
    replacement = node.args.get("replacement") or exp.Literal.string("")
    return rw.call("trino_replace", node.this, search, replacement)


@handles(exp.Chr)
def _chr(rw: Rewriter, node: Any) -> Any:
    args = node.expressions if node.expressions else [node.this]
    if len(args) != 1 or args[0] is None:
        return None
    return rw.call("trino_chr", args[0])


# upper maps code point by code point as Java's Character.toUpperCase does (Trino's StringFunctions.upper,
# airlift's SliceUtf8.toUpperCase): ß has no one-code-point capital there and stays ß. DuckDB's upper
# agrees on every other code point (compared over all of Unicode's planes 0-2) but gives ẞ (U+1E9E) for
# ß, so only strings holding ß take the per-character path.
macro(
    "trino_upper",
    "(s) AS CASE WHEN contains(s, 'ß') THEN array_to_string(list_transform(string_split(s, ''), "
    "lambda c: CASE WHEN c = 'ß' THEN c ELSE upper(c) END), '') ELSE upper(s) END",
)


@handles(exp.Upper)
def _upper(rw: Rewriter, node: Any) -> Any:
    return rw.call("trino_upper", node.this)


# lpad/rpad: a target length outside [0, 2^31 - 1] and an empty padding string fail, even where no padding
# is needed (StringFunctions.pad). DuckDB gave '' for a negative length, the text cut for an empty padding
# string, and "Insufficient padding in LPAD." where it needed some.
for _side in ("lpad", "rpad"):
    macro(
        f"trino_{_side}",
        "(s, n, p) AS CASE WHEN n < 0 OR n > 2147483647 THEN "
        "error('Target length must be in the range [0..2147483647]') "
        "WHEN p = '' THEN error('Padding string must not be empty') "
        f"ELSE {_side}(s, CAST(n AS INTEGER), p) END",
    )


@handles(exp.Pad)
def _pad(rw: Rewriter, node: Any) -> Any:
    fill = node.args.get("fill_pattern")
    if fill is None:
        return None
    return rw.call(
        "trino_lpad" if node.args.get("is_left") else "trino_rpad", node.this, node.expression, fill
    )
