"""The CloudTrail API of the local lake: operation name and JSON input in, JSON output or a Lake error out.

One dispatcher serves both transports: boto3 in process (`inprocess.py`) and HTTP (`server.py`). Inputs
are checked with botocore's own validator against the CloudTrail model before the specific Lake checks
(ranges, tokens, statuses), so a raw HTTP client gets the errors an SDK would have caught.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from trailtui.lake.results import READABLE_STATES
from trailtui.local import LOCAL_ACCOUNT_ID, LOCAL_REGION
from trailtui.local.catalog import StoreRecord
from trailtui.local.delivery import DeliveryUriError, parse_destination
from trailtui.local.engine import QueryEngine
from trailtui.local.errors import (
    EventDataStoreARNInvalid,
    EventDataStoreNotFound,
    InactiveEventDataStore,
    InvalidDateRange,
    InvalidMaxResults,
    InvalidNextToken,
    InvalidParameter,
    InvalidQueryStatus,
    InvalidS3BucketName,
    QueryIdNotFound,
    UnknownOperation,
    UnsupportedOperation,
)
from trailtui.local.importops import ImportOperations
from trailtui.local.lakefile import LakeBusyError
from trailtui.local.localpaths import LocalPaths
from trailtui.local.querystore import RETENTION_SECONDS, EncodedRows, QueryRecord
from trailtui.local.samplesearch import search_samples
from trailtui.local.store_admin import deletion_due, enforce_retention, purge_due, retention_due
from trailtui.local.storeops import DEFAULT_SELECTORS, IMPORTED_SELECTORS, StoreOperations
from trailtui.local.translate import ARN_RE, UUID_RE

if TYPE_CHECKING:
    from trailtui.local.imports import Imports

QUERY_STATUSES = ("QUEUED", "RUNNING", "FINISHED", "FAILED", "CANCELLED", "TIMED_OUT")
DEFAULT_PAGE = 1000

MAX_REPORTED = 10  # validation errors named in one answer
HOUSEKEEPING_SECONDS = 600  # how often retention and the end of deletion waiting periods are checked
PARTITION_KEYS = [{"Name": "eventCategory", "Type": "string"}, {"Name": "eventTime", "Type": "timestamp"}]

Handler = Callable[[dict[str, Any]], dict[str, Any]]


def _epoch(t: datetime | float | None) -> float | None:
    if t is None:
        return None
    if isinstance(t, int | float):
        return float(t)
    return (t if t.tzinfo else t.replace(tzinfo=UTC)).timestamp()


# botocore's validation report names Python classes (<class 'str'>); a client knows JSON's types.
_PY_TYPES = {
    "str": "string",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "list": "list",
    "dict": "structure",
    "tuple": "list",
    "NoneType": "null",
    "datetime": "timestamp",
    "Decimal": "number",
    "bytes": "blob",
    "bytearray": "blob",
}


def _wire_words(report: str) -> str:
    return re.sub(r"<class '(?:[\w.]+\.)?(\w+)'>", lambda m: _PY_TYPES.get(m.group(1), "value"), report)


class CloudTrailLakeApi:
    """CloudTrail Lake operations over one local lake, answering as `account_id` in `region`."""

    def __init__(
        self, engine: QueryEngine, account_id: str = LOCAL_ACCOUNT_ID, region: str = LOCAL_REGION
    ) -> None:
        self.engine = engine
        self.faults: Any = None  # a FaultPlan, set by `serve --faults`
        self.local_paths = LocalPaths()  # any path in process; `serve` allows only its --allow-path folders
        self.account_id = account_id
        self.region = region
        self._token_key = self._load_token_key()
        self._ops: dict[str, Handler] = {
            "ListEventDataStores": self.list_event_data_stores,
            "GetEventDataStore": self.get_event_data_store,
            "StartQuery": self.start_query,
            "DescribeQuery": self.describe_query,
            "GetQueryResults": self.get_query_results,
            "CancelQuery": self.cancel_query,
            "ListQueries": self.list_queries,
            "SearchSampleQueries": self.search_sample_queries,
        }
        self._ops |= StoreOperations(self).handlers() | ImportOperations(self).handlers()
        self._lock = threading.Lock()
        self._housekept = 0.0

    @cached_property
    def imports(self) -> Imports:
        from trailtui.local.imports import Imports

        return Imports(self.engine.lake)

    # -- dispatch -----------------------------------------------------------------------------------------
    @cached_property
    def _model(self) -> Any:
        import botocore.session

        return botocore.session.get_session().get_service_model("cloudtrail")

    def handle(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        handler = self._ops.get(operation)
        if handler is None:
            if operation in self._model.operation_names:
                raise UnsupportedOperation(f"{operation} is not supported by the trailtui local lake.")
            raise UnknownOperation(f"Unknown operation {operation}.")
        self._validate(operation, params)
        self._housekeeping()
        return handler(params)

    def _housekeeping(self, force: bool = False) -> None:
        """Lake's background work, done lazily: stores whose deletion waiting period has ended go for
        good, and events past a store's retention period are removed. Checked from the store list
        (cheap); the lake is written only when there is something to do."""
        now = time.monotonic()
        if not force and now - self._housekept < HOUSEKEEPING_SECONDS:
            return
        self._housekept = now
        stores = self.engine.stores(0)
        due = [s for s in stores if s.active and retention_due(s)]
        if not due and not any(deletion_due(s) for s in stores):
            return
        try:
            with self.engine.lake.writer(wait=1.0) as con:
                purge_due(con)
                for store in due:
                    enforce_retention(con, store)
        except LakeBusyError:
            self._housekept = 0.0  # an import holds the lake: try again on the next call
        self.engine.invalidate_stores()

    def _validate(self, operation: str, params: dict[str, Any]) -> None:
        from botocore.validate import ParamValidator

        from trailtui.local.modelbounds import check_value_count, past_maxima

        shape = self._model.operation_model(operation).input_shape
        if shape is None:
            return
        check_value_count(params)  # serve4: before botocore's validator walks them (CPU per request)
        past = past_maxima(params, shape)  # serve3: botocore leaves the model's maxima to the service
        if past:
            raise InvalidParameter(past[0])
        converted = self._timestamps_from_wire(params, shape)
        report = ParamValidator().validate(converted, shape)
        if report.has_errors():
            # serve3: the first errors only; a 1 MiB list of wrong values made a 28 MB message.
            more = len(report._errors) - MAX_REPORTED
            report._errors[MAX_REPORTED:] = []
            errors = _wire_words(report.generate_report()).replace(
                "Invalid type for parameter", "Invalid type for"
            )
            if "MaxResults" in errors or "MaxQueryResults" in errors:
                raise InvalidMaxResults(errors.splitlines()[-1].strip())
            words = " ".join(line.strip() for line in errors.splitlines()[1:]) or errors
            raise InvalidParameter(words + (f" (and {more} more)" if more > 0 else ""))

    @staticmethod
    def _timestamps_from_wire(params: dict[str, Any], shape: Any) -> dict[str, Any]:
        from botocore.utils import parse_timestamp

        out = dict(params)
        for name, member in shape.members.items():
            value = out.get(name)
            if member.type_name != "timestamp" or not isinstance(value, int | float | str):
                continue
            try:
                if isinstance(value, str):
                    # Epoch seconds on the wire; an ISO 8601 string is read too, and handed to the handler as
                    # epoch seconds (as text it reached them and failed: InternalFailure).
                    out[name] = parse_timestamp(value)
                    params[name] = out[name].timestamp()
                else:
                    out[name] = datetime.fromtimestamp(value, UTC)
            except (OverflowError, OSError, ValueError):  # 1e30, NaN, 'x': a client's error, not ours (500)
                raise InvalidParameter(f"{name} is not a time: {value!r}.") from None
        return out

    # -- tokens -------------------------------------------------------------------------------------------
    def _load_token_key(self) -> bytes:
        path = self.engine.lake.locations.state / "token.key"
        try:
            return path.read_bytes()
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            key = secrets.token_bytes(32)
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(key)
            tmp.replace(path)
            return path.read_bytes()

    def make_token(self, scope: str, position: Any) -> str:
        """A NextToken: where the next page starts (an offset, or the key of the last item returned),
        bound to what is being paged and signed so that a client cannot forge one."""
        body = base64.urlsafe_b64encode(json.dumps({"s": scope, "o": position}).encode()).decode().rstrip("=")
        mac = hmac.new(self._token_key, body.encode(), hashlib.sha256).hexdigest()[:24]
        return f"{body}.{mac}"

    def read_position(self, token: str | None, scope: str) -> Any:
        if not token:
            return None
        try:
            body, mac = token.rsplit(".", 1)
            expected = hmac.new(self._token_key, body.encode(), hashlib.sha256).hexdigest()[:24]
            if not hmac.compare_digest(mac, expected):
                raise ValueError("signature")
            data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
            if data["s"] != scope:
                raise ValueError("scope")
            return data["o"]
        except (ValueError, KeyError, TypeError, json.JSONDecodeError):
            raise InvalidNextToken("The NextToken is not valid for this request.") from None

    def _make_token(self, scope: str, offset: int) -> str:
        return self.make_token(scope, offset)

    def _read_token(self, token: str | None, scope: str) -> int:
        position = self.read_position(token, scope)
        if position is None:
            return 0
        if not isinstance(position, int) or position < 0:
            raise InvalidNextToken("The NextToken is not valid for this request.")
        return position

    def page_size(
        self, params: dict[str, Any], key: str, default: int = DEFAULT_PAGE, high: int = 1000
    ) -> int:
        value = params.get(key, default)
        if not isinstance(value, int) or not 1 <= value <= high:
            raise InvalidMaxResults(f"{key} must be between 1 and {high}.")
        return value

    @staticmethod
    def epoch(t: datetime | float | None) -> float | None:
        return _epoch(t)

    # -- stores -------------------------------------------------------------------------------------------
    def store(self, ref: str) -> StoreRecord:
        """A store by ARN, ID or name (a store pending deletion too; not one whose waiting period ended)."""
        if ref.startswith("arn:"):
            m = ARN_RE.match(ref)
            if not m:
                raise EventDataStoreARNInvalid(f"The ARN {ref} is not a valid event data store ARN.")
            ref = m.group("id")
        for s in self.engine.stores():
            if ref in (s.id, s.name) and not deletion_due(s):
                return s
        raise EventDataStoreNotFound(f"The event data store {ref} was not found.")

    def _active_store(self, ref: str) -> StoreRecord:
        store = self.store(ref)
        if not store.active:
            raise InactiveEventDataStore(f"The event data store {store.id} is pending deletion.")
        return store

    def arn(self, store: StoreRecord) -> str:
        return store.arn(self.region, self.account_id)

    def arn_of(self, store_id: str) -> str:
        return f"arn:aws:cloudtrail:{self.region}:{self.account_id}:eventdatastore/{store_id}"

    def store_details(
        self, s: StoreRecord, federation: bool = True, partitions: bool = True
    ) -> dict[str, Any]:
        # A store made by `trailtui import` (no selectors of its own) holds whatever the trail logged.
        selectors = s.settings.get("selectors") or (
            IMPORTED_SELECTORS if s.event_count else DEFAULT_SELECTORS
        )
        out: dict[str, Any] = {
            "EventDataStoreArn": self.arn(s),
            "Name": s.name,
            "Status": s.status,
            "AdvancedEventSelectors": selectors,
            "MultiRegionEnabled": s.multi_region_enabled,
            "OrganizationEnabled": s.organization_enabled,
            "RetentionPeriod": s.retention_period,
            "TerminationProtectionEnabled": s.termination_protection,
            "CreatedTimestamp": _epoch(s.created),
            "UpdatedTimestamp": _epoch(s.updated),
            "BillingMode": s.billing_mode,
        }
        if s.settings.get("kms_key_id"):
            out["KmsKeyId"] = s.settings["kms_key_id"]
        if federation:
            out["FederationStatus"] = "DISABLED"
        if partitions:
            out["PartitionKeys"] = PARTITION_KEYS
        return out

    def list_event_data_stores(self, p: dict[str, Any]) -> dict[str, Any]:
        size = self.page_size(p, "MaxResults")
        offset = self._read_token(p.get("NextToken"), "stores")
        stores = [s for s in self.engine.stores() if not deletion_due(s)]
        page = stores[offset : offset + size]
        out: dict[str, Any] = {
            "EventDataStores": [{"EventDataStoreArn": self.arn(s), "Name": s.name} for s in page]
        }
        if offset + size < len(stores):
            out["NextToken"] = self._make_token("stores", offset + size)
        return out

    def get_event_data_store(self, p: dict[str, Any]) -> dict[str, Any]:
        return self.store_details(self.store(p["EventDataStore"]))

    # -- queries ------------------------------------------------------------------------------------------
    def _query(self, query_id: str) -> QueryRecord:
        if not UUID_RE.match(query_id or ""):
            raise QueryIdNotFound(f"The query ID {query_id} does not exist or has expired.")
        record = self.engine.describe(query_id)
        # Lake: no DescribeQuery or GetQueryResults on queries of a store pending deletion.
        inactive = {s.id for s in self.engine.stores() if not s.active}
        for store_id in record.store_ids:
            if store_id in inactive:
                raise InactiveEventDataStore(f"The event data store {store_id} is pending deletion.")
        return record

    def start_query(self, p: dict[str, Any]) -> dict[str, Any]:
        sql = p.get("QueryStatement")
        delivery = None
        if p.get("DeliveryS3Uri"):
            try:
                delivery = parse_destination(p["DeliveryS3Uri"])
            except DeliveryUriError as exc:
                raise InvalidS3BucketName(str(exc)) from None
            self.local_paths.check_uri(delivery.uri, "DeliveryS3Uri")  # S3: written with our own credentials
        if not sql:
            if p.get("QueryAlias"):
                raise InvalidParameter(
                    "Query aliases (dashboard widgets) are not supported by the local lake."
                )
            raise InvalidParameter("QueryStatement is required.")
        forced = self.faults.query_outcome() if self.faults is not None else None
        delay = self.faults.query_delay if self.faults is not None else 0.0
        record = self.engine.start(
            sql, self.account_id, forced_end=forced, min_seconds=delay, region=self.region, delivery=delivery
        )
        return {"QueryId": record.query_id, "EventDataStoreOwnerAccountId": self.account_id}

    def _check_store_param(self, p: dict[str, Any]) -> None:
        if p.get("EventDataStore"):  # deprecated, but the AWS CLI examples pass it
            self._active_store(p["EventDataStore"])

    def describe_query(self, p: dict[str, Any]) -> dict[str, Any]:
        self._check_store_param(p)
        if not p.get("QueryId"):
            raise InvalidParameter("QueryId is required (query aliases are not supported by the local lake).")
        r = self._query(p["QueryId"])
        out: dict[str, Any] = {
            "QueryId": r.query_id,
            "QueryString": r.query_string,
            "QueryStatus": r.status,
            "QueryStatistics": {
                "EventsMatched": r.events_matched,
                "EventsScanned": r.events_scanned,
                "BytesScanned": r.bytes_scanned,
                "ExecutionTimeInMillis": r.execution_ms,
                "CreationTime": r.creation_time,
            },
            "EventDataStoreOwnerAccountId": r.account_id or self.account_id,
        }
        if r.error:
            out["ErrorMessage"] = r.error
        delivered = self.engine.queries.delivery(r.query_id)
        if delivered:
            out["DeliveryS3Uri"], out["DeliveryStatus"] = delivered
        return out

    def get_query_results(self, p: dict[str, Any]) -> dict[str, Any]:
        self._check_store_param(p)
        r = self._query(p["QueryId"])
        size = self.page_size(p, "MaxQueryResults")
        offset = self._read_token(p.get("NextToken"), r.query_id)
        out: dict[str, Any] = {"QueryStatus": r.status}
        rows = EncodedRows()
        readable = r.status in READABLE_STATES
        if readable and offset > r.total_rows:
            raise InvalidNextToken("The NextToken is beyond the end of the results.")
        if readable and r.columns is not None:
            rows.extend(self.engine.rows(r.query_id, offset, size))  # sent as stored, not decoded
        out["QueryStatistics"] = {
            "ResultsCount": len(rows),
            "TotalResultsCount": r.total_rows if readable else 0,
            "BytesScanned": r.bytes_scanned,
        }
        out["QueryResultRows"] = rows
        # A page may hold fewer rows than asked (the engine bounds a page's bytes): go on from its end.
        page_end = offset + (len(rows) if rows else size)
        if readable and page_end < r.total_rows:
            out["NextToken"] = self._make_token(r.query_id, page_end)
        if r.error:
            out["ErrorMessage"] = r.error
        return out

    def cancel_query(self, p: dict[str, Any]) -> dict[str, Any]:
        self._check_store_param(p)
        r = self._query(p["QueryId"])
        r = self.engine.cancel(r.query_id)
        return {
            "QueryId": r.query_id,
            "QueryStatus": r.status,
            "EventDataStoreOwnerAccountId": self.account_id,
        }

    def list_queries(self, p: dict[str, Any]) -> dict[str, Any]:
        store = self._active_store(p["EventDataStore"])
        size = self.page_size(p, "MaxResults")
        status = p.get("QueryStatus")
        if status is not None and status not in QUERY_STATUSES:
            raise InvalidQueryStatus(f"The query status {status} is not valid.")
        start, end = _epoch(p.get("StartTime")), _epoch(p.get("EndTime"))
        now = datetime.now(UTC).timestamp()
        if start is not None and end is not None and start > end:
            raise InvalidDateRange("StartTime must be before EndTime.")
        if end is not None and end < now - RETENTION_SECONDS:
            raise InvalidDateRange("The time range must fall within the past 7 days.")
        scope = f"queries:{store.id}:{start}:{end}:{status}"
        # The token holds the (CreationTime, QueryId) of the last query shown, not an offset: queries
        # started between two pages are newer, so they never push a query onto the next page again.
        after = self.read_position(p.get("NextToken"), scope)
        if after is not None and not (isinstance(after, list) and len(after) == 2):
            raise InvalidNextToken("The NextToken is not valid for this request.")
        records = self.engine.queries.list_for_store(
            store.id,
            start,
            end,
            status,
            after=(float(after[0]), str(after[1])) if after else None,
            limit=size + 1,
        )
        out: dict[str, Any] = {
            "Queries": [
                {"QueryId": r.query_id, "QueryStatus": r.status, "CreationTime": r.creation_time}
                for r in records[:size]
            ]
        }
        if len(records) > size:
            last = records[size - 1]
            out["NextToken"] = self.make_token(scope, [last.creation_time, last.query_id])
        return out

    def search_sample_queries(self, p: dict[str, Any]) -> dict[str, Any]:
        size = self.page_size(p, "MaxResults", default=10, high=50)
        phrase = p["SearchPhrase"]
        if not 2 <= len(phrase) <= 1000 or any(not (" " <= c <= "~" or c == "\n") for c in phrase):
            raise InvalidParameter("SearchPhrase must be 2 to 1000 printable ASCII characters.")
        scope = f"samples:{phrase}"
        offset = self._read_token(p.get("NextToken"), scope)
        results = search_samples(phrase)
        out: dict[str, Any] = {"SearchResults": results[offset : offset + size]}
        if offset + size < len(results):
            out["NextToken"] = self.make_token(scope, offset + size)
        return out
