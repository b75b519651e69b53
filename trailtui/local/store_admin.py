"""Changing local stores: settings, status, deletion (pending, restore, purge) and retention.

Every function takes a writer connection of the lake (`LakeFile.writer()`) and commits its own change.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from trailtui.local.catalog import StoreRecord, list_stores, record_import, save_settings

if TYPE_CHECKING:
    import duckdb

PENDING_DELETION = "PENDING_DELETION"
DELETION_WAIT_SECONDS = 7 * 24 * 3600  # Lake deletes a store for good seven days after DeleteEventDataStore
_COLUMNS = {
    "name",
    "status",
    "retention_period",
    "termination_protection",
    "multi_region_enabled",
    "organization_enabled",
    "billing_mode",
}


def delete_store(con: duckdb.DuckDBPyConnection, store: StoreRecord) -> None:
    """Remove a store with its events and import records, for good."""
    con.execute("BEGIN")
    con.execute(f"DROP TABLE IF EXISTS {store.table_name}")
    con.execute("DELETE FROM trailtui_stores WHERE id = ?", [store.id])
    con.execute("DELETE FROM trailtui_sources WHERE store_id = ?", [store.id])
    con.execute("COMMIT")


def update_store(
    con: duckdb.DuckDBPyConnection, store: StoreRecord, now: datetime | None = None, **changes: Any
) -> StoreRecord:
    """Change catalog columns of a store (names as StoreRecord's); UpdatedTimestamp moves."""
    unknown = set(changes) - _COLUMNS
    if unknown:
        raise ValueError(f"not a store column: {', '.join(sorted(unknown))}")
    when = (now or datetime.now(UTC)).replace(tzinfo=None)
    if changes:
        sets = ", ".join(f"{k} = ?" for k in changes)
        con.execute(
            f"UPDATE trailtui_stores SET {sets}, updated = ? WHERE id = ?",
            [*changes.values(), when, store.id],
        )
    return replace(store, **changes, updated=when)


def mark_deleted(con: duckdb.DuckDBPyConnection, store: StoreRecord, now: float | None = None) -> StoreRecord:
    """DeleteEventDataStore: the store stays, PENDING_DELETION, until the waiting period ends."""
    con.execute("BEGIN")
    store = save_settings(con, store, deleted_at=now or time.time(), status_before_delete=store.status)
    store = update_store(con, store, status=PENDING_DELETION)
    con.execute("COMMIT")
    return store


def restore(con: duckdb.DuckDBPyConnection, store: StoreRecord) -> StoreRecord:
    """RestoreEventDataStore: back to the status it had before deletion."""
    before = str(store.settings.get("status_before_delete") or "ENABLED")
    con.execute("BEGIN")
    store = save_settings(con, store, deleted_at=None, status_before_delete=None)
    store = update_store(con, store, status=before)
    con.execute("COMMIT")
    return store


def deletion_due(store: StoreRecord, now: float | None = None) -> bool:
    deleted_at = store.settings.get("deleted_at")
    if store.status != PENDING_DELETION or deleted_at is None:
        return False
    return float(deleted_at) + DELETION_WAIT_SECONDS <= (now or time.time())


def purge_due(con: duckdb.DuckDBPyConnection, now: float | None = None) -> list[StoreRecord]:
    """Delete for good the stores whose waiting period after deletion has ended."""
    gone = [s for s in list_stores(con) if deletion_due(s, now)]
    for store in gone:
        delete_store(con, store)
    return gone


def retention_cutoff(store: StoreRecord, now: datetime | None = None) -> datetime:
    """Events with an eventTime before this are past the store's retention period (naive UTC)."""
    when = (now or datetime.now(UTC)).replace(tzinfo=None)
    return when - timedelta(days=store.retention_period)


def retention_enforced(store: StoreRecord) -> bool:
    """Whether the store's retention period removes events. It does for a store whose retention was chosen
    through the API (CreateEventDataStore, UpdateEventDataStore), as on Lake; a store that `trailtui import`
    made keeps every event it was given, however old, until someone sets its retention."""
    return bool(store.settings.get("retention_enforced"))


def retention_due(store: StoreRecord, now: datetime | None = None) -> bool:
    return (
        retention_enforced(store)
        and store.first_event is not None
        and store.first_event < retention_cutoff(store, now)
    )


def enforce_retention(
    con: duckdb.DuckDBPyConnection, store: StoreRecord, now: datetime | None = None
) -> tuple[StoreRecord, int]:
    """Remove the events whose eventTime is older than the retention period, as Lake does; returns the
    store with its new figures and how many events went."""
    if not retention_due(store, now):
        return store, 0
    con.execute("BEGIN")
    row = con.execute(
        f"DELETE FROM {store.table_name} WHERE eventtime < ?", [retention_cutoff(store, now)]
    ).fetchone()
    removed = int(row[0]) if row else 0
    store = record_import(con, store, 0)
    con.execute("COMMIT")
    return store, removed
