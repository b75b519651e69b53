"""What an authenticated client of `trailtui serve` may reach beyond its queries: local files (only under
`--allow-path`), other SQL through DuckDB's table functions, and how many stores it may create. The real
server code in a thread, as in test_serve_attacks."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.serving import serving
from tests.test_serve_attacks import KEY, SECRET, _raw_post, _signed, served
from trailtui.local.server import LakeHTTPServer
from trailtui.local.service import LocalLake

__all__ = ["served"]  # a fixture

# -- local files: a client reads and writes none but under the folders serve allows --------------------------


def _boto(server: LakeHTTPServer, config: Config | None = None) -> Any:
    return boto3.session.Session(
        aws_access_key_id=KEY, aws_secret_access_key=SECRET, region_name="us-east-1"
    ).client(
        "cloudtrail", endpoint_url=server.url, config=config or Config(retries={"total_max_attempts": 1})
    )


def _import_from(ct: Any, arn: str, uri: str) -> Any:
    source = {"S3LocationUri": uri, "S3BucketRegion": "local", "S3BucketAccessRoleArn": "none"}
    return ct.start_import(Destinations=[arn], ImportSource={"S3": source})


def test_clients_read_and_write_no_local_files_by_default(served: LakeHTTPServer, tmp_path: Any) -> None:
    folder = tmp_path / "results"
    folder.mkdir()
    """Without --allow-path, a client could have serve write result folders into any folder the user may
    write, and read the first bytes of any file (ListImportFailures said "not JSON: starts with
    'root:x:0:0:root:'" of /etc/passwd, and showed serve's own environment from /proc/self/environ)."""
    ct = _boto(served)
    arn = ct.create_event_data_store(Name="probe", RetentionPeriod=90, TerminationProtectionEnabled=False)[
        "EventDataStoreArn"
    ]
    for uri in ("file:///etc/passwd", "/proc/self/environ", f"file://{folder}", "~/.aws"):
        with pytest.raises(ClientError) as e:
            _import_from(ct, arn, uri)
        assert e.value.response["Error"]["Code"] == "InvalidParameterException"
        assert "--allow-path" in e.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as e:  # a missing path is refused alike: no probing for files
        _import_from(ct, arn, "/no/such/file.json")
    assert e.value.response["Error"]["Code"] == "InvalidParameterException"
    assert ct.list_imports()["Imports"] == []
    sql = f"SELECT eventName FROM {arn.rsplit('/', 1)[1]}"
    with pytest.raises(ClientError) as e:
        ct.start_query(QueryStatement=sql, DeliveryS3Uri=f"file://{folder}")
    assert e.value.response["Error"]["Code"] == "InvalidParameterException"
    assert list(folder.iterdir()) == []  # nothing written
    # S3 is read and written with serve's own AWS credentials: a client would reach every bucket they reach
    # (an import's failures name each object and quote how it starts).
    with pytest.raises(ClientError) as e:
        _import_from(ct, arn, "s3://operators-private-bucket/secrets")
    assert e.value.response["Error"]["Code"] == "InvalidParameterException"
    with pytest.raises(ClientError) as e:
        ct.start_query(QueryStatement=sql, DeliveryS3Uri="s3://operators-private-bucket")
    assert e.value.response["Error"]["Code"] == "InvalidParameterException"
    assert ct.list_imports()["Imports"] == []


def test_allowed_folders_are_the_only_ones(where: Any, tmp_path: Any) -> None:
    import os
    import stat

    allowed, outside = tmp_path / "allowed", tmp_path / "outside"
    allowed.mkdir()
    outside.mkdir()
    (allowed / "escape").symlink_to(outside)  # a link out of the allowed folder leads nowhere
    with serving(KEY, SECRET, allow_paths=[str(allowed), "s3://trails/org"]) as server:
        ct = _boto(server)
        store = ct.create_event_data_store(
            Name="probe", RetentionPeriod=90, TerminationProtectionEnabled=False
        )["EventDataStoreArn"].rsplit("/", 1)[1]
        sql = f"SELECT eventName FROM {store} LIMIT 3"
        for uri in ("s3://trails/organization", "s3://trails", "s3://other/org"):  # not under s3://trails/org
            with pytest.raises(ClientError) as e:
                _import_from(ct, f"arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/{store}", uri)
            assert e.value.response["Error"]["Code"] == "InvalidParameterException", uri
        for uri in (f"file://{allowed}/escape", f"file://{allowed}/../outside"):
            with pytest.raises(ClientError) as e:
                ct.start_query(QueryStatement=sql, DeliveryS3Uri=uri)
            assert e.value.response["Error"]["Code"] in (
                "InvalidParameterException",
                "InvalidS3BucketNameException",
            )
        qid = ct.start_query(QueryStatement=sql, DeliveryS3Uri=f"file://{allowed}")["QueryId"]
        deadline = time.monotonic() + 30
        while (d := ct.describe_query(QueryId=qid)).get("DeliveryStatus") in ("PENDING", None):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert d["DeliveryStatus"] == "SUCCESS"
        written = [p for p in allowed.rglob("*") if not p.is_symlink()]
        assert any(p.name == "result_1.csv.gz" for p in written)
        for p in written:  # private to the user, whatever the umask
            assert stat.S_IMODE(os.stat(p).st_mode) & 0o077 == 0, p
        assert list(outside.iterdir()) == []


def test_sql_that_runs_other_sql_is_refused_over_http(served: LakeHTTPServer) -> None:
    """`LATERAL json_execute_serialized_sql(...)` reached DuckDB past the translator and read serve's settings
    and the lake's own tables; over HTTP as in process, it is refused at StartQuery."""
    ct = _boto(served)
    store = ct.create_event_data_store(Name="probe", RetentionPeriod=90, TerminationProtectionEnabled=False)[
        "EventDataStoreArn"
    ].rsplit("/", 1)[1]
    inner = "SELECT string_agg(table_name, ',') AS t FROM duckdb_tables()".replace("'", "''")
    sql = f"SELECT x.* FROM {store} s, LATERAL json_execute_serialized_sql(json_serialize_sql('{inner}')) x"
    with pytest.raises(ClientError) as e:
        ct.start_query(QueryStatement=sql)
    assert e.value.response["Error"]["Code"] == "InvalidQueryStatementException"


def test_a_client_creates_at_most_ten_stores(served: LakeHTTPServer) -> None:
    """Lake's quota of event data stores per Region; without it a client created stores (lake tables) without
    end."""
    ct = _boto(served)
    for n in range(10):
        ct.create_event_data_store(Name=f"store-{n}", RetentionPeriod=90, TerminationProtectionEnabled=False)
    with pytest.raises(ClientError) as e:
        ct.create_event_data_store(Name="store-10", RetentionPeriod=90)
    assert e.value.response["Error"]["Code"] == "EventDataStoreMaxLimitExceededException"
    assert len(ct.list_event_data_stores()["EventDataStores"]) == 10
    # A store pending deletion still counts, as on Lake ("The event data store does count towards your
    # account maximum of ten event data stores in an AWS Region when it is pending deletion": the CloudTrail
    # user guide, lake-cli-delete-eds); it stops counting when it is deleted for good, seven days later.
    first = ct.list_event_data_stores()["EventDataStores"][0]["EventDataStoreArn"]
    ct.delete_event_data_store(EventDataStore=first)
    assert ct.get_event_data_store(EventDataStore=first)["Status"] == "PENDING_DELETION"
    with pytest.raises(ClientError) as e:
        ct.create_event_data_store(Name="store-10", RetentionPeriod=90)
    assert e.value.response["Error"]["Code"] == "EventDataStoreMaxLimitExceededException"


def test_the_quota_and_tags_hold_under_concurrent_requests(where: Any) -> None:
    """The quota was counted from the cached store list before the lake was locked: 25 concurrent
    CreateEventDataStore calls made 25 stores. Concurrent AddTags read the tags before the lock, and lost
    each other's."""
    with serving(KEY, SECRET) as served:
        _race(_boto(served, Config(max_pool_connections=25, retries={"total_max_attempts": 1})))


def _race(ct: Any) -> None:

    def create(n: int) -> str:
        try:
            ct.create_event_data_store(
                Name=f"race-{n}", RetentionPeriod=90, TerminationProtectionEnabled=False
            )
            return "created"
        except ClientError as exc:
            return str(exc.response["Error"]["Code"])

    with ThreadPoolExecutor(25) as pool:
        answers = list(pool.map(create, range(25)))
    assert answers.count("created") == 10
    assert set(answers) == {"created", "EventDataStoreMaxLimitExceededException"}
    assert len(ct.list_event_data_stores()["EventDataStores"]) == 10
    arn = ct.list_event_data_stores()["EventDataStores"][0]["EventDataStoreArn"]
    with ThreadPoolExecutor(20) as pool:
        list(
            pool.map(
                lambda n: ct.add_tags(ResourceId=arn, TagsList=[{"Key": f"k{n}", "Value": "v"}]), range(20)
            )
        )
    tags = ct.list_tags(ResourceIdList=[arn])["ResourceTagList"][0]["TagsList"]
    assert sorted(t["Key"] for t in tags) == sorted(f"k{n}" for n in range(20))


def test_a_deletion_checks_termination_protection_as_it_is_when_it_deletes(
    where: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DeleteEventDataStore read the store, then waited for the lake's writer: termination protection turned
    on meanwhile (by a concurrent UpdateEventDataStore, run here at that very point) did not stop it."""
    from trailtui.local.errors import LakeError
    from trailtui.local.storeops import StoreOperations

    lake = LocalLake()
    try:
        arn = lake.api.handle(
            "CreateEventDataStore",
            {"Name": "guarded", "RetentionPeriod": 90, "TerminationProtectionEnabled": False},
        )["EventDataStoreArn"]
        checked = StoreOperations._no_import
        updates: list[str] = []

        def protected_meanwhile(self: Any, store: Any) -> None:
            checked(self, store)
            if not updates:  # once: UpdateEventDataStore passes here too
                updates.append(arn)
                change = {"EventDataStore": arn, "TerminationProtectionEnabled": True}
                lake.api.handle("UpdateEventDataStore", change)

        monkeypatch.setattr(StoreOperations, "_no_import", protected_meanwhile)
        with pytest.raises(LakeError) as e:
            lake.api.handle("DeleteEventDataStore", {"EventDataStore": arn})
        assert e.value.code == "EventDataStoreTerminationProtectedException"
        monkeypatch.undo()
        assert lake.api.handle("GetEventDataStore", {"EventDataStore": arn})["Status"] == "ENABLED"
    finally:
        lake.close()


def test_ingestion_cannot_be_switched_on_a_store_deleted_meanwhile(
    where: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """StopEventDataStoreIngestion checked the status, then waited for the lake's writer: a deletion between
    the two (run here at that very point) was overwritten with STOPPED_INGESTION, a store out of its pending
    deletion without a restore, never purged."""
    from trailtui.local.errors import LakeError
    from trailtui.local.storeops import StoreOperations

    lake = LocalLake()
    try:
        arn = lake.api.handle(
            "CreateEventDataStore",
            {"Name": "switched", "RetentionPeriod": 90, "TerminationProtectionEnabled": False},
        )["EventDataStoreArn"]
        writer = StoreOperations._writer
        deleted: list[str] = []

        def deleted_meanwhile(self: Any) -> Any:
            if not deleted:  # once: the deletion takes the writer too
                deleted.append(arn)
                lake.api.handle("DeleteEventDataStore", {"EventDataStore": arn})
            return writer(self)

        monkeypatch.setattr(StoreOperations, "_writer", deleted_meanwhile)
        with pytest.raises(LakeError) as e:
            lake.api.handle("StopEventDataStoreIngestion", {"EventDataStore": arn})
        assert e.value.code == "InvalidEventDataStoreStatusException"
        monkeypatch.undo()
        assert lake.api.handle("GetEventDataStore", {"EventDataStore": arn})["Status"] == "PENDING_DELETION"
        # And a restore is not done twice: restored (and its ingestion stopped) in between, it stays so.
        restored: list[str] = []

        def restored_meanwhile(self: Any) -> Any:
            if not restored:
                restored.append(arn)
                lake.api.handle("RestoreEventDataStore", {"EventDataStore": arn})
                lake.api.handle("StopEventDataStoreIngestion", {"EventDataStore": arn})
            return writer(self)

        monkeypatch.setattr(StoreOperations, "_writer", restored_meanwhile)
        with pytest.raises(LakeError) as e:
            lake.api.handle("RestoreEventDataStore", {"EventDataStore": arn})
        assert e.value.code == "InvalidEventDataStoreStatusException"
        monkeypatch.undo()
        assert lake.api.handle("GetEventDataStore", {"EventDataStore": arn})["Status"] == "STOPPED_INGESTION"
    finally:
        lake.close()


def _call(server: LakeHTTPServer, operation: str, params: dict[str, Any]) -> tuple[int, Any]:
    """A signed request whose JSON body no SDK would send (NaN, 1e30, a time as text)."""
    body = json.dumps(params).encode()
    target = f"com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.{operation}"
    return _raw_post(server, _signed(server, body, target=target), body)


def test_odd_values_get_a_client_error_not_an_internal_failure(served: LakeHTTPServer) -> None:
    """Found by fuzzing every operation with values of the wrong range or shape: these answered 500
    InternalFailure (with a traceback in serve's log); a client's mistake is a 400 that says what is wrong."""
    ct = _boto(served)
    arn = ct.create_event_data_store(Name="odd", RetentionPeriod=90, TerminationProtectionEnabled=False)[
        "EventDataStoreArn"
    ]
    source = {
        "S3": {
            "S3LocationUri": "s3://bucket-name/x",
            "S3BucketRegion": "us-east-1",
            "S3BucketAccessRoleArn": "r",
        }
    }
    for operation, params, words in [
        ("ListQueries", {"EventDataStore": arn, "StartTime": 1e30}, "StartTime is not a time"),
        ("ListQueries", {"EventDataStore": arn, "EndTime": float("nan")}, "EndTime is not a time"),
        ("ListQueries", {"EventDataStore": arn, "EndTime": "yesterday"}, "EndTime is not a time"),
        (
            "StartImport",
            {"Destinations": [arn], "ImportSource": source, "StartEventTime": 1e30},
            "not a time",
        ),
        ("CreateEventDataStore", {"Name": "odd-2", "BillingMode": "CHEAP"}, "BillingMode CHEAP is not valid"),
        ("UpdateEventDataStore", {"EventDataStore": arn, "BillingMode": "CHEAP"}, "BillingMode CHEAP"),
        # Past the model's maxima, which botocore leaves to the service (a 1 MB ID or parameter was taken).
        (
            "GetEventDataStore",
            {"EventDataStore": "a" * 257},
            "EventDataStore, value: 257, valid max length: 256",
        ),
        (
            "StartQuery",
            {"QueryStatement": "SELECT ?", "QueryParameters": ["x" * 1025]},
            "valid max length: 1024",
        ),
        ("StartQuery", {"QueryStatement": "SELECT 1", "QueryParameters": ["x"] * 11}, "valid max length: 10"),
        ("AddTags", {"ResourceId": arn, "TagsList": [{"Key": "k", "Value": "v" * 257}]}, "TagsList[0].Value"),
        (
            "AddTags",
            {"ResourceId": arn, "TagsList": [{}] * 300},
            "TagsList, value: 300, valid max length: 200",
        ),
        # Ten errors named, not every one (a 1 MiB list of wrong values was answered with a 28 MB message).
        ("ListTags", {"ResourceIdList": [1] * 50}, "valid types: string (and 40 more)"),
        # Counted before botocore's validator walks them: 200,000 values in 0.8 MB took 1.5 s of CPU (here
        # 20,000, a small body: the fixture's short timeouts are for other tests).
        (
            "CreateEventDataStore",
            {"Name": "huge", "AdvancedEventSelectors": [{"FieldSelectors": [{"Equals": [[]] * 20_000}]}]},
            "more than 5,000 values",
        ),
        ("ListEventDataStores", {f"k{i}": 0 for i in range(5_001)}, "more than 5,000 values"),
    ]:
        status, reply = _call(served, operation, params)
        assert status == 400, (operation, reply)
        assert reply["__type"] == "InvalidParameterException" and words in reply["Message"], reply
    # A time as ISO 8601 text is read as the time it names (it reached the handler as text: 500).
    status, reply = _call(
        served,
        "ListQueries",
        {"EventDataStore": arn, "StartTime": "2020-01-01T00:00:00Z", "EndTime": time.time()},
    )
    assert status == 200 and reply["Queries"] == []
    assert ct.get_event_data_store(EventDataStore=arn)["BillingMode"] == "EXTENDABLE_RETENTION_PRICING"


def test_selectors_hold_at_most_500_values(served: LakeHTTPServer) -> None:
    """Lake's quota of 500 values for all conditions in all advanced event selectors (the model sets no
    maximum): 501 are refused with InvalidEventSelectorsException (a store took 90,000, 1.2 MB, and kept
    them); 500 are taken."""
    ct = _boto(served)

    def selectors(values: int) -> list[dict[str, Any]]:
        names = [f"Event{i}" for i in range(values - 1)]
        fields = [
            {"Field": "eventCategory", "Equals": ["Management"]},
            {"Field": "eventName", "Equals": names},
        ]
        return [{"Name": "many", "FieldSelectors": fields}]

    with pytest.raises(ClientError) as e:
        ct.create_event_data_store(Name="wide", AdvancedEventSelectors=selectors(501))
    assert e.value.response["Error"]["Code"] == "InvalidEventSelectorsException"
    assert "501 values; at most 500" in e.value.response["Error"]["Message"]
    arn = ct.create_event_data_store(Name="wide", AdvancedEventSelectors=selectors(500))["EventDataStoreArn"]
    with pytest.raises(ClientError) as e:
        ct.update_event_data_store(EventDataStore=arn, AdvancedEventSelectors=selectors(501))
    assert e.value.response["Error"]["Code"] == "InvalidEventSelectorsException"


_ODD = [
    float("nan"),
    1e30,
    None,
    0,
    -1,
    "",
    "\x1b]0;x\x07",
    [],
    {},
    True,
    "s3://bucket-name/x",
    "2026-01-01T00:00:00Z",
]


def _value(shape: Any, rnd: Any, depth: int = 0) -> Any:
    """A value for `shape`, or (now and then, and deep down) one of the wrong type or range."""
    if rnd.random() < 0.15 or depth > 4:
        return rnd.choice(_ODD)
    kind = shape.type_name
    if kind == "structure":
        return {m: _value(s, rnd, depth + 1) for m, s in shape.members.items() if rnd.random() < 0.8}
    if kind == "list":
        return [_value(shape.member, rnd, depth + 1) for _ in range(rnd.randint(0, 2))]
    if kind == "map":
        return {"k": _value(shape.value, rnd, depth + 1)}
    if kind == "string":
        return rnd.choice(
            [*(shape.enum or []), "abc", "Equals", "eventCategory", "s3://bucket-name/p", "x" * 300]
        )
    if kind in ("integer", "long"):
        return rnd.choice([0, 7, 90, 3653, -5, 2**40])
    if kind == "timestamp":
        return rnd.choice([0, 1.7e9, -1e12, 1e15, "2026-01-01T00:00:00Z", "x"])
    return rnd.random() < 0.5


def test_no_operation_answers_internal_failure_to_odd_values(served: LakeHTTPServer) -> None:
    """Every operation, 25 requests each of values of the right shape with wrong types and ranges mixed in:
    each gets an answer of the client's making (400), never InternalFailure (500)."""
    import random

    from trailtui.local.wire import TARGET_PREFIX, serve_cloudtrail

    api = served.api
    _boto(served).create_event_data_store(
        Name="fuzzed", RetentionPeriod=90, TerminationProtectionEnabled=False
    )
    rnd = random.Random(13)
    failures = []
    answered: set[str] = set()
    for operation in sorted(set(api._ops) - {"DeleteEventDataStore"}):
        shape = api._model.operation_model(operation).input_shape
        for _ in range(25):
            params = _value(shape, rnd) if shape is not None else {}
            if isinstance(params, dict):
                status, _, reply = serve_cloudtrail(
                    api, TARGET_PREFIX + operation, json.dumps(params).encode()
                )
                answered.add(json.loads(reply)["__type"] if status != 200 else "200")
                if status >= 500:
                    failures.append((operation, params, reply[:120]))
    assert failures == []
    assert "200" in answered and "UnknownOperationException" not in answered  # the operations were reached


def test_statements_are_translated_two_at_a_time(where: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """StartQuery translates its statement in the request's thread (up to ~0.7 s of CPU for 10,000
    characters): six clients at once translated six at once, sharing the interpreter with every other call.
    Now two at a time; all six queries start."""
    import threading

    from trailtui.local import engine

    translate = engine.translate
    lock = threading.Lock()
    now = {"running": 0, "most": 0}

    def counted(*args: Any, **kwargs: Any) -> Any:
        with lock:
            now["running"] += 1
            now["most"] = max(now["most"], now["running"])
        try:
            time.sleep(0.3)  # a long statement's translation
            return translate(*args, **kwargs)
        finally:
            with lock:
                now["running"] -= 1

    monkeypatch.setattr(engine, "translate", counted)
    with serving(KEY, SECRET) as served:
        ct = _boto(served, Config(max_pool_connections=6, retries={"total_max_attempts": 1}))
        store = ct.create_event_data_store(
            Name="busy", RetentionPeriod=90, TerminationProtectionEnabled=False
        )
        sql = f"SELECT eventName FROM {store['EventDataStoreArn'].rsplit('/', 1)[1]} LIMIT 1"
        with ThreadPoolExecutor(6) as pool:
            ids = list(pool.map(lambda _: ct.start_query(QueryStatement=sql)["QueryId"], range(6)))
    assert len(set(ids)) == 6 and now["most"] == 2
