"""The results grid's `/` filter, per key, on the demo organization's whole store (105,000 rows, 8 columns),
typed as a user types: the incident's source IP one key at a time, then backspaced to nothing.

trailtui: the grid's model (a lowercased text per row, built as pages arrive; a key that extends the filter
searches only the previous matches; earlier results kept for backspace) plus drawing the lines a 160x48
screen shows. The same, with the rows sorted by eventName. Reference, in the same run: a plain Python scan of
the same rows per key (lowercase every cell, test it), which is what the grid did before.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from benchmarks.data import DATA, all_rows

SQL = (
    "SELECT eventTime, recipientAccountId, awsRegion, eventSource, eventName, userIdentity.arn, "
    "sourceIPAddress, errorCode FROM {store}"
)
REPEATS = 3


def demo_rows() -> tuple[list[str], list[list[str | None]]]:
    from trailtui.local.demo import DEMO_STORE_ID, build_demo, demo_anchor
    from trailtui.local.lakefile import LakeFile
    from trailtui.local.service import LocalLake
    from trailtui.paths import locations

    home = DATA / "home-demo"
    done = home / ".complete"
    if not done.exists():
        report = build_demo(LakeFile(locations(home).ensure()), demo_anchor())
        assert report.ok, report.rejected
        done.write_text("ok")
    lake = LocalLake(locations(home))
    try:
        return all_rows(lake.client(), SQL.format(store=DEMO_STORE_ID))
    finally:
        lake.close()


def keystrokes(text: str) -> list[str]:
    """The filter's text after each key: typed one character at a time, then erased one at a time."""
    typed = [text[:n] for n in range(1, len(text) + 1)]
    return typed + [text[:n] for n in range(len(text) - 1, -1, -1)]


def plain_scan(rows: list[list[str | None]], needle: str) -> list[int]:
    needle = needle.lower()
    if not needle:
        return list(range(len(rows)))
    return [i for i, row in enumerate(rows) if any(v is not None and needle in v.lower() for v in row)]


def per_key_ms(apply: object, keys: list[str]) -> list[float]:
    out = []
    for text in keys:
        start = time.perf_counter()
        apply(text)  # type: ignore[operator]
        out.append((time.perf_counter() - start) * 1000)
    return out


def grid_keys(
    columns: list[str], rows: list[list[str | None]], keys: list[str], sort_by: str | None
) -> tuple[list[float], float]:
    """Per-key ms through the grid itself (ResultGrid at 160x48: filter, then draw every line on screen),
    and ms to load the result page by page (building the filter's row texts)."""
    import asyncio

    from textual.app import App, ComposeResult
    from textual.geometry import Region

    from trailtui.tui.grid import ResultGrid

    class Bench(App[None]):
        def compose(self) -> ComposeResult:
            yield ResultGrid()

    out: tuple[list[float], float] = ([], 0.0)

    async def measure() -> None:
        nonlocal out
        app = Bench()
        async with app.run_test(size=(160, 48)) as pilot:
            grid = app.query_one(ResultGrid)
            await pilot.pause()
            start = time.perf_counter()
            for at in range(0, len(rows), 1000):  # pages as they arrive
                grid.add_rows(columns, rows[at : at + 1000])
            load_ms = (time.perf_counter() - start) * 1000
            if sort_by is not None:
                grid.cursor_col = columns.index(sort_by)
                grid.action_sort()

            def apply(text: str) -> None:
                grid.apply_filter(text)
                grid.render_lines(Region(0, 0, *grid.size))  # what the next frame draws

            out = (per_key_ms(apply, keys), load_ms)

    asyncio.run(measure())
    return out


def sort_ms(columns: list[str], rows: list[list[str | None]], column: str) -> tuple[float, float]:
    """ms for `s` on `column` (deciding its kind, building keys, sorting), and for a plain Python sort of the
    same rows on the column's strings (NULLs last), the reference."""
    from trailtui.tui.grid_model import GridModel

    model = GridModel()
    for at in range(0, len(rows), 1000):
        model.add_rows(columns, rows[at : at + 1000])
    at = columns.index(column)
    start = time.perf_counter()
    model.cycle_sort(at)
    ours = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    sorted(range(len(rows)), key=lambda i: (rows[i][at] is None, rows[i][at] or ""))
    return ours, (time.perf_counter() - start) * 1000


def run(needle: str | None = None) -> list[tuple[str, float, float]]:
    from trailtui.local.demo import INCIDENT_IP

    columns, rows = demo_rows()
    keys = keystrokes(needle or INCIDENT_IP)
    reference = per_key_ms(lambda t: plain_scan(rows, t), keys)
    # Each key's median over REPEATS fresh grids: on a shared machine one key is sometimes descheduled, and
    # the worst of single samples then measures the neighbours, not the filter.
    plain = [grid_keys(columns, rows, keys, None) for _ in range(REPEATS)]
    ours = [statistics.median(t[0][k] for t in plain) for k in range(len(keys))]
    load_ms = statistics.median(t[1] for t in plain)
    by_name = [grid_keys(columns, rows, keys, "eventName")[0] for _ in range(REPEATS)]
    ours_sorted = [statistics.median(t[k] for t in by_name) for k in range(len(keys))]
    n = f"{len(rows):,}"
    sorts = [
        (f"grid sort by {c} ({kind}), {n} rows, ms (vs sorting the strings)", *sort_ms(columns, rows, c))
        for c, kind in (("eventTime", "timestamps"), ("eventName", "text"))
    ]
    return [
        (
            f"grid / filter, {n} rows, worst key (median of {REPEATS}), ms (vs plain scan)",
            max(ours),
            max(reference),
        ),
        (
            f"grid / filter, {n} rows, median key, ms (vs plain scan)",
            statistics.median(ours),
            statistics.median(reference),
        ),
        (
            f"grid / filter, {n} rows sorted, worst key (median of {REPEATS}), ms (vs plain scan)",
            max(ours_sorted),
            max(reference),
        ),
        (
            f"grid rows loaded with filter text, {n} rows, ms (vs one plain scan)",
            load_ms,
            statistics.median(reference),
        ),
        *sorts,
    ]


def main() -> None:
    for name, value, ref in run(sys.argv[1] if len(sys.argv) > 1 else None):
        print(f"{name:66} {value:9.1f} {ref:9.1f}")


if __name__ == "__main__":
    Path(DATA).mkdir(parents=True, exist_ok=True)
    main()
