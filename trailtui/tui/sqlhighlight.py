"""SQL highlighting for the editor with Pygments, aware of CloudTrail Lake.

The whole document is tokenised at once (a comment or string may span lines), then CloudTrail column names
and Lake functions are picked out of the lexer's plain names, and a bare event data store ID or ARN (which
the SQL lexer would read as numbers and minus signs) is marked as one name.
"""

from __future__ import annotations

from functools import lru_cache

from pygments.lexers.sql import SqlLexer
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Token, _TokenType

from trailtui.lake.sqltext import STORE_ID
from trailtui.local.schema import COLUMNS, USER_IDENTITY, Struct

Span = tuple[int, int, str]  # start, end (character offsets in the line), style


def _struct_fields(s: Struct) -> set[str]:
    out = set()
    for key, t in s.fields:
        out.add(key.lower())
        if isinstance(t, Struct):
            out |= _struct_fields(t)
    return out


CT_COLUMNS = frozenset(
    {c.name for c in COLUMNS}
    | {"eventjson", "eventjsonchecksum"}
    | _struct_fields(USER_IDENTITY)
    | {"arn", "accountid", "type", "tlsversion", "ciphersuite"}
)
LAKE_FUNCTIONS = frozenset(
    [
        "element_at",
        "json_extract",
        "json_extract_scalar",
        "json_parse",
        "json_format",
        "json_array_get",
        "json_array_length",
        "transform",
        "filter",
        "any_match",
        "all_match",
        "none_match",
        "reduce",
        "cardinality",
        "contains",
        "approx_distinct",
        "max_by",
        "min_by",
        "arbitrary",
        "regexp_like",
        "regexp_extract",
        "regexp_replace",
        "date_add",
        "date_diff",
        "date_trunc",
        "day_of_week",
        "from_iso8601_timestamp",
        "to_iso8601",
        "from_unixtime",
        "to_unixtime",
        "date_format",
        "format_datetime",
        "current_timestamp",
        "now",
        "count",
        "sum",
        "avg",
        "min",
        "max",
        "lower",
        "upper",
        "split_part",
        "strpos",
        "substr",
        "concat",
        "coalesce",
        "cast",
        "try_cast",
        "map_keys",
        "map_values",
        "rank",
        "row_number",
        "dense_rank",
        "lag",
        "lead",
        "date",
        "year",
        "month",
        "day",
        "hour",
        "minute",
    ]
)

STYLES: dict[str, str] = {
    "keyword": "bold magenta",
    "string": "green",
    "number": "cyan",
    "comment": "italic bright_black",
    "operator": "bright_white",
    "column": "yellow",
    "function": "bold blue",
    "store": "bold bright_cyan underline",
}


def _kind(token: _TokenType) -> str | None:
    if token in Comment:
        return "comment"
    if token in String:
        return "string"
    if token in Number:
        return "number"
    if token in Keyword:
        return "keyword"
    if token in Operator or token in Punctuation:
        return "operator"
    if token in Name.Builtin:
        return "keyword"
    return None


@lru_cache(maxsize=8)
def highlight(document: str) -> tuple[tuple[Span, ...], ...]:
    """Per line, the styled spans of the document."""
    lines = document.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    spans: list[list[Span]] = [[] for _ in lines]

    def add(start: int, end: int, style: str) -> None:
        # Split a document-level span into per-line spans.
        line = _line_of(starts, start)
        while start < end and line < len(lines):
            line_end = starts[line] + len(lines[line])
            stop = min(end, line_end)
            if stop > start:
                spans[line].append((start - starts[line], stop - starts[line], style))
            line += 1
            start = starts[line] if line < len(lines) else end

    store_spans = [(m.start(), m.end()) for m in STORE_ID.finditer(document)]
    tokens = list(SqlLexer().get_tokens_unprocessed(document))
    for i, (pos, token, text) in enumerate(tokens):
        end = pos + len(text)
        if any(s <= pos < e for s, e in store_spans):
            continue
        kind = _kind(token)
        if (kind is None and token in Name) or token is Token.Name:
            word = text.lower()
            following = next((t for _, tok, t in tokens[i + 1 : i + 3] if t.strip()), "")
            if word in LAKE_FUNCTIONS and following.startswith("("):
                kind = "function"
            elif word in CT_COLUMNS:
                kind = "column"
        if kind:
            add(pos, end, STYLES[kind])
    for s, e in store_spans:
        add(s, e, STYLES["store"])
    return tuple(tuple(line) for line in spans)


def _line_of(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo
