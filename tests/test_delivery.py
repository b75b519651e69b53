"""Results delivery: StartQuery's DeliveryS3Uri writes a query's full results as files, as Lake does.

Lake's layout: <uri>/AWSLogs/<account>/CloudTrail-Lake/Query/<yyyy>/<mm>/<dd>/<query-id>/result_<n>.csv.gz
and a sign file, result_sign.json, with each file's SHA-256 and a signature. The local lake delivers to S3
(moto here) and, as its extension, to a local directory (file://). All through boto3.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from tests.awsenv import use_keys
from trailtui.lake.query import QueryRun
from trailtui.local.demo import DEMO_STORE_ID
from trailtui.local.engine import Limits
from trailtui.local.service import LocalLake

SQL = (
    f"SELECT eventTime, eventName, sourceIPAddress, errorCode FROM {DEMO_STORE_ID} "
    "WHERE eventTime > '2026-11-25 00:00:00' ORDER BY eventTime, eventID LIMIT 2500"
)
FOLDER = re.compile(r"AWSLogs/(\d{12})/CloudTrail-Lake/Query/\d{4}/\d\d/\d\d/([0-9a-f-]{36})$")


@pytest.fixture
def local(demo_lake: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalLake]:
    use_keys(monkeypatch)
    lake = LocalLake(limits=Limits(seconds=60))
    yield lake
    lake.close()


def finish(ct: Any, query_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while True:
        d = ct.describe_query(QueryId=query_id)
        if d["QueryStatus"] not in ("QUEUED", "RUNNING") and d.get("DeliveryStatus") != "PENDING":
            return d  # type: ignore[no-any-return]
        assert time.monotonic() < deadline
        time.sleep(0.05)


def all_rows(ct: Any, query_id: str) -> list[list[str]]:
    rows, token = [], None
    while True:
        page = ct.get_query_results(QueryId=query_id, **({"NextToken": token} if token else {}))
        rows += [[next(iter(cell.values())) or "" for cell in row] for row in page["QueryResultRows"]]
        token = page.get("NextToken")
        if not token:
            return rows


def no_pages(*_: Any, **__: Any) -> Any:
    raise AssertionError("the export should come from the delivered files, not from pages")


def check_delivery(files: dict[str, bytes], expected: list[list[str]]) -> None:
    sign = json.loads(files.pop("result_sign.json"))
    assert sign["hashAlgorithm"] == "SHA-256" and sign["signatureAlgorithm"] == "SHA256withRSA"
    assert [f["fileName"] for f in sign["files"]] == sorted(files) == ["result_1.csv.gz"]
    for f in sign["files"]:
        assert hashlib.sha256(files[f["fileName"]]).hexdigest() == f["fileHashValue"]
    assert re.fullmatch(r"[0-9a-f]{512}", sign["hashSignature"]) and sign["publicKeyFingerprint"]
    table = list(csv.reader(io.StringIO(gzip.decompress(files["result_1.csv.gz"]).decode())))
    assert table[0] == ["eventTime", "eventName", "sourceIPAddress", "errorCode"]
    assert table[1:] == expected and len(expected) == 2500


def test_delivery_to_a_local_directory(local: LocalLake, tmp_path: Path) -> None:
    ct = local.client()
    out = tmp_path / "results"
    out.mkdir()
    query_id = ct.start_query(QueryStatement=SQL, DeliveryS3Uri=f"file://{out}")["QueryId"]
    described = finish(ct, query_id)
    assert described["QueryStatus"] == "FINISHED" and described["DeliveryStatus"] == "SUCCESS"
    folder = described["DeliveryS3Uri"]
    m = FOLDER.search(folder)
    assert folder.startswith(f"file://{out}/AWSLogs/") and m and m.group(2) == query_id
    where = Path(folder.removeprefix("file://"))
    files = {p.name: p.read_bytes() for p in where.iterdir()}
    assert all(p.stat().st_mode & 0o077 == 0 for p in where.iterdir())  # private to the user
    check_delivery(files, all_rows(ct, query_id))


def test_delivery_to_s3(local: LocalLake) -> None:
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="query-results")
        ct = local.client()
        query_id = ct.start_query(QueryStatement=SQL, DeliveryS3Uri="s3://query-results/team/")["QueryId"]
        described = finish(ct, query_id)
        assert described["DeliveryStatus"] == "SUCCESS"
        assert described["DeliveryS3Uri"].startswith("s3://query-results/team/AWSLogs/")
        prefix = described["DeliveryS3Uri"].removeprefix("s3://query-results/")
        listed = s3.list_objects_v2(Bucket="query-results", Prefix=prefix + "/")["Contents"]
        files = {
            o["Key"].rsplit("/", 1)[1]: s3.get_object(Bucket="query-results", Key=o["Key"])["Body"].read()
            for o in listed
        }
        check_delivery(files, all_rows(ct, query_id))


def test_a_missing_bucket_is_reported_and_the_results_kept(local: LocalLake) -> None:
    with mock_aws():
        ct = local.client()
        query_id = ct.start_query(QueryStatement=SQL, DeliveryS3Uri="s3://no-such-bucket-here")["QueryId"]
        described = finish(ct, query_id)
        assert described["QueryStatus"] == "FINISHED"
        assert described["DeliveryStatus"] == "RESOURCE_NOT_FOUND"
        assert len(all_rows(ct, query_id)) == 2500


@pytest.mark.parametrize("uri", ["s3://Bad_Bucket/x", "https://example.com/x", "file://relative/dir"])
def test_invalid_delivery_uris_are_refused_at_start(local: LocalLake, uri: str) -> None:
    with pytest.raises(ClientError) as e:
        local.client().start_query(QueryStatement=SQL, DeliveryS3Uri=uri)
    assert e.value.response["Error"]["Code"] == "InvalidS3BucketNameException"


def test_a_query_without_delivery_has_no_delivery_status(local: LocalLake) -> None:
    ct = local.client()
    described = finish(ct, ct.start_query(QueryStatement=SQL)["QueryId"])
    assert "DeliveryStatus" not in described and "DeliveryS3Uri" not in described


def test_csv_export_from_the_local_lake_goes_by_delivery(
    demo_lake: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from trailtui.cli import main
    from trailtui.local import delivery

    sql = (
        "SELECT '=1+1' AS formula, eventName, NULL AS nothing, 'a,\"b\"' || chr(10) || 'c' AS tricky "
        f"FROM {DEMO_STORE_ID} ORDER BY eventTime, eventID LIMIT 2500"
    )
    assert main(["query", "--format", "csv", sql]) == 0  # page by page, to standard output
    paged = capsys.readouterr().out
    monkeypatch.setattr(delivery, "FILE_ROWS", 1000)  # three result files

    monkeypatch.setattr(QueryRun, "pages", no_pages)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    target = tmp_path / "out.csv"
    assert main(["query", sql, "--output", str(target)]) == 0
    assert "wrote 2,500 rows" in capsys.readouterr().err
    with open(target, encoding="utf-8", newline="") as fh:
        assert fh.read() == paged
    assert list(csv.reader(io.StringIO(paged)))[1][0] == "'=1+1"  # formulas neutralised as before
    assert not list(scratch.iterdir())  # the delivered files are gone


@pytest.mark.parametrize("block", [7, 64, 1 << 20])
def test_export_from_delivered_files_is_the_paged_export_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    from trailtui.lake import delivered
    from trailtui.lake.export import write_results
    from trailtui.lake.results import QueryState, ResultPage
    from trailtui.local.delivery import Spool, csv_record

    monkeypatch.setattr(delivered, "BLOCK", block)  # rows cut across reads, quotes open at a cut
    values = [
        "",
        None,
        "-1",
        "+x",
        "@a",
        "\tx",
        "\rcr",
        "\nlf",
        "\uff1d2",
        '"=q,"',
        ",=",
        "a\r\nb",
        "é,☃",
        "x=1",
    ]
    rows = [[values[(i + j) % len(values)] for j in range(4)] for i in range(60)]
    if block == 64:
        rows.append(["nul\x00inside", "=", None, "-"])  # a block with a NUL takes the row-by-row way
    columns = ["=formula name", "b", "c,d", "e"]
    spool = Spool(columns)
    try:
        spool.write([csv_record(r) for r in rows[:30]])
        spool.write([csv_record(r) for r in rows[30:]])
        parts = spool.finish()
        assert all(p.stat().st_mode & 0o077 == 0 for p in [spool.folder, *parts])  # private to the user
        target = tmp_path / "out.csv"
        assert delivered.export_delivered(parts, target) == len(rows)
    finally:
        spool.discard()
    paged = io.StringIO(newline="")
    page = ResultPage(columns=columns, rows=rows, total=len(rows), next_token=None, status="FINISHED")
    write_results([page], paged, "csv", QueryState("q", "FINISHED"))
    assert target.read_bytes() == paged.getvalue().encode()
    assert not spool.folder.exists()


def test_csv_export_by_delivery_to_s3(
    local: LocalLake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from trailtui.commands import query as query_command
    from trailtui.connections import open_local

    sql = f"SELECT '-2' AS minus, eventName, NULL AS nothing FROM {DEMO_STORE_ID} ORDER BY eventTime, eventID LIMIT 1500"
    conn = open_local(local)
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="query-results")
        paged = io.StringIO()
        assert query_command.run_query(sql, "csv", None, conn, out=paged) == 0

        monkeypatch.setattr(QueryRun, "pages", no_pages)
        target = tmp_path / "out.csv"
        code = query_command.run_query(
            sql, "csv", str(target), conn, delivery_uri="s3://query-results/exports"
        )
        assert code == 0, capsys.readouterr().err
        listed = s3.list_objects_v2(Bucket="query-results", Prefix="exports/AWSLogs/")["Contents"]
        assert {o["Key"].rsplit("/", 1)[1] for o in listed} == {"result_1.csv.gz", "result_sign.json"}
    with open(target, encoding="utf-8", newline="") as fh:
        assert fh.read() == paged.getvalue()
    assert list(csv.reader(io.StringIO(paged.getvalue())))[1][0] == "'-2"


def test_delivery_on_aws_goes_only_to_s3(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from trailtui.commands.query import run_query
    from trailtui.connections import open_aws

    # Refused before any call: nothing listens at this endpoint.
    conn = open_aws(None, "us-east-1", endpoint_url="http://127.0.0.1:9")
    err = io.StringIO()
    code = run_query(
        "SELECT 1", "csv", str(tmp_path / "x.csv"), conn, err=err, delivery_uri=f"file://{tmp_path}"
    )
    assert code == 2
    assert "delivers results only to S3" in err.getvalue() and "--delivery-uri s3://" in err.getvalue()
    assert not (tmp_path / "x.csv").exists()


def test_exporting_a_delivered_query_reads_its_files(
    local: LocalLake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The explorer's export (ctrl+e) and `export_query` use the files of a query that was delivered."""
    from trailtui.lake.export import export_query

    ct = local.client()
    out = tmp_path / "delivered"
    out.mkdir()
    query_id = ct.start_query(QueryStatement=SQL, DeliveryS3Uri=f"file://{out}")["QueryId"]
    assert finish(ct, query_id)["DeliveryStatus"] == "SUCCESS"
    export_query(ct, query_id, tmp_path / "paged.json", "json")  # other formats still come by pages
    paged = tmp_path / "paged.csv"
    plain = ct.start_query(QueryStatement=SQL)["QueryId"]
    finish(ct, plain)
    assert export_query(ct, plain, paged) == 2500

    monkeypatch.setattr(QueryRun, "pages", no_pages)
    target = tmp_path / "from-files.csv"
    assert export_query(ct, query_id, target) == 2500
    assert target.read_bytes() == paged.read_bytes()


def test_a_link_planted_where_a_result_file_is_written_is_not_followed(tmp_path: Path) -> None:
    """The result files are written through a temporary file: one of a fixed name (`result_1.csv.gz.part`)
    followed a symbolic link someone planted in a folder others may write, and overwrote its target."""
    import os
    import stat

    from trailtui.local.delivery import local_put

    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    folder = tmp_path / "shared" / "q"
    folder.mkdir(parents=True)
    (folder / "result_1.csv.gz.part").symlink_to(victim)
    local_put(str(folder / "result_1.csv.gz"), b"rows")
    assert victim.read_text() == "keep me"
    assert (folder / "result_1.csv.gz").read_bytes() == b"rows"
    assert stat.S_IMODE(os.stat(folder / "result_1.csv.gz").st_mode) == 0o600
    assert sorted(p.name for p in folder.iterdir()) == [
        "result_1.csv.gz",
        "result_1.csv.gz.part",
    ]  # no leftovers
