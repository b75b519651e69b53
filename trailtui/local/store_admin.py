"""Removing a local store with its events and import records."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trailtui.local.catalog import StoreRecord

if TYPE_CHECKING:
    import duckdb


def delete_store(con: duckdb.DuckDBPyConnection, store: StoreRecord) -> None:
    con.execute("BEGIN")
    con.execute(f"DROP TABLE IF EXISTS {store.table_name}")
    con.execute("DELETE FROM trailtui_stores WHERE id = ?", [store.id])
    con.execute("DELETE FROM trailtui_sources WHERE store_id = ?", [store.id])
    con.execute("COMMIT")
