"""Keys typed in one burst are applied in the order typed (issue 15, item 1): every action that reads the
editor sees every key typed before it, and keys typed after a focus move go where the focus went.

Keys are posted all at once (`Explorer.burst`, `Explorer.paste`) as a terminal delivers type-ahead over a
slow link; the tests then wait for what the user would see, never for a time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.explorer import explorer
from trailtui.local.demo import DEMO_STORE_ID

WHERE = f"FROM {DEMO_STORE_ID} WHERE eventTime > '2026-11-26'"


async def test_a_paste_then_ctrl_j_runs_the_pasted_statement(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        ex.editor.text = ""
        ex.paste(f"SELECT eventName, eventSource {WHERE} LIMIT 7")
        ex.burst("ctrl+j")
        q = await ex.finished()
        assert q.error is None, q.error
        assert q.columns == ["eventName", "eventSource"] and q.total == 7


async def test_typed_keys_then_ctrl_j_run_with_every_key(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        ex.editor.text = f"SELECT eventName {WHERE} LIMIT "
        ex.editor.move_cursor(ex.editor.document.end)
        ex.burst("1", "2", "ctrl+j")
        q = await ex.finished()
        assert q.error is None and q.total == 12


async def test_enter_then_ctrl_o_puts_the_store_id_on_the_new_line(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        ex.editor.text = "SELECT eventName FROM"
        ex.editor.move_cursor(ex.editor.document.end)
        ex.burst("enter", "ctrl+o", "space", "L", "I", "M", "I", "T", "space", "3")
        await ex.wait_until(lambda: ex.editor.text.endswith("3"), what="the keys to be typed")
        assert ex.editor.text == f"SELECT eventName FROM\n{DEMO_STORE_ID} LIMIT 3"


async def test_f4_then_slash_filters_the_grid_and_leaves_the_editor_alone(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.run(f"SELECT eventName {WHERE} LIMIT 20")
        before = ex.editor.text
        ex.burst("f4", "/", "x", "y", "z")
        await ex.wait_until(lambda: ex.filter_text == "xyz", what="the filter box to get every key")
        assert ex.editor.text == before
        assert "(0 shown by the filter)" in ex.results_title


async def test_keys_then_f9_copy_the_sql_with_every_key(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        ex.editor.text = "SELECT 1"
        ex.editor.move_cursor(ex.editor.document.end)
        ex.burst("2", "3", "f9")
        await ex.wait_until(lambda: bool(ex.clipboard), what="the copy")
        assert ex.clipboard == ["SELECT 123"]


async def test_ctrl_s_then_a_typed_name_saves_under_that_name(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        ex.editor.text = "SELECT 1"
        ex.editor.move_cursor(ex.editor.document.end)
        ex.burst("0", "ctrl+s", "m", "i", "n", "e", "enter", "4")
        await ex.wait_until(lambda: ex.notified("Saved to"), what="the save")
        await ex.wait_until(lambda: ex.editor.text == "SELECT 104", what="the last key in the editor")
        saved = next(t for t in ex.notifications if t.startswith("Saved to"))
        assert saved.endswith("mine.sql")
        assert Path(saved.removeprefix("Saved to ")).read_text().endswith("\nSELECT 10\n")


async def test_a_command_typed_in_one_burst_reaches_the_command_line(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        ex.burst("f4", ":", *"store nope", "enter")
        await ex.wait_until(lambda: ex.notified("No store nope is loaded."), what="the command's answer")
