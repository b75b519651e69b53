"""Deterministic benchmark data: gzipped trail logs in the organization-trail S3 layout."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from trailtui.local.demo import SEED, DemoGenerator, write_trail_logs

DATA = Path(os.environ.get("TRAILTUI_BENCH_DATA", Path(__file__).parent / ".data"))
ANCHOR = datetime(2026, 11, 1)


def trail_logs(events: int) -> tuple[Path, list[Path]]:
    """A folder of gzipped logs holding `events` events (generated once, then reused)."""
    root = DATA / f"logs-{events}"
    done = root / ".complete"
    if not done.exists():
        # A million events at a time, each chunk the 30 days before the previous one with its own seed
        # (distinct eventIDs): five million dicts at once would not fit in memory.
        chunk, start, n = 1_000_000, 0, 0
        while start < events:
            size = min(chunk, events - start)
            gen = DemoGenerator(ANCHOR - timedelta(days=30 * n), size, seed=SEED + n)
            write_trail_logs(gen.events(), root)
            start, n = start + size, n + 1
        done.write_text("ok")
    return root, sorted(root.rglob("*.json.gz"))


def all_rows(client: Any, sql: str) -> tuple[list[str], list[list[str | None]]]:
    """Every row of a query's result, through the CloudTrail API (StartQuery, then every page)."""
    from trailtui.lake.query import QueryRun

    run = QueryRun(client, sql)
    run.start()
    assert run.wait().status == "FINISHED"
    columns: list[str] = []
    rows: list[list[str | None]] = []
    for page in run.pages():
        columns = columns or page.columns
        rows.extend(page.rows)
    return columns, rows
