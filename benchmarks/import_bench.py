"""Import throughput: trailtui's import against DuckDB's own read_json load of the same gzipped logs.

Two references, both measured here on the same files:
- "read_json": `CREATE TABLE AS SELECT * FROM read_json(files)`, DuckDB loading the files as they are
  (one row per log file, the events left nested in a Records list): the issue's stated reference;
- "read_json+unnest": the same with `unnest(Records)`, one row per event, closer to the work trailtui does.
trailtui additionally keeps the original record text, deduplicates by eventID, and commits per batch.

Each is also timed in CPU seconds (this process and DuckDB's threads): on a machine shared with others, wall
time says as much about the neighbours as about the import, CPU time much less. The load average is printed
before and after, and the size of what each wrote (trailtui's lake holds each record's text besides the typed
columns, which the reference does not keep).

`--floor` adds a diagnostic: the least any arrangement of trailtui's statements could cost, one `INSERT ...
SELECT ... ORDER BY eventTime` straight from the files into a store's table (the same typed columns, eventjson,
row groups and codecs), with no deduplication, no per-file counts and no batches. If it misses a target, no
rearrangement of the import's statements meets it (docs/performance.md, "Import").

`--outside` adds what keeping eventjson outside the columns would cost each query that reads it: the import
would keep each log file and every event's place in it, and such a query would split the records out of the
files again. It times a scan of every event's eventjson from the store's column against the same scan from
the gzipped files (without even the join back to the rows, so the figure favours the files).
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from benchmarks.data import trail_logs
from trailtui.local.importer import import_paths
from trailtui.local.lakefile import LakeFile
from trailtui.paths import locations


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _duckdb_load(files: list[Path], unnest: bool) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        con = duckdb.connect(str(Path(tmp) / "ref.duckdb"))
        con.execute("SET enable_progress_bar = false")
        names = [str(f) for f in files]
        select = "unnest(Records, recursive := true)" if unnest else "*"
        start, cpu = time.perf_counter(), _cpu()
        con.execute(f"CREATE TABLE ref AS SELECT {select} FROM read_json($files)", {"files": names})
        con.close()  # includes the checkpoint, as trailtui's import does
        return time.perf_counter() - start, _cpu() - cpu, (Path(tmp) / "ref.duckdb").stat().st_size


def _trailtui_import(root: Path) -> tuple[float, float, int, int]:
    with tempfile.TemporaryDirectory() as tmp:
        lake = LakeFile(locations(tmp).ensure())
        start, cpu = time.perf_counter(), _cpu()
        report = import_paths(lake, [root], "bench")
        elapsed, cpu = time.perf_counter() - start, _cpu() - cpu
        assert report.ok, report.rejected
        return elapsed, cpu, report.events_added, lake.path.stat().st_size


def _floor_insert(files: list[Path]) -> tuple[float, float, int]:
    from trailtui.local.batchread import batch_rows
    from trailtui.local.catalog import get_or_create_store
    from trailtui.local.schema import COLUMNS, record_structure
    from trailtui.local.sources import discover

    structure = record_structure().replace("'", "''")
    cols = ", ".join("ts" if c.name == "eventtime" else f't."{c.key}"' for c in COLUMNS)
    logs = discover(files).logs
    with tempfile.TemporaryDirectory() as tmp:
        lake = LakeFile(locations(tmp).ensure())
        start, cpu = time.perf_counter(), _cpu()
        # The import's own reader (the records split as lines), timed with the rest.
        with lake.writer() as con, batch_rows(logs, Path(tmp) / "split") as rows:
            store, _ = get_or_create_store(con, "bench")
            con.execute("SET preserve_insertion_order = true")
            typed = (
                f"SELECT t, try_cast(t.eventTime AS TIMESTAMP) AS ts, j FROM (SELECT json_transform(j, "
                f"'{structure}') AS t, j FROM ({rows.sql}))"
            )
            con.execute(
                f"INSERT INTO {store.table_name} SELECT {cols}, j FROM ({typed}) ORDER BY ts", rows.params
            )
        return time.perf_counter() - start, _cpu() - cpu, lake.path.stat().st_size


_SCAN = "json_extract_string({}, '$.userAgent') LIKE '%boto%'"


def _eventjson_scans(root: Path, files: list[str], repeats: int) -> tuple[float, float]:
    """CPU seconds (medians) of one scan of every event's eventjson: from the column, and from the files."""
    from trailtui.local.catalog import list_stores

    with tempfile.TemporaryDirectory() as tmp:
        lake = LakeFile(locations(tmp).ensure())
        import_paths(lake, [root], "bench")
        with lake.writer() as con:
            (store,) = list_stores(con)
            from_column = f"SELECT count(*) FROM {store.table_name} WHERE {_SCAN.format('eventjson')}"
            from_files = (
                "SELECT count(*) FROM (SELECT unnest(json_extract(json, '$.Records[*]')) AS j "
                "FROM read_json_objects($files, format='unstructured', compression='gzip')) "
                f"WHERE {_SCAN.format('j')}"
            )
            column: list[float] = []
            kept: list[float] = []
            for _ in range(repeats):
                for sql, params, runs in ((from_column, {}, column), (from_files, {"files": files}, kept)):
                    cpu = _cpu()
                    con.execute(sql, params).fetchall()
                    runs.append(_cpu() - cpu)
            return statistics.median(column), statistics.median(kept)


def run(
    events: int = 200_000, repeats: int = 3, floor: bool = False, outside: bool = False
) -> list[tuple[str, float, float]]:
    root, files = trail_logs(events)
    size = sum(f.stat().st_size for f in files)
    print(
        f"import: {events:,} events in {len(files)} gzipped files ({size / 1e6:.1f} MB), {_load()}",
        file=sys.stderr,
    )
    ours, refs_flat, refs_unnest, floors = [], [], [], []
    for _ in range(repeats):  # interleaved, so that a change of load meets each alike
        wall, cpu, added, lake_bytes = _trailtui_import(root)
        assert added == events
        ours.append((wall, cpu, lake_bytes))
        refs_flat.append(_duckdb_load(files, unnest=False))
        refs_unnest.append(_duckdb_load(files, unnest=True))
        if floor:
            floors.append(_floor_insert(files))

    print(f"import: done, {_load()}", file=sys.stderr)

    def rate(runs: list[tuple[float, float, int]], which: int) -> float:
        return events / statistics.median(r[which] for r in runs)

    extra = []
    if floor:
        extra = [
            (
                "floor (one INSERT, no dedup) events/s vs read_json+unnest",
                rate(floors, 0),
                rate(refs_unnest, 0),
            ),
            (
                "floor (one INSERT, no dedup) events per CPU s vs read_json+unnest",
                rate(floors, 1),
                rate(refs_unnest, 1),
            ),
        ]
    if outside:
        column, kept = _eventjson_scans(root, [str(f) for f in files], repeats)
        extra.append(("eventjson scan CPU s: kept files vs the column", kept, column))
    return [
        ("import events/s vs read_json", rate(ours, 0), rate(refs_flat, 0)),
        ("import events/s vs read_json+unnest", rate(ours, 0), rate(refs_unnest, 0)),
        ("import events per CPU second vs read_json+unnest", rate(ours, 1), rate(refs_unnest, 1)),
        ("import lake size, MB (vs read_json+unnest's table)", ours[-1][2] / 1e6, refs_unnest[-1][2] / 1e6),
        *extra,
    ]


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min)"


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    events = int(args[0]) if args else 200_000
    for name, value, ref in run(events, floor="--floor" in sys.argv, outside="--outside" in sys.argv):
        shown = ",.2f" if max(value, ref) < 100 else ",.0f"
        print(f"{name:40} {value:12{shown}} {ref:12{shown}} {value / ref:6.2f}x")


if __name__ == "__main__":
    main()
