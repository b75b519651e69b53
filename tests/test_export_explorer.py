"""The explorer's results out: `:deliver` saves each query's whole results as files (StartQuery's
DeliveryS3Uri), the status line tells how that went, and ctrl+e makes its CSV from those files (downloaded
from S3 for an AWS profile, read from the folder on the local lake) rather than page by page; a query
that was not delivered, or whose delivery failed, is exported page by page (saying why), never run
again. What the user sees, through the explorer driver."""

from __future__ import annotations

import socket
import stat
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.awsenv import running_moto, use_keys
from tests.explorer import Explorer, explorer
from tests.serving import serving_as_profile
from tests.test_athena_aws import moto_server, moto_url
from tests.test_delivery import finish, local
from trailtui.lake import delivered
from trailtui.lake.export import FromFiles, export_query
from trailtui.lake.query import QueryRun
from trailtui.local.demo import DEMO_STORE_ID
from trailtui.local.service import LocalLake

SQL = (
    f"SELECT eventTime, eventName, '=1+1' AS formula, errorCode FROM {DEMO_STORE_ID} "
    "WHERE eventTime > '2026-11-20 00:00:00' ORDER BY eventTime, eventID LIMIT 2500"
)
KEY, SECRET = "AKIAEXPORTEXPLORER01", "export-explorer-secret"
__all__ = ["local", "moto_server", "moto_url"]  # fixtures


def no_pages(*_: Any, **__: Any) -> Any:
    raise AssertionError("the export should come from the delivered files, not from pages")


async def export_without_pages(
    ex: Explorer, target: Path, rows: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ctrl+e to `target`, with GetQueryResults paging made to fail: the export must come from files."""
    with monkeypatch.context() as patched:
        patched.setattr(QueryRun, "pages", no_pages)
        await ex.export(target)
        await ex.wait_until(
            lambda: ex.notified(f"Exported {rows} rows to {target}"), what=str(ex.notifications)
        )


def paged_csv(lake: LocalLake, query_id: str, target: Path) -> bytes:
    """The CSV the export wrote before delivery existed: every page through GetQueryResults."""
    export_query(lake.client(), query_id, target, files=None)
    return target.read_bytes()


def private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) & 0o077 == 0


def queries_of(lake: LocalLake) -> int:
    arn = lake.client().get_event_data_store(EventDataStore=DEMO_STORE_ID)["EventDataStoreArn"]
    return len(lake.client().list_queries(EventDataStore=arn)["Queries"])


async def test_local_saved_results_make_the_export_and_the_setting_is_remembered(
    demo_lake: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lake = LocalLake()
    folder = tmp_path / "saved results"
    try:
        async with explorer((80, 24), local_lake=lake) as ex:
            await ex.ready()
            await ex.command(f"deliver {folder}", paste=True)
            await ex.wait_until(lambda: ex.notified(f"now also save their whole results to file://{folder}"))
            q = await ex.run(SQL)
            await ex.wait_until(lambda: "delivery SUCCESS" in ex.status_line, what=ex.status_line)
            assert ex.notified(f"were saved to file://{folder}/AWSLogs/")
            (result,) = [p.parent for p in folder.rglob("result_sign.json")]
            assert result.name == q.query_id and (result / "result_1.csv.gz").exists()
            reference = paged_csv(lake, q.query_id or "", tmp_path / "paged.csv")

            target = tmp_path / "from-files.csv"
            await export_without_pages(ex, target, "2,500", monkeypatch)
            assert target.read_bytes() == reference and private(target)
            assert b"'=1+1" in reference  # formulas neutralised, as every CSV export
            assert not list(tmp_path.glob("*.part"))

        async with explorer((80, 24), local_lake=lake) as ex:  # a new session remembers the setting
            await ex.ready()
            await ex.command("deliver")
            await ex.wait_until(lambda: ex.notified(f"save their results to file://{folder}"))
            await ex.command("deliver off")
            await ex.wait_until(lambda: ex.notified("no longer save their results"))
            q = await ex.run(SQL.replace("LIMIT 2500", "LIMIT 1800"))
            assert "delivery" not in ex.status_line
            reference = paged_csv(lake, q.query_id or "", tmp_path / "paged-2.csv")
            before = queries_of(lake)
            target = tmp_path / "paged-3.csv"  # not delivered: page by page
            await ex.export(target)
            await ex.wait_until(
                lambda: ex.notified(f"Exported 1,800 rows to {target}"), what=str(ex.notifications)
            )
            assert target.read_bytes() == reference
            assert queries_of(lake) == before  # no query was run again
            assert len(list(folder.rglob("result_sign.json"))) == 1  # nothing more saved there
    finally:
        lake.close()


@pytest.fixture
def lake_profile(
    demo_lake: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[LocalLake, Any]]:
    """An AWS profile `lake` whose CloudTrail endpoint is the demo lake served over HTTP (standing in for
    CloudTrail Lake, which delivers with its own credentials), and S3 on moto's server: (lake, S3 client)."""
    with running_moto() as s3_url:
        use_keys(monkeypatch, region=None, AWS_ENDPOINT_URL_S3=s3_url)  # the serving lake delivers with these
        lake = LocalLake()
        with serving_as_profile(lake, tmp_path, monkeypatch, KEY, SECRET):
            s3 = boto3.client("s3", endpoint_url=s3_url, region_name="us-east-1")
            s3.create_bucket(Bucket="query-results")
            yield lake, s3


async def _on_profile(ex: Explorer) -> None:
    await ex.wait_until(lambda: "profile lake" in ex.context and ex.stores("aws"), 60, "the profile's stores")
    ex.editor.cursor_blink = False


async def test_results_saved_to_s3_on_a_lake_profile_make_the_export(
    lake_profile: tuple[LocalLake, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lake, s3 = lake_profile
    async with explorer((80, 24), local_lake=lake, profile="lake") as ex:
        await _on_profile(ex)
        await ex.command(f"deliver {tmp_path}", paste=True)
        await ex.wait_until(lambda: ex.notified("saves results only to S3", "error"))
        await ex.command("deliver s3://Query_Results")
        await ex.wait_until(lambda: ex.notified("is not an S3 location", "error"))

        await ex.command("deliver s3://query-results/team/")
        await ex.wait_until(
            lambda: ex.notified("now also save their whole results to s3://query-results/team")
        )
        q = await ex.run(SQL)
        await ex.wait_until(lambda: "delivery SUCCESS" in ex.status_line, what=ex.status_line)
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket="query-results")["Contents"]]
        assert {k.rsplit("/", 1)[1] for k in keys} == {"result_1.csv.gz", "result_sign.json"}
        assert all(k.startswith("team/AWSLogs/") and q.query_id in k for k in keys)
        reference = paged_csv(lake, q.query_id or "", tmp_path / "paged.csv")
        target = tmp_path / "from-s3.csv"
        await export_without_pages(ex, target, "2,500", monkeypatch)
        assert ex.notified("Downloading the delivered results from s3://query-results/team/AWSLogs/")
        assert target.read_bytes() == reference and private(target)

        # To an S3 object: uploaded with the profile's credentials; an object already there is kept.
        uri = "s3://query-results/cases/findings.csv"
        await ex.export(uri)
        await ex.wait_until(lambda: ex.notified(f"Exported 2,500 rows to {uri}"), what=str(ex.notifications))
        body = s3.get_object(Bucket="query-results", Key="cases/findings.csv")["Body"].read()
        assert body == reference
        await ex.export(uri)
        await ex.wait_until(lambda: ex.notified("already exists", "error"), what=str(ex.notifications))
        assert ex.notified("nothing was replaced", "error")

        # A delivery that fails is told, and the export reads the pages instead (nothing is run again).
        await ex.command("deliver s3://no-such-bucket-here")
        q = await ex.run(SQL)
        await ex.wait_until(lambda: "delivery RESOURCE_NOT_FOUND" in ex.status_line, what=ex.status_line)
        assert ex.notified("ended RESOURCE_NOT_FOUND", "warning")
        target = tmp_path / "paged-anyway.csv"
        await ex.export(target)
        await ex.wait_until(
            lambda: ex.notified(f"Exported 2,500 rows to {target}"), what=str(ex.notifications)
        )
        assert ex.notified("The results delivery ended RESOURCE_NOT_FOUND; reading the results page by page")
        assert target.read_bytes() == reference


def test_cli_output_on_a_lake_profile_downloads_the_delivery(
    lake_profile: tuple[LocalLake, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`trailtui query --profile P --delivery-uri s3://... --output x.csv`: the CSV from the delivered files."""
    from trailtui.cli import main

    monkeypatch.setattr(QueryRun, "pages", no_pages)
    target = tmp_path / "cli.csv"
    code = main(
        [
            "query",
            "--profile",
            "lake",
            "--delivery-uri",
            "s3://query-results/cli",
            "--output",
            str(target),
            SQL,
        ]
    )
    assert code == 0
    _, s3 = lake_profile
    assert any(
        o["Key"].startswith("cli/AWSLogs/") for o in s3.list_objects_v2(Bucket="query-results")["Contents"]
    )
    assert target.read_text(encoding="utf-8").count("\n") == 2501


def test_unreadable_delivered_files_fall_back_to_pages_saying_why(local: LocalLake, tmp_path: Path) -> None:
    """Delivered, but the user may not read the bucket (or the credentials expired): the export is paged,
    and the notice says why."""
    from moto import mock_aws

    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="query-results")
        ct = local.client()
        query_id = ct.start_query(QueryStatement=SQL, DeliveryS3Uri="s3://query-results/x")["QueryId"]
        assert finish(ct, query_id)["DeliveryStatus"] == "SUCCESS"

        def denied() -> Any:
            raise ClientError(
                {"Error": {"Code": "AccessDenied", "Message": "Access Denied"}}, "ListObjectsV2"
            )

        told: list[str] = []
        rows = export_query(ct, query_id, tmp_path / "x.csv", files=FromFiles(s3=denied, notice=told.append))
    assert rows == 2500 and (tmp_path / "x.csv").read_text().count("\n") == 2501
    assert any("AccessDenied" in t and "page by page" in t for t in told), told


async def test_a_query_on_an_athena_table_says_it_was_not_saved(
    moto_url: str, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`:deliver` on a profile whose store is an Athena table: Athena keeps its results in its own output
    location, so the explorer says the results were not saved instead of showing a delivery PENDING for good."""
    from tests.test_accounts import aws_stores_text
    from tests.test_athena_aws import REGION, _config, _create, _org_trail, _seed_results

    _org_trail(moto_url)
    assert _create(capsys)[0] == 0
    _config(home, '[athena]\noutput_location = "s3://results/trailtui/"\n')
    _seed_results(moto_url, [["GetObject", "3"]], ["eventname", "_col1"])
    async with explorer((80, 24), region=REGION) as ex:
        await ex.wait_until(lambda: "trail.logs [Athena]" in aws_stores_text(ex), timeout=60)
        await ex.command("deliver s3://results/saved")
        await ex.wait_until(lambda: ex.notified("now also save their whole results to s3://results/saved"))
        await ex.start("SELECT eventName, count(*) FROM trail.logs WHERE eventTime > '2026-11-01' GROUP BY 1")
        q = await ex.finished(60)
        assert q.status == "FINISHED" and q.loaded == 1
        await ex.wait_until(
            lambda: ex.notified("were not saved as files", "warning"), what=str(ex.notifications)
        )
        assert "delivery" not in ex.status_line


@contextmanager
def stalled_s3() -> Iterator[str]:
    """An S3 endpoint that takes connections and never answers (a bucket behind a dead proxy): a delivery to
    it stays PENDING until the endpoint goes away (then it fails, and the lake can close)."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    held: list[socket.socket] = []
    stop = threading.Event()

    def hold() -> None:
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        holder.join()
        listener.close()
        for conn in held:
            conn.close()


async def test_export_while_the_delivery_is_pending_reads_the_pages_after_a_bounded_wait(
    demo_lake: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ctrl+e on a finished query whose results delivery stays PENDING (its bucket never answers): the export
    says it waits, for at most DELIVERY_WAIT, then says so and reads the pages; it does not hang."""
    monkeypatch.setattr(delivered, "DELIVERY_WAIT", 2.0)
    use_keys(monkeypatch, region=None)
    lake = LocalLake()
    try:
        with stalled_s3() as s3_url:
            monkeypatch.setenv("AWS_ENDPOINT_URL_S3", s3_url)
            async with explorer((80, 24), local_lake=lake) as ex:
                await ex.ready()
                await ex.command("deliver s3://query-results/pending")
                await ex.wait_until(lambda: ex.notified("now also save their whole results to s3://"))
                q = await ex.run(SQL)
                await ex.wait_until(lambda: "delivery PENDING" in ex.status_line, what=ex.status_line)
                target = tmp_path / "while-pending.csv"
                started = time.monotonic()
                await ex.export(target)
                await ex.wait_until(
                    lambda: ex.notified(f"Exported 2,500 rows to {target}"), 30, str(ex.notifications)
                )
                assert time.monotonic() - started < 15
                assert ex.notified("Waiting for the results delivery to end (at most 2 s, then page by page)")
                assert ex.notified(
                    "The results delivery is still PENDING after 2 s; reading the results page by page",
                    "warning",
                )
                assert "delivery PENDING" in ex.status_line  # the delivery itself goes on
                assert target.read_bytes() == paged_csv(lake, q.query_id or "", tmp_path / "paged.csv")
    finally:
        lake.close()
