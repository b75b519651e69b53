"""No silent side effects (issue 15 item 8): what the explorer does on the user's behalf, it says first.
Driven by keys through the explorer's driver; what is checked is what a user sees."""

from __future__ import annotations

from typing import Any

from tests.explorer import explorer
from trailtui.tui.picker import PickerScreen


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
