"""Profiles, switching, identity and organization awareness, against `trailtui serve` endpoints that a
temporary AWS config points at: the management account (the demo's org store), a member account with no
stores, one with an expired session, one that denies ListEventDataStores, and one that is unreachable."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_tui import make_app, wait_for
from trailtui.aws.identity import Identity
from trailtui.aws.profiles import fuzzy_score, list_profiles
from trailtui.local.demo import DEMO_STORE_ID
from trailtui.local.faults import parse_faults
from trailtui.local.server import Credentials, make_server
from trailtui.local.service import LocalLake
from trailtui.paths import locations
from trailtui.tui.accounts import ORG_HINT, aws_key
from trailtui.tui.app import TrailApp
from trailtui.tui.editor import SqlEditor
from trailtui.tui.stores import StoresPane

KEY, SECRET = "AKIAACCOUNTSTEST01", "accounts-test-secret"


@pytest.fixture
def endpoints(demo_lake: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    made = []

    def serve(home: Path | None, account: str, faults: str = "") -> str:
        lake = LocalLake(locations(home) if home else None, account_id=account)
        server = make_server(
            lake.api, "127.0.0.1", 0, Credentials(KEY, SECRET), parse_faults(faults) if faults else None
        )
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
        made.append((server, lake))
        return server.url

    urls = {
        "mgmt": serve(None, "111122223333", "latency=300"),  # the demo lake: the organization store
        "member": serve(tmp_path / "member-home", "444455556666"),  # an empty lake: no stores
        "expired": serve(None, "111122223333", "expire-after=0"),
        "denied": serve(None, "111122223333", "deny=ListEventDataStores"),
        "gone": "http://127.0.0.1:9",
    }
    regions = {"mgmt": "us-east-1", "member": "eu-west-1"}
    config = tmp_path / "aws-config"
    creds = tmp_path / "aws-credentials"
    lines = []
    for name, url in urls.items():
        lines += [
            f"[profile {name}]",
            f"region = {regions.get(name, 'us-east-1')}",
            f"endpoint_url = {url}",
            "",
        ]
    lines += [
        "[profile sso-user]",
        "sso_session = corp",
        "sso_account_id = 111122223333",
        "sso_role_name = Admin",
        "region = eu-west-1",
        "",
        "[sso-session corp]",
        "sso_start_url = https://corp.awsapps.com/start",
        "sso_region = eu-west-1",
        "",
        "[profile chained]",
        "role_arn = arn:aws:iam::444455556666:role/x",
        "source_profile = mgmt",
        "",
    ]
    config.write_text("\n".join(lines))
    creds.write_text(
        "\n".join(f"[{n}]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n" for n in urls)
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(creds))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    for var in (
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL",
    ):
        monkeypatch.delenv(var, raising=False)
    yield urls
    for server, lake in made:
        server.shutdown()
        server.server_close()
        lake.close()


def app_for(**kwargs: Any) -> TrailApp:
    app = make_app()
    app.requested = (kwargs.get("profile"), kwargs.get("region"))
    return app


async def switch(pilot: Any, profile: str) -> str:
    await pilot.press("f4", "colon", *f"profile {profile}", "enter")
    key = pilot.app.aws_key_current
    assert key is not None and key.startswith(f"aws:{profile}@")
    return key


def aws_group_text(app: TrailApp) -> str:
    pane = app.query_one(StoresPane)
    group = pane._groups["aws"]
    return " ".join(str(c.label) for c in group.children)


def test_profiles_are_listed_as_botocore_resolves_them(endpoints: dict[str, str]) -> None:
    profiles = {p.name: p for p in list_profiles()}
    assert {"mgmt", "member", "expired", "denied", "gone", "sso-user", "chained"} <= set(profiles)
    assert profiles["member"].region == "eu-west-1" and profiles["sso-user"].kind == "sso"
    assert profiles["chained"].kind == "assume-role" and profiles["mgmt"].kind == "keys"
    assert fuzzy_score("mbr", "member") is not None and fuzzy_score("xyz", "member") is None


async def test_switching_shows_each_identity_and_its_stores(endpoints: dict[str, str]) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_for(pilot, lambda: app.current_store is not None)
        started = time.monotonic()
        key = await switch(pilot, "mgmt")
        await wait_for(
            pilot, lambda: isinstance(app.identities.get(key), Identity) and app.current_store is not None
        )
        elapsed = time.monotonic() - started
        identity = app.identities[key]
        assert identity.account == "111122223333" and identity.arn.endswith(":user/trailtui-serve")
        assert app.current_conn == key and app.current_store.id == DEMO_STORE_ID
        context = str(app.query_one("#context").render())
        assert "profile mgmt" in context and "account 111122223333" in context and identity.arn in context
        assert "org-events [org]" in aws_group_text(app)
        assert elapsed < 10, elapsed
        key = await switch(pilot, "member")
        await wait_for(
            pilot,
            lambda: isinstance(app.identities.get(key), Identity) and ORG_HINT[:30] in aws_group_text(app),
        )
        assert app.identities[key].account == "444455556666" and app.current_store is None
        assert "eu-west-1" in str(app.query_one("#context").render())


async def test_a_running_query_finishes_on_its_own_connection(endpoints: dict[str, str]) -> None:
    app = app_for(profile="mgmt")
    async with app.run_test(size=(160, 40)) as pilot:
        mgmt = aws_key("mgmt", "us-east-1")
        await wait_for(pilot, lambda: app.current_conn == mgmt and app.current_store is not None)
        app.query_one(
            SqlEditor
        ).text = f"SELECT eventName FROM {DEMO_STORE_ID} WHERE eventTime > '2026-11-20' LIMIT 50"
        await pilot.press("ctrl+j")
        run = app.runs[app.current_run]
        app._run_command(
            "profile member"
        )  # `:profile member` while it runs (every call to mgmt takes 300 ms)
        await pilot.pause()
        assert app.aws_key_current.startswith("aws:member@")
        assert run.active and run.connection_key == mgmt
        await wait_for(pilot, lambda: run.complete)
        assert run.status == "FINISHED" and run.loaded == 50
        assert app.history.get(run.history_id).connection == mgmt


async def test_expired_session_names_the_login_command(endpoints: dict[str, str]) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await switch(pilot, "expired")
        await wait_for(pilot, lambda: "aws sso login --profile expired" in aws_group_text(app))
        assert "aws sso login --profile expired" in str(app.query_one("#context").render())


async def test_access_denied_names_the_missing_permission(endpoints: dict[str, str]) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await switch(pilot, "denied")
        await wait_for(pilot, lambda: "cloudtrail:ListEventDataStores" in aws_group_text(app))
        assert "Access denied" in aws_group_text(app)


async def test_unreachable_endpoint_says_so_and_the_app_stays_usable(endpoints: dict[str, str]) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_for(pilot, lambda: app.current_store is not None)
        await switch(pilot, "gone")
        await wait_for(pilot, lambda: "Cannot reach" in aws_group_text(app), timeout=60)
        await pilot.press("colon", *"local", "enter")
        await wait_for(pilot, lambda: app.current_conn == "local" and app.current_store is not None)


async def test_memory_per_profile(endpoints: dict[str, str]) -> None:
    app = app_for(profile="mgmt")
    async with app.run_test(size=(160, 40)) as pilot:
        mgmt = aws_key("mgmt", "us-east-1")
        await wait_for(pilot, lambda: app.current_conn == mgmt and app.current_store is not None)
        app.query_one(SqlEditor).text = "-- mgmt work in progress"
        await switch(pilot, "member")
        app.query_one(SqlEditor).text = "-- member work"
        await switch(pilot, "mgmt")
        await wait_for(pilot, lambda: app.current_store is not None and app.current_conn == mgmt)
        await wait_for(pilot, lambda: app.query_one(SqlEditor).text == "-- mgmt work in progress")
        assert app.current_store.id == DEMO_STORE_ID
        assert app.memory.recent()[:2] == ["member", "mgmt"]


async def test_profile_colour_and_read_only_marker(endpoints: dict[str, str]) -> None:
    where = locations()
    where.settings_file.write_text('[profiles.mgmt]\ncolor = "red"\nread_only = true\n')
    app = app_for(profile="mgmt")
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.identities.get(app.aws_key_current), Identity))
        rendered = app.context_text()
        assert "READ-ONLY" in rendered.plain
        assert any("red" in str(span.style) for span in rendered.spans)
