"""Managing event data stores and imports through the CloudTrail API: the same calls for the local lake and
for CloudTrail Lake on an AWS profile, so the explorer's store screens never ask which one they hold.

Each function takes a connection's CloudTrail client and returns a typed result, or raises `StoreAdminError`
with a sentence for the user (built from Lake's error code).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from trailtui.lake.errors import error_code, error_message

IMPORT_ACTIVE = ("INITIALIZING", "IN_PROGRESS")

# Lake's error codes said as what to do next.
_ADVICE = {
    "EventDataStoreTerminationProtectedException": "termination protection is on: turn it off first",
    "EventDataStoreAlreadyExistsException": "a store with that name already exists",
    "InactiveEventDataStoreException": "the store is pending deletion: restore it first",
    "InvalidEventDataStoreStatusException": "the store is not in a state that allows this",
    "EventDataStoreHasOngoingImportException": "an import into the store is still running",
    "AccountHasOngoingImportException": "another import is still running: wait for it or stop it",
    "InvalidImportSourceException": "the import source cannot be read",
    "EventDataStoreMaxLimitExceededException": "the account already has as many stores as Lake allows",
}


class StoreAdminError(RuntimeError):
    def __init__(self, code: str | None, message: str) -> None:
        super().__init__(message)
        self.code = code


def _call(fn: Callable[..., Any], **params: Any) -> Any:
    try:
        return fn(**params)
    except Exception as exc:
        code = error_code(exc)
        if code is None:
            raise
        advice = _ADVICE.get(code)
        text = error_message(exc)
        raise StoreAdminError(code, f"{advice} ({text})" if advice else f"{code}: {text}") from exc


@dataclass(frozen=True)
class StoreSettings:
    """What the store screens show and change."""

    arn: str
    name: str
    status: str
    retention_days: int
    termination_protection: bool
    billing_mode: str

    @classmethod
    def from_details(cls, d: dict[str, Any]) -> StoreSettings:
        return cls(
            d["EventDataStoreArn"],
            d["Name"],
            d.get("Status", ""),
            int(d.get("RetentionPeriod") or 0),
            bool(d.get("TerminationProtectionEnabled")),
            d.get("BillingMode", ""),
        )

    @property
    def pending_deletion(self) -> bool:
        return self.status == "PENDING_DELETION"


@dataclass(frozen=True)
class ImportState:
    import_id: str
    status: str
    files: int
    events: int
    failed: int
    prefixes_found: int
    prefixes_completed: int
    created: datetime | None

    @property
    def ended(self) -> bool:
        return self.status not in IMPORT_ACTIVE

    @classmethod
    def from_response(cls, r: dict[str, Any]) -> ImportState:
        stats = r.get("ImportStatistics") or {}
        return cls(
            r["ImportId"],
            r.get("ImportStatus", ""),
            int(stats.get("FilesCompleted") or 0),
            int(stats.get("EventsCompleted") or 0),
            int(stats.get("FailedEntries") or 0),
            int(stats.get("PrefixesFound") or 0),
            int(stats.get("PrefixesCompleted") or 0),
            r.get("CreatedTimestamp"),
        )


def settings(ct: Any, store: str) -> StoreSettings:
    return StoreSettings.from_details(_call(ct.get_event_data_store, EventDataStore=store))


def create_store(
    ct: Any, name: str, retention_days: int | None = None, termination_protection: bool = True
) -> StoreSettings:
    params: dict[str, Any] = {"Name": name, "TerminationProtectionEnabled": termination_protection}
    if retention_days is not None:
        params["RetentionPeriod"] = retention_days
    made = _call(ct.create_event_data_store, **params)
    return settings(ct, made["EventDataStoreArn"])  # CREATED at first; show what it became


def update_store(
    ct: Any,
    store: str,
    name: str | None = None,
    retention_days: int | None = None,
    termination_protection: bool | None = None,
) -> StoreSettings:
    params: dict[str, Any] = {"EventDataStore": store}
    if name is not None:
        params["Name"] = name
    if retention_days is not None:
        params["RetentionPeriod"] = retention_days
    if termination_protection is not None:
        params["TerminationProtectionEnabled"] = termination_protection
    return StoreSettings.from_details(_call(ct.update_event_data_store, **params))


def delete_store(ct: Any, store: str) -> StoreSettings:
    """Delete (Lake keeps the store PENDING_DELETION for seven days); refused while termination protection
    is on, as Lake refuses it."""
    current = settings(ct, store)
    if current.termination_protection:
        raise StoreAdminError(
            "EventDataStoreTerminationProtectedException",
            f"{current.name} has termination protection: turn it off before deleting the store",
        )
    _call(ct.delete_event_data_store, EventDataStore=store)
    return settings(ct, store)


def restore_store(ct: Any, store: str) -> StoreSettings:
    return StoreSettings.from_details(_call(ct.restore_event_data_store, EventDataStore=store))


def start_import(
    ct: Any,
    store_arn: str,
    source: str,
    bucket_region: str,
    role_arn: str = "",
    start: datetime | None = None,
    end: datetime | None = None,
) -> ImportState:
    params: dict[str, Any] = {
        "Destinations": [store_arn],
        "ImportSource": {
            "S3": {
                "S3LocationUri": source,
                "S3BucketRegion": bucket_region,
                "S3BucketAccessRoleArn": role_arn,
            }
        },
    }
    if start is not None:
        params["StartEventTime"] = start
    if end is not None:
        params["EndEventTime"] = end
    return ImportState.from_response(_call(ct.start_import, **params))


def import_state(ct: Any, import_id: str) -> ImportState:
    return ImportState.from_response(_call(ct.get_import, ImportId=import_id))


def stop_import(ct: Any, import_id: str) -> ImportState:
    return ImportState.from_response(_call(ct.stop_import, ImportId=import_id))


def follow_import(
    ct: Any,
    import_id: str,
    on_state: Callable[[ImportState], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    interval: float = 1.0,
) -> ImportState:
    """Poll GetImport until the import ends, reporting each state."""
    while True:
        state = import_state(ct, import_id)
        if on_state is not None:
            on_state(state)
        if state.ended:
            return state
        sleep(interval)


def import_failures(ct: Any, import_id: str, limit: int = 1000) -> list[tuple[str, str]]:
    """(location, reason) of the files an import could not import."""
    out: list[tuple[str, str]] = []
    token = None
    while len(out) < limit:
        params: dict[str, Any] = {"ImportId": import_id} | ({"NextToken": token} if token else {})
        page = _call(ct.list_import_failures, **params)
        out += [(f.get("Location", ""), f.get("ErrorMessage", "")) for f in page.get("Failures") or []]
        token = page.get("NextToken")
        if not token:
            break
    return out[:limit]
