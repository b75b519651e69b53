"""Hostile values in the fields an attacker controls: imported intact, shown inert everywhere, recoverable
byte for byte (export, clipboard), and nothing crashes."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

import pytest

from tests.explorer import explorer
from tests.hostile import CORPUS, deeply_nested_json
from tests.logfiles import record, write_log
from trailtui.commands.query import run_query
from trailtui.connections import open_local
from trailtui.lake.export import ResultWriter
from trailtui.lake.query import QueryRun
from trailtui.lake.text import sanitize
from trailtui.local.importer import import_paths
from trailtui.local.lakefile import LakeFile
from trailtui.local.service import LocalLake
from trailtui.paths import locations
from trailtui.tui.detail import DetailScreen
from trailtui.tui.history import HistoryScreen

# What must never reach a terminal: C0 (but newline, in multi-line views), DEL, C1, bidi, invisible.
FORBIDDEN = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u2028\u2029]"
)
SELECT = "SELECT eventID, userAgent, errorMessage, requestParameters, resources, userIdentity.userName FROM {store}"


def inert(text: str) -> bool:
    return FORBIDDEN.search(text) is None


@pytest.fixture
def hostile_store(home: Path, tmp_path: Path) -> str:
    """One event per corpus value, the value in the user agent, the error message, a request parameter's
    key and value, a resource ARN and the user name; plus one event with deeply nested parameters."""
    records = []
    for n, (name, value) in enumerate(CORPUS):
        records.append(
            record(
                n,
                userAgent=value,
                errorMessage=value,
                errorCode=name,
                requestParameters={
                    "bucketName": value,
                    value[:64] or "empty": "as a key",
                    "nested": {"v": value},
                },
                resources=[
                    {
                        "accountId": "123456789012",
                        "type": "AWS::S3::Bucket",
                        "ARN": f"arn:aws:s3:::{value[:200]}",
                    }
                ],
                userIdentity={
                    "type": "IAMUser",
                    "userName": value[:500],
                    "arn": "arn:aws:iam::123456789012:user/x",
                },
            )
        )
    records.append(record(len(CORPUS), requestParameters={"deep": deeply_nested_json(200)}))
    write_log(tmp_path / "hostile.json.gz", records)
    report = import_paths(LakeFile(locations().ensure()), [tmp_path], "hostile")
    assert report.ok and report.events_added == len(CORPUS) + 1, report.rejected
    return report.store.id


def corpus_rows(store: str) -> tuple[list[str], list[list[str | None]]]:
    lake = LocalLake()
    try:
        run = QueryRun(lake.client(), SELECT.format(store=store) + " ORDER BY eventTime")
        run.start()
        assert run.wait().status == "FINISHED"
        pages = list(run.pages())
        return pages[0].columns, [r for p in pages for r in p.rows]
    finally:
        lake.close()


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 50 and len({name for name, _ in CORPUS}) == len(CORPUS)


def test_values_survive_import_exactly(hostile_store: str) -> None:
    _columns, rows = corpus_rows(hostile_store)
    by_agent = {row[1] for row in rows}
    for _name, value in CORPUS:
        assert value in by_agent
    params = [row[3] for row in rows if row[3]]
    assert any("[bold red]ALERT[/bold red]" in p for p in params)


def test_sanitised_text_is_inert_and_readable() -> None:
    for _name, value in CORPUS:
        shown = sanitize(value)
        assert inert(shown)
        if "[" in value:
            assert "[" in shown  # markup stays as the text it is
    assert sanitize("\x1b[31m") == "\\x1b[31m" and sanitize("\u202e") == "\\u202e"


async def test_explorer_shows_everything_inert(hostile_store: str) -> None:
    async with explorer((200, 50)) as ex:
        await ex.ready()
        q = await ex.run(SELECT.format(store=hostile_store) + " ORDER BY eventTime")
        assert q.status == "FINISHED"
        grid = ex.grid
        await ex.press("f4")
        seen_markup = False
        for start in range(0, len(grid.view), 40):  # scroll through every row and draw what is on screen
            grid.cursor_row = min(start + 39, len(grid.view) - 1)
            await ex.pilot.pause()
            for y in range(grid.size.height):
                line = "".join(seg.text for seg in grid.render_line(y))
                assert inert(line), repr(line[:200])
                seen_markup = seen_markup or "[bold red]ALERT" in line
            cursor_line = grid.cursor_row - grid.scroll_offset.y + 1  # below the header
            for col in range(len(grid.columns)):  # the cursor's cell has its own style: inert too
                grid.cursor_col = col
                line = "".join(seg.text for seg in grid.render_line(cursor_line))
                assert inert(line) and line.strip(), repr(line[:200])
        assert seen_markup
        # The detail view of each column of a few rows: inert, markup literal, value copyable exactly.
        for index in (0, 9, 33, 42, len(grid.view) - 2):
            grid.cursor_row = index
            for col in range(len(grid.columns)):
                grid.cursor_col = col
                await ex.press("enter")
                await ex.wait_until(lambda: isinstance(ex.screen, DetailScreen))
                screen = ex.screen
                body = screen.query("#detail-body")
                text = (
                    str(body.first().render())
                    if body
                    else "".join(str(n.label) for n in screen.query_one("#detail-tree").root.children)
                )
                assert inert(text)
                await ex.press("y", "escape")
                await ex.wait_until(lambda: not isinstance(ex.screen, DetailScreen))
                assert ex.clipboard[-1] == (grid.rows[grid.view[index]][col] or "")
        # An error message that echoes hostile text, in the status line.
        evil_name = "\x1b]0;pwned\x07[red]x[/red]"
        bad = await ex.run(f'SELECT "{evil_name}" FROM {hostile_store}')
        status = bad.status_line
        assert bad.status == "ERROR" and inert(status) and "\\x1b" in status and "[red]x[/red]" in status
        # The history lists that SQL, inert.
        await ex.press("ctrl+r")
        await ex.wait_until(lambda: isinstance(ex.screen, HistoryScreen))
        await ex.pilot.pause()
        options = ex.screen.query_one("#history-list")
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert labels and all(inert(label) for label in labels)
        await ex.press("escape")
        # A notification built from hostile input.
        await ex.command("store \x1b[2J\u202eevil", paste=True)
        await ex.wait_until(lambda: ex.notified("evil", "error"))
        assert all(inert(n) for n in ex.notifications)


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_exports_keep_exact_values(hostile_store: str, fmt: str) -> None:
    lake = LocalLake()
    try:
        run = QueryRun(lake.client(), SELECT.format(store=hostile_store) + " ORDER BY eventTime")
        run.start()
        state = run.wait()
        out = io.StringIO()
        writer = ResultWriter(out, fmt)
        source = []
        for page in run.pages(7):  # several pages
            writer.write(page)
            source += page.raw_rows()
        writer.finish(state.status, {"ResultsCount": writer.rows})
    finally:
        lake.close()
    text = out.getvalue()
    if fmt == "json":
        assert json.loads(text)["QueryResultRows"] == source
    elif fmt == "jsonl":
        assert [json.loads(line) for line in text.splitlines()] == source  # U+2028 does not split a row
    else:
        csv.field_size_limit(sys.maxsize)  # the corpus has a 1 MB value
        parsed = list(csv.reader(io.StringIO(text, newline="")))
        for row, src in zip(parsed[1:], source, strict=True):
            for cell, item in zip(row, src, strict=True):
                original = next(iter(item.values())) or ""
                assert cell == original or (cell == "'" + original and original[:1] in "=+-@\t\r")


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_cli_output_to_a_terminal_is_inert_and_to_a_pipe_exact(hostile_store: str) -> None:
    sql = SELECT.format(store=hostile_store)
    for fmt in ("table", "csv", "json", "jsonl"):
        out, err = _Tty(), io.StringIO()
        assert run_query(sql, fmt, None, open_local(), out, err) == 0
        assert all(inert(line) for line in out.getvalue().splitlines()), fmt
    piped = io.StringIO()
    assert run_query(sql + " ORDER BY eventTime", "jsonl", None, open_local(), piped, io.StringIO()) == 0
    agents = {next(iter(row[1].values())) for row in map(json.loads, piped.getvalue().splitlines())}
    assert {value for _, value in CORPUS} <= agents
