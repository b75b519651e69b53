"""The explorer's store screens on the local lake: create, edit (rename, retention, termination protection),
delete with confirmation (refused while protected) and restore, driven by keys as a user would."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.awsenv import running_moto, use_keys
from tests.explorer import Explorer, explorer
from tests.logfiles import record, trail_key
from tests.serving import serving_as_profile
from trailtui.local.service import LocalLake
from trailtui.paths import locations
from trailtui.tui.stores import StoresPane

KEY, SECRET = "AKIASTORESCREENS01", "store-screens-secret"


def _store(ex: Explorer, name: str) -> Any:
    return next((s for s in ex.app.main.query_one(StoresPane).all_stores() if s.name == name), None)


async def test_create_edit_delete_restore_from_the_explorer(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.command("create case-1")
        await ex.press("tab", *"30", "enter")  # retention; termination protection stays on
        await ex.wait_until(lambda: _store(ex, "case-1") is not None)
        made = _store(ex, "case-1").details
        assert made["RetentionPeriod"] == 30 and made["TerminationProtectionEnabled"] is True
        assert made["Status"] == "ENABLED"

        await ex.command("store case-1")
        await ex.wait_until(lambda: "store case-1" in ex.context)
        await ex.command("delete")
        await ex.wait_until(lambda: ex.notified("termination protection"))
        assert _store(ex, "case-1").details["Status"] == "ENABLED"  # nothing was deleted

        await ex.command("edit")
        await ex.press("end", "ctrl+u", *"case-one", "tab", "tab", "space", "shift+tab", "enter")
        await ex.wait_until(lambda: _store(ex, "case-one") is not None)
        assert _store(ex, "case-one").details["TerminationProtectionEnabled"] is False
        await ex.wait_until(lambda: "store case-one" in ex.context)

        await ex.command("delete")
        await ex.press("n")  # the confirmation, declined
        await ex.pilot.pause(0.3)
        assert _store(ex, "case-one").details["Status"] == "ENABLED"
        await ex.command("delete")
        await ex.press("y")
        await ex.wait_until(lambda: _store(ex, "case-one").details["Status"] == "PENDING_DELETION")

        await ex.command("restore")
        await ex.wait_until(lambda: _store(ex, "case-one").details["Status"] == "ENABLED")

        await ex.command("create org-events")
        await ex.press("enter")  # a name already taken
        await ex.wait_until(lambda: ex.notified("already exists"))


@pytest.fixture
def lake_profile(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An AWS profile `lake` whose CloudTrail endpoint is a local lake served over HTTP (standing in for
    CloudTrail Lake), with an S3 bucket of trail logs on moto's server for its imports."""
    with running_moto() as s3_url:
        use_keys(monkeypatch, region=None, AWS_ENDPOINT_URL_S3=s3_url)  # the serving lake reads the bucket so
        s3 = boto3.client("s3", endpoint_url=s3_url, region_name="us-east-1")
        s3.create_bucket(Bucket="trail-bucket")
        day = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%d")
        recs = [record(i, eventTime=f"{day}T10:{i:02d}:00Z") for i in range(6)]
        s3.put_object(
            Bucket="trail-bucket",
            Key="t/" + trail_key("123456789012", "us-east-1", day),
            Body=gzip.compress(json.dumps({"Records": recs}).encode()),
        )
        lake = LocalLake(locations(tmp_path / "remote-home"), account_id="444455556666")
        with serving_as_profile(lake, tmp_path, monkeypatch, KEY, SECRET):
            yield "lake"


async def test_store_and_lake_import_on_an_aws_profile(lake_profile: str) -> None:
    async with explorer((100, 30), profile=lake_profile) as ex:
        await ex.wait_until(lambda: "profile lake" in ex.context and "account 444455556666" in ex.context)
        await ex.command("create evidence")
        await ex.press("enter")
        await ex.wait_until(lambda: _store(ex, "evidence") is not None)
        assert "evidence" in ex.stores("aws")
        await ex.command("store evidence")
        await ex.wait_until(lambda: "store evidence" in ex.context)
        await ex.command("import s3://trail-bucket/t")
        await ex.press("tab", "tab", *"arn:aws:iam::444455556666:role/lake-import", "enter")
        await ex.wait_until(lambda: ex.notified("Import COMPLETED: 1 files, 6 events"))
        await ex.command("delete")  # protected by default on Lake
        await ex.wait_until(lambda: ex.notified("termination protection"))
