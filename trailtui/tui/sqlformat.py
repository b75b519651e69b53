"""Formatting the editor's statement: sqlglot's pretty printer, Trino in and out.

sqlglot cannot parse a bare store ID (`FROM 0d3a6f2e-7b1c-…` reads as arithmetic), so IDs are quoted for the
parse (as the local lake's translator does) and put back bare afterwards, the way Lake's own examples and the
user wrote them. Comments survive, as /* */ comments.
"""

from __future__ import annotations

import re

from trailtui.lake.sqltext import STORE_ID, quote_store_ids

_TOKEN = re.compile(r"<Token token_type: [\w.]+, text: (.*?), line: .*?>")
_QUOTED_STORE = re.compile(r'"(' + STORE_ID.pattern.replace(r"\b", "") + r')"')


class CannotFormat(ValueError):
    pass


def format_sql(sql: str) -> str:
    """`sql` laid out by sqlglot (keywords upper case, one clause and one select item per line); raises
    CannotFormat with the parser's first message when it does not parse."""
    import sqlglot
    from sqlglot.errors import ParseError, TokenError

    if not sql.strip():
        raise CannotFormat("The editor is empty.")
    try:
        statements = sqlglot.transpile(quote_store_ids(sql), read="trino", write="trino", pretty=True)
    except (ParseError, TokenError) as exc:
        first = _TOKEN.sub(r"'\1'", str(exc).splitlines()[0]) if str(exc) else "syntax error"
        raise CannotFormat(f"Not formatted: the statement does not parse ({first}).") from None
    text = ";\n\n".join(s for s in statements if s.strip())
    text = _QUOTED_STORE.sub(lambda m: m.group(1), text)
    return text + ("\n" if sql.endswith("\n") else "")
