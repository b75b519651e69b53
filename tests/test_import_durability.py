"""An import killed midway leaves a consistent store, and running it again completes it exactly once.
Two processes using the lake at once wait for each other instead of failing or reading torn data."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.logfiles import record, write_log
from trailtui.local.catalog import list_stores
from trailtui.local.importer import import_paths
from trailtui.local.lakefile import LakeFile

FILES = 40
PER_FILE = 200


def _make_logs(root: Path) -> None:
    for f in range(FILES):
        write_log(root / f"f{f:03d}.json.gz", [record(f * PER_FILE + i) for i in range(PER_FILE)])


def _store_state(lake: LakeFile) -> tuple[int, int, int]:
    """(catalog event count, rows in the table, distinct eventIDs)."""
    with lake.reader(wait=30) as con:
        stores = list_stores(con, "lake")
        if not stores:
            return (0, 0, 0)
        s = stores[0]
        rows, distinct = con.execute(
            f"SELECT count(*), count(DISTINCT eventid) FROM lake.{s.table_name}"
        ).fetchone()
        return (s.event_count, rows, distinct)


def _start_import(logs: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "trailtui", "import", str(logs)],
        env={**env, "TRAILTUI_IMPORT_BATCH_FILES": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # Ctrl-C as in a terminal: a suite started in the background (`pytest &`) has SIGINT ignored,
        # which the import would inherit
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _interrupt_midway(lake: LakeFile, proc: subprocess.Popen[bytes], sig: int) -> None:
    """Send `sig` once some, not all, batches have committed.

    Polling alone raced the import (on a loaded machine it finished between two looks). So each look takes
    the lake's shared lock, which waits for a commit in progress and keeps the next one out, and freezes the
    importer (SIGSTOP) while it counts: the importer only moves between looks, a few batches at most."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if lake.exists():
            with lake.reader(wait=30) as con:
                proc.send_signal(signal.SIGSTOP)
                stores = list_stores(con, "lake")
                count = stores[0].event_count if stores else 0
                if count >= PER_FILE * 3:
                    proc.send_signal(sig)  # a SIGINT waits for SIGCONT; SIGKILL ends it at once
                proc.send_signal(signal.SIGCONT)
            if count >= PER_FILE * 3:
                return
        time.sleep(0.05)
    raise AssertionError("the import ended before a look saw it midway")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_killed_import_is_consistent_and_resumes(lake: LakeFile, tmp_path: Path, sig: int) -> None:
    logs = tmp_path / "logs"
    _make_logs(logs)
    proc = _start_import(logs, dict(os.environ))
    _interrupt_midway(lake, proc, sig)
    proc.wait(timeout=30)
    if sig == signal.SIGINT:  # Ctrl-C stops the import (130), it does not reject a file and go on (1, 0)
        assert proc.returncode == 130
    catalog, rows, distinct = _store_state(lake)
    assert 0 < rows < FILES * PER_FILE, "the kill should land midway"
    assert catalog == rows == distinct  # nothing half-written, nothing doubled
    report = import_paths(lake, [logs])
    assert report.ok
    assert report.events_added == FILES * PER_FILE - rows
    assert _store_state(lake) == (FILES * PER_FILE,) * 3


def test_reader_in_another_process_during_import(lake: LakeFile, tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    _make_logs(logs)
    proc = _start_import(logs, dict(os.environ))
    seen = []
    try:
        while proc.poll() is None:
            if lake.exists():
                state = _store_state(lake)
                assert state[0] == state[1] == state[2]  # every read sees whole batches only
                seen.append(state[0])
            time.sleep(0.02)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == 0
    assert _store_state(lake)[0] == FILES * PER_FILE
    assert seen == sorted(seen)


def test_two_imports_at_once_do_not_double_count(lake: LakeFile, tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    _make_logs(logs)
    env = dict(os.environ)
    a, b = _start_import(logs, env), _start_import(logs, env)
    assert a.wait(timeout=120) == 0 and b.wait(timeout=120) == 0
    assert _store_state(lake) == (FILES * PER_FILE,) * 3


def test_busy_lake_times_out_with_a_clear_error(lake: LakeFile) -> None:
    from trailtui.local.lakefile import LakeBusyError

    with lake.writer(), pytest.raises(LakeBusyError, match="busy"), lake.reader(wait=0.3):
        pass
    with lake.reader(), lake.reader(wait=0.3) as con:  # readers share
        assert con.execute("SELECT 1").fetchone() == (1,)
