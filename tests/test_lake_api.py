"""The local lake's CloudTrail API, exercised through a boto3 client: results, paging, errors, lifecycle."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError

from tests.logfiles import record, write_log
from trailtui.lake.query import QueryRun
from trailtui.local.demo import DEMO_STORE_ID, MANAGEMENT
from trailtui.local.engine import Limits
from trailtui.local.faults import FaultPlan
from trailtui.local.importer import import_paths
from trailtui.local.service import LocalLake

SEED = (
    "SELECT eventTime, eventSource, eventName, RecipientAccountId FROM {id} "
    "WHERE eventTime >= '2026-11-20 16:00:00' AND eventTime <= '2026-11-20 17:00:00' {extra}"
    "ORDER BY eventTime ASC LIMIT 3"
)
# A query that runs for many seconds on the demo store: every pair of events.
# CPU-bound on purpose: the time limit must interrupt DuckDB mid-work. Elsewhere the engine's delay keeps
# a query running without load.
SLOW = f"SELECT count(*) FROM {DEMO_STORE_ID} a CROSS JOIN {DEMO_STORE_ID} b WHERE a.eventid < b.eventid"
QUICK = f"SELECT eventName FROM {DEMO_STORE_ID} WHERE eventTime > '2026-11-26' LIMIT 5"
TS = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$")


@pytest.fixture
def local(demo_lake: Any) -> Iterator[LocalLake]:
    lake = LocalLake(limits=Limits(seconds=60))
    yield lake
    lake.close()


@pytest.fixture
def ct(local: LocalLake) -> Any:
    return local.client()


def run(ct: Any, sql: str) -> tuple[QueryRun, Any]:
    q = QueryRun(ct, sql)
    q.start()
    return q, q.wait(sleep=lambda s: time.sleep(min(s, 0.05)))


def code_of(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return exc.value.response["Error"]["Code"]


def test_seed_example(ct: Any) -> None:
    q, state = run(ct, SEED.format(id=DEMO_STORE_ID, extra=""))
    assert state.status == "FINISHED"
    r = ct.get_query_results(EventDataStore=DEMO_STORE_ID, QueryId=q.query_id)
    assert r["QueryStatus"] == "FINISHED"
    assert r["QueryStatistics"]["ResultsCount"] == r["QueryStatistics"]["TotalResultsCount"] == 3
    assert r["QueryStatistics"]["BytesScanned"] > 0
    rows = r["QueryResultRows"]
    assert [list(cell) for cell in rows[0]] == [
        ["eventTime"],
        ["eventSource"],
        ["eventName"],
        ["RecipientAccountId"],
    ]
    times = [row[0]["eventTime"] for row in rows]
    assert all(TS.match(t) for t in times) and times == sorted(times)
    assert len({row[3]["RecipientAccountId"] for row in rows}) > 1  # an organization store mixes accounts
    q, _ = run(ct, SEED.format(id=DEMO_STORE_ID, extra="AND recipientAccountId = '444455556666' "))
    member = ct.get_query_results(QueryId=q.query_id)["QueryResultRows"]
    assert len(member) == 3 and {row[3]["RecipientAccountId"] for row in member} == {"444455556666"}


def test_values_are_strings_nulls_and_duplicate_names(ct: Any) -> None:
    q, _ = run(
        ct,
        f"SELECT eventName, eventName, errorCode, readOnly, userIdentity, count(*) OVER () "
        f"FROM {DEMO_STORE_ID} WHERE errorCode IS NULL AND userIdentity.type = 'AssumedRole' LIMIT 1",
    )
    (row,) = ct.get_query_results(QueryId=q.query_id)["QueryResultRows"]
    assert [next(iter(c)) for c in row] == [
        "eventName",
        "eventName",
        "errorCode",
        "readOnly",
        "userIdentity",
        "_col5",
    ]
    values = [next(iter(c.values())) for c in row]
    assert values[2] is None and values[3] in ("true", "false") and values[5].isdigit()
    assert (
        values[4].startswith("{type=AssumedRole, principalid=")
        and "sessioncontext={attributes={" in values[4]
    )


def test_paging_with_tokens(ct: Any) -> None:
    q, _ = run(ct, f"SELECT eventID FROM {DEMO_STORE_ID} ORDER BY eventID LIMIT 25")
    seen, token, pages = [], None, 0
    while True:
        args = {"QueryId": q.query_id, "MaxQueryResults": 10} | ({"NextToken": token} if token else {})
        r = ct.get_query_results(**args)
        pages += 1
        seen += [row[0]["eventID"] for row in r["QueryResultRows"]]
        assert r["QueryStatistics"]["TotalResultsCount"] == 25
        token = r.get("NextToken")
        if not token:
            break
    assert pages == 3 and len(seen) == 25 and seen == sorted(seen)
    other, _ = run(ct, f"SELECT eventID FROM {DEMO_STORE_ID} LIMIT 30")
    first = ct.get_query_results(QueryId=other.query_id, MaxQueryResults=10)
    with pytest.raises(ClientError) as e:  # a token belongs to its query
        ct.get_query_results(QueryId=q.query_id, NextToken=first["NextToken"])
    assert code_of(e) == "InvalidNextTokenException"
    with pytest.raises(ClientError) as e:
        ct.get_query_results(QueryId=q.query_id, NextToken="garbage.token")
    assert code_of(e) == "InvalidNextTokenException"
    with pytest.raises(ClientError) as e:
        ct.get_query_results(QueryId=q.query_id, MaxQueryResults=1001)
    assert code_of(e) == "InvalidMaxResultsException"
    with pytest.raises(ParamValidationError):  # botocore itself refuses what the model forbids
        ct.get_query_results(QueryId=q.query_id, MaxQueryResults=0)


def test_stores_list_get_create(ct: Any) -> None:
    listed = ct.list_event_data_stores()["EventDataStores"]
    assert {"EventDataStoreArn", "Name"} == set(listed[0])
    demo = ct.get_event_data_store(EventDataStore=DEMO_STORE_ID)
    assert demo["OrganizationEnabled"] is True and demo["Status"] == "ENABLED"
    assert (
        demo["EventDataStoreArn"]
        == f"arn:aws:cloudtrail:us-east-1:{MANAGEMENT}:eventdatastore/{DEMO_STORE_ID}"
    )
    assert ct.get_event_data_store(EventDataStore=demo["EventDataStoreArn"])["Name"] == "org-events"
    assert demo["PartitionKeys"] and demo["CreatedTimestamp"].year == 2026
    created = ct.create_event_data_store(Name="second-store", RetentionPeriod=90, OrganizationEnabled=False)
    assert created["RetentionPeriod"] == 90
    page1 = ct.list_event_data_stores(MaxResults=1)
    page2 = ct.list_event_data_stores(MaxResults=1, NextToken=page1["NextToken"])
    assert {s["Name"] for s in page1["EventDataStores"] + page2["EventDataStores"]} == {
        "org-events",
        "second-store",
    }
    for call, kwargs, code in [
        (
            ct.get_event_data_store,
            {"EventDataStore": "11111111-2222-4333-8444-555555555555"},
            "EventDataStoreNotFoundException",
        ),
        (
            ct.get_event_data_store,
            {"EventDataStore": "arn:aws:cloudtrail:nowhere"},
            "EventDataStoreARNInvalidException",
        ),
        (ct.create_event_data_store, {"Name": "second-store"}, "EventDataStoreAlreadyExistsException"),
        (
            ct.create_event_data_store,
            {"Name": "ok-name", "RetentionPeriod": 5000},
            "InvalidParameterException",
        ),
        (ct.list_event_data_stores, {"NextToken": "nope"}, "InvalidNextTokenException"),
        (ct.list_event_data_stores, {"MaxResults": 5000}, "InvalidMaxResultsException"),
    ]:
        with pytest.raises(ClientError) as e:
            call(**kwargs)
        assert code_of(e) == code, kwargs


def test_start_query_errors(ct: Any) -> None:
    for sql, code in [
        ("UPDATE x SET y = 1", "InvalidQueryStatementException"),
        (f"SELECT nosuchcolumn FROM {DEMO_STORE_ID}", "InvalidQueryStatementException"),
        (
            f"SELECT eventTime FROM {DEMO_STORE_ID} WHERE eventTime > 'not a time'",
            "InvalidQueryStatementException",
        ),
        ("SELECT * FROM 11111111-2222-4333-8444-555555555555", "EventDataStoreNotFoundException"),
    ]:
        with pytest.raises(ClientError) as e:
            ct.start_query(QueryStatement=sql)
        assert code_of(e) == code, sql
        assert e.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as e:  # an AWS Config store's column, named as the user wrote it
        ct.start_query(
            QueryStatement=f"SELECT eventData.configurationItem.resourceId FROM {DEMO_STORE_ID} "
            "CROSS JOIN (SELECT 1 AS one) WHERE eventTime > '2026-11-01'"
        )
    message = e.value.response["Error"]["Message"]
    assert "Column 'eventdata." in message and "AWS Config" in message, message
    with pytest.raises(ClientError) as e:
        # Delivery is supported (tests/test_delivery.py); a URI that is not S3's shape is refused.
        ct.start_query(QueryStatement=f"SELECT 1 FROM {DEMO_STORE_ID}", DeliveryS3Uri="s3://B/x")
    assert code_of(e) == "InvalidS3BucketNameException"


def test_unknown_query_ids(ct: Any) -> None:
    for call in (ct.describe_query, ct.get_query_results, ct.cancel_query):
        with pytest.raises(ClientError) as e:
            call(QueryId="11111111-2222-4333-8444-555555555555")
        assert code_of(e) == "QueryIdNotFoundException"


def test_cancel_running_and_inactive(local: LocalLake, ct: Any) -> None:
    local.api.faults = FaultPlan(query_delay=60)  # stays RUNNING without burning CPU
    q = QueryRun(ct, QUICK)
    q.start()
    deadline = time.monotonic() + 10
    while q.describe().status != "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.02)
    assert ct.get_query_results(QueryId=q.query_id)["QueryResultRows"] == []  # no rows while running
    r = ct.cancel_query(QueryId=q.query_id)
    assert r["QueryStatus"] == "CANCELLED"
    state = q.wait(sleep=lambda s: time.sleep(0.05))
    assert state.status == "CANCELLED"
    with pytest.raises(ClientError) as e:
        ct.cancel_query(QueryId=q.query_id)
    assert code_of(e) == "InactiveQueryException"


def test_time_limit_ends_query_timed_out(demo_lake: Any) -> None:
    lake = LocalLake(limits=Limits(seconds=0.5))
    try:
        _, state = run(lake.client(), SLOW)
        assert state.status == "TIMED_OUT" and "time limit" in (state.error or "")
    finally:
        lake.close()


def test_at_most_ten_queries_at_once(local: LocalLake, ct: Any) -> None:
    local.api.faults = FaultPlan(query_delay=60)
    ids = [ct.start_query(QueryStatement=QUICK)["QueryId"] for _ in range(10)]
    try:
        with pytest.raises(ClientError) as e:
            ct.start_query(QueryStatement=QUICK)
        assert code_of(e) == "MaxConcurrentQueriesException"
    finally:
        for qid in ids:
            ct.cancel_query(QueryId=qid)


def test_list_queries(ct: Any) -> None:
    q1, _ = run(ct, f"SELECT eventName FROM {DEMO_STORE_ID} LIMIT 1")
    with pytest.raises(ClientError):
        ct.start_query(QueryStatement="DROP TABLE x")  # never became a query
    listed = ct.list_queries(EventDataStore=DEMO_STORE_ID)["Queries"]
    assert [q["QueryId"] for q in listed] == [q1.query_id]
    assert listed[0]["QueryStatus"] == "FINISHED" and listed[0]["CreationTime"].year >= 2026
    assert ct.list_queries(EventDataStore=DEMO_STORE_ID, QueryStatus="FAILED")["Queries"] == []
    for kwargs, code in [
        ({"QueryStatus": "DONE"}, "InvalidQueryStatusException"),
        ({"StartTime": time.time(), "EndTime": time.time() - 3600}, "InvalidDateRangeException"),
        ({"EventDataStore": "11111111-2222-4333-8444-555555555555"}, "EventDataStoreNotFoundException"),
    ]:
        with pytest.raises(ClientError) as e:
            ct.list_queries(**({"EventDataStore": DEMO_STORE_ID} | kwargs))
        assert code_of(e) == code
    with pytest.raises(ParamValidationError):
        ct.list_queries()  # EventDataStore is required


def test_results_survive_a_restart(demo_lake: Any) -> None:
    first = LocalLake()
    q, _ = run(first.client(), f"SELECT eventID FROM {DEMO_STORE_ID} ORDER BY eventID LIMIT 5")
    first.close()
    second = LocalLake()
    try:
        r = second.client().get_query_results(QueryId=q.query_id)
        assert r["QueryStatus"] == "FINISHED" and len(r["QueryResultRows"]) == 5
    finally:
        second.close()


def test_statistics_reflect_what_was_read(ct: Any) -> None:
    q, narrow = run(ct, f"SELECT eventName FROM {DEMO_STORE_ID} WHERE eventName = 'StopLogging'")
    _, wide = run(ct, f"SELECT * FROM {DEMO_STORE_ID} WHERE eventName = 'StopLogging'")
    total = ct.get_query_results(QueryId=q.query_id)["QueryStatistics"]["TotalResultsCount"]
    s = narrow.statistics
    assert s.events_matched == total >= 1
    assert 100_000 <= s.events_scanned <= 110_000
    assert 0 < s.bytes_scanned < wide.statistics.bytes_scanned
    assert s.execution_ms >= 0 and s.creation_time is not None


def test_queries_see_only_their_stores(ct: Any, local: LocalLake, tmp_path: Any) -> None:
    write_log(tmp_path / "x.json", [record(i) for i in range(4)])
    report = import_paths(local.file, [tmp_path], "small-store")
    local.engine.invalidate_stores()
    small = report.store.id
    q, _ = run(ct, f"SELECT count(*) FROM {small}")
    assert ct.get_query_results(QueryId=q.query_id)["QueryResultRows"] == [[{"_col0": "4"}]]
    q, _ = run(
        ct,
        f"SELECT 'a' AS s, count(*) AS n FROM {small} UNION ALL SELECT 'b', count(*) FROM {DEMO_STORE_ID} "
        "ORDER BY s",
    )
    rows = ct.get_query_results(QueryId=q.query_id)["QueryResultRows"]
    assert rows[0][1]["n"] == "4" and int(rows[1][1]["n"]) >= 100_000
    q, _ = run(ct, f"SELECT count(*) FROM {small} a JOIN {DEMO_STORE_ID} b ON a.eventid = b.eventid")
    assert ct.get_query_results(QueryId=q.query_id)["QueryResultRows"] == [[{"_col0": "0"}]]


def test_dialect_features_on_the_demo(ct: Any) -> None:
    sql = (
        f"SELECT element_at(requestParameters, 'bucketName') AS bucket, element_at(requestParameters, 'nope') AS missing, "
        f"requestParameters['bucketName'] AS via_subscript, r.arn, "
        f"rank() OVER (PARTITION BY recipientAccountId ORDER BY eventTime) AS rnk, "
        f"transform(resources, x -> x.type) AS types, date_trunc('hour', eventTime) AS hour "
        f"FROM {DEMO_STORE_ID} CROSS JOIN UNNEST(resources) AS t(r) "
        f"WHERE eventTime > date_add('day', -3, timestamp '2026-11-27 00:00:00') AND eventTime < '2026-11-27' "
        f"AND any_match(resources, x -> x.type = 'AWS::S3::Bucket') AND eventName = 'GetBucketAcl' LIMIT 5"
    )
    q, state = run(ct, sql)
    assert state.status == "FINISHED", state.error
    rows = ct.get_query_results(QueryId=q.query_id)["QueryResultRows"]
    assert rows
    for row in rows:
        v = {k: val for c in row for k, val in c.items()}
        assert v["bucket"] == v["via_subscript"] and v["missing"] is None
        assert v["arn"].startswith("arn:aws:s3:::") and v["types"].startswith("[AWS::S3::Bucket")
        assert v["hour"].endswith(":00:00.000")


def test_demo_selectors_describe_what_it_holds(ct: Any) -> None:
    details = ct.get_event_data_store(EventDataStore=DEMO_STORE_ID)
    declared = {
        value
        for selector in details["AdvancedEventSelectors"]
        for f in selector["FieldSelectors"]
        if f["Field"] == "eventCategory"
        for value in f.get("Equals", [])
    }
    q, _ = run(ct, f"SELECT DISTINCT eventCategory AS c FROM {DEMO_STORE_ID}")
    held = {row[0]["c"] for row in ct.get_query_results(QueryId=q.query_id)["QueryResultRows"]}
    assert "Data" in held and held <= declared
    # Every service whose data events the demo holds has a data selector naming its resource type.
    services = {
        v.split("::")[1].lower()
        for selector in details["AdvancedEventSelectors"]
        for f in selector["FieldSelectors"]
        if f["Field"] == "resources.type"
        for v in f["Equals"]
    }
    q, _ = run(ct, f"SELECT DISTINCT eventSource AS s FROM {DEMO_STORE_ID} WHERE eventCategory = 'Data'")
    sources = {row[0]["s"] for row in ct.get_query_results(QueryId=q.query_id)["QueryResultRows"]}
    assert sources and {s.split(".")[0] for s in sources} == services


def test_store_admin_and_imports_on_the_local_lake(
    ct: Any, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """The explorer's store operations (trailtui.lake.storeadmin) on the in-process lake: create, import a
    folder (one bad file), rename, retention that removes old events, delete and restore."""
    from trailtui.lake import storeadmin

    recent = datetime.now(UTC) - timedelta(days=2)
    old = datetime.now(UTC) - timedelta(days=200)
    write_log(
        tmp_path / "recent.json.gz", [record(i, eventTime=f"{recent:%Y-%m-%dT%H}:0{i}:00Z") for i in range(5)]
    )
    write_log(
        tmp_path / "old.json.gz", [record(10 + i, eventTime=f"{old:%Y-%m-%dT%H}:0{i}:00Z") for i in range(3)]
    )
    (tmp_path / "broken.json.gz").write_bytes(b"\x1f\x8b\x08\x00broken")
    store = storeadmin.create_store(ct, "investigation", retention_days=3653, termination_protection=False)
    started = storeadmin.start_import(ct, store.arn, str(tmp_path), "local")
    done = storeadmin.follow_import(ct, started.import_id, sleep=lambda _s: time.sleep(0.05))
    assert (done.status, done.events, done.files, done.failed) == ("COMPLETED", 8, 2, 1)
    assert [where for where, _ in storeadmin.import_failures(ct, started.import_id)] == [
        str(tmp_path / "broken.json.gz")
    ]
    renamed = storeadmin.update_store(ct, store.arn, name="case-42", retention_days=30)
    assert (renamed.name, renamed.retention_days) == ("case-42", 30)
    q, _ = run(ct, f"SELECT count(*) AS n FROM {store.arn.rsplit('/', 1)[1]}")
    assert ct.get_query_results(QueryId=q.query_id)["QueryResultRows"] == [[{"n": "5"}]]  # 200-day-old gone
    assert storeadmin.delete_store(ct, store.arn).pending_deletion
    with pytest.raises(storeadmin.StoreAdminError, match="pending deletion"):
        storeadmin.start_import(ct, store.arn, str(tmp_path), "local")
    from trailtui.cli import main

    assert main(["import", str(tmp_path), "--store", "case-42"]) == 1  # nor through `trailtui import`
    assert "pending deletion" in capsys.readouterr().err
    assert storeadmin.restore_store(ct, store.arn).status == "ENABLED"
    listed = ct.list_imports(Destination=store.arn)["Imports"]
    assert [i["ImportId"] for i in listed] == [started.import_id]


def test_rows_rendered_in_python_when_duckdb_refuses_the_wrapper(
    ct: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wrapper that has DuckDB render is ours: should DuckDB refuse it, the query still answers, the
    same rows rendered in Python."""
    from trailtui.local import resultsink

    sql = (
        f"SELECT eventTime, userIdentity, requestParameters, resources, readOnly, avg(1.5) OVER () AS d "
        f"FROM {DEMO_STORE_ID} ORDER BY eventTime, eventID LIMIT 50"
    )

    def rows() -> list[Any]:
        q, state = run(ct, sql)
        assert state.status == "FINISHED"
        return [r for page in q.pages() for r in page.rows]

    rendered_by_duckdb = rows()
    real = resultsink.plan_result

    def refused(*args: Any, **kwargs: Any) -> Any:
        plan = real(*args, **kwargs)
        return resultsink.ResultPlan(plan.sql + " WHERE no_such_column", plan.names, plan.python, plan.csv)

    monkeypatch.setattr(resultsink, "plan_result", refused)
    fallbacks: list[Any] = []
    real_python = resultsink.python_plan
    monkeypatch.setattr(
        resultsink, "python_plan", lambda *a, **k: fallbacks.append(1) or real_python(*a, **k)
    )
    assert rows() == rendered_by_duckdb
    assert fallbacks  # the way back was taken
    assert rendered_by_duckdb[0][5] == "1.5" and rendered_by_duckdb[0][4] in ("true", "false")
