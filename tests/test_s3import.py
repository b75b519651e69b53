"""Importing from S3 (moto): both layouts, filters that list only what they need, resume, errors."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from tests.awsenv import use_keys
from tests.logfiles import record, trail_key
from trailtui.cli import main
from trailtui.local import s3import
from trailtui.local.catalog import find_store
from trailtui.local.lakefile import LakeFile
from trailtui.local.s3import import S3ImportError, S3Plan, _explain, import_s3

BUCKET = "trail-bucket"
ORG = "o-abcdef1234"
DAYS = ("2024-03-01", "2024-03-02", "2024-03-03")
PLACES = [
    ("111111111111", "us-east-1", ORG),
    ("111111111111", "eu-west-1", ORG),
    ("222222222222", "us-east-1", ORG),
    ("333333333333", "us-east-1", None),
    ("333333333333", "ap-south-1", None),
]
PER_OBJECT = 4


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    use_keys(monkeypatch)
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        n = 0
        for account, region, org in PLACES:
            for day in DAYS:
                recs = [
                    record(n * 10 + i, recipientAccountId=account, awsRegion=region)
                    for i in range(PER_OBJECT)
                ]
                n += 1
                key = "logs/" + trail_key(account, region, day, org=org)
                client.put_object(
                    Bucket=BUCKET, Key=key, Body=gzip.compress(json.dumps({"Records": recs}).encode())
                )
                digest = "logs/" + trail_key(account, region, day, org=org, digest=True)
                client.put_object(Bucket=BUCKET, Key=digest, Body=gzip.compress(b'{"digestStartTime": "x"}'))
        bad = "logs/" + trail_key("333333333333", "us-east-1", "2024-03-02").replace(
            ".json.gz", "-bad.json.gz"
        )
        client.put_object(Bucket=BUCKET, Key=bad, Body=gzip.compress(b'{"Records": [{"eventID": "x"}]}')[:20])
        client.put_object(Bucket=BUCKET, Key="logs/README.txt", Body=b"not a log")
        yield client


def listed(client: Any, start_after: list[str | None] | None = None) -> list[str]:
    prefixes: list[str] = []

    def record(params: dict[str, Any], **_: Any) -> None:
        prefixes.append(params["Prefix"])
        if start_after is not None:
            start_after.append(params.get("StartAfter"))

    client.meta.events.register("provide-client-params.s3.ListObjectsV2", record)
    return prefixes


def events(lake: LakeFile, store: str = "s3-logs") -> list[tuple[str, str]]:
    with lake.reader() as con:
        s = find_store(con, store, "lake")
        return con.execute(f"SELECT recipientaccountid, awsregion FROM lake.{s.table_name}").fetchall()


def test_whole_bucket_both_layouts_digests_skipped_bad_object_named(s3: Any, lake: LakeFile) -> None:
    prefixes = listed(s3)
    report = import_s3(lake, s3, S3Plan(BUCKET, "logs"), "s3-logs")
    assert report.events_added == len(PLACES) * len(DAYS) * PER_OBJECT
    assert [p.path for p in report.rejected] == [
        f"s3://{BUCKET}/"
        + "logs/"
        + trail_key("333333333333", "us-east-1", "2024-03-02").replace(".json.gz", "-bad.json.gz")
    ]
    assert "gzip" in report.rejected[0].reason
    assert not any("Digest" in p for p in prefixes) and "" not in prefixes and "logs/" not in prefixes
    assert {a for a, _ in events(lake)} == {"111111111111", "222222222222", "333333333333"}


def test_filters_fetch_exactly_what_was_asked(s3: Any, lake: LakeFile) -> None:
    start_after: list[str | None] = []
    prefixes = listed(s3, start_after)
    plan = S3Plan(
        BUCKET,
        "logs",
        since=date(2024, 3, 2),
        until=date(2024, 3, 2),
        accounts={"111111111111", "333333333333"},
        regions={"us-east-1"},
    )
    report = import_s3(lake, s3, plan, "s3-logs")
    assert sorted(set(events(lake))) == [("111111111111", "us-east-1"), ("333333333333", "us-east-1")]
    assert report.events_added == 2 * PER_OBJECT
    # The root and the organization's folder were listed to find accounts; the wanted Region folder of each
    # wanted account once, from the first day on (StartAfter); nothing else.
    assert prefixes == [
        "logs/AWSLogs/",
        "logs/AWSLogs/333333333333/CloudTrail/us-east-1/",
        f"logs/AWSLogs/{ORG}/",
        f"logs/AWSLogs/{ORG}/111111111111/CloudTrail/us-east-1/",
    ]
    assert start_after == [
        None,
        "logs/AWSLogs/333333333333/CloudTrail/us-east-1/2024/03/02",
        None,
        f"logs/AWSLogs/{ORG}/111111111111/CloudTrail/us-east-1/2024/03/02",
    ]
    assert plan.list_calls == 4


def test_rerun_adds_nothing_and_skips_by_etag(s3: Any, lake: LakeFile) -> None:
    first = import_s3(lake, s3, S3Plan(BUCKET, "logs"), "s3-logs")
    second = import_s3(lake, s3, S3Plan(BUCKET, "logs"), "s3-logs")
    assert first.events_added > 0 and second.events_added == 0 and second.files_read == 0
    assert sum(p.reason.startswith("already imported") for p in second.skipped) == first.files_read


def test_interrupted_import_resumes(s3: Any, lake: LakeFile, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s3import, "BATCH_OBJECTS", 3)
    calls = []

    def stop_after_two_batches(p: Any) -> None:
        calls.append(p.files_done)
        if p.files_done >= 6:
            raise KeyboardInterrupt

    first = import_s3(lake, s3, S3Plan(BUCKET, "logs"), "s3-logs", progress=stop_after_two_batches)
    assert first.interrupted and 0 < len(events(lake)) < len(PLACES) * len(DAYS) * PER_OBJECT
    second = import_s3(lake, s3, S3Plan(BUCKET, "logs"), "s3-logs")
    assert not second.interrupted
    assert len(events(lake)) == len(PLACES) * len(DAYS) * PER_OBJECT  # complete, nothing twice


def test_cli_import_from_s3(s3: Any, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "import",
            f"s3://{BUCKET}/logs",
            "--since",
            "2024-03-03",
            "--regions",
            "us-east-1",
            "--store",
            "s3-logs",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and f"events added:       {3 * PER_OBJECT}" in out and "S3 list calls:" in out


def test_bucket_errors_are_plain(s3: Any, lake: LakeFile) -> None:
    with pytest.raises(S3ImportError, match="does not exist"):
        import_s3(lake, s3, S3Plan("no-such-bucket", ""), "s3-logs")
    denied = ClientError({"Error": {"Code": "AccessDenied", "Message": "Access Denied"}}, "ListObjectsV2")
    assert "s3:ListBucket" in str(_explain(denied, BUCKET, "logs"))
    moved = ClientError({"Error": {"Code": "PermanentRedirect", "Message": "moved"}}, "ListObjectsV2")
    assert "another Region" in str(_explain(moved, BUCKET, ""))
    slow = ClientError({"Error": {"Code": "SlowDown", "Message": "slow"}}, "ListObjectsV2")
    assert "throttling" in str(_explain(slow, BUCKET, ""))


async def test_import_from_the_explorer_does_not_block(s3: Any, demo_lake: Any) -> None:
    from tests.explorer import explorer
    from trailtui.tui.stores import StoresPane

    async with explorer((140, 40)) as ex:
        await ex.ready()
        await ex.command(f"import s3://{BUCKET}/logs --store from-s3 --regions us-east-1")
        editor = ex.editor
        editor.focus()
        editor.text = ""
        await ex.press("x")  # typing goes on while the import runs
        assert editor.text == "x"
        await ex.wait_until(lambda: "from-s3" in ex.stores())
        store = next(s for s in ex.app.main.query_one(StoresPane).all_stores() if s.name == "from-s3")
        assert store.event_count == 3 * len(DAYS) * PER_OBJECT
