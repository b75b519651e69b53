"""The event data store operations of the local lake's CloudTrail API: create, update, delete, restore,
ingestion and tags, with the checks the CloudTrail model and Lake make.

botocore's validator (run by the dispatcher) checks types, required members and minimums; the maximums,
patterns and the rules between members (retention per billing mode, termination protection, one KMS key
for life) are Lake's and are checked here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from trailtui.local.catalog import (
    STORE_NAME_RE,
    StoreExistsError,
    StoreRecord,
    create_store,
    find_store,
    list_stores,
    save_settings,
)
from trailtui.local.errors import (
    EventDataStoreAlreadyExists,
    EventDataStoreHasOngoingImport,
    EventDataStoreMaxLimitExceeded,
    EventDataStoreTerminationProtected,
    InactiveEventDataStore,
    InvalidEventDataStoreStatus,
    InvalidEventSelectors,
    InvalidParameter,
    InvalidTagParameter,
    ResourceTypeNotSupported,
    TagsLimitExceeded,
)
from trailtui.local.store_admin import (
    PENDING_DELETION,
    enforce_retention,
    mark_deleted,
    restore,
    update_store,
)

if TYPE_CHECKING:
    from trailtui.local.api import CloudTrailLakeApi

EXTENDABLE, FIXED = "EXTENDABLE_RETENTION_PRICING", "FIXED_RETENTION_PRICING"
# The model's documentation of RetentionPeriod and BillingMode: default and maximum days per billing mode.
RETENTION = {EXTENDABLE: (366, 3653), FIXED: (2557, 2557)}
MIN_RETENTION = 7
MAX_TAGS = 50  # Lake's limit of tags per event data store
# Lake's quota of event data stores per Region. Without it a client of `serve` could create stores (tables in
# the lake) without end; stores pending deletion count until they are purged.
MAX_STORES = 10
MAX_SELECTORS = 5
# "a maximum of 500 total values for all conditions in all advanced event selectors" (the API model's
# documentation of InvalidEventSelectorsException). The model sets no maximum on the lists themselves, so a
# store could keep a 1 MiB selector.
MAX_SELECTOR_VALUES = 500
# The fields an advanced event selector of a CloudTrail-events store may use (CloudTrail user guide,
# "AdvancedFieldSelector"), in the spelling the API takes.
SELECTOR_FIELDS = {
    "eventCategory",
    "eventSource",
    "eventName",
    "eventType",
    "readOnly",
    "resources.type",
    "resources.ARN",
    "userIdentity.arn",
    "errorCode",
    "sessionCredentialFromConsole",
    "vpcEndpointId",
}
OPERATORS = ("Equals", "StartsWith", "EndsWith", "NotEquals", "NotStartsWith", "NotEndsWith")
# What Lake reports for a CloudTrail-events store created without selectors.
DEFAULT_SELECTORS = [
    {
        "Name": "Default management events",
        "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}],
    }
]
# A store filled by `trailtui import` holds whatever the trail logged: management and data events.
IMPORTED_SELECTORS = [
    {"Name": "Management events", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]},
    {"Name": "Data events", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}]},
]
_TAG_KEY = re.compile(r"^[\w\s.:/=+\-@]{1,128}$", re.UNICODE)
_TAG_VALUE = re.compile(r"^[\w\s.:/=+\-@]{0,256}$", re.UNICODE)


def check_billing(billing_mode: object) -> str:
    """A BillingMode of the model's enum (botocore's validation does not check enums)."""
    if billing_mode not in RETENTION:
        raise InvalidParameter(f"BillingMode {billing_mode} is not valid: use {' or '.join(RETENTION)}.")
    return str(billing_mode)


def check_retention(days: int, billing_mode: str) -> None:
    high = RETENTION[billing_mode][1]
    if not MIN_RETENTION <= days <= high:
        raise InvalidParameter(
            f"RetentionPeriod {days} is not valid for {billing_mode}: use {MIN_RETENTION} to {high} days."
        )


def check_name(name: str) -> None:
    if not STORE_NAME_RE.match(name):
        raise InvalidParameter(
            f"Event data store name {name!r} is not valid: use 3 to 128 letters, digits, '.', '_' or '-'."
        )


def check_selectors(selectors: list[dict[str, Any]]) -> None:
    if not selectors or len(selectors) > MAX_SELECTORS:
        raise InvalidEventSelectors(f"Use 1 to {MAX_SELECTORS} advanced event selectors.")
    values = sum(
        len(f.get(op) or []) for sel in selectors for f in sel.get("FieldSelectors") or [] for op in OPERATORS
    )
    if values > MAX_SELECTOR_VALUES:
        raise InvalidEventSelectors(
            f"The advanced event selectors hold {values} values; at most {MAX_SELECTOR_VALUES} are allowed for all "
            "conditions in all advanced event selectors."
        )
    for sel in selectors:
        fields = sel.get("FieldSelectors") or []
        names = [f.get("Field") for f in fields]
        if "eventCategory" not in names:
            raise InvalidEventSelectors("Each advanced event selector needs an eventCategory field selector.")
        for f in fields:
            if f.get("Field") not in SELECTOR_FIELDS:
                raise InvalidEventSelectors(
                    f"Field {f.get('Field')!r} is not valid in an advanced event selector; use one of "
                    + ", ".join(sorted(SELECTOR_FIELDS))
                    + "."
                )
            if not any(f.get(op) for op in OPERATORS):
                raise InvalidEventSelectors(f"Field selector {f['Field']!r} has no operator with values.")


def check_tags(tags: list[dict[str, Any]]) -> None:
    for tag in tags:
        key, value = tag.get("Key", ""), tag.get("Value") or ""
        if key.lower().startswith("aws:"):
            raise InvalidTagParameter(f"Tag key {key!r} is not valid: the aws: prefix is reserved.")
        if not _TAG_KEY.match(key) or not _TAG_VALUE.match(value):
            raise InvalidTagParameter(
                f"Tag {key!r} is not valid: keys take 1 to 128 and values up to 256 letters, digits, "
                "spaces and . : / = + - @ _"
            )


def merge_tags(current: list[dict[str, str]], added: list[dict[str, Any]]) -> list[dict[str, str]]:
    merged = {t["Key"]: t.get("Value", "") for t in current}
    for t in added:
        merged[t["Key"]] = t.get("Value") or ""
    if len(merged) > MAX_TAGS:
        raise TagsLimitExceeded(f"An event data store can have at most {MAX_TAGS} tags.")
    return [{"Key": k, "Value": v} for k, v in merged.items()]


def _expect_status(store: StoreRecord, expected: str, verb: str) -> None:
    if store.status != expected:
        raise InvalidEventDataStoreStatus(
            f"Cannot {verb} ingestion of event data store {store.id}: its status is {store.status}."
        )


def _restorable(store: StoreRecord) -> None:
    if store.status != PENDING_DELETION:
        raise InvalidEventDataStoreStatus(
            f"The event data store {store.id} is {store.status}; only a store pending deletion can be restored."
        )


class StoreOperations:
    """CreateEventDataStore, UpdateEventDataStore, Delete/Restore, ingestion and tags."""

    def __init__(self, api: CloudTrailLakeApi) -> None:
        self.api = api

    def handlers(self) -> dict[str, Any]:
        return {
            "CreateEventDataStore": self.create,
            "UpdateEventDataStore": self.update,
            "DeleteEventDataStore": self.delete,
            "RestoreEventDataStore": self.restore,
            "StartEventDataStoreIngestion": self.start_ingestion,
            "StopEventDataStoreIngestion": self.stop_ingestion,
            "AddTags": self.add_tags,
            "ListTags": self.list_tags,
            "RemoveTags": self.remove_tags,
        }

    def _writer(self) -> Any:
        return self.api.engine.lake.writer()

    def _changed(self) -> None:
        self.api.engine.invalidate_stores()

    def _active(self, ref: str) -> StoreRecord:
        store = self.api.store(ref)
        if not store.active:
            raise InactiveEventDataStore(f"The event data store {store.id} is pending deletion.")
        return store

    def _no_import(self, store: StoreRecord) -> None:
        if any(r.store_id == store.id for r in self.api.imports.log.active()):
            raise EventDataStoreHasOngoingImport(
                f"The event data store {store.id} has an import in progress; wait for it or stop it."
            )

    # -- create / update --------------------------------------------------------------------------------
    def create(self, p: dict[str, Any]) -> dict[str, Any]:
        name = p["Name"]
        check_name(name)
        billing = check_billing(p.get("BillingMode", EXTENDABLE))
        retention = p.get("RetentionPeriod", RETENTION[billing][0])
        check_retention(retention, billing)
        selectors = p.get("AdvancedEventSelectors") or DEFAULT_SELECTORS
        check_selectors(selectors)
        tags = p.get("TagsList") or []
        check_tags(tags)
        tags = merge_tags([], tags)
        settings: dict[str, Any] = {"selectors": selectors, "tags": tags, "retention_enforced": True}
        if p.get("KmsKeyId"):
            settings["kms_key_id"] = p["KmsKeyId"]
        try:
            with self._writer() as con:
                # Counted under the writer's lock, from the catalog itself: counted before it from the cached
                # store list, 25 concurrent creates all passed and made 25 stores.
                if len(list_stores(con)) >= MAX_STORES:
                    raise EventDataStoreMaxLimitExceeded(
                        f"Your account has used the maximum number of event data stores ({MAX_STORES}, stores "
                        "pending deletion included): delete one first."
                    )
                store = create_store(
                    con,
                    name,
                    organization_enabled=bool(p.get("OrganizationEnabled", False)),
                    multi_region_enabled=bool(p.get("MultiRegionEnabled", True)),
                    retention_period=retention,
                    termination_protection=bool(p.get("TerminationProtectionEnabled", True)),
                    billing_mode=billing,
                    status="ENABLED" if p.get("StartIngestion", True) else "STOPPED_INGESTION",
                    settings=settings,
                )
        except StoreExistsError as exc:
            raise EventDataStoreAlreadyExists(str(exc)) from None
        self._changed()
        out = self.api.store_details(store, federation=False, partitions=False)
        out["Status"] = "CREATED"  # Lake answers CREATED; the store is ENABLED (or stopped) right after
        out["TagsList"] = tags
        return out

    def update(self, p: dict[str, Any]) -> dict[str, Any]:
        store = self._active(p["EventDataStore"])
        asked = {k for k in p if k != "EventDataStore"}
        if not asked:
            raise InvalidParameter("Specify at least one setting of the event data store to update.")
        self._no_import(store)
        changes: dict[str, Any] = {}
        settings: dict[str, Any] = {}
        billing = check_billing(p.get("BillingMode", store.billing_mode))
        if billing != store.billing_mode:
            if billing == FIXED:
                raise InvalidParameter(
                    "The billing mode cannot change from EXTENDABLE_RETENTION_PRICING to "
                    "FIXED_RETENTION_PRICING; create a new event data store instead."
                )
            changes["billing_mode"] = billing
        if "RetentionPeriod" in p:
            check_retention(p["RetentionPeriod"], billing)
            changes["retention_period"] = p["RetentionPeriod"]
            settings["retention_enforced"] = True
        if "Name" in p and p["Name"] != store.name:
            check_name(p["Name"])
            if any(s.name == p["Name"] for s in self.api.engine.stores(0)):
                raise EventDataStoreAlreadyExists(f"An event data store named {p['Name']!r} already exists.")
            changes["name"] = p["Name"]
        for member, column in (
            ("TerminationProtectionEnabled", "termination_protection"),
            ("MultiRegionEnabled", "multi_region_enabled"),
            ("OrganizationEnabled", "organization_enabled"),
        ):
            if member in p:
                changes[column] = bool(p[member])
        if "AdvancedEventSelectors" in p:
            check_selectors(p["AdvancedEventSelectors"])
            settings["selectors"] = p["AdvancedEventSelectors"]
        if "KmsKeyId" in p:
            current = store.settings.get("kms_key_id")
            if current and current != p["KmsKeyId"]:
                raise InvalidParameter("The KMS key of an event data store cannot be changed or removed.")
            settings["kms_key_id"] = p["KmsKeyId"]
        with self._writer() as con:
            # Read the store again under the write lock: the cached record may predate an import, and a
            # stale time range would let a shorter retention keep events it must remove.
            store = find_store(con, store.id)
            con.execute("BEGIN")
            store = update_store(con, store, **changes)
            if settings:
                store = save_settings(con, store, **settings)
            con.execute("COMMIT")
            store, _ = enforce_retention(con, store)  # a shorter retention removes the older events now
        self._changed()
        return self.api.store_details(store, partitions=False)

    # -- delete / restore -------------------------------------------------------------------------------
    def delete(self, p: dict[str, Any]) -> dict[str, Any]:
        store = self._active(p["EventDataStore"])
        self._deletable(store)
        self._no_import(store)
        with self._writer() as con:
            # Checked again as the catalog is now, under the writer's lock: termination protection turned on
            # (or the store deleted) by a concurrent request since the read above did not stop the deletion.
            store = find_store(con, store.id)
            if not store.active:
                raise InactiveEventDataStore(f"The event data store {store.id} is pending deletion.")
            self._deletable(store)
            mark_deleted(con, store)
        self._changed()
        return {}

    @staticmethod
    def _deletable(store: StoreRecord) -> None:
        if store.termination_protection:
            raise EventDataStoreTerminationProtected(
                f"The event data store {store.id} has termination protection enabled; disable it with "
                "UpdateEventDataStore --no-termination-protection-enabled first."
            )

    def restore(self, p: dict[str, Any]) -> dict[str, Any]:
        store = self.api.store(p["EventDataStore"])
        _restorable(store)
        with self._writer() as con:
            store = find_store(con, store.id)  # as it is under the lock: restored meanwhile, it is not again
            _restorable(store)
            store = restore(con, store)
        self._changed()
        details = self.api.store_details(store, federation=False, partitions=False)
        return details

    # -- ingestion ---------------------------------------------------------------------------------------
    def _switch(self, ref: str, expected: str, new: str, verb: str) -> dict[str, Any]:
        store = self._active(ref)
        _expect_status(store, expected, verb)
        with self._writer() as con:
            # Checked again as it is under the writer's lock: a store deleted meanwhile was switched from
            # PENDING_DELETION to a live status, out of its deletion without a restore, and never purged.
            store = find_store(con, store.id)
            _expect_status(store, expected, verb)
            update_store(con, store, status=new)
        self._changed()
        return {}

    def start_ingestion(self, p: dict[str, Any]) -> dict[str, Any]:
        return self._switch(p["EventDataStore"], "STOPPED_INGESTION", "ENABLED", "start")

    def stop_ingestion(self, p: dict[str, Any]) -> dict[str, Any]:
        return self._switch(p["EventDataStore"], "ENABLED", "STOPPED_INGESTION", "stop")

    # -- tags -----------------------------------------------------------------------------------------------
    def _tagged(self, ref: str) -> StoreRecord:
        if ref.startswith("arn:") and (":trail/" in ref or ":channel/" in ref):
            raise ResourceTypeNotSupported(
                "The local lake has event data stores only (no trails or channels)."
            )
        return self._active(ref)

    def add_tags(self, p: dict[str, Any]) -> dict[str, Any]:
        store = self._tagged(p["ResourceId"])
        check_tags(p["TagsList"])
        with self._writer() as con:
            # The tags as they are now, under the writer's lock: read before it, concurrent AddTags lost each
            # other's tags (and together passed the 50-tag limit).
            store = find_store(con, store.id)
            save_settings(con, store, tags=merge_tags(store.settings.get("tags") or [], p["TagsList"]))
        self._changed()
        return {}

    def remove_tags(self, p: dict[str, Any]) -> dict[str, Any]:
        store = self._tagged(p["ResourceId"])
        gone = {t["Key"] for t in p["TagsList"]}
        with self._writer() as con:
            store = find_store(con, store.id)  # as it is now (see add_tags)
            save_settings(
                con, store, tags=[t for t in store.settings.get("tags") or [] if t["Key"] not in gone]
            )
        self._changed()
        return {}

    def list_tags(self, p: dict[str, Any]) -> dict[str, Any]:
        out = []
        for ref in p["ResourceIdList"]:
            store = self._tagged(ref)
            out.append({"ResourceId": self.api.arn(store), "TagsList": store.settings.get("tags") or []})
        return {"ResourceTagList": out}
