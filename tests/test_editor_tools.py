"""The editor's tools, from the keyboard (tests/explorer.py): completion of columns, struct paths,
functions and store IDs (ctrl+space), formatting (ctrl+f) that still runs on the local lake, soft wrap
(alt+z)."""

from __future__ import annotations

from typing import Any

from tests.explorer import explorer
from trailtui.local.demo import DEMO_STORE_ID
from trailtui.local.trino_functions.core import HANDLERS
from trailtui.tui.completion import choices, functions, word_before

BY_NAME = {k for k in HANDLERS if isinstance(k, str)}


async def _type(ex: Any, text: str) -> None:
    await ex.press(*[{" ": "space", ".": "full_stop"}.get(c, c) for c in text])


async def test_completes_struct_paths_step_by_step(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        ex.editor.text = ""
        await ex.press("f3")
        await _type(ex, "SELECT useride")
        await ex.press("ctrl+space")  # one choice: taken at once
        assert ex.editor_text == "SELECT userIdentity"
        assert ex.completion_options == []
        await ex.press("full_stop", "ctrl+space")
        options = ex.completion_options
        assert options[:3] == ["userIdentity.type", "userIdentity.principalId", "userIdentity.arn"]
        assert "userIdentity.sessionContext" in options
        await _type(ex, "sess")  # typing narrows the open list
        assert ex.completion_options[0] == "userIdentity.sessionContext"
        assert all(o.startswith("userIdentity.sess") for o in ex.completion_options)
        await ex.press("enter")  # takes it (Enter does not break the line while the list is open)
        assert ex.editor_text == "SELECT userIdentity.sessionContext"
        await _type(ex, ".sessionissuer.us")
        await ex.press("ctrl+space")
        assert ex.editor_text == "SELECT userIdentity.sessionContext.sessionIssuer.userName"
        # Esc closes the list and keeps the text; moving off the word closes it too.
        await _type(ex, ", event")
        await ex.press("ctrl+space")
        assert "eventTime" in ex.completion_options and "eventName" in ex.completion_options
        await ex.press("escape")
        assert ex.completion_options == [] and ex.editor_text.endswith(", event")
        await ex.press("ctrl+@")  # what some terminals send for ctrl+space
        assert ex.completion_options
        await ex.press("space")
        assert ex.completion_options == []


async def test_completes_functions_and_store_ids(demo_lake: Any) -> None:
    async with explorer((100, 30)) as ex:
        await ex.ready()
        ex.editor.text = ""
        await ex.press("f3")
        await _type(ex, "SELECT json_ex")
        await ex.press("ctrl+space")
        assert ex.completion_options == ["json_exists", "json_extract", "json_extract_scalar"]
        await ex.press("down", "down", "tab")  # Tab takes it too; a function comes with its parenthesis
        assert ex.editor_text == "SELECT json_extract_scalar("
        await _type(ex, "eventjson, '$.x') FROM org")  # the store's name finds its ID
        await ex.press("ctrl+space")
        assert ex.editor_text == f"SELECT json_extract_scalar(eventjson, '$.x') FROM {DEMO_STORE_ID}"
        q = await ex.run(ex.editor_text + " WHERE eventTime > '2026-11-26' LIMIT 1")
        assert q.error is None and q.columns == ["_col0"]


async def test_completion_keys_typed_in_one_burst(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        ex.editor.text = ""
        await ex.press("f3", *"SELECT ", "e", "r", "r", "o", "r", "ctrl+space", "down", "enter", "space")
        assert ex.editor_text == "SELECT errorMessage "


def test_what_completes_what() -> None:
    ids = [DEMO_STORE_ID]
    assert word_before("SELECT userIdentity.ar", ids) == "userIdentity.ar"
    assert word_before("FROM 0d3a6f2e-7b", ids) == "0d3a6f2e-7b"
    assert word_before("SELECT a-b", ids) == "b"  # a minus, not a store ID
    assert word_before("SELECT 0d3a6f2e-7b") == "7b"  # no such store
    assert word_before("FROM arn:aws:cloudtrail:us-east-1:1111:eventdatastore/0d", ids) == (
        "arn:aws:cloudtrail:us-east-1:1111:eventdatastore/0d"
    )
    stores = [(DEMO_STORE_ID, "org-events")]
    assert [c.text for c in choices("0d3a", stores)] == [DEMO_STORE_ID]
    arn = "arn:aws:cloudtrail:us-east-1:1111:eventdatastore/"
    assert [c.text for c in choices(arn + "0d", stores)] == [arn + DEMO_STORE_ID]
    assert [c.text for c in choices("e.eventNa")] == ["e.eventName"]  # after an alias
    assert "userIdentity.arn" in [c.text for c in choices("arn")]  # a field anywhere, by its name
    assert {"date_add", "date_diff", "date_trunc", "date_format", "date_parse"} <= {
        c.text for c in choices("date_")
    }
    assert not choices("zzzz")


def test_every_function_offered_runs_on_the_local_lake(demo_lake: Any) -> None:
    """A name the local lake does not know fails with "Function 'x' not registered"; a known one called
    without arguments fails otherwise (or runs). Offered names must all be known. (The functions the lake
    rewrites by name check their own arguments, and say "not registered" for a call they do not take:
    they are known by construction.)"""
    import time

    from trailtui.lake.query import QueryRun
    from trailtui.local.service import LocalLake

    lake = LocalLake()
    ct = lake.client()
    unknown = []
    try:
        for name in functions():
            q = QueryRun(ct, f"SELECT {name}() FROM {DEMO_STORE_ID} WHERE eventTime > '2026-11-26' LIMIT 1")
            try:
                q.start()
                state = q.wait(sleep=lambda s: time.sleep(min(s, 0.02)))
                message = ct.describe_query(QueryId=q.query_id).get("ErrorMessage") or state.status
            except Exception as exc:  # refused at StartQuery
                message = str(exc)
            if "not registered" in message and name not in BY_NAME:
                unknown.append((name, message))
    finally:
        lake.close()
    assert unknown == []


async def test_format_keeps_the_store_id_bare_and_the_answer(demo_lake: Any) -> None:
    sql = (
        f"select eventName, count(*) as n from {DEMO_STORE_ID} where eventTime >= '2026-11-26 00:00:00' "
        "and eventTime < date_add('day', 1, timestamp '2026-11-26 00:00:00') and (errorCode is not null "
        "or eventName like 'Get%') group by eventName order by n desc, eventName limit 5"
    )
    async with explorer((100, 30)) as ex:
        await ex.ready()
        before = await ex.run(sql)
        await ex.press("f3", "ctrl+f")
        formatted = ex.editor_text
        assert formatted.startswith("SELECT\n  eventName,\n  COUNT(*) AS n\nFROM " + DEMO_STORE_ID + "\n")
        assert "\nGROUP BY\n  eventName\nORDER BY\n" in formatted
        await ex.press("ctrl+j")  # run as it is in the editor: the same answer
        await ex.wait_until(lambda: ex.query.status_line != before.status_line)
        after = await ex.finished()
        assert after.error is None and after.rows == before.rows and after.columns == before.columns
        await ex.press("f3", "ctrl+z")  # one undo step back to the user's text
        assert ex.editor_text == sql
        ex.editor.text = "SELECT FROM WHERE ("
        await ex.press("ctrl+f")
        await ex.wait_until(lambda: ex.notified("Not formatted: the statement does not parse", "error"))
        assert ex.editor_text == "SELECT FROM WHERE ("


async def test_soft_wrap_toggles(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        ex.editor.text = "SELECT " + ", ".join(f"column_{i}" for i in range(30)) + f" FROM {DEMO_STORE_ID}"
        lines = ex.editor.wrapped_document.height
        assert lines == 1 and ex.editor_subtitle == ""
        await ex.press("alt+z")
        await ex.wait_until(lambda: ex.editor.wrapped_document.height > 1)
        assert ex.editor_subtitle == "wrap" and ex.notified("Soft wrap on")
        await ex.press("alt+z")
        await ex.wait_until(lambda: ex.editor.wrapped_document.height == 1)
        assert ex.editor_subtitle == ""


async def test_tools_see_every_key_typed_before_them(demo_lake: Any) -> None:
    """Keys posted in one burst (type-ahead over SSH): the time range and the formatter work on the
    statement with every key typed before them applied."""
    async with explorer((80, 24)) as ex:
        await ex.ready()
        ex.editor.text = ""
        typed = f"select eventName from {DEMO_STORE_ID} limit 3"
        await ex.press("f3", *[{" ": "space"}.get(c, c) for c in typed], "alt+t", "3", "ctrl+f")
        await ex.wait_until(lambda: ex.editor_text.startswith("SELECT"))
        assert ex.editor_text == (
            f"SELECT\n  eventName\nFROM {DEMO_STORE_ID}\nWHERE\n"
            "  eventTime > DATE_ADD('DAY', -7, CURRENT_TIMESTAMP)\nLIMIT 3"
        )


def test_the_explorer_starts_without_sqlglot() -> None:
    """Completion's function list and the editor's tools read sqlglot on first use, not before the first
    paint (importing it costs a quarter of a second)."""
    import subprocess
    import sys

    code = (
        "import sys, trailtui.tui.app; print(','.join(m for m in ('duckdb', 'sqlglot') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""
