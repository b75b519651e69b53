"""The demo organization: deterministic, big enough, internally consistent, with an incident to find."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from trailtui.local import firstrun
from trailtui.local.catalog import find_store
from trailtui.local.demo import (
    ACCOUNTS,
    DAYS,
    DEMO_STORE_ID,
    DEMO_STORE_NAME,
    INCIDENT_IP,
    MANAGEMENT,
    REGIONS,
    DemoGenerator,
    build_demo,
    demo_is_complete,
    ensure_demo,
)
from trailtui.local.demo.background import BuildNews, DemoBuilder
from trailtui.local.demo.build import demo_anchor, slices
from trailtui.local.lakefile import LakeFile
from trailtui.paths import Locations, locations
from trailtui.tui.editor import WELCOME_SQL

from .conftest import DEMO_ANCHOR
from .explorer import explorer


def test_same_anchor_same_events() -> None:
    a = DemoGenerator(datetime(2026, 1, 15), count=3000).events()
    b = DemoGenerator(datetime(2026, 1, 15), count=3000).events()
    c = DemoGenerator(datetime(2026, 1, 16), count=3000).events()
    assert json.dumps(a) == json.dumps(b)
    assert json.dumps(a) != json.dumps(c)


def test_any_day_alone_is_the_same_day() -> None:
    # The build makes the newest days first; a day made alone must equal the same day of the whole set.
    whole = DemoGenerator(datetime(2026, 1, 15), count=3000).events()
    alone = DemoGenerator(datetime(2026, 1, 15), count=3000)
    last, first = alone.day_events(DAYS - 1), alone.day_events(0)
    assert json.dumps(whole[-len(last) :]) == json.dumps(last)
    assert json.dumps(whole[: len(first)]) == json.dumps(first)
    # A hundred a day, more on the incident's day (the incident is kept whatever the count).
    assert 3000 <= len(whole) < 3100 and {e["eventTime"][:10] for e in last} == {"2026-01-14"}


def test_slices_cover_every_day_once_newest_first() -> None:
    parts = slices()
    assert sorted(d for part in parts for d in part) == list(range(DAYS))
    assert parts[0] == [DAYS - 1]  # the welcome query's newest rows come first


def test_a_stopped_build_is_completed_on_the_next_start(lake: LakeFile) -> None:
    anchor = datetime(2026, 3, 1)
    first = build_demo(lake, anchor, count=3000, max_slices=1)
    assert first.ok and first.store.event_count == 100  # the newest day, a hundred events
    assert not demo_is_complete(lake)
    # The next start (any day later) completes the same demo rather than starting another.
    notices: list[str] = []
    report = ensure_demo(lake, notify=notices.append)
    total = len(DemoGenerator(anchor, count=3000).events())
    assert report is not None and report.store.event_count == total and report.duplicates == 0
    assert demo_is_complete(lake) and ensure_demo(lake) is None
    (days, ids, last) = _q(
        lake, "SELECT count(DISTINCT eventtime::DATE), count(DISTINCT eventid), max(eventtime) FROM EVENTS"
    )[0]
    assert days == DAYS and ids == total and last < anchor
    assert any("ready" in n for n in notices)


def test_first_run_builder_makes_the_newest_day_then_the_rest_when_told(
    where: Locations, lake: LakeFile
) -> None:
    builder = DemoBuilder(where, count=3000)
    first = builder.newest_day()
    # The newest day is in the lake, and nothing more until the explorer says to go on.
    assert first == BuildNews(1, 100) and _q(lake, "SELECT count(*) FROM EVENTS")[0][0] == 100
    assert not demo_is_complete(lake)
    news = list(builder.rest())
    assert [n.days_done for n in news] == sorted({n.days_done for n in news}) and news[-1].ready
    total = len(DemoGenerator(demo_anchor(), count=3000).events())
    assert news[-1].events == total and builder.process.wait(timeout=30) == 0
    assert demo_is_complete(lake)
    assert _q(lake, "SELECT count(DISTINCT eventtime::DATE), count(*) FROM EVENTS")[0] == (DAYS, total)


def test_a_closed_explorer_stops_the_builder_and_the_next_start_completes_it(
    where: Locations, lake: LakeFile
) -> None:
    builder = DemoBuilder(where, count=3000)
    assert builder.newest_day() == BuildNews(1, 100)
    builder.stop()  # the explorer closed before the rest: the builder ends, the newest day stays
    assert builder.process.wait(timeout=30) == 0
    assert not demo_is_complete(lake) and _q(lake, "SELECT count(*) FROM EVENTS")[0][0] == 100
    again = DemoBuilder(where, count=3000)
    assert again.newest_day().days_done > 1  # the next slice (the newest day is not built twice)
    assert list(again.rest())[-1].ready and again.process.wait(timeout=30) == 0
    total = len(DemoGenerator(demo_anchor(), count=3000).events())
    assert demo_is_complete(lake) and _q(lake, "SELECT count(DISTINCT eventid) FROM EVENTS")[0][0] == total


async def test_first_run_in_the_explorer_shows_the_demo_growing_until_ready(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRAILTUI_DEMO_EVENTS", "3000")
    async with explorer() as ex:
        await ex.ready()
        assert DEMO_STORE_NAME in ex.stores("local")
        seen: list[str] = []  # the stores pane as the build goes (its progress is there, not in toasts)

        def ready() -> bool:
            seen.append(" ".join(" ".join(ex.stores_pane_lines()).split()))
            return ex.notified("is ready")

        await ex.wait_until(ready, 120, "the demo to be ready")
        total = len(DemoGenerator(demo_anchor(), count=3000).events())
        # The details pane follows the store as its slices land (it stayed at the first day's count).
        await ex.wait_until(lambda: f"{total:,}" in ex.store_details(), 30, "the details to show every event")
        progress = [s for s in seen if re.search(rf"Building the demo organization: \d+ of {DAYS} days", s)]
        assert progress, seen[:3]  # the progress of the slices, in between
        assert "Building" not in " ".join(ex.stores_pane_lines())  # gone once ready
        # The welcome query sees the whole last week (the newest day alone would be a seventh of it).
        week = _q(ex_lake(), "SELECT count(*) FROM EVENTS WHERE eventtime > now() - INTERVAL 7 DAY")[0][0]
        query = await ex.run(WELCOME_SQL)
        assert query.status == "FINISHED" and len(query.rows) == min(week, 1000) > 100


async def test_the_builder_started_before_the_explorer_loads_is_the_one_it_follows(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRAILTUI_DEMO_EVENTS", "3000")
    where = locations().ensure()
    firstrun.start(where)  # what `trailtui` does on a fresh machine, before importing the explorer
    async with explorer() as ex:
        await ex.ready()
        await ex.wait_until(lambda: ex.notified("is ready"), 120, "the demo to be ready")
        assert firstrun.take(where) is None  # adopted by the explorer, not left running beside another
    total = len(DemoGenerator(demo_anchor(), count=3000).events())
    assert _q(ex_lake(), "SELECT count(*), count(DISTINCT eventid) FROM EVENTS")[0] == (total, total)
    firstrun.start(where)  # a lake that exists is not a first run
    assert firstrun.take(where) is None


def ex_lake() -> LakeFile:
    return LakeFile(locations())


def _q(lake: LakeFile, sql: str) -> list[tuple]:
    with lake.reader() as con:
        store = find_store(con, DEMO_STORE_NAME, "lake")
        return con.execute(sql.replace("EVENTS", f"lake.{store.table_name}")).fetchall()


def test_demo_store_shape(demo_lake: LakeFile) -> None:
    with demo_lake.reader() as con:
        store = find_store(con, DEMO_STORE_NAME, "lake")
    assert store.id == DEMO_STORE_ID and store.organization_enabled and store.multi_region_enabled
    assert store.event_count >= 100_000
    assert store.first_event >= DEMO_ANCHOR - timedelta(days=30)
    assert store.last_event < DEMO_ANCHOR


def test_demo_invariants(demo_lake: LakeFile) -> None:
    (total, ids, accounts, regions, days) = _q(
        demo_lake,
        "SELECT count(*), count(DISTINCT eventid), list(DISTINCT recipientaccountid ORDER BY recipientaccountid), "
        "list(DISTINCT awsregion ORDER BY awsregion), count(DISTINCT eventtime::DATE) FROM EVENTS",
    )[0]
    assert total == ids >= 100_000
    assert accounts == sorted(ACCOUNTS)
    assert regions == sorted(REGIONS)
    assert days == 30
    # ARNs belong to the account they name, and the event is recorded in that account.
    mismatched = _q(
        demo_lake,
        "SELECT count(*) FROM EVENTS WHERE useridentity.type IN ('IAMUser', 'AssumedRole', 'Root') "
        "AND (split_part(useridentity.arn, ':', 5) <> useridentity.accountid "
        "OR useridentity.accountid <> recipientaccountid)",
    )[0][0]
    assert mismatched == 0
    kinds = dict(_q(demo_lake, "SELECT useridentity.type, count(*) FROM EVENTS GROUP BY 1"))
    assert {"IAMUser", "AssumedRole", "Root", "AWSService"} <= set(kinds)
    (reads, writes, denied, mfa_yes, mfa_no, service_events) = _q(
        demo_lake,
        "SELECT count(*) FILTER (readonly), count(*) FILTER (NOT readonly), "
        "count(*) FILTER (errorcode IN ('AccessDenied', 'Client.UnauthorizedOperation', 'AccessDeniedException')), "
        "count(*) FILTER (eventname = 'ConsoleLogin' AND additionaleventdata['MFAUsed'] = 'Yes'), "
        "count(*) FILTER (eventname = 'ConsoleLogin' AND additionaleventdata['MFAUsed'] = 'No'), "
        "count(*) FILTER (eventtype = 'AwsServiceEvent') FROM EVENTS",
    )[0]
    assert reads > writes > 0 and denied > 50 and mfa_yes > 0 and mfa_no > 0 and service_events > 0
    root = _q(
        demo_lake,
        f"SELECT count(*) FROM EVENTS WHERE useridentity.type = 'Root' AND recipientaccountid = '{MANAGEMENT}'",
    )
    assert root[0][0] > 0


def test_demo_incident_is_there_to_find(demo_lake: LakeFile) -> None:
    rows = _q(
        demo_lake,
        f"SELECT eventname, requestparameters FROM EVENTS WHERE sourceipaddress = '{INCIDENT_IP}' "
        "ORDER BY eventtime",
    )
    names = [r[0] for r in rows]
    for step in (
        "ListBuckets",
        "ListObjects",
        "GetObject",
        "CreateUser",
        "AttachUserPolicy",
        "CreateAccessKey",
        "StopLogging",
    ):
        assert step in names
    assert names.index("GetObject") < names.index("CreateUser") < names.index("StopLogging")
    attach = next(r[1] for r in rows if r[0] == "AttachUserPolicy")
    assert attach["policyArn"].endswith("AdministratorAccess")
    # The address is unusual: nothing else in the store ever came from it.
    assert _q(demo_lake, f"SELECT count(*) FROM EVENTS WHERE sourceipaddress = '{INCIDENT_IP}'")[0][0] == len(
        rows
    )
    assert len(rows) < 100
