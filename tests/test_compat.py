"""Real CloudTrail Lake queries from public sources, run unchanged on the demo store.

Every query in shared/data/lake-queries.sql runs with its store placeholder replaced by the demo store's ID;
each outcome is reported. At least 90% of those not marked as upstream defects must run; the defective ones
may run (some are valid SQL despite their typos) or fail, but only with InvalidQueryStatementException.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.lakequeries import load, substitute
from trailtui.lake.query import QueryRun
from trailtui.local.demo import DEMO_STORE_ID
from trailtui.local.service import LocalLake


def _outcome(ct: Any, sql: str) -> tuple[str, str]:
    q = QueryRun(ct, sql)
    try:
        q.start()
    except ClientError as exc:
        return exc.response["Error"]["Code"], exc.response["Error"]["Message"]
    state = q.wait(sleep=lambda s: time.sleep(min(s, 0.05)))
    if state.status == "FINISHED":
        q.page()  # results are readable
    return state.status, state.error or ""


def test_published_queries(demo_lake: Any, shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    queries = load(shared_data / "lake-queries.sql")
    assert len(queries) >= 40
    lake = LocalLake()
    report = []
    try:
        for q in queries:
            sql = substitute(q.sql, DEMO_STORE_ID, "2026-11-20 00:00:00")
            status, message = _outcome(lake.client(), sql)
            report.append((q, status, message))
    finally:
        lake.close()
    with capsys.disabled():
        print("\nquery  kind     outcome")
        for q, status, message in report:
            kind = "defect" if q.upstream_defect else ("config" if q.needs_config_store else "")
            print(f"{q.number:5}  {kind:7}  {status} {message[:100]}")
    sound = [(q, s, m) for q, s, m in report if not q.upstream_defect]
    ran = [q.number for q, s, _ in sound if s == "FINISHED"]
    share = len(ran) / len(sound)
    with capsys.disabled():
        print(f"ran {len(ran)} of {len(sound)} queries not marked as upstream defects ({share:.0%})")
    assert share >= 0.9
    for q, status, message in report:
        assert status in ("FINISHED", "InvalidQueryStatementException"), (q.number, status, message)
        if status != "FINISHED":
            assert message and "Traceback" not in message
