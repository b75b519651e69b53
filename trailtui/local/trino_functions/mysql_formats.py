"""date_format and date_parse with Trino's MySQL-style specifiers (trino.io/docs/current/functions/
datetime.html#mysql-date-functions; Trino's DateTimeFunctions.createDateTimeFormatter).

sqlglot reads the format of date_format/date_parse into Python's strftime codes when it parses the query,
and its mapping is not Trino's: `%w`, `%U`, `%u`, `%V`, `%X` and `%D`, which Trino refuses ("%w not
supported in date format string"), came out as DuckDB's day-of-week, week numbers, locale time and an
error; a letter Trino does not know (`%Z`) is that letter in Trino, DuckDB's time zone name here. So the
format as written is recovered from the query's text (`remember_formats`) and translated here from Trino's
table, for a timestamp with time zone in its zone's wall time.
"""

from __future__ import annotations

from typing import Any

from sqlglot import exp

from trailtui.local.trino_functions.core import Rewriter, handles

_ORIGINAL = "trino_format"

# Trino's specifiers as DuckDB strftime/strptime codes (the same fields Trino's Joda formatter appends).
_SPECIFIERS = {
    "a": "%a",
    "b": "%b",
    "c": "%-m",
    "d": "%d",
    "e": "%-d",
    "f": "%f",  # fraction of second, six digits
    "H": "%H",
    "h": "%I",
    "I": "%I",
    "i": "%M",
    "j": "%j",
    "k": "%-H",
    "l": "%-I",
    "M": "%B",
    "m": "%m",
    "p": "%p",
    "r": "%I:%M:%S %p",
    "S": "%S",
    "s": "%S",
    "T": "%H:%M:%S",
    "v": "%V",  # ISO week of the week-based year
    "W": "%A",
    "x": "%G",  # ISO week-based year
    "Y": "%Y",
    "y": "%y",
    "%": "%%",
}
_REFUSED = set("DUuVwX")


def mysql_to_strftime(fmt: str) -> str:
    """A Trino date_format/date_parse format as a DuckDB format; ValueError with Trino's message for the
    specifiers Trino does not support."""
    out: list[str] = []
    i = 0
    while i < len(fmt):
        c = fmt[i]
        if c == "%" and i + 1 < len(fmt):
            spec = fmt[i + 1]
            if spec in _REFUSED:
                raise ValueError(f"%{spec} not supported in date format string")
            out.append(_SPECIFIERS.get(spec, spec))  # %<x>: the letter x itself, as Trino
            i += 2
            continue
        out.append("%%" if c == "%" else c)
        i += 1
    return "".join(out)


def remember_formats(tree: Any, text: str) -> None:
    """Tag each date_format/date_parse literal format with the text the query wrote (sqlglot has converted
    it): the string literal of the query whose conversion gives it, when only one does."""
    from sqlglot.dialects.trino import Trino
    from sqlglot.time import format_time
    from sqlglot.tokens import TokenType

    nodes = [
        n.args["format"]
        for n in tree.find_all(exp.TimeToStr, exp.StrToTime)
        if isinstance(n.args.get("format"), exp.Literal)
    ]
    if not nodes:
        return
    written: dict[str, set[str]] = {}
    for token in Trino().tokenize(text):
        if token.token_type == TokenType.STRING:
            converted = format_time(token.text, Trino.TIME_MAPPING, Trino.TIME_TRIE) or token.text
            written.setdefault(converted, set()).add(token.text)
    for node in nodes:
        originals = written.get(node.this, set())
        if len(originals) == 1:
            node.meta[_ORIGINAL] = next(iter(originals))


def _format(node: Any) -> str | None:
    fmt = node.args.get("format")
    if fmt is not None and not isinstance(fmt, exp.Literal):
        raise ValueError("date_format and date_parse need a literal format on the local lake")
    if isinstance(fmt, exp.Literal) and fmt.meta and _ORIGINAL in fmt.meta:
        return mysql_to_strftime(str(fmt.meta[_ORIGINAL]))
    return None


@handles(exp.TimeToStr)
def _date_format(rw: Rewriter, node: Any) -> Any:
    fmt = _format(node)
    if fmt is None:
        return None
    from trailtui.local.trino_functions.datetimes import wall_time_of

    return exp.Anonymous(this="strftime", expressions=[wall_time_of(node.this), exp.Literal.string(fmt)])


@handles(exp.StrToTime)
def _date_parse(rw: Rewriter, node: Any) -> Any:
    fmt = _format(node)
    if fmt is None:
        return None
    return exp.cast(
        exp.Anonymous(this="strptime", expressions=[node.this, exp.Literal.string(fmt)]), "TIMESTAMP"
    )
