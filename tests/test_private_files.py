"""Every file trailtui writes is its user's alone, and DuckDB spills only to a private, capped folder that
is cleaned up, even after kill -9."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.logfiles import record, write_log
from trailtui.cli import main
from trailtui.local.demo import DEMO_STORE_ID
from trailtui.local.engine import Limits
from trailtui.local.lakefile import LakeFile
from trailtui.local.querysandbox import sandbox_config
from trailtui.local.service import LocalLake
from trailtui.paths import locations


def _modes(root: Path) -> dict[Path, int]:
    out = {root: stat.S_IMODE(root.stat().st_mode)}
    for p in root.rglob("*"):
        out[p] = stat.S_IMODE(p.lstat().st_mode)
    return out


def test_everything_under_home_and_exports_is_private(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    os.umask(0o022)  # the usual default: files 0644, folders 0755
    logs = write_log(tmp_path / "logs" / "a.json.gz", [record(i) for i in range(5)])
    assert main(["import", str(logs)]) == 0
    export = tmp_path / "out.csv"
    assert (
        main(["query", "--output", str(export), "--format", "csv", "SELECT eventName FROM trail-logs"]) == 0
    )
    assert main(["history", "--format", "json"]) == 0
    modes = _modes(home)
    names = {p.name for p in modes}
    assert {"lake.duckdb", "local-queries.sqlite", "history.sqlite", "token.key"} <= names
    for path, mode in modes.items():
        if path.is_symlink():
            continue
        assert mode & 0o077 == 0, f"{path} is {oct(mode)}"
    assert stat.S_IMODE(export.stat().st_mode) == 0o600


def test_files_left_open_by_an_older_version_are_tightened(home: Path) -> None:
    os.umask(0o022)
    where = locations()
    for d in (where.data, where.state):
        d.mkdir(parents=True, mode=0o755)
        d.chmod(0o755)
    old = where.state / "local-queries.sqlite"
    old.write_bytes(b"")
    old.chmod(0o644)
    where.ensure()
    assert stat.S_IMODE(where.state.stat().st_mode) == 0o700
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
    assert stat.S_IMODE(home.stat().st_mode) == 0o700


def test_duckdb_spills_to_a_private_capped_folder(
    demo_lake: LakeFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # DuckDB's default would be ./.tmp here
    where = demo_lake.locations
    lake = LocalLake(limits=Limits(memory="64MB"))
    try:
        with lake.engine.lake.reader(config=sandbox_config(lake.engine.limits)) as con:
            spill, cap = con.execute(
                "SELECT current_setting('temp_directory'), current_setting('max_temp_directory_size')"
            ).fetchone()
            assert Path(spill).parent == where.spill
            # A sort larger than the memory limit spills, into that folder only.
            con.execute(f"SELECT * FROM lake.main.{_table(lake)} ORDER BY eventjson LIMIT 1").fetchall()
        assert stat.S_IMODE(where.spill.stat().st_mode) == 0o700
        assert not Path(spill).exists()  # removed when the instance closed
        assert cap and "0 bytes" not in cap
    finally:
        lake.close()
    assert not (tmp_path / ".tmp").exists()


def _table(lake: LocalLake) -> str:
    return next(s.table_name for s in lake.engine.stores() if s.id == DEMO_STORE_ID)


def test_spill_of_a_killed_process_is_removed_at_start(home: Path) -> None:
    where = locations().ensure()
    # A process that dies with spill files in place: kill -9 gives DuckDB no chance to clean up.
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead = where.spill / f"{proc.stdout.strip()}-1"
    dead.mkdir(parents=True)
    (dead / "duckdb_temp_storage-0.tmp").write_bytes(b'{"accessKeyId": "AKIA..."}')
    alive = where.spill / f"{os.getpid()}-999999"
    alive.mkdir()
    LakeFile(where)
    assert not dead.exists()
    assert alive.exists()  # a live process's folder is left alone
    alive.rmdir()


def test_the_importer_runs_under_a_memory_limit(lake: LakeFile) -> None:
    from trailtui.local import lakefile

    with lake.writer() as con:
        limit = con.execute("SELECT current_setting('memory_limit')").fetchone()
        spill = con.execute("SELECT current_setting('temp_directory')").fetchone()
    assert limit is not None and spill is not None
    assert limit[0] == con_size(lakefile.IMPORT_MEMORY)
    assert Path(spill[0]).parent == lake.locations.spill


def con_size(text: str) -> str:
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{text}'")
    row = con.execute("SELECT current_setting('memory_limit')").fetchone()
    assert row is not None
    return str(row[0])
