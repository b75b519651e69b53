"""Lake SQL as text: finding the bare event data store IDs that make it unparseable, and checking a query
for an eventTime bound (AWS bills every byte an unbounded query scans)."""

from __future__ import annotations

import re
from typing import Any

_TABLE_TOKEN = re.compile(
    r"arn:aws[a-z-]*:cloudtrail:[a-z0-9-]*:\d*:eventdatastore/[A-Za-z0-9-]+"
    r"|[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)+"
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_KEYWORDS = ("from", "join")
TIME_COLUMNS = frozenset({"eventtime"})
STORE_ID = re.compile(
    r"arn:aws[a-z-]*:cloudtrail:[a-z0-9-]*:\d*:eventdatastore/[A-Za-z0-9-]+"
    r"|\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"
)


_FROM_LIST_ENDS = frozenset(
    [
        "where",
        "group",
        "order",
        "having",
        "limit",
        "union",
        "except",
        "intersect",
        "on",
        "using",
        "window",
        "qualify",
        "offset",
        "fetch",
        "select",
        "join",
        "inner",
        "left",
        "right",
        "full",
        "cross",
        "natural",
        "lateral",
    ]
)


def quote_store_ids(sql: str) -> str:
    """Quote hyphenated tokens and ARNs that name tables (after FROM or JOIN, and after the commas of a FROM
    list), outside strings and comments."""
    out: list[str] = []
    i, n = 0, len(sql)
    expect_table = False
    depth = 0
    from_depth: int | None = None  # the parenthesis depth of the FROM list we are in, if any
    while i < n:
        ch = sql[i]
        if ch == "'" or ch == '"':
            j = i + 1
            while j < n:
                if sql[j] == ch:
                    if j + 1 < n and sql[j + 1] == ch:
                        j += 2
                        continue
                    break
                j += 1
            out.append(sql[i : j + 1])
            i = j + 1
            expect_table = False
            continue
        if sql.startswith("--", i):
            j = sql.find("\n", i)
            j = n if j < 0 else j
            out.append(sql[i:j])
            i = j
            continue
        if sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(sql[i:j])
            i = j
            continue
        if ch.isspace():
            out.append(ch)
            i += 1
            continue
        if expect_table:
            expect_table = False
            m = _TABLE_TOKEN.match(sql, i)
            if m and ("-" in m.group() or m.group().startswith("arn:")):
                out.append('"' + m.group() + '"')
                i = m.end()
                continue
        m = _WORD.match(sql, i) if i == 0 or not (sql[i - 1].isalnum() or sql[i - 1] == "_") else None
        if m:
            word = m.group().lower()
            out.append(m.group())
            i = m.end()
            expect_table = word in _KEYWORDS
            if word == "from":
                from_depth = depth
            elif word in _FROM_LIST_ENDS and from_depth == depth:
                from_depth = None
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if from_depth is not None and depth < from_depth:
                from_depth = None
        elif ch == "," and from_depth == depth:
            expect_table = True  # the next item of a FROM list
        out.append(ch)
        i += 1
    return "".join(out)


def first_store_id(sql: str) -> str | None:
    """The first event data store the SQL names (an ID, or the ID of an ARN)."""
    m = STORE_ID.search(sql)
    return m.group().rsplit("/", 1)[-1] if m else None


_QUALIFIED_TABLE = re.compile(
    r"\b(?:FROM|JOIN)\s+(\"?[A-Za-z_][A-Za-z0-9_]*\"?\.\"?[A-Za-z_][A-Za-z0-9_]*\"?)", re.IGNORECASE
)


def first_table_name(sql: str) -> str | None:
    """The first DATABASE.TABLE after FROM or JOIN (an Athena CloudTrail table), without quotes."""
    m = _QUALIFIED_TABLE.search(sql)
    return m.group(1).replace('"', "") if m else None


def has_time_bound(sql: str) -> bool:
    """Does every SELECT that reads a store restrict eventTime in its WHERE clause? A restriction is a
    comparison, BETWEEN or IN on eventTime that the WHERE clause requires: a term of its AND, or one on
    every side of an OR. A comparison elsewhere (`SELECT eventTime > x AS recent`) bounds nothing, nor does
    one an OR lets through (`eventTime > x OR 1 = 1`). Unparseable SQL counts as bounded: the service
    rejects it before it scans anything."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    try:
        trees = sqlglot.parse(quote_store_ids(sql.strip().rstrip(";")), read="trino")
    except (ParseError, TokenError):
        return True
    comparisons: tuple[Any, ...] = (exp.EQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Between, exp.In)

    def bounds(node: Any) -> bool:
        if isinstance(node, exp.Paren):
            return bounds(node.this)
        if isinstance(node, exp.And):
            return bounds(node.left) or bounds(node.right)
        if isinstance(node, exp.Or):
            return bounds(node.left) and bounds(node.right)
        if isinstance(node, comparisons):
            return any(
                isinstance(c, exp.Column) and c.name.lower() in TIME_COLUMNS
                for c in node.find_all(exp.Column)
            )
        return False

    def reads_a_store(select: Any, ctes: set[str]) -> bool:
        sources = [select.args.get("from") or select.args.get("from_"), *(select.args.get("joins") or [])]
        return any(
            isinstance(src.this, exp.Table) and src.this.name.lower() not in ctes
            for src in sources
            if src is not None
        )

    for tree in trees:
        if tree is None:
            continue
        ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
        for select in tree.find_all(exp.Select):
            if not reads_a_store(select, ctes):
                continue
            where = select.args.get("where")
            if where is None or not bounds(where.this):
                return False
    return True
