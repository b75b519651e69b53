"""Formatting the editor's statement: sqlglot's pretty printer, Trino in and out.

sqlglot cannot parse a bare store ID (`FROM 0d3a6f2e-7b1c-…` reads as arithmetic), so hyphenated table names
are quoted for the parse (as the local lake's translator does) and put back bare afterwards, the way Lake's
own examples and the user wrote them (a store name such as `org-events` too, not only an ID).

sqlglot keeps comments but writes every one as `/* … */`; a `-- comment` the user wrote comes back as written,
at the end of its line (the code after it, if sqlglot put any there, moves to the next line). The result must
tokenize as sqlglot's own output does, or sqlglot's output is used as it is: a layout never changes meaning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from trailtui.lake.sqltext import quote_store_ids

_TOKEN = re.compile(r"<Token token_type: [\w.]+, text: (.*?), line: .*?>")


class CannotFormat(ValueError):
    pass


def _spans(sql: str) -> Iterator[tuple[str, int, int]]:
    """The strings ('s'), quoted names ('"'), line comments ('-') and block comments ('/') of `sql`, as
    (kind, start, end); a line comment ends before its line break."""
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in "'\"":
            j = i + 1
            while j < n and not (sql[j] == ch and not sql.startswith(ch * 2, j)):
                j += 2 if sql.startswith(ch * 2, j) else 1
            yield ("s" if ch == "'" else '"'), i, min(j + 1, n)
            i = j + 1
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            j = n if j < 0 else j
            yield "-", i, j
            i = j
        elif sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            j = n if j < 0 else j + 2
            yield "/", i, j
            i = j
        else:
            i += 1


def _comment_key(comment: str) -> str:
    """A comment's text as sqlglot writes it back (it breaks up a `*/` inside)."""
    inner = comment[2:] if comment.startswith("--") else comment[2:-2]
    return inner.strip().replace("*/", "* /")


def _restore(pretty: str, original: str, quoted: str, comments: bool = True) -> str:
    """sqlglot's `pretty` output with bare table names back, and the user's `--` comments (`comments`)."""
    line_comments = [original[s:e] for kind, s, e in _spans(original) if kind == "-" and comments]
    block_keys = [_comment_key(original[s:e]) for kind, s, e in _spans(original) if kind == "/"]
    names = {original[s + 1 : e - 1] for kind, s, e in _spans(original) if kind == '"'}
    added = {quoted[s + 1 : e - 1] for kind, s, e in _spans(quoted) if kind == '"'} - names
    out: list[str] = []
    at = 0
    for kind, s, e in list(_spans(pretty)):
        text = pretty[s:e]
        if kind == '"' and text[1:-1] in added:
            out.append(pretty[at:s] + text[1:-1])
            at = e
        elif kind == "/":
            key = _comment_key(text)
            if key in block_keys:  # the user's own block comment
                block_keys.remove(key)
                continue
            written = next((c for c in line_comments if _comment_key(c) == key), None)
            if written is None:
                continue
            line_comments.remove(written)
            out.append(pretty[at:s] + written)
            at = e
            end = pretty.find("\n", e)
            end = len(pretty) if end < 0 else end
            if pretty[e:end].strip():  # code after it on the line would be commented out: next line
                start = pretty.rfind("\n", 0, s) + 1
                indent = pretty[start:s][: len(pretty[start:s]) - len(pretty[start:s].lstrip())]
                out.append("\n" + indent)
                at = e + len(pretty[e:end]) - len(pretty[e:end].lstrip())
    out.append(pretty[at:])
    return "".join(out)


def _tokens(sql: str) -> list[tuple[str, str]] | None:
    """What `sql` says, without its comments and layout (None if it does not tokenize)."""
    from sqlglot.dialects.dialect import Dialect
    from sqlglot.errors import TokenError

    try:
        return [(t.token_type.name, t.text) for t in Dialect.get_or_raise("trino").tokenize(sql)]
    except TokenError:
        return None


def format_sql(sql: str) -> str:
    """`sql` laid out by sqlglot (keywords upper case, one clause and one select item per line); raises
    CannotFormat with the parser's first message when it does not parse."""
    import sqlglot
    from sqlglot.errors import ParseError, TokenError

    if not sql.strip():
        raise CannotFormat("The editor is empty.")
    quoted = quote_store_ids(sql)
    try:
        statements = sqlglot.transpile(quoted, read="trino", write="trino", pretty=True)
    except (ParseError, TokenError) as exc:
        first = _TOKEN.sub(r"'\1'", str(exc).splitlines()[0]) if str(exc) else "syntax error"
        raise CannotFormat(f"Not formatted: the statement does not parse ({first}).") from None
    pretty = ";\n\n".join(s for s in statements if s.strip())
    says = _tokens(pretty)
    for comments in (True, False):  # a `--` comment put back must not change what the statement says
        text = _restore(pretty, sql, quoted, comments)
        if says is not None and _tokens(quote_store_ids(text)) == says:
            break
    else:
        text = pretty
    return text + ("\n" if sql.endswith("\n") else "")
