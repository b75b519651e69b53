"""A local lake holding a 1,000,000-event store built from the benchmark logs (built once, then reused)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.data import DATA, trail_logs
from trailtui.local.importer import import_paths
from trailtui.local.lakefile import LakeFile
from trailtui.paths import locations

STORE = "bench-1m"


def lake_home(events: int = 1_000_000) -> tuple[Path, list[Path]]:
    """TRAILTUI_HOME of a lake with `events` events in store `bench-1m`, and the log files."""
    logs, files = trail_logs(events)
    home = DATA / f"home-{events}"
    done = home / ".complete"
    if not done.exists():
        lake = LakeFile(locations(home).ensure())
        report = import_paths(lake, [logs], STORE)
        assert report.ok and report.events_added == events, report.rejected
        done.write_text("ok")
    return home, files
