"""Scan statistics and results at volume, each beside a reference measured in the same run.

- statistics: BytesScanned of a query bounded to one day against the same query unbounded (target: a fifth);
- explorer: ctrl+j to all 100,000 rows of a result in the grid (target: 2 s), against DuckDB fetching the
  same rows into Python, against the same explorer with botocore's stock JSON parser, and against it with
  Python's default collector pacing (tui/collector.py); its peak memory (target: 300 MB). Three rounds, the
  three explorers in turn in each, medians;
- export: `trailtui query --format csv --output` of 100,000 rows x 7 columns, and of 100,000 whole rows,
  against DuckDB's `COPY (SELECT ...) TO 'x.csv'` of the same rows from the same lake file.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.firstrun_bench import build_demo_home

Row = tuple[str, float, float]

SEVEN = "eventTime, eventSource, eventName, awsRegion, sourceIPAddress, userAgent, recipientAccountId"
# The explorer's 100,000-row query (tui_bench's eight columns, here on the demo store).
EIGHT = (
    "eventTime, recipientAccountId, awsRegion, eventSource, eventName, userIdentity.arn, sourceIPAddress, "
    "errorCode"
)

_EXPLORER = """
import asyncio, json, sys, time
if sys.argv[3] == "stock":  # the reference: botocore's own JSON parser, walking every cell
    import botocore.session
    import trailtui.aws.parsing
    trailtui.aws.parsing.botocore_session = botocore.session.get_session
if sys.argv[3] == "defaultgc":  # the reference: Python's own collector thresholds
    import trailtui.tui.collector
    trailtui.tui.collector.YOUNG_THRESHOLD = 0
from trailtui.paths import locations
from trailtui.tui.app import TrailApp
from trailtui.tui.editor import SqlEditor
async def main():
    app = TrailApp(locations(sys.argv[1]), aws_stores=False)
    async with app.run_test(size=(160, 48)) as pilot:
        state = app.main.state
        while state.store is None:
            await pilot.pause(0.05)
        app.main.query_one(SqlEditor).text = sys.argv[2]
        start, cpu = time.perf_counter(), time.process_time()
        await pilot.press("ctrl+j")
        # Plain sleeps while it loads: the pilot's pause waits for the screen to settle, a cost the
        # explorer alone does not pay.
        while state.run is None or not state.run.loaded:
            await asyncio.sleep(0.01)
        first = time.perf_counter() - start
        while not state.run.complete:
            await asyncio.sleep(0.01)
        loaded, cpu = time.perf_counter() - start, time.process_time() - cpu
        assert state.run.loaded == 100000, state.run
    with open("/proc/self/status") as status:  # VmHWM: ru_maxrss may carry the parent's peak (firstrun_bench)
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
    print(json.dumps({"first": first, "loaded": loaded, "cpu": cpu, "peak": peak}))
asyncio.run(main())
"""


def _python(code: str, *args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _statistics(home: Path) -> list[Row]:
    from trailtui.local.demo import DEMO_STORE_ID
    from trailtui.local.service import LocalLake
    from trailtui.paths import locations

    lake = LocalLake(locations(home))
    ct = lake.client()
    try:

        def scanned(where: str) -> float:
            qid = ct.start_query(
                QueryStatement=f"SELECT eventName, count(*) FROM {DEMO_STORE_ID} {where} GROUP BY 1"
            )["QueryId"]
            while (d := ct.describe_query(QueryId=qid))["QueryStatus"] in ("QUEUED", "RUNNING"):
                time.sleep(0.05)
            return float(d["QueryStatistics"]["BytesScanned"])

        with lake.engine.lake.reader() as con:
            row = con.execute(
                f"SELECT max(eventtime)::DATE FROM lake.events_{DEMO_STORE_ID.replace('-', '')}"
            ).fetchone()
        day = row[0] if row else None
        bounded = scanned(f"WHERE eventTime >= '{day} 00:00:00'")
        return [("BytesScanned, one day of 30 vs unbounded (target <= 0.2)", bounded, scanned(""))]
    finally:
        lake.close()


def _fetch(home: Path) -> float:
    """DuckDB fetching the explorer's rows into Python from the same lake file, s."""
    import duckdb

    from trailtui.local.demo import DEMO_STORE_ID

    con = duckdb.connect()
    con.execute(f"ATTACH '{home / 'data' / 'lake.duckdb'}' AS lake (READ_ONLY)")
    table = f"lake.events_{DEMO_STORE_ID.replace('-', '')}"
    cols = EIGHT.replace("userIdentity.arn", "userIdentity.arn AS arn")
    start = time.perf_counter()
    con.execute(f"SELECT {cols} FROM {table} LIMIT 100000").fetchall()
    ref = time.perf_counter() - start
    con.close()
    return ref


def _explorer(home: Path, rounds: int = 3) -> list[Row]:
    """ctrl+j to every row of a 100,000-row result in the explorer's grid (headless, in its own process),
    against DuckDB fetching the same rows into Python from the same lake file; and against the same explorer
    parsing the pages with botocore's stock JSON parser (a cell at a time), and with Python's default
    collector pacing. Each round runs every variant in turn (the machine is shared: interleaved, each sees
    the same load); the figures are medians."""
    from trailtui.local.demo import DEMO_STORE_ID

    sql = f"SELECT {EIGHT} FROM {DEMO_STORE_ID} LIMIT 100000"
    runs: dict[str, list[dict[str, float]]] = {"ours": [], "stock": [], "defaultgc": [], "fetch": []}
    for _ in range(rounds):
        print(f"volume: explorer round, load average {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
        for variant in ("ours", "stock", "defaultgc"):
            runs[variant].append(_python(_EXPLORER, str(home), sql, variant))
        runs["fetch"].append({"s": _fetch(home)})

    def median(variant: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[variant])

    ours = {k: median("ours", k) for k in ("first", "loaded", "cpu", "peak")}
    stock = {k: median("stock", k) for k in ("loaded", "cpu")}
    pacing = {k: median("defaultgc", k) for k in ("loaded", "cpu", "peak")}
    ref = median("fetch", "s")
    return [
        ("explorer: 100,000 rows loaded after ctrl+j, s vs DuckDB fetchall", ours["loaded"], ref),
        ("explorer: first rows in the grid after ctrl+j, s vs DuckDB fetchall", ours["first"], ref),
        ("explorer: CPU s to load them vs botocore's stock JSON parser", ours["cpu"], stock["cpu"]),
        ("explorer: 100,000 rows loaded, s vs botocore's stock JSON parser", ours["loaded"], stock["loaded"]),
        (
            "explorer: 100,000 rows loaded, s vs Python's default collector pacing",
            ours["loaded"],
            pacing["loaded"],
        ),
        ("explorer: CPU s to load them vs Python's default collector pacing", ours["cpu"], pacing["cpu"]),
        (
            "explorer peak RSS, 100,000 rows loaded, MB vs default collector pacing",
            ours["peak"],
            pacing["peak"],
        ),
    ]


def _export(home: Path, tmp: Path, whole: bool) -> Row:
    import duckdb

    from trailtui.commands.query import run_query
    from trailtui.connections import open_local
    from trailtui.local.demo import DEMO_STORE_ID
    from trailtui.local.service import LocalLake
    from trailtui.paths import locations

    cols = "*" if whole else SEVEN
    sql = f"SELECT {cols} FROM {DEMO_STORE_ID} ORDER BY eventTime, eventID LIMIT 100000"
    lake = LocalLake(locations(home))
    try:
        conn = open_local(lake)
        start = time.perf_counter()
        with open(tmp / "err.txt", "w") as err:
            assert run_query(sql, "csv", str(tmp / "ours.csv"), conn, err=err) == 0
        ours = time.perf_counter() - start
    finally:
        lake.close()
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"ATTACH '{home / 'data' / 'lake.duckdb'}' AS lake (READ_ONLY)")
    table = f"lake.events_{DEMO_STORE_ID.replace('-', '')}"
    dcols = "* EXCLUDE (eventjsonchecksum)" if whole else SEVEN
    start = time.perf_counter()
    con.execute(
        f"COPY (SELECT {dcols} FROM {table} ORDER BY eventTime, eventID LIMIT 100000) TO '{tmp / 'ref.csv'}'"
    )
    ref = time.perf_counter() - start
    con.close()
    what = "100,000 whole rows" if whole else "100,000 x 7"
    return (f"query --format csv --output, {what}, s vs DuckDB COPY", ours, ref)


def run(whole_rows: bool = True) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="trailtui-bench-") as name:
        tmp = Path(name)
        home = tmp / "home"
        build_demo_home(home)  # the demo; the build's own figures: benchmarks/firstrun_bench.py
        rows: list[Row] = []
        rows += _statistics(home)
        rows += _explorer(home)
        rows.append(_export(home, tmp, whole=False))
        if whole_rows:
            rows.append(_export(home, tmp, whole=True))
        return rows


def main() -> None:
    for name, value, ref in run(whole_rows="--no-whole" not in sys.argv):
        print(f"{name:66} {value:12,.2f} {ref:12,.2f}")


if __name__ == "__main__":
    main()
