"""What the explorer's words say: counts with the right noun, titles that say something, and no key in the
footer cut off from its word at 80 columns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.explorer import explorer
from trailtui.local.demo import DEMO_STORE_ID
from trailtui.tui.detail import DetailScreen
from trailtui.tui.keymap import KEYMAP
from trailtui.tui.main import MainScreen

ONE = f"SELECT eventName, count(*) AS calls FROM {DEMO_STORE_ID} WHERE eventName = 'ConsoleLogin' GROUP BY 1"
SOME = f"SELECT eventName, count(*) AS calls FROM {DEMO_STORE_ID} GROUP BY 1 ORDER BY 2 DESC"


async def test_one_exported_row_is_one_row(demo_lake: Any, tmp_path: Path) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        q = await ex.run(ONE)
        assert q.error is None and len(q.rows) == 1
        await ex.export(tmp_path / "one.csv")
        await ex.wait_until(lambda: ex.notified("Exported"), what="the export")
        assert ex.notified(f"Exported 1 row to {tmp_path / 'one.csv'}")
        assert not ex.notified("1 rows")


async def test_the_row_view_says_which_row_it_shows(demo_lake: Any) -> None:
    """Its title was "row  (row; y copies, Esc closes)"."""
    async with explorer((80, 24)) as ex:
        await ex.ready()
        q = await ex.run(SOME)
        assert q.error is None and len(q.rows) > 3
        await ex.press("f4", "down", "down", "r")
        await ex.wait_until(lambda: isinstance(ex.screen, DetailScreen), what="the row view")
        title = ex.dialog_text().splitlines()[0]
        assert title.startswith(f"row 3 of {len(q.rows)}") and "(row;" not in title, title
        assert "y copies, Esc closes" in title


async def test_no_key_in_the_footer_is_cut_from_its_word_at_80_columns(demo_lake: Any) -> None:
    """The footer ended with a bare `f10` (its word, Profile, cut off) at 80 columns."""
    words = {k.description for k in KEYMAP} | {"Close", "Cancel"}
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.run(SOME)
        for pane in ("f3", "f4", "f2"):
            await ex.press(pane)
            assert isinstance(ex.screen, MainScreen)
            footer = ex.screen_lines()[-1]
            shown = footer.split("▏")[0].rstrip()  # the palette's key sits at the right, after ▏
            assert any(shown.endswith(" " + word) for word in words), (pane, footer)


async def test_a_toast_leaves_a_dialogs_title_in_view(demo_lake: Any) -> None:
    """A notice raised while a dialog is open showed over the dialog's title (top right, where toasts go)."""
    from trailtui.tui.library import LibraryScreen

    async with explorer((80, 24), toasts=True) as ex:
        await ex.ready()
        ex.app.notify("A notice raised before")  # on the main screen, under the dialog
        await ex.press("ctrl+l")
        await ex.wait_until(lambda: isinstance(ex.screen, LibraryScreen), what="the sample queries")
        ex.app.notify("A notice of some length, as an export's end says where the file went")
        await ex.pilot.pause(0.3)
        lines = "\n".join(ex.screen_lines())
        assert "A notice of some length" in lines and "(the current" in lines and "ctrl+z undoes)" in lines
        assert lines.count("A notice of some length") == 1  # not again on the screen under the dialog
        assert lines.count("A notice raised before") == 1
        await ex.press("escape")
        await ex.wait_until(lambda: not isinstance(ex.screen, LibraryScreen))
        await ex.pilot.pause(0.3)
        assert "\n".join(ex.screen_lines()).count("A notice of some length") == 1  # still current: shown


async def test_the_footer_is_kept_when_a_dialog_closes_and_follows_the_focus(demo_lake: Any) -> None:
    """Back from a dialog, Textual rebuilt the footer with the same keys (about half of the 0.2-0.3 s before a
    key typed after Esc acted, measured at 80x24); it is kept, and still changes with the keys that apply."""
    from textual.widgets._footer import FooterKey

    from trailtui.tui.footer import WholeKeysFooter

    def footer_keys() -> list[FooterKey]:
        return list(ex.app.main.query_one(WholeKeysFooter).query(FooterKey))

    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.run(SOME)
        await ex.press("f4")
        await ex.wait_until(lambda: "⏎ Open" in ex.screen_lines()[-1], what="the grid's keys in the footer")
        drawn = footer_keys()
        for opener in ("r", "enter", "f1"):
            await ex.press(opener)
            await ex.wait_until(lambda: not isinstance(ex.screen, MainScreen), what=opener)
            await ex.press("escape")
            await ex.wait_until(lambda: isinstance(ex.screen, MainScreen))
            await ex.pilot.pause(0.2)
            assert "⏎ Open" in ex.screen_lines()[-1]
            assert footer_keys() == drawn, f"the footer was rebuilt after {opener}"
        await ex.press("f3")
        await ex.wait_until(lambda: "⏎ Open" not in ex.screen_lines()[-1], what="the editor's keys")
        assert "^j Run" in ex.screen_lines()[-1]


async def test_a_prompt_shows_its_own_keys_not_those_it_hides(demo_lake: Any) -> None:
    """The export prompt, the command line and the pickers showed the main screen's footer under them
    (`^j Run`, `i Details`...), keys that do nothing while they are open."""
    from trailtui.tui.dialogs import CommandLine, PromptScreen
    from trailtui.tui.timepicker import TimeRangeScreen

    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.run(SOME)
        for keys, dialog in ((("ctrl+e",), PromptScreen), (("f4", "colon"), CommandLine)):
            await ex.press(*keys)
            await ex.wait_until(lambda d=dialog: isinstance(ex.screen, d), what=str(dialog))
            await ex.pilot.pause(0.2)
            footer = ex.screen_lines()[-1]
            assert "esc Cancel" in footer and "^j Run" not in footer, footer
            await ex.press("escape")
            await ex.wait_until(lambda: isinstance(ex.screen, MainScreen))
        ex.terminal("\x1bt")  # alt+t: the time range
        await ex.wait_until(lambda: isinstance(ex.screen, TimeRangeScreen), what="the time range")
        await ex.pilot.pause(0.2)
        footer = ex.screen_lines()[-1]
        assert "esc Cancel" in footer and "^j Run" not in footer, footer
