"""The demo organization: deterministic, big enough, internally consistent, with an incident to find."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta

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
from trailtui.local.demo.build import slices
from trailtui.local.lakefile import LakeFile

from .conftest import DEMO_ANCHOR


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


def test_first_run_is_usable_after_the_newest_day(lake: LakeFile) -> None:
    notices: list[str] = []
    first = ensure_demo(lake, notify=notices.append, background=True, count=3000)
    assert first is not None and first.store.event_count == 100  # the newest day; the rest is on its way
    builder = next(t for t in threading.enumerate() if t.name == "trailtui-demo")
    builder.join(timeout=120)
    assert (
        demo_is_complete(lake)
        and _q(lake, "SELECT count(DISTINCT eventtime::DATE) FROM EVENTS")[0][0] == DAYS
    )
    assert "newest day is ready" in notices[1] and "ready" in notices[-1] and "days..." in notices[2]


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
