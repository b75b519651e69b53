"""`trailtui demo`: (re)build the generated demo organization store."""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path

from trailtui.commands.common import open_lake
from trailtui.commands.importing import print_report
from trailtui.commands.progress import ProgressLine
from trailtui.local.catalog import StoreNotFoundError, find_store
from trailtui.local.demo import DEMO_STORE_NAME, build_demo
from trailtui.local.store_admin import delete_store


def run_demo(reset: bool, anchor: str | None, keep_logs: str | None, events: int) -> int:
    lake = open_lake(build_demo_if_empty=False)
    if reset:
        with lake.writer() as con, contextlib.suppress(StoreNotFoundError):
            delete_store(con, find_store(con, DEMO_STORE_NAME))
    when = datetime.strptime(anchor, "%Y-%m-%d") if anchor else None
    progress = ProgressLine(label="Building demo", unit="days")
    try:
        report = build_demo(lake, when, events, Path(keep_logs) if keep_logs else None, progress)
    finally:
        progress.done()
    print_report(report)
    return 0 if report.ok else 1
