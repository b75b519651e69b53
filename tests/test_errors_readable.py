"""Every error readable at 80x24 (issue 15, item 3): a failed query's whole message in place of the results,
wrapped, with a caret under the token its position names (in the editor's lines, even when the statement
starts below blank lines or is a selection); the history previews the highlighted query's SQL and error; a
connection that does not open says why, whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.awsenv import aws_files
from tests.explorer import explorer, without_aws
from trailtui.lake.history import History
from trailtui.local.demo import DEMO_STORE_ID
from trailtui.paths import locations
from trailtui.tui.history import HistoryScreen

LONG_NAME = "a_column_name_long_enough_that_its_error_cannot_fit_on_one_status_line_at_eighty_columns"


def _joined(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


def _dense(text: str) -> str:
    """Without any white space: a long word folded over two lines reads the same."""
    return "".join(text.split())


def _caret_target(lines: list[str]) -> str:
    """The text from the character the caret points at, in the statement line drawn above it."""
    at = next(i for i, line in enumerate(lines) if line.strip().endswith("^") and "│" in line)
    return lines[at - 1][lines[at].index("^") :]


async def test_a_long_error_is_shown_whole_in_the_results_pane(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        q = await ex.run(f"SELECT {LONG_NAME} FROM {DEMO_STORE_ID} WHERE eventTime > '2026-11-26'")
        assert q.error
        error = History(locations().history_db).search("")[0].error
        assert error and len(error) > 80  # more than the status line can show
        lines = ex.error_panel
        assert lines is not None, "no error panel"
        assert all(len(line) <= 80 for line in lines)
        assert _dense(error) in _dense("".join(lines))
        assert _caret_target(lines).startswith(LONG_NAME[:20])


async def test_the_caret_points_at_the_token_in_the_editor_below_blank_lines(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        sql = f"\n\n   SELECT eventName FROM {DEMO_STORE_ID}\n   WHERE eventNam = 'x'"
        ex.editor.text = sql
        await ex.press("ctrl+j")
        await ex.wait_until(lambda: ex.error_panel is not None, what="the error")
        lines = ex.error_panel or []
        assert _caret_target(lines).startswith("eventNam = 'x'")
        where = _joined(lines).split("(in the editor: line ")[1]
        line, column = (int(n) for n in where.rstrip(")").split(", column "))
        assert ex.editor.document.get_line(line - 1)[column - 1 :].startswith("eventNam =")


async def test_the_caret_of_a_selection_points_at_the_token_in_the_editor(demo_lake: Any) -> None:
    from textual.widgets.text_area import Selection

    async with explorer((80, 24)) as ex:
        await ex.ready()
        ex.editor.text = (
            f"-- not this one\nSELECT 1;  SELECT eventName FROM {DEMO_STORE_ID} WHERE eventNam = 'x'"
        )
        ex.editor.selection = Selection((1, 11), (1, len(ex.editor.document.get_line(1))))
        await ex.press("ctrl+j")
        await ex.wait_until(lambda: ex.error_panel is not None, what="the error")
        where = _joined(ex.error_panel or []).split("(in the editor: line ")[1]
        line, column = (int(n) for n in where.rstrip(")").split(", column "))
        assert ex.editor.document.get_line(line - 1)[column - 1 :].startswith("eventNam =")


async def test_a_new_query_replaces_the_error_with_its_results(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.run(f"SELECT nope FROM {DEMO_STORE_ID}")
        assert ex.error_panel is not None
        q = await ex.run(f"SELECT eventName FROM {DEMO_STORE_ID} WHERE eventTime > '2026-11-26' LIMIT 3")
        assert q.total == 3 and ex.error_panel is None and len(ex.grid.rows) == 3


async def test_the_history_previews_the_highlighted_querys_sql_and_error(demo_lake: Any) -> None:
    sql = f"SELECT {LONG_NAME}\nFROM {DEMO_STORE_ID}\nWHERE eventTime > '2026-11-26'"
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.run(sql)
        await ex.press("ctrl+r")
        await ex.wait_until(lambda: isinstance(ex.screen, HistoryScreen), what="the history")
        await ex.wait_until(lambda: "FAILED" in ex.history_preview or "ERROR" in ex.history_preview)
        error = History(locations().history_db).search("")[0].error or ""
        assert _dense(error) in _dense(ex.history_preview)
        assert _dense(sql) in _dense(ex.history_preview)


async def test_a_connection_that_does_not_open_says_why_whole(
    demo_lake: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    aws_files(monkeypatch, tmp_path, "[profile other]\nregion = eu-west-1\n")
    async with explorer((80, 24), profile="missing-profile-name") as ex:
        await ex.wait_until(lambda: ex.error_panel is not None, what="the connection error")
        text = _joined(ex.error_panel or [])
        assert "missing-profile-name" in text and "did not open" in text
        assert all(len(line) <= 80 for line in ex.error_panel or [])


async def test_a_connection_error_in_the_stores_pane_reads_whole_in_the_details(
    demo_lake: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    without_aws(monkeypatch, tmp_path)
    async with explorer((80, 24), aws_stores=True) as ex:
        await ex.ready()
        await ex.wait_until(lambda: "no AWS profile" in ex.stores_text(1), what="the AWS group's error")
        await ex.press("f2")
        for _ in range(6):
            if "the local lake needs none" in ex.store_details():
                break
            await ex.press("down")
        details = " ".join(ex.store_details().split())
        assert (
            "no AWS profile or credentials found (aws configure / aws sso login; the local lake needs none)"
            in details
        )
