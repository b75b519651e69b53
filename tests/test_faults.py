"""The CLI and the explorer against `serve --faults`: they stay usable, retry within bounds, explain what
happened, and keep the QueryId in the history so results can be reopened."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from tests.awsenv import aws_files, endpoint_profile, use_keys
from tests.explorer import QueryView, explorer
from tests.serving import serving
from trailtui.cli import main
from trailtui.lake.history import History
from trailtui.local.demo import DEMO_STORE_ID
from trailtui.paths import locations

KEY, SECRET = "AKIAFAULTSTEST0001", "faults-test-secret"
SQL = f"SELECT eventName, count(*) AS n FROM {DEMO_STORE_ID} WHERE eventTime > '2026-11-20' GROUP BY 1 ORDER BY 2 DESC"


@pytest.fixture
def faulty(demo_lake: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Any]:
    use_keys(monkeypatch, KEY, SECRET)
    with ExitStack() as servers:

        def start(plan: str) -> str:
            return str(servers.enter_context(serving(KEY, SECRET, plan)).url)

        yield start


def history() -> History:
    return History(locations().history_db)


def cli(url: str, capsys: pytest.CaptureFixture[str], sql: str = SQL) -> tuple[int, str, str]:
    code = main(["query", "--format", "csv", "--endpoint-url", url, sql])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "plan", ["throttle=0.3,seed=4", "5xx=0.3,seed=4", "drop=0.3,seed=4", "latency=100-300"]
)
def test_cli_rides_out_transient_faults(faulty: Any, capsys: pytest.CaptureFixture[str], plan: str) -> None:
    code, out, err = cli(faulty(plan), capsys)
    assert code == 0, err
    assert out.startswith("eventName,n") and len(out.splitlines()) > 5
    assert history().search()[0].status == "FINISHED"


@pytest.mark.parametrize(
    ("plan", "expected", "status"),
    [
        ("fail-queries=1", "ended FAILED: Query exhausted resources", "FAILED"),
        ("timeout-queries=1", "ended TIMED_OUT", "TIMED_OUT"),
        ("expire-after=2", "aws sso login", "ERROR"),
        ("deny=StartQuery", "cloudtrail:StartQuery", "ERROR"),
        ("throttle=1", "throttling", "ERROR"),
    ],
)
def test_cli_explains_lasting_faults(
    faulty: Any, capsys: pytest.CaptureFixture[str], plan: str, expected: str, status: str
) -> None:
    started = time.monotonic()
    code, out, err = cli(faulty(plan), capsys)
    assert code == 1 and expected in err, err
    assert time.monotonic() - started < 30  # retries are bounded
    entry = history().search()[0]
    assert entry.status == status
    if status in ("FAILED", "TIMED_OUT"):
        assert entry.query_id  # kept, so the results can be reopened later
    if status == "TIMED_OUT":
        assert out.startswith("eventName,n")  # partial results are shown


async def _run_in_explorer(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> QueryView:
    # a named profile takes its keys from its credentials file, not the environment
    aws_files(monkeypatch, tmp_path, *endpoint_profile("lake", url, KEY, SECRET))
    async with explorer((140, 40), profile="lake", region="us-east-1") as ex:
        await ex.wait_until(lambda: "store org-events" in ex.context, 60)
        await ex.start(SQL)
        q = await ex.finished(60)
        ex.editor.text = "-- still usable"
        assert ex.editor.text == "-- still usable"
        return q


async def test_explorer_survives_throttling_and_drops(
    faulty: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    q = await _run_in_explorer(faulty("throttle=0.2,drop=0.1,latency=50,seed=9"), tmp_path, monkeypatch)
    assert q.status == "FINISHED" and q.error is None and q.loaded > 5


async def test_explorer_failed_query_keeps_its_id(
    faulty: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    q = await _run_in_explorer(faulty("fail-queries=1"), tmp_path, monkeypatch)
    assert q.status == "FAILED" and "exhausted" in (q.error or "")
    entry = history().search()[0]
    assert entry.status == "FAILED" and entry.query_id == q.query_id


async def test_explorer_expired_session_mid_poll(
    faulty: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # sts, iam, list, get are the first four calls; StartQuery the fifth; then the session expires.
    q = await _run_in_explorer(faulty("expire-after=5,query-delay=1"), tmp_path, monkeypatch)
    assert q.error and "aws sso login --profile lake" in q.error
    entry = history().search()[0]
    assert entry.query_id == q.query_id and entry.error  # reopen it once signed in again


def test_cli_export_that_fails_leaves_no_file(
    faulty: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The rows go to a temporary file renamed only when complete: a failure leaves no truncated result
    # that looks like one, and an earlier file of the same name as it was.
    url = faulty("deny=GetQueryResults")
    fresh, kept = tmp_path / "fresh.csv", tmp_path / "kept.csv"
    kept.write_text("an earlier export\n")
    for target in (fresh, kept):
        code = main(["query", "--endpoint-url", url, "--output", str(target), SQL])
        err = capsys.readouterr().err
        assert code == 1 and "cloudtrail:GetQueryResults" in err, err
    assert not fresh.exists() and kept.read_text() == "an earlier export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".csv", ".part")) == ["kept.csv"]
