"""Set the eventTime bound of a statement (the quick time-range picker): replace the bound its WHERE clause
has, or add one, and leave the rest of the user's text as typed.

sqlglot decides what the statement is (one SELECT? which SELECT reads a store? is this term an eventTime
bound?) and its tokenizer gives positions that strings, quoted names and comments cannot fool; the edit is
then spliced into the original text, so the user's line breaks, case and comments stay. Regenerating the
statement from sqlglot's tree would reformat all of it.

Only terms the WHERE clause requires are bound terms (an `AND` chain at its top); an eventTime comparison
inside an OR or in parentheses with other terms is left alone, and the new bound is AND-ed after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from trailtui.lake.sqltext import quote_store_ids

TIME_COLUMN = "eventTime"


class Unboundable(ValueError):
    """The statement cannot be given an eventTime bound (the message says why, for the user)."""


@dataclass(frozen=True)
class TimeRange:
    """A bound on eventTime: relative to now (`last`, a Trino interval unit and count) or absolute."""

    label: str
    unit: str = ""  # 'hour' or 'day', for a range ending now
    count: int = 0
    start: datetime | None = None
    end: datetime | None = None
    end_excluded: bool = False  # `eventTime < end`: an end typed as a day alone is the start of the next

    def condition(self, column: str = TIME_COLUMN) -> str:
        if self.unit:
            return f"{column} > date_add('{self.unit}', -{self.count}, current_timestamp)"
        parts = []
        if self.start is not None:
            parts.append(f"{column} >= '{_stamp(self.start)}'")
        if self.end is not None:
            parts.append(f"{column} {'<' if self.end_excluded else '<='} '{_stamp(self.end)}'")
        if not parts:
            raise Unboundable("A custom range needs a start, an end or both.")
        return " AND ".join(parts)


LAST_HOUR = TimeRange("Last hour", "hour", 1)
LAST_DAY = TimeRange("Last 24 hours", "hour", 24)
LAST_WEEK = TimeRange("Last 7 days", "day", 7)
PRESETS = (LAST_HOUR, LAST_DAY, LAST_WEEK)


def _stamp(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S")


def parse_time(text: str) -> datetime | None:
    """A point in time as people type it: `2026-11-20`, `2026-11-20 13:05`, `2026-11-20T13:05:09Z`;
    empty means no bound on that side. Raises Unboundable with the accepted forms otherwise."""
    text = text.strip()
    if not text:
        return None
    try:
        t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Unboundable(
            f"Not a time: {text!r}. Use YYYY-MM-DD, YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS (UTC)."
        ) from None
    if t.tzinfo is not None:
        from datetime import UTC

        t = t.astimezone(UTC).replace(tzinfo=None)
    return t


_DAY_ALONE = re.compile(r"\d{4}-\d{2}-\d{2}")


def custom_range(start_text: str, end_text: str) -> TimeRange:
    start, end = parse_time(start_text), parse_time(end_text)
    if start is None and end is None:
        raise Unboundable("A custom range needs a start, an end or both.")
    if start is not None and end is not None and end < start:
        raise Unboundable("The range ends before it starts.")
    if end is not None and _DAY_ALONE.fullmatch(end_text.strip()):
        # "to 2026-11-26" means through that day: `<= '2026-11-26 00:00:00'` left the whole day out.
        return TimeRange("Custom", start=start, end=end + timedelta(days=1), end_excluded=True)
    return TimeRange("Custom", start=start, end=end)


# -- the statement ----------------------------------------------------------------------------------------

# Keywords that end a WHERE clause (or, without a WHERE, the FROM clause) at the SELECT's own depth.
_CLAUSE_ENDS = frozenset(
    [
        "GROUP_BY",
        "ORDER_BY",
        "HAVING",
        "LIMIT",
        "OFFSET",
        "FETCH",
        "WINDOW",
        "QUALIFY",
        "UNION",
        "EXCEPT",
        "INTERSECT",
        "SEMICOLON",
    ]
)
_OPEN = frozenset(["L_PAREN", "L_BRACKET", "CASE"])
_CLOSE = frozenset(["R_PAREN", "R_BRACKET", "END"])


@dataclass
class _Tok:
    kind: str
    text: str
    start: int  # offsets in the original text, end exclusive
    end: int
    depth: int  # parentheses, brackets and CASE...END around it


def _tokens(sql: str) -> tuple[str, list[_Tok]]:
    """Tokens of `sql` with positions in `sql` itself. Bare store IDs are quoted first (the tokenizer reads
    `0d3a6f2e-7b1c-…` as numbers and minus signs); positions are mapped back past the added quotes."""
    from sqlglot.dialects.dialect import Dialect
    from sqlglot.errors import TokenError

    quoted = quote_store_ids(sql)
    # quote_store_ids only inserts '"' characters: align the two texts once.
    back: list[int] = []
    j = 0
    for ch in quoted:
        back.append(j)
        if j < len(sql) and sql[j] == ch:
            j += 1
    back.append(len(sql))
    try:
        raw = Dialect.get_or_raise("trino").tokenize(quoted)
    except TokenError as exc:
        raise Unboundable(f"The statement does not parse: {exc}") from None
    out: list[_Tok] = []
    depth = 0
    for t in raw:
        kind = t.token_type.name
        if kind in _CLOSE:
            depth -= 1
        start, end = back[t.start], back[t.end + 1]
        if quoted[t.start] == '"' and sql[start : start + 1] != '"':
            start, end = back[t.start + 1], back[t.end]  # an ID we quoted: its own characters only
        out.append(_Tok(kind, t.text, start, end, depth))
        if kind in _OPEN:
            depth += 1
    return quoted, out


def _stores_read(select_sql: str, ctes: set[str]) -> int:
    """How many stores (tables that are not WITH names) this SELECT reads itself: in FROM and JOINs. A
    JOIN of UNNEST(resources) or of a subquery reads none."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    try:
        tree = sqlglot.parse_one(select_sql, read="trino")
    except (ParseError, TokenError):
        return 0
    if not isinstance(tree, exp.Select):
        return 0
    sources = [tree.args.get("from") or tree.args.get("from_"), *(tree.args.get("joins") or [])]
    return sum(
        1
        for src in sources
        if src is not None and isinstance(src.this, exp.Table) and src.this.name.lower() not in ctes
    )


def _is_bound(term_sql: str) -> bool:
    """Is this WHERE term a comparison or BETWEEN of eventTime with something else?"""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    try:
        node: Any = sqlglot.parse_one(term_sql, read="trino")
    except (ParseError, TokenError):
        return False
    while isinstance(node, exp.Paren):
        node = node.this

    def is_time(e: Any) -> bool:
        return isinstance(e, exp.Column) and e.name.lower() == TIME_COLUMN.lower()

    if isinstance(node, exp.Between):
        return is_time(node.this)
    if isinstance(node, exp.GT | exp.GTE | exp.LT | exp.LTE):
        return is_time(node.left) != is_time(node.right)
    return False


def set_time_range(sql: str, time_range: TimeRange) -> str:
    """`sql` with its eventTime bound set to `time_range`. Raises Unboundable (with a reason a user can act
    on) when the statement is not one SELECT reading one store in one place."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    if not sql.strip():
        raise Unboundable("The editor is empty.")
    quoted, toks = _tokens(sql)
    try:
        trees = [t for t in sqlglot.parse(quoted, read="trino") if t is not None]
    except (ParseError, TokenError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else "syntax error"
        raise Unboundable(f"The statement does not parse ({first}); fix it first.") from None
    if len(trees) != 1:
        raise Unboundable("The editor holds more than one statement: select the one to bound.")
    tree = trees[0]
    if not isinstance(tree, exp.Query):
        raise Unboundable(f"Only a SELECT has an eventTime bound (this is {tree.key.upper()}).")
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}

    # The SELECTs that read a store directly: each SELECT keyword's scope runs to the end of its depth.
    readers = []
    for i, t in enumerate(toks):
        if t.kind != "SELECT":
            continue
        end = len(toks)
        for k in range(i + 1, len(toks)):
            if toks[k].depth < t.depth or (
                toks[k].depth == t.depth and toks[k].kind in ("UNION", "EXCEPT", "INTERSECT", "SEMICOLON")
            ):
                end = k
                break
        text = sql[t.start : toks[end - 1].end]
        stores = _stores_read(quote_store_ids(text), ctes)
        if stores > 1:
            raise Unboundable("The statement JOINs stores: add the bound on the side you mean yourself.")
        if stores:
            readers.append((i, end))
    if not readers:
        raise Unboundable("The statement reads no event data store: there is no eventTime to bound.")
    if len(readers) > 1:
        raise Unboundable(
            f"The statement reads stores in {len(readers)} places (UNION, subqueries): "
            "add the bound to each yourself."
        )
    select, stop = readers[0]
    depth = toks[select].depth
    scope = [k for k in range(select, stop) if toks[k].depth == depth]
    where = next((k for k in scope if toks[k].kind == "WHERE"), None)
    clause_end = next(
        (k for k in scope if toks[k].kind in _CLAUSE_ENDS and (where is None or k > where)), stop
    )
    condition = time_range.condition()
    if where is None:
        return _add_where(sql, toks, clause_end, condition)
    return _edit_where(sql, toks, where, clause_end, condition)


def _add_where(sql: str, toks: list[_Tok], clause_end: int, condition: str) -> str:
    last = toks[clause_end - 1]
    at = last.end
    if clause_end < len(toks):
        following = toks[clause_end]
        line_start = sql.rfind("\n", 0, following.start) + 1
        if line_start > at and not sql[line_start : following.start].strip():
            # The next clause starts its own line: so does the WHERE, indented as it is.
            indent = sql[line_start : following.start]
            return sql[:at] + "\n" + indent + "WHERE " + condition + sql[at:]
    return sql[:at] + " WHERE " + condition + sql[at:]


def _edit_where(sql: str, toks: list[_Tok], where: int, clause_end: int, condition: str) -> str:
    depth = toks[where].depth
    body = list(range(where + 1, clause_end))
    if not body:
        raise Unboundable("The WHERE clause is empty.")
    # The terms of the top-level AND chain (an AND after BETWEEN belongs to the BETWEEN).
    terms: list[tuple[int, int]] = []  # (start, end) offsets in sql
    start_tok = body[0]
    between_open = False
    has_or = False
    for k in body:
        t = toks[k]
        if t.depth != depth:
            continue
        if t.kind == "BETWEEN":
            between_open = True
        elif t.kind == "OR":
            has_or = True
        elif t.kind == "AND":
            if between_open:
                between_open = False
                continue
            terms.append((toks[start_tok].start, toks[k - 1].end))
            start_tok = k + 1
    terms.append((toks[start_tok].start, toks[body[-1]].end))
    body_start, body_end = terms[0][0], terms[-1][1]
    if has_or:
        # `a OR b` (or `a OR b AND c`, which is `a OR (b AND c)`): AND-ing after it would bind to the last
        # term alone, so the whole clause is parenthesised and the bound AND-ed after it.
        return sql[:body_start] + "(" + sql[body_start:body_end] + ") AND " + condition + sql[body_end:]
    bounds = [i for i, (s, e) in enumerate(terms) if _is_bound(quote_store_ids(sql[s:e]))]
    if not bounds:
        return sql[:body_end] + " AND " + condition + sql[body_end:]
    # The new bound takes the first bound's place; the other bounds go, each with the AND before it
    # (or, for the first term, the AND after it). Edits are applied right to left, so offsets hold.
    edits: list[tuple[int, int, str]] = [(terms[bounds[0]][0], terms[bounds[0]][1], condition)]
    for i in bounds[1:]:
        edits.append((terms[i - 1][1], terms[i][1], ""))
    for s, e, text in sorted(edits, reverse=True):
        sql = sql[:s] + text + sql[e:]
    return sql
