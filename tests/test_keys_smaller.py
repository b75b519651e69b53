"""The smaller key problems of issue 15: ctrl+c's hint in plain words (not raw markup), the palette's
Screenshot saves a picture, its Keys panel closes with Esc, `:store` says once where queries go."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.command import CommandPalette

from tests.explorer import explorer
from trailtui.tui.dialogs import HelpScreen


async def _palette(ex: Any, what: str) -> None:
    await ex.press("ctrl+p")
    await ex.wait_until(lambda: isinstance(ex.screen, CommandPalette), what="the palette")
    ex.burst(*what)
    await ex.wait_until(
        lambda: (
            what.lower() in str(ex.screen.query_one("CommandList").get_option_at_index(0).prompt).lower()
            if ex.screen.query("CommandList") and ex.screen.query_one("CommandList").option_count
            else False
        ),
        what=f"{what} offered first",
    )
    await ex.press("enter")


async def test_ctrl_c_outside_the_editor_says_how_to_quit_in_plain_words(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.press("f4", "ctrl+c")
        await ex.wait_until(lambda: ex.notified("ctrl+q quits"), what="the hint")
        assert not any("[" in text for text in ex.notifications if "quit" in text)


async def test_the_palettes_screenshot_saves_a_picture(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await _palette(ex, "Screenshot")
        await ex.wait_until(lambda: ex.notified("Saved the screenshot to "), what="the screenshot")
        saved = next(t for t in ex.notifications if t.startswith("Saved the screenshot to "))
        picture = Path(saved.removeprefix("Saved the screenshot to "))
        assert picture.read_text().lstrip().startswith("<svg")
        assert "org-events" in picture.read_text()  # the explorer, not the palette over it


async def test_the_palettes_keys_close_with_escape(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await _palette(ex, "Keys")
        await ex.wait_until(lambda: isinstance(ex.screen, HelpScreen), what="the keys")
        await ex.press("escape")
        await ex.wait_until(lambda: ex.screen is ex.app.main, what="the keys to close")


async def test_store_command_says_where_queries_go_once(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.command("store org-events")
        await ex.wait_until(lambda: ex.notified("Current store: org-events"), what="the notice")
        await ex.command("store nope")  # typed after: every notice of the first command came before
        await ex.wait_until(lambda: ex.notified("No store nope is loaded."), what="the second notice")
        assert sum("Current store:" in text for text in ex.notifications) == 1
