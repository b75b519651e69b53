"""The cost prompt: before an unbounded query on a connection that bills scans (CloudTrail Lake, Athena),
the question names who would pay (profile, account) and what would be scanned (the store), so a query
meant for a test account is not run, and billed, on production by mistake."""

from __future__ import annotations

from trailtui.lake.connection import ConnectionKey
from trailtui.lake.sqltext import first_store_id, first_table_name
from trailtui.tui.state import ExplorerState


def store_named(state: ExplorerState, sql: str) -> str | None:
    """The store the SQL reads, by name when it is the current store's ID (as the stores pane shows it)."""
    named = first_store_id(sql) or first_table_name(sql)
    current = state.store
    if current is not None and (named is None or named in (current.id, current.name)):
        return current.name
    return named


def billed_to(state: ExplorerState, key: ConnectionKey, store_name: str | None) -> str:
    """ "profile prod (account 123456789012, acme-prod), store org-events" as far as it is known."""
    identity = state.identities.get(key)
    if identity is None:
        account = "account not known yet"
    elif isinstance(identity, str):
        account = "account unknown: " + identity.splitlines()[0]
    else:
        account = f"account {identity.account}" + (f", {identity.alias}" if identity.alias else "")
    conn = state.connections.get(key)
    region = conn.region if conn is not None else key.region
    where = f"profile {key.profile or 'default'} ({account}{', ' + region if region else ''})"
    return where + (f", store {store_name}" if store_name else "")


def unbounded_question(state: ExplorerState, key: ConnectionKey, store_name: str | None, what: str) -> str:
    """The question before running `what` ("This query", "The drill-down") without an eventTime bound."""
    return (
        f"{what} has no eventTime bound. On CloudTrail Lake it scans, and bills, every event in the store "
        f"(on an Athena table, every log object). Billed to {billed_to(state, key, store_name)}. "
        "Run it anyway?"
    )
