"""The import operations of the local lake's CloudTrail API: StartImport, GetImport, ListImports,
ListImportFailures and StopImport, over the imports of `imports.py`.

S3LocationUri takes `s3://BUCKET[/PREFIX]` as on Lake (read with the S3 client of the process, in the
bucket's Region; the role ARN is kept and shown but not assumed) and, as a trailtui extension, a local file
or folder (a path, or a `file://` URL).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from trailtui.local.errors import (
    AccountHasOngoingImport,
    EventDataStoreARNInvalid,
    ImportNotFound,
    InactiveEventDataStore,
    InvalidImportSource,
    InvalidParameter,
)
from trailtui.local.imports import ACTIVE, IMPORT_STATUSES, ImportRecord
from trailtui.local.translate import ARN_RE, UUID_RE

if TYPE_CHECKING:
    from trailtui.local.api import CloudTrailLakeApi


def check_source(uri: str) -> list[str]:
    """The sources an S3LocationUri names, or InvalidImportSourceException."""
    if uri.startswith("s3://"):
        from trailtui.local.s3import import S3ImportError, parse_s3_uri

        try:
            parse_s3_uri(uri)
        except S3ImportError as exc:
            raise InvalidImportSource(str(exc)) from None
        return [uri]
    if "://" in uri and not uri.startswith("file://"):
        raise InvalidImportSource(f"{uri} is not an s3:// address or a local path.")
    path = Path(uri.removeprefix("file://")).expanduser()
    if not path.exists():
        raise InvalidImportSource(f"{uri}: no such file or folder on the machine running the local lake.")
    return [str(path.resolve())]


class ImportOperations:
    def __init__(self, api: CloudTrailLakeApi) -> None:
        self.api = api

    @property
    def imports(self) -> Any:
        return self.api.imports

    def handlers(self) -> dict[str, Any]:
        return {
            "StartImport": self.start,
            "GetImport": self.get,
            "ListImports": self.list,
            "ListImportFailures": self.failures,
            "StopImport": self.stop,
        }

    def _record(self, import_id: str) -> ImportRecord:
        record = self.imports.log.get(import_id) if UUID_RE.match(import_id or "") else None
        if record is None:
            raise ImportNotFound(f"The import {import_id} was not found.")
        return record

    def describe(self, r: ImportRecord, statistics: bool = True) -> dict[str, Any]:
        source = r.sources[0] if len(r.sources) == 1 else " ".join(r.sources)
        out: dict[str, Any] = {
            "ImportId": r.import_id,
            "Destinations": [self.api.arn_of(r.store_id)],
            "ImportSource": {
                "S3": {
                    "S3LocationUri": source,
                    "S3BucketRegion": r.bucket_region or "",
                    "S3BucketAccessRoleArn": r.role_arn or "",
                }
            },
            "ImportStatus": r.status,
            "CreatedTimestamp": r.created,
            "UpdatedTimestamp": r.updated,
        }
        if r.start_time is not None:
            out["StartEventTime"] = r.start_time
        if r.end_time is not None:
            out["EndEventTime"] = r.end_time
        if statistics:
            out["ImportStatistics"] = {
                "PrefixesFound": r.prefixes_found,
                "PrefixesCompleted": r.prefixes_completed,
                "FilesCompleted": r.files_completed,
                "EventsCompleted": r.events_completed,
                "FailedEntries": r.failed_entries,
            }
        return out

    def _no_other_import(self) -> None:
        running = self.imports.running()
        if running:
            raise AccountHasOngoingImport(
                f"The import {running[0]} is still in progress (or stopping); wait for it or stop it first."
            )

    def start(self, p: dict[str, Any]) -> dict[str, Any]:
        if p.get("ImportId"):
            record = self._record(p["ImportId"])
            if record.status not in ("FAILED", "STOPPED"):
                raise InvalidParameter(
                    f"The import {record.import_id} is {record.status}; only a FAILED or STOPPED import "
                    "can be started again."
                )
            self._no_other_import()
            record = self.imports.restart(record)
        else:
            if not p.get("Destinations") or not p.get("ImportSource"):
                raise InvalidParameter("A new import needs Destinations and ImportSource.")
            store = self.api.store(p["Destinations"][0])
            if not store.active:
                raise InactiveEventDataStore(f"The event data store {store.id} is pending deletion.")
            s3 = p["ImportSource"]["S3"]
            uri = s3["S3LocationUri"]
            # Only where serve allows (a local path; a bucket read with serve's own AWS credentials), before
            # it is looked at.
            self.api.local_paths.check_uri(uri, "S3LocationUri")
            sources = check_source(uri)
            start, end = self.api.epoch(p.get("StartEventTime")), self.api.epoch(p.get("EndEventTime"))
            if start is not None and end is not None and start > end:
                raise InvalidParameter("StartEventTime must not be later than EndEventTime.")
            self._no_other_import()
            record = self.imports.begin(
                store, sources, s3.get("S3BucketRegion"), s3.get("S3BucketAccessRoleArn"), start, end
            )
        self.imports.run_in_background(record)
        return self.describe(record, statistics=False)

    def get(self, p: dict[str, Any]) -> dict[str, Any]:
        return self.describe(self._record(p["ImportId"]))

    def stop(self, p: dict[str, Any]) -> dict[str, Any]:
        record = self._record(p["ImportId"])
        if record.status not in ACTIVE:
            raise InvalidParameter(f"The import {record.import_id} has already ended ({record.status}).")
        stopped = self.imports.stop(record.import_id) or record
        return self.describe(stopped)

    def list(self, p: dict[str, Any]) -> dict[str, Any]:
        size = self.api.page_size(p, "MaxResults")
        store_id = None
        if p.get("Destination"):
            ref = p["Destination"]
            m = ARN_RE.match(ref)
            if ref.startswith("arn:") and not m:
                raise EventDataStoreARNInvalid(f"The ARN {ref} is not a valid event data store ARN.")
            store_id = m.group("id") if m else ref
        status = p.get("ImportStatus")
        if status is not None and status not in IMPORT_STATUSES:
            raise InvalidParameter(f"ImportStatus {status} is not one of {', '.join(IMPORT_STATUSES)}.")
        scope = f"imports:{store_id}:{status}"
        after = self.api.read_position(p.get("NextToken"), scope)
        records = self.imports.log.page(store_id, status, tuple(after) if after else None, size + 1)
        out: dict[str, Any] = {
            "Imports": [
                {
                    "ImportId": r.import_id,
                    "ImportStatus": r.status,
                    "Destinations": [self.api.arn_of(r.store_id)],
                    "CreatedTimestamp": r.created,
                    "UpdatedTimestamp": r.updated,
                }
                for r in records[:size]
            ]
        }
        if len(records) > size:
            last = records[size - 1]
            out["NextToken"] = self.api.make_token(scope, [last.created, last.import_id])
        return out

    def failures(self, p: dict[str, Any]) -> dict[str, Any]:
        record = self._record(p["ImportId"])
        size = self.api.page_size(p, "MaxResults")
        scope = f"failures:{record.import_id}"
        after = self.api.read_position(p.get("NextToken"), scope)
        rows = self.imports.log.failures(record.import_id, int(after) if after is not None else -1, size + 1)
        out: dict[str, Any] = {
            "Failures": [
                {
                    "Location": f.location,
                    "Status": "FAILED",
                    "ErrorType": f.error_type,
                    "ErrorMessage": f.error_message,
                    "LastUpdatedTime": f.updated,
                }
                for f in rows[:size]
            ]
        }
        if len(rows) > size:
            out["NextToken"] = self.api.make_token(scope, rows[size - 1].n)
        return out
