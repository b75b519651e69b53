"""The local lake's event data stores: their records in the lake file, and their event tables."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from trailtui.local.schema import table_ddl

if TYPE_CHECKING:
    import duckdb

# The retention of stores that `trailtui import` and the demo create (Lake's 7 years). It is not enforced on
# them (imported logs are often old; see store_admin.retention_enforced) until it is set through the API.
# CreateEventDataStore uses the model's defaults per billing mode instead.
DEFAULT_RETENTION_DAYS = 2557
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
    # What Lake keeps about a store beyond the columns above: AdvancedEventSelectors ("selectors"),
    # "kms_key_id", "tags" (a list of {Key, Value}), "deleted_at" (epoch seconds, while PENDING_DELETION)
    # and "status_before_delete".
    settings: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def active(self) -> bool:
        return self.status != "PENDING_DELETION"

    def arn(self, region: str, account_id: str) -> str:
        return f"arn:aws:cloudtrail:{region}:{account_id}:eventdatastore/{self.id}"


_FIELDS = tuple(StoreRecord.__dataclass_fields__)


def table_for(store_id: str) -> str:
    return "events_" + store_id.replace("-", "")


_COLUMNS = tuple(f for f in _FIELDS if f != "settings")


def _row_to_store(names: list[str], row: tuple[Any, ...]) -> StoreRecord:
    values = dict(zip(names, row, strict=True))
    settings = json.loads(values.pop("settings", None) or "{}")
    return StoreRecord(**{k: values[k] for k in _COLUMNS}, settings=settings)


def list_stores(con: duckdb.DuckDBPyConnection, schema: str = "main") -> list[StoreRecord]:
    # SELECT *: a lake written before the settings column existed is still readable (read-only).
    cur = con.execute(f"SELECT * FROM {schema}.trailtui_stores ORDER BY created, name")
    names = [d[0] for d in cur.description or []]
    return [_row_to_store(names, r) for r in cur.fetchall()]


def save_settings(con: duckdb.DuckDBPyConnection, store: StoreRecord, **changes: Any) -> StoreRecord:
    """Merge `changes` into the store's settings (a None value removes the key)."""
    settings = {k: v for k, v in ({**store.settings, **changes}).items() if v is not None}
    con.execute("UPDATE trailtui_stores SET settings = ? WHERE id = ?", [json.dumps(settings), store.id])
    return replace(store, settings=settings)


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
    status: str = "ENABLED",
    settings: dict[str, Any] | None = None,
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
        status=status,
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
        settings=dict(settings or {}),
    )
    con.execute("BEGIN")
    con.execute(table_ddl(store.table_name))
    con.execute(
        f"INSERT INTO trailtui_stores ({', '.join(_FIELDS)}) VALUES ({', '.join('?' * len(_FIELDS))})",
        [getattr(store, f) for f in _COLUMNS] + [json.dumps(store.settings)],
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
