"""Drill-down (`e` on a result row): the query that fetches the row's whole event by its eventID, bounded
to the second around its eventTime when the row has one (so it scans, and bills, as little as it can)."""

from __future__ import annotations

from datetime import datetime, timedelta

from trailtui.lake.sqltext import first_store_id, first_table_name


def drill_down_sql(
    columns: list[str], row: list[str | None], run_sql: str, run_store: str | None
) -> tuple[str, str] | str:
    """(SQL, eventID) for the row's event, or why there is none to fetch ("" for an empty eventID)."""
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
    return f"SELECT eventjson FROM {store} WHERE {where} LIMIT 1", event_id


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
