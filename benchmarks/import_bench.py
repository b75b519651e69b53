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


def run(events: int = 200_000, repeats: int = 3) -> list[tuple[str, float, float]]:
    root, files = trail_logs(events)
    size = sum(f.stat().st_size for f in files)
    print(
        f"import: {events:,} events in {len(files)} gzipped files ({size / 1e6:.1f} MB), {_load()}",
        file=sys.stderr,
    )
    ours, refs_flat, refs_unnest = [], [], []
    for _ in range(repeats):  # interleaved, so that a change of load meets each alike
        wall, cpu, added, lake_bytes = _trailtui_import(root)
        assert added == events
        ours.append((wall, cpu, lake_bytes))
        refs_flat.append(_duckdb_load(files, unnest=False))
        refs_unnest.append(_duckdb_load(files, unnest=True))

    print(f"import: done, {_load()}", file=sys.stderr)

    def rate(runs: list[tuple[float, float, int]], which: int) -> float:
        return events / statistics.median(r[which] for r in runs)

    return [
        ("import events/s vs read_json", rate(ours, 0), rate(refs_flat, 0)),
        ("import events/s vs read_json+unnest", rate(ours, 0), rate(refs_unnest, 0)),
        ("import events per CPU second vs read_json+unnest", rate(ours, 1), rate(refs_unnest, 1)),
        ("import lake size, MB (vs read_json+unnest's table)", ours[-1][2] / 1e6, refs_unnest[-1][2] / 1e6),
    ]


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min)"


def main() -> None:
    events = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    for name, value, ref in run(events):
        print(f"{name:40} {value:12,.0f} {ref:12,.0f} {value / ref:6.2f}x")


if __name__ == "__main__":
    main()
