"""`trailtui history`: the query history, as a table or JSON, optionally searched."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import TextIO

from trailtui.lake.history import History
from trailtui.paths import locations
from trailtui.settings import load_settings
from trailtui.tabular import format_table


def run_history(fmt: str, search: str, limit: int, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    where = locations().ensure()
    history = History(where.history_db, load_settings(where).history_cap)
    entries = history.search(search, limit)
    if fmt == "json":
        print(json.dumps([e.as_dict() for e in entries], indent=2, ensure_ascii=False), file=out)
        return 0
    if not entries:
        print("No queries in the history" + (f" match {search!r}." if search else "."), file=out)
        return 0

    def when(t: float | None) -> str:
        return datetime.fromtimestamp(t).strftime("%Y-%m-%d %H:%M:%S") if t else "-"

    rows = [
        [
            when(e.started),
            e.status,
            e.connection,
            e.query_id or "-",
            "-" if e.row_count is None else f"{e.row_count:,}",
            " ".join(e.sql.split()),
        ]
        for e in entries
    ]
    print(format_table(["STARTED", "STATUS", "CONNECTION", "QUERY ID", "ROWS", "SQL"], rows, 70), file=out)
    return 0
