"""ctrl+f (format) keeps what the user wrote that sqlglot would change without changing the meaning: `--`
comments stay line comments, a store named in FROM by its name stays bare, and the answer is the same."""

from __future__ import annotations

from typing import Any

from tests.explorer import explorer
from trailtui.local.demo import DEMO_STORE_ID
from trailtui.tui.sqlformat import format_sql

COMMENTED = (
    "-- who touched the trails\n"
    "select eventName, count(*) as n -- per API call\n"
    "from org-events where eventTime >= '2026-11-20 00:00:00' -- the last week */ of the demo\n"
    "and eventSource = 'cloudtrail.amazonaws.com' /* the trail's own API */ group by eventName -- grouped\n"
    "order by n desc"
)


async def test_format_keeps_line_comments_and_the_store_name(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        before = await ex.run(COMMENTED)
        await ex.press("f3", "ctrl+f")
        formatted = ex.editor_text
        assert formatted != COMMENTED and "\nGROUP BY\n" in formatted  # laid out
        lines = formatted.splitlines()
        assert lines[0] == "-- who touched the trails"
        assert "  COUNT(*) AS n -- per API call" in lines
        assert "FROM org-events" in lines  # not "org-events" in double quotes
        assert any(line.endswith("-- the last week */ of the demo") for line in lines)
        assert any(line.endswith("-- grouped") for line in lines)
        assert "/* the trail's own API */" in formatted  # a block comment stays one
        assert formatted.count("/*") == 1
        await ex.press("ctrl+j")
        await ex.wait_until(lambda: ex.query.status_line != before.status_line)
        after = await ex.finished()
        assert after.error is None and after.rows == before.rows and after.rows


def test_code_after_a_comment_moves_to_the_next_line() -> None:
    sql = f"select eventName from {DEMO_STORE_ID} where errorCode = 'x' -- denied\n and eventName <> 'y'"
    formatted = format_sql(sql)
    assert "  errorCode = 'x' -- denied\n  AND eventName <> 'y'" in formatted
    assert f"FROM {DEMO_STORE_ID}\n" in formatted
    assert format_sql("select 1 as \"a--b\", '-- text' -- c\n").endswith("'-- text' -- c\n")
