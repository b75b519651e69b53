"""Running Trino function cases on a copy of the demo lake, through StartQuery/GetQueryResults like any
client (shared by the test_trino_functions_* files).

Each case is (expression, the value Lake returns, where the expected value comes from). "T:" names a test
in Trino's repository (trinodb/trino, core/trino-main/src/test/java/io/trino/...), "D:" a section of
Trino's documentation (trino.io/docs/current/functions/...). A SQL NULL comes back as None. The cases of
one area run as one query, so the suite stays fast.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from trailtui.lake.query import QueryRun
from trailtui.local.demo import DEMO_STORE_ID
from trailtui.local.engine import Limits
from trailtui.local.service import LocalLake

Case = tuple[str, str | None, str]


def lake_client(demo_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A CloudTrail client of a local lake on a private copy of the demo home."""
    root = tmp_path_factory.mktemp("tf") / "home"
    shutil.copytree(demo_home, root, ignore=shutil.ignore_patterns("*.lock"))
    mp = pytest.MonkeyPatch()
    mp.setenv("TRAILTUI_HOME", str(root))
    lake = LocalLake(limits=Limits(seconds=120))
    try:
        yield lake.client()
    finally:
        lake.close()
        mp.undo()


def run(ct: Any, sql: str) -> list[list[str | None]]:
    q = QueryRun(ct, sql)
    q.start()
    state = q.wait(sleep=lambda s: time.sleep(min(s, 0.05)))
    assert state.status == "FINISHED", ct.describe_query(QueryId=q.query_id).get("ErrorMessage")
    rows = ct.get_query_results(QueryId=q.query_id)["QueryResultRows"]
    return [[next(iter(cell.values())) for cell in row] for row in rows]


def check(ct: Any, cases: list[Case]) -> None:
    select = ", ".join(f"{expr} AS c{i}" for i, (expr, _, _) in enumerate(cases))
    (row,) = run(ct, f"SELECT {select} FROM {DEMO_STORE_ID} LIMIT 1")
    wrong = [(expr, got, want, src) for (expr, want, src), got in zip(cases, row, strict=True) if got != want]
    assert not wrong, "\n".join(f"{e}: got {g!r}, Trino gives {w!r} ({s})" for e, g, w, s in wrong)


def error_of(ct: Any, sql: str) -> str:
    """The error a query gets, whether StartQuery refuses it or it fails while running."""
    from botocore.exceptions import ClientError

    q = QueryRun(ct, sql)
    try:
        q.start()
    except ClientError as exc:  # refused at StartQuery
        return str(exc)
    return _failed(ct, q)


def run_error(ct: Any, sql: str) -> str:
    """The ErrorMessage of a query that StartQuery takes and that then fails while running."""
    q = QueryRun(ct, sql)
    q.start()
    return _failed(ct, q)


def _failed(ct: Any, q: QueryRun) -> str:
    state = q.wait(sleep=lambda s: time.sleep(min(s, 0.05)))
    assert state.status == "FAILED", q.sql
    return str(ct.describe_query(QueryId=q.query_id).get("ErrorMessage") or "")
