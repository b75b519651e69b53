"""No silent side effects (issue 15 item 8): what the explorer does on the user's behalf, it says first.
Driven by keys through the explorer's driver; what is checked is what a user sees."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from tests.explorer import Explorer, explorer
from tests.logfiles import record, write_log
from tests.test_accounts import endpoints  # noqa: F401  (the fixture: `trailtui serve` as AWS profiles)
from trailtui.lake.history import History
from trailtui.lake.library import samples, saved_queries, time_window
from trailtui.lake.query import QueryRun
from trailtui.local.demo import DEMO_STORE_ID
from trailtui.local.service import LocalLake
from trailtui.paths import locations
from trailtui.tui.detail import DetailScreen
from trailtui.tui.dialogs import ConfirmScreen, PromptScreen
from trailtui.tui.library import LibraryScreen
from trailtui.tui.picker import PickerScreen
from trailtui.tui.stores import StoresPane


async def test_f11_on_the_local_lake_says_regions_belong_to_profiles(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.press("f11")
        await ex.wait_until(lambda: ex.notified("Regions belong to AWS profiles", "warning"))
        assert not isinstance(ex.screen, PickerScreen)  # no Region picker for some other profile
        assert "local lake" in ex.context
        await ex.command("region eu-west-1")
        await ex.wait_until(lambda: len([t for t in ex.notifications if "Regions belong" in t]) == 2)
        assert "local lake" in ex.context and "profile" not in ex.context


async def test_import_of_a_mistyped_path_names_the_reason_and_makes_no_store(
    demo_lake: Any, tmp_path: Path
) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        before = ex.stores("local")
        missing = tmp_path / "logs" / "2026" / "nope.json.gz"
        await ex.command(f"import {missing} --store typo", paste=True)
        await ex.wait_until(lambda: ex.notified("no such file or folder", "error"))
        message = next(t for t in ex.notifications if "no such file" in t)
        assert str(missing) in message and f"{tmp_path} exists" in message
        assert not ex.notified("Importing")
        assert ex.stores("local") == before  # no empty store "typo"


async def test_import_of_a_broken_file_names_the_file_and_why(demo_lake: Any, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json.gz"
    broken.write_bytes(b"\x1f\x8b this is not gzip")
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.command(f"import {broken} --store broken-logs", paste=True)
        await ex.wait_until(lambda: ex.notified("files rejected"), 60)
        message = next(t for t in ex.notifications if "files rejected" in t)
        assert "broken.json.gz: " in message  # the file, then the reason


async def _make_store(ex: Explorer, name: str, log: Path) -> None:
    """`:create NAME` without termination protection, then an import of `log` into it."""
    await ex.command(f"create {name}")
    await ex.press("tab", "tab", "space", "shift+tab", "enter")  # protection off, then save
    await ex.wait_until(lambda: name in ex.stores("local"))
    await ex.command(f"import {log} --store {name}", paste=True)
    await ex.wait_until(lambda: ex.notified(f"into {name} ("), 60)


async def test_drop_deletes_a_local_store_after_naming_it_and_its_events(
    demo_lake: Any, tmp_path: Path
) -> None:
    now = datetime.now(UTC)  # within the new store's retention period (events older are removed)
    recent = [record(n, eventTime=f"{now - timedelta(hours=n + 1):%Y-%m-%dT%H:%M:%SZ}") for n in range(3)]
    log = write_log(tmp_path / "three.json", recent)
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await _make_store(ex, "scratch", log)
        await ex.wait_until(lambda: _events(ex, "scratch") == 3, what=f"3 events: {ex.notifications}")

        await ex.command("drop scratch")
        await ex.wait_until(lambda: isinstance(ex.screen, ConfirmScreen))
        question = "\n".join(ex.screen_lines())
        assert "scratch" in question and "3 events" in question and "for good" in question
        await ex.press("n")
        assert "scratch" in ex.stores("local")  # declined: nothing happened

        await ex.command("drop scratch")
        await ex.wait_until(lambda: isinstance(ex.screen, ConfirmScreen))
        await ex.press("y")
        await ex.wait_until(lambda: "scratch" not in ex.stores("local"))
        assert ex.notified("Dropped the local store scratch")
        assert "org-events" in ex.stores("local")


async def test_drop_refuses_protected_unknown_and_aws_stores(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.command("drop org-events")  # the demo store has termination protection
        await ex.wait_until(lambda: ex.notified("termination protection", "error"))
        assert not isinstance(ex.screen, ConfirmScreen)
        await ex.command("drop no-such-store")
        await ex.wait_until(lambda: ex.notified("No local store no-such-store", "error"))
        assert ex.stores("local") == ["org-events"]


def _events(ex: Explorer, name: str) -> int | None:
    store = next((s for s in ex.app.main.query_one(StoresPane).all_stores() if s.name == name), None)
    return store.event_count if store is not None else None


def test_samples_that_list_events_select_event_id(demo_lake: Any) -> None:
    """So `e` (the whole event, by eventID) works on their results; aggregates have no event to open."""
    lake = LocalLake()
    listing = []
    try:
        store = next(s for s in lake.engine.stores() if s.id == DEMO_STORE_ID)
        start, end = time_window(store.first_event, store.last_event)
        for q in samples():
            if "GROUP BY" in q.sql.upper():
                continue
            listing.append(q.name)
            run = QueryRun(lake.client(), q.filled(store.id, start, end))
            run.start()
            state = run.wait(sleep=lambda s: time.sleep(min(s, 0.05)))
            assert state.status == "FINISHED", (q.name, state.error)
            columns = next(iter(run.pages()), None)
            assert columns is not None and "eventID" in columns.columns, q.name
    finally:
        lake.close()
    assert len(listing) == 11, listing  # of the 23 samples, those that list events


async def test_e_opens_the_event_of_a_sample_result(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.press("ctrl+l")
        await ex.wait_until(lambda: isinstance(ex.screen, LibraryScreen))
        await ex.press(*"tampering", "enter")
        await ex.wait_until(lambda: "cloudtrail.amazonaws.com" in ex.editor.text)
        q = await ex.run(ex.editor.text)
        assert q.rows and "eventID" in q.columns
        await ex.press("f4", "e")
        await ex.wait_until(lambda: isinstance(ex.screen, DetailScreen), what=str(ex.notifications))
        event_id = q.rows[0][q.columns.index("eventID")]
        assert event_id and event_id in ex.screen.title_text


# -- on AWS: the cost prompt and drill-down (a `trailtui serve` endpoint as profile mgmt, test_accounts) ----------
async def _on_mgmt(ex: Explorer) -> None:
    await ex.wait_until(lambda: "store org-events" in ex.context and "account 111122223333" in ex.context)


@pytest.mark.usefixtures("endpoints")
async def test_cost_prompt_names_profile_account_and_store() -> None:
    async with explorer((80, 24), profile="mgmt") as ex:
        await _on_mgmt(ex)
        ex.editor.text = f"SELECT count(*) FROM {DEMO_STORE_ID}"
        await ex.press("ctrl+j")
        await ex.wait_until(lambda: isinstance(ex.screen, ConfirmScreen))
        question = ex.dialog_text()
        assert "profile mgmt" in question and "account 111122223333" in question
        assert "store org-events" in question
        await ex.press("n")


@pytest.mark.usefixtures("endpoints")
async def test_drill_down_on_aws_takes_the_query_bound() -> None:
    async with explorer((160, 40), profile="mgmt") as ex:
        await _on_mgmt(ex)
        sql = f"SELECT eventID, eventName FROM {DEMO_STORE_ID} WHERE eventTime > '2026-11-26' LIMIT 3"
        q = await ex.run(sql)  # no eventTime column in the result
        await ex.press("f4", "e")
        await ex.wait_until(lambda: isinstance(ex.screen, DetailScreen), what=str(ex.notifications))
        assert q.rows[0][0] in ex.screen.title_text  # no question: the query's bound was used
    drill = History(locations().history_db).search()[0]
    assert "eventjson" in drill.sql and "eventTime > '2026-11-26'" in drill.sql


@pytest.mark.usefixtures("endpoints")
async def test_unbounded_drill_down_on_aws_asks_first() -> None:
    async with explorer((160, 40), profile="mgmt") as ex:
        await _on_mgmt(ex)
        ex.editor.text = f"SELECT eventID, eventName FROM {DEMO_STORE_ID} LIMIT 3"
        await ex.press("ctrl+j")
        await ex.wait_until(lambda: isinstance(ex.screen, ConfirmScreen))
        await ex.press("y")
        q = await ex.finished()
        await ex.press("f4", "e")
        await ex.wait_until(lambda: isinstance(ex.screen, ConfirmScreen))
        question = ex.dialog_text()
        assert "drill-down" in question and "profile mgmt" in question and "store org-events" in question
        await ex.press("n")
        await ex.wait_until(lambda: not isinstance(ex.screen, ConfirmScreen))
        assert not any("eventjson" in e.sql for e in History(locations().history_db).search())
        await ex.press("e")
        await ex.wait_until(lambda: isinstance(ex.screen, ConfirmScreen))
        await ex.press("y")
        await ex.wait_until(lambda: isinstance(ex.screen, DetailScreen), what=str(ex.notifications))
        assert q.rows[0][0] in ex.screen.title_text


# -- export and save ask before replacing a file ---------------------------------------------------------------
async def _export_to(ex: Explorer, target: Path) -> None:
    await ex.press("ctrl+e")
    await ex.wait_until(lambda: isinstance(ex.screen, PromptScreen))
    ex.screen.query_one("#prompt-input", Input).value = str(target)
    await ex.press("enter")


async def test_export_asks_before_replacing_a_file(demo_lake: Any, tmp_path: Path) -> None:
    target = tmp_path / "findings.csv"
    target.write_text("my notes\n")
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.run(f"SELECT eventID, eventName FROM {DEMO_STORE_ID} ORDER BY eventID LIMIT 20")
        await _export_to(ex, target)
        await ex.wait_until(lambda: isinstance(ex.screen, ConfirmScreen))
        question = ex.dialog_text()
        assert str(target) in question and "already exists" in question and "replace it" in question
        await ex.press("n")
        await ex.wait_until(lambda: not isinstance(ex.screen, ConfirmScreen))
        assert target.read_text() == "my notes\n" and not ex.notified("Exporting")

        await _export_to(ex, target)
        await ex.wait_until(lambda: isinstance(ex.screen, ConfirmScreen))
        await ex.press("y")
        await ex.wait_until(lambda: ex.notified(f"Exported 20 rows to {target}"))
        assert target.read_text().startswith("eventID,eventName")

        fresh = tmp_path / "fresh.csv"  # nothing there: no question
        await _export_to(ex, fresh)
        await ex.wait_until(lambda: ex.notified(f"Exported 20 rows to {fresh}"))


async def test_save_asks_before_replacing_a_saved_query(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        for sql, answer in (("SELECT 1 FROM x", None), ("SELECT 2 FROM x", "n"), ("SELECT 3 FROM x", "y")):
            ex.editor.text = sql
            await ex.press("ctrl+s")
            await ex.wait_until(lambda: isinstance(ex.screen, PromptScreen))
            await ex.press(*"weekly check", "enter")
            if answer is None:
                await ex.wait_until(lambda: ex.notified("Saved to"))
                continue
            await ex.wait_until(lambda: isinstance(ex.screen, ConfirmScreen))
            assert "weekly check.sql already exists" in ex.dialog_text()
            await ex.press(answer)
            await ex.wait_until(lambda: not isinstance(ex.screen, ConfirmScreen))
        await ex.wait_until(lambda: len([t for t in ex.notifications if "Saved to" in t]) == 2)
        saved = saved_queries(locations().saved_queries)
        assert [q.sql.strip() for q in saved] == ["SELECT 3 FROM x"]
