"""The explorer's figures: launch to first paint (reference: Harlequin on the same machine), time to show a
100,000-row result once it has arrived, and peak memory with it loaded (reference for both: Textual's
DataTable given the same rows, in the same run)."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from benchmarks.data import all_rows
from benchmarks.lake1m import lake_home

HERE = Path(__file__).parent
HARLEQUIN = HERE / ".venv-harlequin" / "bin" / "harlequin"
ROWS = 100_000
QUERY = (
    "SELECT eventTime, recipientAccountId, awsRegion, eventSource, eventName, userIdentity.arn, "
    f"sourceIPAddress, errorCode FROM bench-1m LIMIT {ROWS}"
)


def first_paint(argv: list[str], marker: bytes, env: dict[str, str], timeout: float = 30) -> float:
    """Seconds from exec to the first frame containing `marker`, in a 120x40 pseudo-terminal."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: become the app
        os.execvpe(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    seen = b""
    try:
        while marker not in seen:
            ready, _, _ = select.select([fd], [], [], timeout)
            if not ready:
                raise TimeoutError(f"{argv[0]} painted nothing with {marker!r} in {timeout}s")
            try:
                seen = (seen + os.read(fd, 1 << 16))[-(1 << 20) :]
            except OSError:
                break
        return time.perf_counter() - start
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def paint_figures(home: Path, repeats: int = 5) -> tuple[float, float]:
    env = dict(os.environ, TRAILTUI_HOME=str(home), TERM="xterm-256color", COLUMNS="120", LINES="40")
    trailtui = [sys.executable, "-m", "trailtui"]
    ours = statistics.median(first_paint(trailtui, b"Stores", env) for _ in range(repeats))
    if not HARLEQUIN.exists():
        return ours, float("nan")
    ref = statistics.median(first_paint([str(HARLEQUIN)], b"Data Catalog", env) for _ in range(repeats))
    return ours, ref


def result_rows(home: Path) -> tuple[list[str], list[list[str | None]]]:
    from trailtui.local.service import LocalLake
    from trailtui.paths import locations

    lake = LocalLake(locations(home))
    try:
        store = lake.engine.stores()[0].id
        return all_rows(lake.client(), QUERY.replace("bench-1m", store))
    finally:
        lake.close()


SHOW = """
import asyncio, json, sys, time
def rss_mb(field="VmRSS"):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) / 1024
from textual.app import App
from textual.widgets import DataTable
from trailtui.tui.grid import ResultGrid
columns, rows = json.load(open(sys.argv[2]))
kind = sys.argv[1]
class Bench(App):
    def compose(self):
        yield ResultGrid() if kind == "grid" else DataTable()
async def main():
    app = Bench()
    async with app.run_test(size=(160, 48)) as pilot:
        widget = app.query_one(ResultGrid if kind == "grid" else DataTable)
        await pilot.pause()
        before = rss_mb()
        start = time.perf_counter()
        if kind == "grid":
            widget.add_rows(columns, rows)
        else:
            widget.add_columns(*columns)
            widget.add_rows(rows)
        await pilot.pause()
        widget.refresh()
        await pilot.pause()
        elapsed = time.perf_counter() - start
        grown = rss_mb() - before
    print(json.dumps({"seconds": elapsed, "grown_mb": grown}))
asyncio.run(main())
"""


def show_figures(columns: list[str], rows: list[list[str | None]]) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "rows.json"
        data.write_text(json.dumps([columns, rows]))
        out = {}
        for kind in ("grid", "datatable"):
            proc = subprocess.run(
                [sys.executable, "-c", SHOW, kind, str(data)],
                capture_output=True,
                text=True,
                check=True,
                timeout=600,
            )
            out[kind] = json.loads(proc.stdout.strip().splitlines()[-1])
        return out


APP_PEAK = """
import asyncio, sys, time
from trailtui.lake.backoff import PollBackoff
from trailtui.paths import locations
from trailtui.tui.app import TrailApp
from trailtui.tui.editor import SqlEditor
def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024
async def main():
    app = TrailApp(locations(), aws_stores=False)
    async with app.run_test(size=(160, 48)) as pilot:
        state = app.main.state
        while state.store is None:
            await pilot.pause(0.05)
        app.main.query_one(SqlEditor).text = sys.argv[1]
        await pilot.press("ctrl+j")
        while state.run is None or not state.run.complete:
            await pilot.pause(0.05)
        assert state.run.loaded == int(sys.argv[2]), state.run
    print(peak_mb())
asyncio.run(main())
"""


def app_peak(home: Path, sql: str, rows: int) -> float:
    env = dict(os.environ, TRAILTUI_HOME=str(home))
    proc = subprocess.run(
        [sys.executable, "-c", APP_PEAK, sql, str(rows)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=600,
    )
    return float(proc.stdout.strip().splitlines()[-1])


def run() -> list[tuple[str, float, float]]:
    home, _ = lake_home(200_000)
    ours, harlequin = paint_figures(home)
    columns, rows = result_rows(home)
    shown = show_figures(columns, rows)
    peak = app_peak(home, QUERY, len(rows))
    return [
        ("launch to first paint, s (vs Harlequin)", ours, harlequin),
        (
            f"{len(rows):,} rows shown in the grid, s (vs DataTable)",
            shown["grid"]["seconds"],
            shown["datatable"]["seconds"],
        ),
        (
            f"memory the widget adds for {len(rows):,} rows, MB (vs DataTable)",
            shown["grid"]["grown_mb"],
            shown["datatable"]["grown_mb"],
        ),
        (f"trailtui peak RSS, {len(rows):,}-row query loaded, MB (vs 300 target)", peak, 300.0),
    ]


def main() -> None:
    if not HARLEQUIN.exists() and shutil.which("harlequin") is None:
        print(
            "(Harlequin not installed: python3 -m venv benchmarks/.venv-harlequin && "
            "benchmarks/.venv-harlequin/bin/pip install harlequin)",
            file=sys.stderr,
        )
    for name, value, ref in run():
        print(f"{name:52} {value:10.3f} {ref:10.3f} {ref / value if value else float('nan'):6.2f}x")


if __name__ == "__main__":
    main()
