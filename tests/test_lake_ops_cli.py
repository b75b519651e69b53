"""Store lifecycle, tags, imports and query listing through the real AWS CLI against `trailtui serve`.

One serve (on a copy of the demo lake) and one moto S3 server for the whole module; each test runs several
CLI calls, success and error paths together, so the module stays fast.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest

from benchmarks.serving import read_banner, serve_command
from tests.awsenv import keys_env, running_moto
from tests.logfiles import record, trail_key
from tests.test_serve import AWS, KEY, SECRET, SLOW, client
from trailtui.local.demo import DEMO_STORE_ID

BUCKET = "lake-import-bucket"
NOW = datetime.now(UTC).replace(microsecond=0)
DAYS = [(NOW - timedelta(days=d)).strftime("%Y-%m-%d") for d in (3, 2, 1)]
PER_OBJECT = 5


class Serve:
    def __init__(self, url: str, s3_url: str, home: Path) -> None:
        self.url, self.s3_url, self.home = url, s3_url, home
        self.ct = client(url)  # boto3, for waiting and checking (fast); the operations go through the CLI


def _event(n: int, day: str, hour: int = 10) -> dict[str, Any]:
    return record(n, eventTime=f"{day}T{hour:02d}:{n % 60:02d}:00Z")


@pytest.fixture(scope="module")
def serve(demo_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    home = tmp_path_factory.mktemp("ops-cli") / "home"
    shutil.copytree(demo_home, home, ignore=shutil.ignore_patterns("*.lock"))
    with running_moto() as s3_url:
        s3 = boto3.client(
            "s3",
            endpoint_url=s3_url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        s3.create_bucket(Bucket=BUCKET)
        n = 0
        for day in DAYS:
            for region in ("us-east-1", "eu-west-1"):
                recs = [_event(n * 10 + i, day) for i in range(PER_OBJECT)]
                n += 1
                key = "trail/" + trail_key("123456789012", region, day)
                s3.put_object(
                    Bucket=BUCKET, Key=key, Body=gzip.compress(json.dumps({"Records": recs}).encode())
                )
        bad = "trail/" + trail_key("123456789012", "us-east-1", DAYS[0]).replace(".json.gz", "-bad.json.gz")
        s3.put_object(Bucket=BUCKET, Key=bad, Body=gzip.compress(b'{"Records": [{"eventID": "x"}]}')[:20])
        env = keys_env(
            "testing",
            "testing",
            TRAILTUI_HOME=str(home),
            AWS_ENDPOINT_URL_S3=s3_url,  # the serve process reads the bucket from moto
            TRAILTUI_IMPORT_BATCH_FILES="1",  # an import of many files takes long enough to be stopped
        )
        options = ("--access-key-id", KEY, "--secret-access-key", SECRET)
        proc = subprocess.Popen(
            # Clients may import only from where serve allows: the folder above its home, and the bucket.
            serve_command(*options, "--allow-path", str(home.parent), "--allow-path", f"s3://{BUCKET}"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        _, url = read_banner(proc)
        yield Serve(url, s3_url, home)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def aws(serve: Serve, *args: str) -> Any:
    """Run `aws cloudtrail ...`; the parsed JSON output, or the error code as a string."""
    assert AWS, "the awscli test dependency provides the aws command"
    done = subprocess.run(
        [AWS, "cloudtrail", *args, "--endpoint-url", serve.url],
        capture_output=True,
        text=True,
        env=keys_env(KEY, SECRET),
        timeout=60,
    )
    if done.returncode != 0:
        m = re.search(r"An error occurred \((\w+)\)", done.stderr)
        assert m, done.stderr
        return m.group(1)
    return json.loads(done.stdout) if done.stdout.strip() else {}


def errors(serve: Serve, calls: Sequence[Sequence[str]]) -> list[Any]:
    """Several independent CLI calls at once (their outcomes in order)."""
    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(lambda args: aws(serve, *args), calls))


def wait_import(serve: Serve, import_id: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        got: dict[str, Any] = serve.ct.get_import(ImportId=import_id)
        if got["ImportStatus"] not in ("INITIALIZING", "IN_PROGRESS") or time.monotonic() > deadline:
            return got
        time.sleep(0.1)


def count(serve: Serve, store_id: str) -> int:
    qid = serve.ct.start_query(QueryStatement=f"SELECT count(*) AS n FROM {store_id}")["QueryId"]
    deadline = time.monotonic() + 30
    while True:
        r = serve.ct.get_query_results(QueryId=qid)
        if r["QueryStatus"] == "FINISHED":
            return int(r["QueryResultRows"][0][0]["n"])
        assert time.monotonic() < deadline and r["QueryStatus"] in ("QUEUED", "RUNNING"), r
        time.sleep(0.1)


def test_create_update_ingestion_and_tags(serve: Serve) -> None:
    selectors = json.dumps(
        [{"Name": "S3 data", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}]}]
    )
    made = aws(
        serve, "create-event-data-store", "--name", "audit-store", "--no-start-ingestion",
        "--advanced-event-selectors", selectors, "--tags-list", "Key=team,Value=sec",
        "--kms-key-id", "alias/audit",
    )  # fmt: skip
    assert made["Status"] == "CREATED" and made["RetentionPeriod"] == 366  # the model's default
    assert made["AdvancedEventSelectors"][0]["Name"] == "S3 data" and made["KmsKeyId"] == "alias/audit"
    assert made["TagsList"] == [{"Key": "team", "Value": "sec"}] and made["TerminationProtectionEnabled"]
    arn = made["EventDataStoreArn"]
    got = aws(serve, "get-event-data-store", "--event-data-store", arn)
    assert got["Status"] == "STOPPED_INGESTION" and got["AdvancedEventSelectors"] == json.loads(selectors)
    assert aws(serve, "stop-event-data-store-ingestion", "--event-data-store", arn) == (
        "InvalidEventDataStoreStatusException"
    )
    assert aws(serve, "start-event-data-store-ingestion", "--event-data-store", arn) == {}
    assert aws(serve, "get-event-data-store", "--event-data-store", arn)["Status"] == "ENABLED"
    assert aws(serve, "add-tags", "--resource-id", arn, "--tags-list", "Key=env,Value=prod") == {}
    assert aws(serve, "remove-tags", "--resource-id", arn, "--tags-list", "Key=team") == {}
    tags = aws(serve, "list-tags", "--resource-id-list", arn)["ResourceTagList"]
    assert tags == [{"ResourceId": arn, "TagsList": [{"Key": "env", "Value": "prod"}]}]
    assert aws(serve, "add-tags", "--resource-id", arn, "--tags-list", "Key=aws:x,Value=y") == (
        "InvalidTagParameterException"
    )
    updated = aws(
        serve, "update-event-data-store", "--event-data-store", arn, "--name", "audit-renamed",
        "--retention-period", "90",
    )  # fmt: skip
    assert updated["Name"] == "audit-renamed" and updated["RetentionPeriod"] == 90
    assert updated["UpdatedTimestamp"] >= got["UpdatedTimestamp"]
    outcomes = errors(serve, [
        ("update-event-data-store", "--event-data-store", arn),  # nothing to change
        ("update-event-data-store", "--event-data-store", arn, "--name", "org-events"),
        ("update-event-data-store", "--event-data-store", arn, "--billing-mode",
            "FIXED_RETENTION_PRICING"),
        ("update-event-data-store", "--event-data-store", arn, "--kms-key-id", "alias/other"),
        ("create-event-data-store", "--name", "fixed", "--billing-mode", "FIXED_RETENTION_PRICING",
            "--retention-period", "3000"),
        ("create-event-data-store", "--name", "bad name!"),
        ("create-event-data-store", "--name", "audit-renamed"),
        ("create-event-data-store", "--name", "sel", "--advanced-event-selectors",
            '[{"FieldSelectors": [{"Field": "eventColour", "Equals": ["x"]}]}]'),
        ("get-event-data-store", "--event-data-store", "arn:aws:cloudtrail:bad"),
    ])  # fmt: skip
    assert outcomes == [
        "InvalidParameterException",
        "EventDataStoreAlreadyExistsException",
        "InvalidParameterException",
        "InvalidParameterException",
        "InvalidParameterException",
        "InvalidParameterException",
        "EventDataStoreAlreadyExistsException",
        "InvalidEventSelectorsException",
        "EventDataStoreARNInvalidException",
    ]
    fixed = aws(
        serve, "create-event-data-store", "--name", "fixed", "--billing-mode", "FIXED_RETENTION_PRICING"
    )
    assert fixed["RetentionPeriod"] == 2557  # FIXED pricing's default and maximum


def test_delete_pending_restore(serve: Serve) -> None:
    arn = aws(serve, "create-event-data-store", "--name", "doomed")["EventDataStoreArn"]
    store_id = arn.rsplit("/", 1)[1]
    qid = aws(serve, "start-query", "--query-statement", f"SELECT count(*) FROM {store_id}")["QueryId"]
    assert aws(serve, "delete-event-data-store", "--event-data-store", arn) == (
        "EventDataStoreTerminationProtectedException"
    )
    aws(serve, "update-event-data-store", "--event-data-store", arn, "--no-termination-protection-enabled")
    assert aws(serve, "delete-event-data-store", "--event-data-store", arn) == {}
    assert aws(serve, "get-event-data-store", "--event-data-store", arn)["Status"] == "PENDING_DELETION"
    listed = aws(serve, "list-event-data-stores")["EventDataStores"]
    assert arn in [s["EventDataStoreArn"] for s in listed]  # still listed while pending deletion
    assert (
        errors(
            serve,
            [
                ("start-query", "--query-statement", f"SELECT count(*) FROM {store_id}"),
                ("describe-query", "--query-id", qid),
                ("get-query-results", "--query-id", qid),
                ("list-queries", "--event-data-store", arn),
                ("delete-event-data-store", "--event-data-store", arn),
                ("update-event-data-store", "--event-data-store", arn, "--name", "x-again"),
            ],
        )
        == ["InactiveEventDataStoreException"] * 6
    )
    restored = aws(serve, "restore-event-data-store", "--event-data-store", arn)
    assert restored["Status"] == "ENABLED" and restored["Name"] == "doomed"
    assert aws(serve, "describe-query", "--query-id", qid)["QueryStatus"] == "FINISHED"
    assert aws(serve, "restore-event-data-store", "--event-data-store", arn) == (
        "InvalidEventDataStoreStatusException"
    )
    assert aws(
        serve, "delete-event-data-store", "--event-data-store", "0" * 8 + "-0000-0000-0000-" + "0" * 12
    ) == ("EventDataStoreNotFoundException")


def test_import_from_s3_with_failures_and_listing(serve: Serve) -> None:
    store = aws(serve, "create-event-data-store", "--name", "imported", "--retention-period", "3653")
    arn = store["EventDataStoreArn"]
    source = f"S3LocationUri=s3://{BUCKET}/trail,S3BucketRegion=us-east-1,S3BucketAccessRoleArn=arn:aws:iam::123456789012:role/imp"
    started = aws(serve, "start-import", "--destinations", arn, "--import-source", f"S3={{{source}}}")
    assert started["ImportStatus"] == "INITIALIZING" and started["Destinations"] == [arn]
    assert started["ImportSource"]["S3"]["S3LocationUri"] == f"s3://{BUCKET}/trail"
    done = wait_import(serve, started["ImportId"])
    assert done["ImportStatus"] == "COMPLETED", done
    stats = done["ImportStatistics"]
    assert stats["EventsCompleted"] == len(DAYS) * 2 * PER_OBJECT and stats["FilesCompleted"] == len(DAYS) * 2
    assert stats["PrefixesFound"] == stats["PrefixesCompleted"] == 2 and stats["FailedEntries"] == 1
    (failure,) = aws(serve, "list-import-failures", "--import-id", started["ImportId"])["Failures"]
    assert failure["Location"].endswith("-bad.json.gz") and failure["Status"] == "FAILED"
    assert "gzip" in failure["ErrorMessage"]
    assert count(serve, arn.rsplit("/", 1)[1]) == len(DAYS) * 2 * PER_OBJECT
    mine = aws(serve, "list-imports", "--destination", arn)["Imports"]
    assert [i["ImportId"] for i in mine] == [started["ImportId"]] and mine[0]["ImportStatus"] == "COMPLETED"
    assert aws(serve, "list-imports", "--import-status", "FAILED", "--destination", arn)["Imports"] == []
    # Event time bounds: only the middle day, into another store.
    window = aws(serve, "create-event-data-store", "--name", "one-day", "--retention-period", "3653")
    bounded = aws(
        serve, "start-import", "--destinations", window["EventDataStoreArn"], "--import-source",
        f"S3={{{source}}}", "--start-event-time", f"{DAYS[1]}T00:00:00Z", "--end-event-time",
        f"{DAYS[1]}T23:59:59Z",
    )  # fmt: skip
    assert wait_import(serve, bounded["ImportId"])["ImportStatistics"]["EventsCompleted"] == 2 * PER_OBJECT
    assert count(serve, window["EventDataStoreArn"].rsplit("/", 1)[1]) == 2 * PER_OBJECT
    unknown = "11111111-2222-3333-4444-555555555555"
    assert errors(serve, [
        ("get-import", "--import-id", unknown),
        ("stop-import", "--import-id", started["ImportId"]),  # already completed
        ("start-import", "--import-id", started["ImportId"]),  # only FAILED/STOPPED restart
        ("start-import", "--destinations", arn, "--import-source",
            "S3={S3LocationUri=ftp://x,S3BucketRegion=us-east-1,S3BucketAccessRoleArn=r}"),
        ("start-import", "--destinations", arn.replace(arn[-12:], "0" * 12), "--import-source",
            f"S3={{{source}}}"),
        ("list-import-failures", "--import-id", unknown),
        ("list-imports", "--next-token", "forged.token"),
    ]) == [
        "ImportNotFoundException",
        "InvalidParameterException",
        "InvalidParameterException",
        "InvalidImportSourceException",
        "EventDataStoreNotFoundException",
        "ImportNotFoundException",
        "InvalidNextTokenException",
    ]  # fmt: skip


def test_stop_and_restart_a_local_import(serve: Serve, tmp_path: Path) -> None:
    logs = serve.home.parent / "logs"  # under serve's --allow-path
    logs.mkdir()
    files = 60
    for f in range(files):
        recs = [_event(f * 10 + i, DAYS[f % 3]) for i in range(3)]
        (logs / f"{f:03d}.json").write_text(json.dumps({"Records": recs}))
    arn = aws(serve, "create-event-data-store", "--name", "from-disk", "--retention-period", "3653")[
        "EventDataStoreArn"
    ]
    elsewhere = f"S3={{S3LocationUri={tmp_path},S3BucketRegion=local,S3BucketAccessRoleArn=none}}"
    assert aws(serve, "start-import", "--destinations", arn, "--import-source", elsewhere) == (
        "InvalidParameterException"  # not a folder serve allows
    )
    source = f"S3={{S3LocationUri={logs},S3BucketRegion=local,S3BucketAccessRoleArn=none}}"
    started = aws(serve, "start-import", "--destinations", arn, "--import-source", source)
    assert aws(serve, "start-import", "--destinations", arn, "--import-source", source) == (
        "AccountHasOngoingImportException"
    )
    stopped = aws(serve, "stop-import", "--import-id", started["ImportId"])
    assert stopped["ImportStatus"] == "STOPPED" and stopped["ImportStatistics"]["FilesCompleted"] < files
    deadline = time.monotonic() + 30
    while (again := aws(serve, "start-import", "--import-id", started["ImportId"])) == (
        "AccountHasOngoingImportException"  # still finishing the batch it was importing
    ):
        assert time.monotonic() < deadline
    assert again["ImportId"] == started["ImportId"] and again["ImportStatus"] == "INITIALIZING"
    finished = wait_import(serve, started["ImportId"])
    assert finished["ImportStatus"] == "COMPLETED"
    assert count(serve, arn.rsplit("/", 1)[1]) == files * 3  # nothing lost, nothing twice


def test_list_queries_tokens_running_statistics_and_samples(serve: Serve) -> None:
    first = errors(
        serve,
        [
            ("start-query", "--query-statement", f"SELECT eventName FROM {DEMO_STORE_ID} LIMIT {n}")
            for n in (1, 2, 3)
        ],
    )
    page1 = aws(serve, "list-queries", "--event-data-store", DEMO_STORE_ID, "--max-results", "2")
    assert len(page1["Queries"]) == 2 and page1["NextToken"]
    slow = aws(serve, "start-query", "--query-statement", SLOW)["QueryId"]  # started between the pages
    seen = [q["QueryId"] for q in page1["Queries"]]
    token = page1["NextToken"]
    while token:
        page = aws(serve, "list-queries", "--event-data-store", DEMO_STORE_ID, "--max-results", "2",
                   "--next-token", token)  # fmt: skip
        seen += [q["QueryId"] for q in page["Queries"]]
        token = page.get("NextToken")
    assert len(seen) == len(set(seen)) and {q["QueryId"] for q in first} <= set(seen) and slow not in seen
    deadline = time.monotonic() + 30
    figures = []
    while len(figures) < 2:
        d = aws(serve, "describe-query", "--query-id", slow)
        if d["QueryStatus"] == "RUNNING" and d["QueryStatistics"]["ExecutionTimeInMillis"] > 0:
            figures.append(d["QueryStatistics"])
        assert d["QueryStatus"] in ("QUEUED", "RUNNING") and time.monotonic() < deadline
    assert figures[1]["ExecutionTimeInMillis"] > figures[0]["ExecutionTimeInMillis"]
    assert figures[1]["EventsScanned"] >= figures[0]["EventsScanned"] > 0  # DuckDB's progress, as events
    assert aws(serve, "cancel-query", "--query-id", slow)["QueryStatus"] == "CANCELLED"
    ended = [aws(serve, "describe-query", "--query-id", slow)["QueryStatistics"] for _ in range(2)]
    time_ms = ended[0]["ExecutionTimeInMillis"]
    assert time_ms == ended[1]["ExecutionTimeInMillis"] >= figures[1]["ExecutionTimeInMillis"]
    samples = aws(
        serve, "search-sample-queries", "--search-phrase", "root user activity", "--max-results", "3"
    )
    results = samples["SearchResults"]
    assert len(results) == 3 and results[0]["Name"] == "Root user activity" and "$EDS_ID" in results[0]["SQL"]
    assert 0 < results[-1]["Relevance"] <= results[0]["Relevance"] <= 1
    assert aws(serve, "search-sample-queries", "--search-phrase", "zzzz qqqq")["SearchResults"] == []
    assert errors(
        serve,
        [
            ("search-sample-queries", "--search-phrase", "root", "--max-results", "51"),
            ("search-sample-queries", "--search-phrase", "r\u00e9seau"),
            ("list-queries", "--event-data-store", DEMO_STORE_ID, "--next-token", "abc.def"),
        ],
    ) == ["InvalidMaxResultsException", "InvalidParameterException", "InvalidNextTokenException"]


def test_store_admin_on_an_aws_profile(serve: Serve) -> None:
    """The explorer's store operations on a Lake-like endpoint reached as an AWS profile."""
    from trailtui.connections import open_aws
    from trailtui.lake import storeadmin

    session = boto3.session.Session(
        aws_access_key_id=KEY, aws_secret_access_key=SECRET, region_name="us-east-1"
    )
    ct = open_aws(session=session, endpoint_url=serve.url).cloudtrail
    made = storeadmin.create_store(ct, "profile-store", retention_days=3653)
    assert made.status == "ENABLED" and made.termination_protection and made.retention_days == 3653
    renamed = storeadmin.update_store(ct, made.arn, name="profile-store-2", retention_days=400)
    assert (renamed.name, renamed.retention_days) == ("profile-store-2", 400)
    with pytest.raises(storeadmin.StoreAdminError, match="termination protection"):
        storeadmin.delete_store(ct, made.arn)
    storeadmin.update_store(ct, made.arn, termination_protection=False)
    assert storeadmin.delete_store(ct, made.arn).pending_deletion
    with pytest.raises(storeadmin.StoreAdminError, match="pending deletion"):
        storeadmin.update_store(ct, made.arn, name="nope")
    assert storeadmin.restore_store(ct, made.arn).status == "ENABLED"
    started = storeadmin.start_import(
        ct, made.arn, f"s3://{BUCKET}/trail", "us-east-1", "arn:aws:iam::1:role/r"
    )
    seen: list[str] = []
    done = storeadmin.follow_import(
        ct, started.import_id, lambda s: seen.append(s.status), lambda _s: time.sleep(0.1)
    )
    assert (
        done.status == "COMPLETED" and done.events == len(DAYS) * 2 * PER_OBJECT and seen[-1] == "COMPLETED"
    )
    ((where, why),) = storeadmin.import_failures(ct, started.import_id)
    assert where.endswith("-bad.json.gz") and "gzip" in why
