"""Drill-down (`e` on a result row): the query that fetches the row's whole event by its eventID, bounded
in eventTime so it scans, and bills, as little as it can: to the second around the row's eventTime when
the result has that column, else to the eventTime bound of the query the row came from. With neither, the
plan says it is unbounded, and on a connection that bills scans the explorer asks first (cost.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from trailtui.lake.sqltext import TIME_COLUMNS, first_store_id, first_table_name, quote_store_ids


@dataclass(frozen=True)
class DrillPlan:
    sql: str
    event_id: str
    bounded: bool  # False: an eventjson query over the whole store (Lake's most expensive column)


def drill_down_sql(
    columns: list[str], row: list[str | None], run_sql: str, run_store: str | None
) -> DrillPlan | str:
    """The plan for the row's event, or why there is none to fetch ("" for an empty eventID)."""
    lower = [c.lower() for c in columns]
    if "eventid" not in lower:
        return "Drill-down needs an eventID column in the result."
    event_id = row[lower.index("eventid")]
    if not event_id:
        return ""
    store = first_store_id(run_sql) or first_table_name(run_sql) or run_store  # or an Athena table
    if store is None:
        return "Cannot tell which store this row came from."
    where = f"eventID = '{event_id.replace(chr(39), chr(39) * 2)}'"
    when = row[lower.index("eventtime")] if "eventtime" in lower else None
    bounds = second_around(when) if when else None
    if bounds:
        where += f" AND eventTime >= '{bounds[0]}' AND eventTime <= '{bounds[1]}'"
        terms = [where]
    else:
        terms = time_bound_terms(run_sql)  # the row is one the query returned: within its bound
        where += "".join(f" AND {t}" for t in terms)
    return DrillPlan(f"SELECT eventjson FROM {store} WHERE {where} LIMIT 1", event_id, bool(terms))


def second_around(when: str) -> tuple[str, str] | None:
    """A Lake timestamp, as the window around it (for a bounded drill-down query)."""
    try:
        t = datetime.strptime(when[:19], "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return (
        (t - timedelta(seconds=1)).strftime("%Y-%m-%d %H:%M:%S"),
        (t + timedelta(seconds=2)).strftime("%Y-%m-%d %H:%M:%S"),
    )


def time_bound_terms(sql: str) -> list[str]:
    """The eventTime conditions the query's WHERE requires (terms of its top-level AND that compare
    eventTime and no other column), as SQL, for a drill-down into the rows it returned; [] for none."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    try:
        tree = sqlglot.parse_one(quote_store_ids(sql.strip().rstrip(";")), read="trino")
    except (ParseError, TokenError, ValueError):
        return []
    select = tree if isinstance(tree, exp.Select) else tree.find(exp.Select)
    where = select.args.get("where") if select is not None else None
    if where is None:
        return []
    comparisons: tuple[Any, ...] = (exp.EQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Between)
    terms: list[str] = []
    pending = [where.this]
    while pending:
        node = pending.pop()
        if isinstance(node, exp.Paren):
            pending.append(node.this)
        elif isinstance(node, exp.And):
            pending += [node.left, node.right]
        elif isinstance(node, comparisons):
            names = {c.name.lower() for c in node.find_all(exp.Column)}
            if names and names <= TIME_COLUMNS:
                terms.append(node.sql(dialect="trino"))
    return terms
