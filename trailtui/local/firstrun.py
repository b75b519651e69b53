"""The first run's demo builder, started as early as the command line can: before the explorer loads.

On a fresh machine (no lake file yet) `trailtui` starts the builder process (demo/background.py) before it
imports Textual, so the demo's newest day is built while the explorer loads, paints and opens the lake; the
explorer's lake worker then adopts the process (`take`). Light on purpose, so that it costs the start-up
nothing: no DuckDB, none of the demo's modules, only a file's existence checked.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from pathlib import Path

from trailtui.paths import Locations

_started: dict[Path, subprocess.Popen[str]] = {}


def spawn(where: Locations, count: int | None = None) -> subprocess.Popen[str]:
    """The builder process for the lake at `where` (it speaks JSON lines on stdout, listens on stdin)."""
    args = [str(where.data), str(where.state), str(where.config), str(where.cache)]
    if count is not None:
        args.append(str(count))
    return subprocess.Popen(
        [sys.executable, "-m", "trailtui.local.demo.background", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        bufsize=1,
    )


def start(where: Locations) -> None:
    """On a fresh machine, start building the demo now (the explorer's worker takes the process over)."""
    if where.lake_file.exists() or where.lake_file in _started:
        return
    with contextlib.suppress(OSError):  # if it cannot start, the explorer's worker starts one a little later
        _started[where.lake_file] = spawn(where)


def take(where: Locations) -> subprocess.Popen[str] | None:
    """The builder started early for this lake, if any (once)."""
    return _started.pop(where.lake_file, None)
