"""The local lake's event data stores: their records in the lake file, and their event tables."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from trailtui.local.schema import table_ddl

if TYPE_CHECKING:
    import duckdb

DEFAULT_RETENTION_DAYS = 2557  # Lake's default for EXTENDABLE_RETENTION_PRICING (7 years)
STORE_NAME_RE = re.compile(r"^[a-zA-Z0-9._-]{3,128}$")  # Lake's EventDataStoreName pattern and length


class StoreNotFoundError(LookupError):
    pass


class StoreExistsError(ValueError):
    pass


@dataclass(frozen=True)
class StoreRecord:
    id: str
    name: str
    table_name: str
    status: str
    organization_enabled: bool
    multi_region_enabled: bool
    retention_period: int
    termination_protection: bool
    billing_mode: str
    created: datetime
    updated: datetime
    event_count: int
    first_event: datetime | None
    last_event: datetime | None

    def arn(self, region: str, account_id: str) -> str:
        return f"arn:aws:cloudtrail:{region}:{account_id}:eventdatastore/{self.id}"


_FIELDS = tuple(StoreRecord.__dataclass_fields__)


def table_for(store_id: str) -> str:
    return "events_" + store_id.replace("-", "")


def _row_to_store(row: tuple[Any, ...]) -> StoreRecord:
    return StoreRecord(**dict(zip(_FIELDS, row, strict=True)))


def list_stores(con: duckdb.DuckDBPyConnection, schema: str = "main") -> list[StoreRecord]:
    rows = con.execute(
        f"SELECT {', '.join(_FIELDS)} FROM {schema}.trailtui_stores ORDER BY created, name"
    ).fetchall()
    return [_row_to_store(r) for r in rows]


def find_store(con: duckdb.DuckDBPyConnection, id_or_name: str, schema: str = "main") -> StoreRecord:
    """A store by ID, by ARN (its ID part), or by name."""
    key = id_or_name.rsplit("/", 1)[-1] if id_or_name.startswith("arn:") else id_or_name
    for store in list_stores(con, schema):
        if key in (store.id, store.name):
            return store
    raise StoreNotFoundError(id_or_name)


def create_store(
    con: duckdb.DuckDBPyConnection,
    name: str,
    *,
    store_id: str | None = None,
    organization_enabled: bool = False,
    multi_region_enabled: bool = True,
    retention_period: int = DEFAULT_RETENTION_DAYS,
    termination_protection: bool = True,
    billing_mode: str = "EXTENDABLE_RETENTION_PRICING",
    now: datetime | None = None,
) -> StoreRecord:
    if not STORE_NAME_RE.match(name):
        raise ValueError(f"invalid store name {name!r}: use 3 to 128 letters, digits, '.', '_' or '-'")
    if any(s.name == name for s in list_stores(con)):
        raise StoreExistsError(f"a store named {name!r} already exists")
    sid = store_id or str(uuid.uuid4())
    when = (now or datetime.now(UTC)).replace(tzinfo=None)
    store = StoreRecord(
        id=sid,
        name=name,
        table_name=table_for(sid),
        status="ENABLED",
        organization_enabled=organization_enabled,
        multi_region_enabled=multi_region_enabled,
        retention_period=retention_period,
        termination_protection=termination_protection,
        billing_mode=billing_mode,
        created=when,
        updated=when,
        event_count=0,
        first_event=None,
        last_event=None,
    )
    con.execute("BEGIN")
    con.execute(table_ddl(store.table_name))
    con.execute(
        f"INSERT INTO trailtui_stores ({', '.join(_FIELDS)}) VALUES ({', '.join('?' * len(_FIELDS))})",
        [getattr(store, f) for f in _FIELDS],
    )
    con.execute("COMMIT")
    return store


def get_or_create_store(con: duckdb.DuckDBPyConnection, name: str) -> tuple[StoreRecord, bool]:
    try:
        return find_store(con, name), False
    except StoreNotFoundError:
        return create_store(con, name), True


def record_import(
    con: duckdb.DuckDBPyConnection, store: StoreRecord, added: int, now: datetime | None = None
) -> StoreRecord:
    """Refresh a store's event count and time range after `added` events arrived (inside the batch's
    transaction, so the figures never disagree with the table)."""
    first, last, count = con.execute(
        f"SELECT min(eventtime), max(eventtime), count(*) FROM {store.table_name}"
    ).fetchone() or (None, None, 0)
    when = (now or datetime.now(UTC)).replace(tzinfo=None)
    con.execute(
        "UPDATE trailtui_stores SET event_count = ?, first_event = ?, last_event = ?, updated = ? "
        "WHERE id = ?",
        [count, first, last, when if added else store.updated, store.id],
    )
    return replace(store, event_count=count, first_event=first, last_event=last)
