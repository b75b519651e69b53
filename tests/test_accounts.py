"""Profiles, switching, identity and organization awareness, against `trailtui serve` endpoints that a
temporary AWS config points at: the management account (the demo's org store), a member account with no
stores, one with an expired session, one that denies ListEventDataStores, and one that is unreachable."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from tests.awsenv import aws_files
from tests.explorer import Explorer, explorer
from tests.serving import serving
from trailtui.aws.memory import ProfileMemory
from trailtui.aws.profiles import fuzzy_score, list_profiles
from trailtui.cli import main
from trailtui.lake.connection import ConnectionKey
from trailtui.lake.history import History
from trailtui.local.demo import DEMO_STORE_ID
from trailtui.local.service import LocalLake
from trailtui.paths import locations
from trailtui.tui.accounts import ORG_HINT
from trailtui.tui.dialogs import ConfirmScreen
from trailtui.tui.history import HistoryScreen

KEY, SECRET = "AKIAACCOUNTSTEST01", "accounts-test-secret"


@pytest.fixture
def endpoints(demo_lake: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    servers = ExitStack()

    def serve(home: Path | None, account: str, faults: str = "", region: str = "us-east-1") -> str:
        # serve answers for one Region, as AWS does: a profile must sign for the Region it is served in
        lake = LocalLake(locations(home) if home else None, account_id=account, region=region)
        return str(servers.enter_context(serving(KEY, SECRET, faults, lake=lake)).url)

    urls = {
        "mgmt": serve(None, "111122223333", "latency=300"),  # the demo lake: the organization store
        "member": serve(tmp_path / "member-home", "444455556666", region="eu-west-1"),  # an empty lake
        "expired": serve(None, "111122223333", "expire-after=0"),
        "denied": serve(None, "111122223333", "deny=ListEventDataStores"),
        "gone": "http://127.0.0.1:9",
    }
    regions = {"mgmt": "us-east-1", "member": "eu-west-1"}
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
    credentials = (f"[{n}]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n" for n in urls)
    aws_files(monkeypatch, tmp_path, "\n".join(lines), "\n".join(credentials))
    with servers:
        yield urls


def aws_stores_text(ex: Explorer) -> str:
    """The AWS group of the stores pane (the second group, after the local lake)."""
    return ex.stores_text(1)


def test_profiles_are_listed_as_botocore_resolves_them(endpoints: dict[str, str]) -> None:
    profiles = {p.name: p for p in list_profiles()}
    assert {"mgmt", "member", "expired", "denied", "gone", "sso-user", "chained"} <= set(profiles)
    assert profiles["member"].region == "eu-west-1" and profiles["sso-user"].kind == "sso"
    assert profiles["chained"].kind == "assume-role" and profiles["mgmt"].kind == "keys"
    assert fuzzy_score("mbr", "member") is not None and fuzzy_score("xyz", "member") is None


async def test_switching_shows_each_identity_and_its_stores(endpoints: dict[str, str]) -> None:
    async with explorer((160, 40)) as ex:
        await ex.ready()
        started = time.monotonic()
        await ex.command("profile mgmt")
        await ex.wait_until(lambda: "account 111122223333" in ex.context and "store org-events" in ex.context)
        elapsed = time.monotonic() - started
        assert "profile mgmt" in ex.context and ":user/trailtui-serve" in ex.context
        assert "org-events [org]" in aws_stores_text(ex)
        assert elapsed < 10, elapsed
        await ex.command("profile member")
        await ex.wait_until(
            lambda: "account 444455556666" in ex.context and ORG_HINT[:30] in aws_stores_text(ex)
        )
        assert "store " not in ex.context and "eu-west-1" in ex.context


async def test_a_running_query_finishes_on_its_own_connection(endpoints: dict[str, str]) -> None:
    async with explorer((160, 40), profile="mgmt") as ex:
        await ex.wait_until(lambda: "profile mgmt" in ex.context and "store org-events" in ex.context)
        await ex.start(f"SELECT eventName FROM {DEMO_STORE_ID} WHERE eventTime > '2026-11-20' LIMIT 50")
        await ex.command("profile member")  # while it runs (every call to mgmt takes 300 ms)
        await ex.wait_until(lambda: "profile member" in ex.context)
        assert "AWS mgmt (us-east-1)" in ex.status_line
        q = await ex.finished()
        assert q.status == "FINISHED" and q.loaded == 50
    entry = History(locations().history_db).search()[0]
    assert entry.key == ConnectionKey.aws("mgmt", "us-east-1") and entry.query_id == q.query_id
    assert (entry.profile, entry.region, entry.status) == ("mgmt", "us-east-1", "FINISHED")


async def test_an_unbounded_query_on_aws_asks_first(endpoints: dict[str, str]) -> None:
    # Lake bills every byte an unbounded query scans: the explorer asks before it runs one on AWS.
    async with explorer((160, 40), profile="mgmt") as ex:
        await ex.wait_until(lambda: "store org-events" in ex.context)
        for sql in (
            f"SELECT count(*) FROM {DEMO_STORE_ID}",
            f"SELECT eventTime > '2026-11-20' AS recent FROM {DEMO_STORE_ID}",  # compares, bounds nothing
            f"SELECT eventName FROM {DEMO_STORE_ID} WHERE eventTime > '2026-11-20' OR 1 = 1",
        ):
            ex.editor.text = sql
            await ex.press("ctrl+j")
            await ex.wait_until(lambda: isinstance(ex.screen, ConfirmScreen), what=sql)
            await ex.press("n")
            await ex.wait_until(lambda: not isinstance(ex.screen, ConfirmScreen))
        assert "No query yet" in ex.status_line  # none of them ran
        ex.editor.text = f"SELECT count(*) AS n FROM {DEMO_STORE_ID}"
        await ex.press("ctrl+j")
        await ex.wait_until(lambda: isinstance(ex.screen, ConfirmScreen))
        await ex.press("y")  # asked, and answered yes: it runs
        q = await ex.finished()
        assert q.status == "FINISHED" and q.rows == [["105000"]]
        q = await ex.run(f"SELECT count(*) AS n FROM {DEMO_STORE_ID} WHERE eventTime > '2026-11-20'")
        assert q.status == "FINISHED"  # bounded: no question
    async with explorer((160, 40)) as ex:  # the local lake bills nothing: no question
        await ex.ready()
        q = await ex.run(f"SELECT count(*) AS n FROM {DEMO_STORE_ID}")
        assert q.status == "FINISHED" and q.rows == [["105000"]]


async def test_a_query_run_by_the_cli_on_a_profile_reopens_in_the_explorer(
    endpoints: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    sql = f"SELECT eventName, count(*) AS n FROM {DEMO_STORE_ID} WHERE eventTime > '2026-11-20' GROUP BY 1"
    assert main(["query", "--profile", "mgmt", "--format", "csv", sql]) == 0
    printed = capsys.readouterr().out.splitlines()[1:]
    async with explorer((160, 40), profile="mgmt") as ex:
        await ex.wait_until(lambda: "store org-events" in ex.context and "account 111122223333" in ex.context)
        await ex.press("ctrl+r")
        await ex.wait_until(lambda: isinstance(ex.screen, HistoryScreen))
        await ex.press("ctrl+o")  # the CLI's query, by its ID: no new query
        await ex.wait_until(lambda: "STARTING" in ex.status_line or "FINISHED" in ex.status_line)
        q = await ex.finished()
        assert q.status == "FINISHED" and q.error is None
        assert sorted(",".join(r) for r in q.rows) == sorted(printed)
        assert not ex.notified("is not open")


async def test_expired_session_names_the_login_command(endpoints: dict[str, str]) -> None:
    async with explorer((160, 40)) as ex:
        await ex.command("profile expired")
        await ex.wait_until(lambda: "aws sso login --profile expired" in aws_stores_text(ex))
        assert "aws sso login --profile expired" in ex.context


async def test_access_denied_names_the_missing_permission(endpoints: dict[str, str]) -> None:
    async with explorer((160, 40)) as ex:
        await ex.command("profile denied")
        await ex.wait_until(lambda: "cloudtrail:ListEventDataStores" in aws_stores_text(ex))
        assert "Access denied" in aws_stores_text(ex)


async def test_unreachable_endpoint_says_so_and_the_app_stays_usable(endpoints: dict[str, str]) -> None:
    async with explorer((160, 40)) as ex:
        await ex.ready()
        await ex.command("profile gone")
        await ex.wait_until(lambda: "Cannot reach" in aws_stores_text(ex), timeout=60)
        await ex.command("local")
        await ex.wait_until(lambda: "local lake" in ex.context and "store org-events" in ex.context)
        q = await ex.run(f"SELECT count(*) FROM {DEMO_STORE_ID} WHERE eventTime > '2026-11-26'")
        assert q.status == "FINISHED"


async def test_memory_per_profile(endpoints: dict[str, str]) -> None:
    async with explorer((160, 40), profile="mgmt") as ex:
        await ex.wait_until(lambda: "profile mgmt" in ex.context and "store org-events" in ex.context)
        ex.editor.text = "-- mgmt work in progress"
        await ex.command("profile member")
        await ex.wait_until(lambda: "profile member" in ex.context)
        ex.editor.text = "-- member work"
        await ex.command("profile mgmt")
        await ex.wait_until(lambda: "profile mgmt" in ex.context and "store org-events" in ex.context)
        await ex.wait_until(lambda: ex.editor.text == "-- mgmt work in progress")
    assert ProfileMemory(locations().state / "profiles.json").recent()[:2] == ["member", "mgmt"]


async def test_the_editor_left_on_a_connection_comes_back_at_once_and_says_so(
    endpoints: dict[str, str],
) -> None:
    """Back on a connection, its SQL replaces the editor's with a notice (ctrl+z undoes it), at the switch:
    restored when the profile's stores arrived, it replaced what the user had typed meanwhile."""
    async with explorer((80, 24)) as ex:
        await ex.ready()
        ex.editor.text = "-- local work"
        await ex.command("profile mgmt")
        await ex.wait_until(lambda: "profile mgmt" in ex.context and "store org-events" in ex.context)
        ex.editor.text = "-- mgmt work"
        await ex.command("local")
        await ex.wait_until(lambda: ex.editor_text == "-- local work", what="the local lake's SQL back")
        assert ex.notified("The editor has the SQL you left on the local lake")
        await ex.press("ctrl+z")
        await ex.wait_until(lambda: ex.editor_text == "-- mgmt work", what="ctrl+z to bring back what it had")
        ex.editor.text = "-- local again"
        await ex.command("profile mgmt")  # its stores take a while (300 ms a request)
        await ex.wait_until(lambda: ex.editor_text == "-- mgmt work", what="mgmt's SQL back at the switch")
        assert "store org-events" not in ex.context  # before the stores arrived
        ex.editor.text = "-- typed while mgmt opens"
        await ex.wait_until(lambda: "store org-events" in ex.context, what="mgmt's stores")
        await ex.pilot.pause(0.2)
        assert ex.editor_text == "-- typed while mgmt opens"


async def test_the_region_picker_starts_on_the_current_region(endpoints: dict[str, str]) -> None:
    """F11 then Enter (a reflex) stays in the Region in use; it went to the first of the list, af-south-1."""
    from trailtui.tui.picker import PickerScreen

    async with explorer((80, 24), profile="member") as ex:
        await ex.wait_until(lambda: "profile member" in ex.context and "eu-west-1" in ex.context)
        await ex.press("f11")
        await ex.wait_until(lambda: isinstance(ex.screen, PickerScreen), what="the Region picker")
        assert ex.picker_list[0] == "eu-west-1   current" and "af-south-1" in ex.picker_list[1:]
        await ex.press("enter")
        await ex.wait_until(lambda: not isinstance(ex.screen, PickerScreen))
        await ex.pilot.pause(0.3)
        assert "eu-west-1" in ex.context and "af-south-1" not in ex.context


async def test_profile_colour_and_read_only_marker(endpoints: dict[str, str]) -> None:
    where = locations()
    where.settings_file.write_text('[profiles.mgmt]\ncolor = "red"\nread_only = true\n')
    async with explorer((160, 40), profile="mgmt") as ex:
        await ex.wait_until(lambda: "account 111122223333" in ex.context)
        rendered = ex.context_text
        assert "READ-ONLY" in rendered.plain
        assert any("red" in str(span.style) for span in rendered.spans)
