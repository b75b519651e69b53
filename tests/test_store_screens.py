"""The explorer's store screens on the local lake: create, edit (rename, retention, termination protection),
delete with confirmation (refused while protected) and restore, driven by keys as a user would."""

from __future__ import annotations

from typing import Any

from tests.test_tui import make_app, ready, wait_for
from trailtui.tui.stores import StoresPane


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
