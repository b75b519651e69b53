"""The explorer's store screens on the local lake: create, edit (rename, retention, termination protection),
delete with confirmation (refused while protected) and restore, driven by keys as a user would."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.logfiles import record, trail_key
from tests.test_tui import make_app, ready, wait_for
from trailtui.local.server import Credentials, make_server
from trailtui.local.service import LocalLake
from trailtui.paths import locations
from trailtui.tui.stores import StoresPane

KEY, SECRET = "AKIASTORESCREENS01", "store-screens-secret"


def _notes(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications]


def _store(app: Any, name: str) -> Any:
    return next((s for s in app.query_one(StoresPane).all_stores() if s.name == name), None)


async def test_create_edit_delete_restore_from_the_explorer(demo_lake: Any) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        app = await ready(pilot)
        await pilot.press("f4", "colon", *"create case-1", "enter")
        await pilot.press("tab", *"30", "enter")  # retention; termination protection stays on
        await wait_for(pilot, lambda: _store(app, "case-1") is not None)
        made = _store(app, "case-1").details
        assert made["RetentionPeriod"] == 30 and made["TerminationProtectionEnabled"] is True
        assert made["Status"] == "ENABLED"

        await pilot.press("f4", "colon", *"store case-1", "enter")
        await wait_for(pilot, lambda: app.current_store.name == "case-1")
        await pilot.press("f4", "colon", *"delete", "enter")
        await wait_for(pilot, lambda: any("termination protection" in n for n in _notes(app)))
        assert _store(app, "case-1").details["Status"] == "ENABLED"  # nothing was deleted

        await pilot.press("f4", "colon", *"edit", "enter")
        await pilot.press("end", "ctrl+u", *"case-one", "tab", "tab", "space", "shift+tab", "enter")
        await wait_for(pilot, lambda: _store(app, "case-one") is not None)
        assert _store(app, "case-one").details["TerminationProtectionEnabled"] is False
        await wait_for(pilot, lambda: app.current_store.name == "case-one")

        await pilot.press("f4", "colon", *"delete", "enter")
        await pilot.press("n")  # the confirmation, declined
        await pilot.pause(0.3)
        assert _store(app, "case-one").details["Status"] == "ENABLED"
        await pilot.press("f4", "colon", *"delete", "enter")
        await pilot.press("y")
        await wait_for(pilot, lambda: _store(app, "case-one").details["Status"] == "PENDING_DELETION")

        await pilot.press("f4", "colon", *"restore", "enter")
        await wait_for(pilot, lambda: _store(app, "case-one").details["Status"] == "ENABLED")

        await pilot.press("f4", "colon", *"create org-events", "enter", "enter")  # a name already taken
        await wait_for(pilot, lambda: any("already exists" in n for n in _notes(app)))


@pytest.fixture
def lake_profile(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An AWS profile `lake` whose CloudTrail endpoint is a local lake served over HTTP (standing in for
    CloudTrail Lake), with an S3 bucket of trail logs on moto's server for its imports."""
    from moto.server import ThreadedMotoServer

    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    s3_url = f"http://127.0.0.1:{moto._server.server_port}"
    for k, v in {
        "AWS_ACCESS_KEY_ID": "testing",  # the serving lake reads the bucket with the default chain
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_ENDPOINT_URL_S3": s3_url,
        "AWS_EC2_METADATA_DISABLED": "true",
    }.items():
        monkeypatch.setenv(k, v)
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
    server = make_server(lake.api, "127.0.0.1", 0, Credentials(KEY, SECRET))
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    config, creds = tmp_path / "aws-config", tmp_path / "aws-credentials"
    config.write_text(f"[profile lake]\nregion = us-east-1\nendpoint_url = {server.url}\n")
    creds.write_text(f"[lake]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(creds))
    yield "lake"
    server.shutdown()
    server.server_close()
    lake.close()
    moto.stop()


async def test_store_and_lake_import_on_an_aws_profile(lake_profile: str) -> None:
    app = make_app()
    app.requested = (lake_profile, None)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.current_conn.startswith("aws:lake@"))
        await pilot.press("f4", "colon", *"create evidence", "enter", "enter")
        await wait_for(pilot, lambda: _store(app, "evidence") is not None)
        assert _store(app, "evidence").connection == app.current_conn
        await pilot.press("f4", "colon", *"store evidence", "enter")
        await wait_for(pilot, lambda: app.current_store is not None and app.current_store.name == "evidence")
        await pilot.press("f4", "colon", *"import s3://trail-bucket/t", "enter")
        await pilot.press("tab", "tab", *"arn:aws:iam::444455556666:role/lake-import", "enter")
        await wait_for(pilot, lambda: any("Import COMPLETED: 1 files, 6 events" in n for n in _notes(app)))
        await pilot.press("f4", "colon", *"delete", "enter")  # protected by default on Lake
        await wait_for(pilot, lambda: any("termination protection" in n for n in _notes(app)))
