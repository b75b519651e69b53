"""Athena CloudTrail tables through botocore's Glue, Athena and S3 clients against moto's server: creating the
table (layout detection, partition projection, idempotence), listing tables beside Lake's stores, and the
query lifecycle as `trailtui query` and the explorer's query path drive it. moto runs no SQL: these tests
check what trailtui sends and how it reads what comes back (the SQL's meaning is test_athena_meaning's)."""

from __future__ import annotations

import gzip
import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.awsenv import running_moto, use_keys
from trailtui.cli import main
from trailtui.lake.history import History
from trailtui.paths import locations

BUCKET = "org-trail"
ORG = "o-a1b2c3d4e5"
REGION = "us-east-1"


@pytest.fixture(scope="module")
def moto_server() -> Iterator[str]:
    with running_moto() as url:
        yield url


@pytest.fixture
def moto_url(moto_server: str, monkeypatch: pytest.MonkeyPatch, home: Path) -> str:
    url = moto_server
    # moto's backends are process-wide: start every test from an empty account
    urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST")).read()
    use_keys(monkeypatch, region=REGION, AWS_ENDPOINT_URL=url)
    return url


def _client(service: str, url: str) -> Any:
    return boto3.session.Session(region_name=REGION).client(service, endpoint_url=url)


def _put_log(s3: Any, key: str) -> None:
    body = gzip.compress(json.dumps({"Records": [{"eventName": "GetObject"}]}).encode())
    s3.put_object(Bucket=BUCKET, Key=key, Body=body)


def _org_trail(url: str, accounts: tuple[str, ...] = ("111122223333", "444455556666")) -> Any:
    s3 = _client("s3", url)
    s3.create_bucket(Bucket=BUCKET)
    for account in accounts:
        for region, day in (("us-east-1", "2026/10/03"), ("eu-west-1", "2026/11/20")):
            _put_log(
                s3, f"logs/AWSLogs/{ORG}/{account}/CloudTrail/{region}/{day}/{account}_CloudTrail_x.json.gz"
            )
    s3.put_object(
        Bucket=BUCKET, Key=f"logs/AWSLogs/{ORG}/{accounts[0]}/CloudTrail-Digest/x.json.gz", Body=b""
    )
    return s3


def _create(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    code = main(
        ["athena", "create-table", f"s3://{BUCKET}/logs", "--database", "trail", "--table", "logs", *extra]
    )
    out, err = capsys.readouterr()
    return code, out, err


def test_create_table_projects_the_organization_layout(
    moto_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _org_trail(moto_url)
    code, ddl, err = _create(capsys, "--workgroup", "investigations")
    assert code == 0, err
    assert "created database trail" in err and "created table trail.logs" in err
    glue = _client("glue", moto_url)
    table = glue.get_table(DatabaseName="trail", Name="logs")["Table"]
    params = table["Parameters"]
    template = f"s3://{BUCKET}/logs/AWSLogs/{ORG}/${{account}}/CloudTrail/${{region}}/${{timestamp}}"
    assert params["storage.location.template"] == template
    assert params["projection.account.values"] == "111122223333,444455556666"
    assert params["projection.region.values"] == "eu-west-1,us-east-1"
    assert params["projection.timestamp.range"] == "2026/10/03,NOW"
    assert params["projection.timestamp.format"] == "yyyy/MM/dd"
    assert params["trailtui.workgroup"] == "investigations"
    assert [k["Name"] for k in table["PartitionKeys"]] == ["account", "region", "timestamp"]
    columns = {c["Name"]: c["Type"] for c in table["StorageDescriptor"]["Columns"]}
    assert columns["eventtime"] == "string" and columns["readonly"] == "string"
    assert columns["requestparameters"] == "string"
    assert columns["resources"] == "array<struct<arn:string,accountid:string,type:string>>"
    assert (
        table["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"]
        == "org.apache.hive.hcatalog.data.JsonSerDe"
    )
    assert "CREATE EXTERNAL TABLE `trail`.`logs`" in ddl and "'projection.enabled'='true'" in ddl
    assert "PARTITIONED BY (`account` string, `region` string, `timestamp` string)" in ddl


def test_create_table_is_idempotent_and_learns_new_accounts(
    moto_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    s3 = _org_trail(moto_url)
    assert _create(capsys)[0] == 0
    code, _, err = _create(capsys)
    assert code == 0 and "unchanged table trail.logs" in err
    _put_log(s3, f"logs/AWSLogs/{ORG}/777788889999/CloudTrail/ap-south-1/2026/11/25/x.json.gz")
    code, _, err = _create(capsys)
    assert code == 0 and "updated table trail.logs" in err
    params = _client("glue", moto_url).get_table(DatabaseName="trail", Name="logs")["Table"]["Parameters"]
    assert params["projection.account.values"] == "111122223333,444455556666,777788889999"
    assert "ap-south-1" in params["projection.region.values"]


def test_create_table_single_account_layout_and_bad_locations(
    moto_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    s3 = _client("s3", moto_url)
    s3.create_bucket(Bucket=BUCKET)
    _put_log(s3, "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/x.json.gz")
    assert main(["athena", "create-table", f"s3://{BUCKET}", "--database", "d", "--table", "t"]) == 0
    params = _client("glue", moto_url).get_table(DatabaseName="d", Name="t")["Table"]["Parameters"]
    assert params["storage.location.template"] == (
        f"s3://{BUCKET}/AWSLogs/${{account}}/CloudTrail/${{region}}/${{timestamp}}"
    )
    capsys.readouterr()
    assert (
        main(["athena", "create-table", f"s3://{BUCKET}/nothing-here", "--database", "d", "--table", "u"])
        == 1
    )
    assert "No CloudTrail logs under" in capsys.readouterr().err


def _legacy_table(glue: Any) -> None:
    """A table as older console versions made it: CloudTrailSerde, no partitions, camelCase columns."""
    glue.create_database(DatabaseInput={"Name": "default"})
    glue.create_table(
        DatabaseName="default",
        TableInput={
            "Name": "cloudtrail_logs_org_trail",
            "StorageDescriptor": {
                "Columns": [
                    {"Name": n, "Type": "string"}
                    for n in ("eventVersion", "eventTime", "eventSource", "eventName", "awsRegion")
                ]
                + [{"Name": "userIdentity", "Type": "struct<type:string,arn:string>"}],
                "Location": f"s3://{BUCKET}/AWSLogs/",
                "InputFormat": "com.amazon.emr.cloudtrail.CloudTrailInputFormat",
                "SerdeInfo": {"SerializationLibrary": "com.amazon.emr.hive.serde.CloudTrailSerde"},
            },
        },
    )
    glue.create_table(  # not CloudTrail: never listed
        DatabaseName="default",
        TableInput={"Name": "sales", "StorageDescriptor": {"Columns": [{"Name": "amount", "Type": "int"}]}},
    )


def test_stores_list_athena_tables_with_lake_error_in_place(
    moto_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _org_trail(moto_url)
    assert _create(capsys, "--workgroup", "wg1")[0] == 0
    _legacy_table(_client("glue", moto_url))
    assert main(["stores", "--region", REGION, "--format", "json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    by_name = {s["Name"]: s for s in listing["EventDataStores"]}
    assert set(by_name) == {"trail.logs", "default.cloudtrail_logs_org_trail"}
    made = by_name["trail.logs"]
    assert made["Engine"] == "athena" and made["Workgroup"] == "wg1"
    assert made["Layout"] == f"organization ({ORG})" and made["PartitionRange"] == "2026/10/03 .. NOW"
    legacy = by_name["default.cloudtrail_logs_org_trail"]
    assert legacy["Workgroup"] == "primary" and legacy["Projected"] is False and legacy["Layout"] == "account"
    # moto has no CloudTrail Lake: its error is shown, the tables still list
    assert listing["Problem"] and listing["Problem"].startswith("CloudTrail Lake: ")
    assert main(["stores", "--region", REGION]) == 0
    table_text = capsys.readouterr().out
    assert "Athena" in table_text and "trail.logs" in table_text and "CloudTrail Lake:" in table_text


def _seed_results(url: str, rows: list[list[str | None]], columns: list[str]) -> None:
    info = [
        {"Name": c, "Label": c, "Type": "varchar", "Nullable": "UNKNOWN", "CaseSensitive": True}
        for c in columns
    ]
    data = [{"Data": [{"VarCharValue": c} for c in columns]}] + [
        {"Data": [{} if v is None else {"VarCharValue": v} for v in row]} for row in rows
    ]
    body = json.dumps({"region": REGION, "results": [{"rows": data, "column_info": info}]}).encode()
    request = urllib.request.Request(f"{url}/moto-api/static/athena/query-results", data=body, method="POST")
    urllib.request.urlopen(request).read()


def _config(home: Path, text: str) -> None:
    where = locations().ensure()
    where.settings_file.write_text(text)


def test_query_runs_on_athena_with_pruning_and_lake_names(
    moto_url: str, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _org_trail(moto_url)
    assert _create(capsys, "--workgroup", "wg1")[0] == 0
    athena = _client("athena", moto_url)
    athena.create_work_group(
        Name="wg1", Configuration={"ResultConfiguration": {"OutputLocation": "s3://results/wg1/"}}
    )
    _seed_results(moto_url, [["GetObject", "42"], ["PutObject", None]], ["eventname", "_col1"])
    sql = (
        "SELECT eventName, max(requestParameters['bucketName']) FROM trail.logs "
        "WHERE eventTime >= '2026-11-20 00:00:00' AND eventTime < '2026-11-20 12:00:00' "
        "AND recipientAccountId = '111122223333' GROUP BY eventName"
    )
    assert main(["query", "--region", REGION, "--format", "json", sql]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["QueryResultRows"] == [
        [{"eventName": "GetObject"}, {"_col1": "42"}],
        [{"eventName": "PutObject"}, {"_col1": None}],
    ]
    qid = athena.list_query_executions()["QueryExecutionIds"][0]
    sent = athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
    assert sent["WorkGroup"] == "wg1"
    assert sent["QueryExecutionContext"]["Database"] == "trail"
    text = sent["Query"]
    assert "\"timestamp\" >= '2026/11/20'" in text and "\"timestamp\" <= '2026/11/20'" in text
    assert "\"account\" = '111122223333'" in text
    assert "FROM_ISO8601_TIMESTAMP" in text and "ELEMENT_AT(requestParameters, 'bucketName')" in text
    entry = History(locations().history_db).search()[0]
    assert entry.query_id == qid and entry.engine == "athena" and entry.store == "trail.logs"
    assert entry.status == "FINISHED" and entry.row_count == 2


def test_query_errors_are_explained(moto_url: str, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _org_trail(moto_url)
    assert _create(capsys)[0] == 0
    bounded = " WHERE eventTime > '2026-11-01'"
    # the primary workgroup sets no result location, nor does config.toml
    assert main(["query", "--region", REGION, "SELECT eventName FROM trail.logs" + bounded]) == 1
    assert "nowhere to write results" in capsys.readouterr().err
    _config(home, '[athena]\noutput_location = "s3://results/trailtui/"\n')
    assert main(["query", "--region", REGION, "SELECT eventJson FROM trail.logs" + bounded]) == 1
    err = capsys.readouterr().err
    assert "eventjson has no counterpart" in err and "InvalidQueryStatementException" in err
    assert main(["query", "--region", REGION, "SELECT eventName FROM trail.nope" + bounded]) == 1
    assert "trail.nope is not an Athena CloudTrail table" in capsys.readouterr().err
    assert main(["query", "--region", REGION, "SELECT eventName FROM trail.logs" + bounded]) == 0
    sent = _client("athena", moto_url).list_query_executions()["QueryExecutionIds"]
    assert len(sent) == 1  # refused queries never reached Athena


def test_cancel_and_reopen_without_a_new_scan(
    moto_url: str, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from trailtui.connections import open_aws
    from trailtui.lake.query import QueryRun

    _org_trail(moto_url)
    assert _create(capsys)[0] == 0
    _config(home, '[athena]\noutput_location = "s3://results/trailtui/"\n')
    _seed_results(moto_url, [["ConsoleLogin"]], ["eventname"])
    conn = open_aws(None, REGION)
    run = QueryRun(conn.cloudtrail, "SELECT eventName FROM trail.logs WHERE eventTime > '2026-11-01'")
    qid = run.start()
    state = run.wait(sleep=lambda _: None)
    assert state.status == "FINISHED" and state.statistics.engine == "athena"
    assert state.statistics.estimated_cost == pytest.approx(10 / 1024 / 1024 * 5.0)  # the 10 MB minimum
    # reopened in another process: a new client that never saw the query reads its results
    athena = _client("athena", moto_url)
    before = len(athena.list_query_executions()["QueryExecutionIds"])
    again = QueryRun(open_aws(None, REGION).cloudtrail, query_id=qid)
    assert again.describe().status == "FINISHED"
    assert [p.rows for p in again.pages()] == [[["ConsoleLogin"]]]
    assert len(athena.list_query_executions()["QueryExecutionIds"]) == before
    second = QueryRun(conn.cloudtrail, "SELECT eventName FROM trail.logs WHERE eventTime > '2026-11-01'")
    second.start()
    assert second.cancel().status == "CANCELLED"
    assert athena.get_query_execution(QueryExecutionId=second.query_id)["QueryExecution"]["Status"][
        "State"
    ] == ("CANCELLED")


def test_failed_and_throttled_are_explained() -> None:
    from botocore.exceptions import ClientError

    from trailtui.athena.service import explain_failure
    from trailtui.lake.errors import explain

    reason = "Access denied when writing output to url: s3://results/x.csv"
    assert "s3:PutObject" in explain_failure(reason)
    assert "s3:GetObject and s3:ListBucket" in explain_failure(
        "Permission denied on S3 path: s3://org-trail/AWSLogs"
    )
    denied = ClientError(
        {"Error": {"Code": "AccessDeniedException", "Message": "User x is not authorized"}}, "GetTables"
    )
    assert "glue:GetTables" in explain(denied)
    throttled = ClientError(
        {"Error": {"Code": "TooManyRequestsException", "Message": "Rate exceeded"}}, "StartQueryExecution"
    )
    assert explain(throttled).startswith("Athena is throttling")


def test_drill_down_reads_the_whole_event_from_its_object(
    moto_url: str, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The explorer's `e` asks for `SELECT eventjson ... WHERE eventID = ... LIMIT 1`: Athena has no such
    column, so the row's "$path" names the object and the record is read from it."""
    from trailtui.connections import open_aws
    from trailtui.lake.query import QueryRun

    s3 = _org_trail(moto_url)
    assert _create(capsys)[0] == 0
    _config(home, '[athena]\noutput_location = "s3://results/trailtui/"\n')
    key = f"logs/AWSLogs/{ORG}/111122223333/CloudTrail/us-east-1/2026/11/20/111122223333_CloudTrail_y.json.gz"
    record = {"eventID": "e-2", "eventName": "StopLogging", "requestParameters": {"name": "org-trail"}}
    body = {"Records": [{"eventID": "e-1", "eventName": "GetObject"}, record]}
    s3.put_object(Bucket=BUCKET, Key=key, Body=gzip.compress(json.dumps(body).encode()))
    _seed_results(moto_url, [[f"s3://{BUCKET}/{key}", "e-2"]], ["$path", "eventid"])
    sql = (
        "SELECT eventjson FROM trail.logs WHERE eventID = 'e-2' "
        "AND eventTime >= '2026-11-20 10:00:00' AND eventTime <= '2026-11-20 10:00:02' LIMIT 1"
    )
    run = QueryRun(open_aws(None, REGION).cloudtrail, sql)
    qid = run.start()
    assert run.wait(sleep=lambda _: None).status == "FINISHED"
    page = run.page()
    assert page.columns == ["eventjson"] and json.loads(page.rows[0][0] or "") == record
    sent = _client("athena", moto_url).get_query_execution(QueryExecutionId=qid)["QueryExecution"]["Query"]
    assert '"$path"' in sent and "\"timestamp\" >= '2026/11/20'" in sent
    # anything else naming eventjson is still refused
    with pytest.raises(Exception, match="eventjson has no counterpart"):
        QueryRun(
            open_aws(None, REGION).cloudtrail,
            "SELECT eventjson FROM trail.logs WHERE eventTime > '2026-11-01'",
        ).start()


def test_export_writes_athena_results_like_lake_results(
    moto_url: str, home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _org_trail(moto_url)
    assert _create(capsys)[0] == 0
    _config(home, '[athena]\noutput_location = "s3://results/trailtui/"\n')
    _seed_results(moto_url, [["GetObject", "a,b"], ["PutObject", None]], ["eventname", "_col1"])
    out = tmp_path / "athena.csv"
    sql = "SELECT eventName, max(userAgent) FROM trail.logs WHERE eventTime > '2026-11-01' GROUP BY 1"
    assert main(["query", "--region", REGION, "--output", str(out), sql]) == 0
    assert "wrote 2 rows" in capsys.readouterr().err
    assert out.read_text().splitlines() == ["eventName,_col1", 'GetObject,"a,b"', "PutObject,"]
