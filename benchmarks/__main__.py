"""`python -m benchmarks`: every performance figure of trailtui in one table, each beside a reference
measured in the same run, with its target. Data is generated deterministically (the demo organization's
generator, scaled) and cached under benchmarks/.data/.

    python -m benchmarks            everything (about 15 minutes on 2 cores; the first run builds the data)
    python -m benchmarks import firstrun volume export query tui grid poll serve s3 athena      only some of them
    python -m benchmarks scaling    import and query cost at 100k, 1M and 5M events (long)
"""

from __future__ import annotations

import math
import platform
import sys
from collections.abc import Callable

Row = tuple[str, float, float]
Target = Callable[[str, float, float], str]


def _import() -> list[Row]:
    from benchmarks import import_bench

    return import_bench.run(200_000)


def _query() -> list[Row]:
    from benchmarks import query_bench

    rows = query_bench.run()
    return [(f"query {name} (1M events), ms vs jq", ours, jq) for name, ours, jq in rows]


def _tui() -> list[Row]:
    from benchmarks import tui_bench

    return tui_bench.run()


def _grid() -> list[Row]:
    from benchmarks import grid_filter_bench

    return grid_filter_bench.run()


def _poll() -> list[Row]:
    from benchmarks import poll_bench

    return poll_bench.run()


def _serve() -> list[Row]:
    from benchmarks import serve_bench

    return serve_bench.run()


def _volume() -> list[Row]:
    from benchmarks import volume_bench

    return volume_bench.run()


def _export() -> list[Row]:
    from benchmarks import export_bench

    return export_bench.run()


def _firstrun() -> list[Row]:
    from benchmarks import firstrun_bench

    return firstrun_bench.run()


def _s3() -> list[Row]:
    from benchmarks import s3_bench

    return s3_bench.run()


def _athena() -> list[Row]:
    from benchmarks import athena_bench

    return athena_bench.run()


SUITES: dict[str, Callable[[], list[Row]]] = {
    "import": _import,
    "firstrun": _firstrun,
    "volume": _volume,
    "export": _export,
    "query": _query,
    "tui": _tui,
    "grid": _grid,
    "poll": _poll,
    "serve": _serve,
    "s3": _s3,
    "athena": _athena,
}


def verdict(name: str, value: float, ref: float) -> str:
    """The target a figure is held to, and whether it is met."""
    if name == "import events/s vs read_json":
        return _mark(value / ref >= 1.0, ">= 1.0x read_json")
    if name in ("import events/s vs read_json+unnest", "import events per CPU second vs read_json+unnest"):
        return _mark(value / ref >= 0.8, ">= 0.8x read_json+unnest")
    if name.startswith(("first run: welcome", "first run: stores")):
        return _mark(value <= 3.0, "<= 3 s")
    if name.startswith("demo build peak RSS"):
        return _mark(value <= 400, "<= 400 MB")
    if name.startswith("BytesScanned, one day"):
        return _mark(value <= ref / 5, "<= 1/5 of unbounded")
    if name.startswith("explorer: 100,000 rows loaded"):
        return _mark(value <= 2.0, "<= 2 s")
    if name.startswith("query --format csv --output, 100,000 x 7"):
        return _mark(value <= 10 * ref, "<= 10x COPY")
    if name.startswith("query --format csv --output, 100,000 whole"):
        return _mark(value <= 5 * ref, "<= 5x COPY")
    if name.startswith("query end to first rows"):
        return _mark(value <= ref, "<= one poll interval")
    if name.startswith("query "):
        return _mark(value <= 200 and ref / value >= 100, "<= 200 ms, >= 100x jq")
    if name.startswith("launch to first paint"):
        return _mark(value <= 1.0 and (math.isnan(ref) or value < ref), "<= 1.0 s, < Harlequin")
    if "rows shown in the grid" in name:
        return _mark(value <= 0.5, "<= 0.5 s")
    if name.startswith("grid / filter") and "worst key" in name:
        return _mark(value <= 50, "<= 50 ms per key")
    if name.startswith("athena 1-day query"):  # the day, and the next day's folder (late deliveries)
        return _mark(value <= ref * 2.5 / 30, "<= 2.5/30 of unpruned")
    if name.startswith("athena Lake-to-Athena"):
        return _mark(value <= 50, "<= 50 ms")
    if "peak RSS" in name:
        return _mark(value <= 300, "<= 300 MB")
    return ""


def _mark(ok: bool, target: str) -> str:
    return f"{target:24} {'met' if ok else 'MISSED'}"


def scaling() -> None:
    from benchmarks import import_bench, query_bench
    from benchmarks.lake1m import lake_home

    print(f"{'events':>10} {'import events/s':>16} {'group-by ms':>12}")
    for events in (100_000, 1_000_000, 5_000_000):
        (_name, rate, _ref), *_ = import_bench.run(events, repeats=1)
        home, _files = lake_home(events)
        ((_, ms, _jq),) = query_bench.run(["group by eventName"], repeats=5, home=home, with_jq=False)
        print(f"{events:>10,} {rate:>16,.0f} {ms:>12.0f}")


def main(argv: list[str]) -> int:
    if argv == ["scaling"]:
        scaling()
        return 0
    chosen = argv or list(SUITES)
    unknown = [c for c in chosen if c not in SUITES]
    if unknown:
        print(
            f"unknown suites: {', '.join(unknown)}; choose from {', '.join(SUITES)} or 'scaling'",
            file=sys.stderr,
        )
        return 2
    rows: list[Row] = []
    for suite in chosen:
        print(f"running {suite}...", file=sys.stderr, flush=True)
        rows += SUITES[suite]()
    print(f"machine: {platform.machine()}, {_cores()} cores, Python {platform.python_version()}")
    print(f"{'measure':66} {'trailtui':>11} {'reference':>11} {'ratio':>8}  target")
    for name, value, ref in rows:
        ratio = (
            ""
            if (math.isnan(ref) or not value)
            else f"{(ref / value if _lower_is_better(name) else value / ref):7.2f}x"
        )
        print(f"{name:66} {value:11,.2f} {ref:11,.2f} {ratio:>8}  {verdict(name, value, ref)}")
    return 0


def _lower_is_better(name: str) -> bool:
    return any(
        w in name
        for w in (", ms", ", s ", ", s(", "MB", "DescribeQuery calls", "first paint", "shown in the grid")
    )


def _cores() -> int:
    import os

    return os.cpu_count() or 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
