"""The explorer's export (ctrl+e) of 100,000 rows x 7 columns to CSV, each route beside paging through
GetQueryResults measured in the same run, on the demo lake: from the files the query delivered (`:deliver`
set: StartQuery's DeliveryS3Uri, a local folder). Each figure is the export alone (the query has ended), through the code the explorer's worker runs
(workers.export_results: lake/export.export_query with connections.delivered_results); the median of 3.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.firstrun_bench import build_demo_home
from benchmarks.volume_bench import SEVEN

Row = tuple[str, float, float]


def _finished(ct: Any, sql: str, uri: str | None = None) -> str:
    query_id: str = ct.start_query(QueryStatement=sql, **({"DeliveryS3Uri": uri} if uri else {}))["QueryId"]
    while True:
        d = ct.describe_query(QueryId=query_id)
        if d["QueryStatus"] not in ("QUEUED", "RUNNING") and d.get("DeliveryStatus") != "PENDING":
            assert d["QueryStatus"] == "FINISHED", d
            return query_id
        time.sleep(0.05)


def run(repeats: int = 3) -> list[Row]:
    from trailtui.connections import delivered_results, open_local
    from trailtui.lake.export import export_query
    from trailtui.local.demo import DEMO_STORE_ID
    from trailtui.local.service import LocalLake
    from trailtui.paths import locations

    sql = f"SELECT {SEVEN} FROM {DEMO_STORE_ID} ORDER BY eventTime, eventID LIMIT 100000"
    with tempfile.TemporaryDirectory(prefix="trailtui-export-bench-") as name:
        tmp = Path(name)
        build_demo_home(tmp / "home")
        lake = LocalLake(locations(tmp / "home"))
        try:
            conn = open_local(lake)
            ct = conn.cloudtrail
            files = delivered_results(conn, lambda text: None)
            saved = tmp / "saved"
            saved.mkdir()
            delivered = _finished(ct, sql, f"file://{saved}")
            plain = _finished(ct, sql)

            def timed(query_id: str, how: Any) -> float:
                times = []
                for n in range(repeats):
                    target = tmp / f"out-{n}.csv"
                    start = time.perf_counter()
                    rows = export_query(ct, query_id, target, files=how)
                    times.append(time.perf_counter() - start)
                    assert rows == 100_000
                    target.unlink()
                return statistics.median(times)

            paged = timed(plain, None)
            from_files = timed(delivered, files)
        finally:
            lake.close()
    return [
        ("explorer export 100,000 x 7 from delivered files, s (vs pages)", from_files, paged),
    ]
