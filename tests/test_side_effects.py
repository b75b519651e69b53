"""No silent side effects (issue 15 item 8): what the explorer does on the user's behalf, it says first.
Driven by keys through the explorer's driver; what is checked is what a user sees."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.explorer import Explorer, explorer
from tests.logfiles import record, write_log
from trailtui.tui.dialogs import ConfirmScreen
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
