"""The local lake's DuckDB file: who may open it, and how.

DuckDB lets one process write a database file, and does not stop a read-only open in another process from
reading pages a writer is rewriting. trailtui is often several processes at once (the TUI, `import` in
another shell, `serve`), so access goes through a lock file beside the database:

- readers (queries, store listings) hold a shared `flock` while their DuckDB instance is open;
- writers (imports, store creation) hold an exclusive `flock`, keep each connection short (a batch of
  files), and close it, which checkpoints, before letting readers in again.

`flock` locks belong to an open file description, so threads of one process exclude each other the same
way processes do. Waiting is bounded: a caller that cannot get the lake in time gets `LakeBusyError`.

Every DuckDB instance spills to its own private folder under the cache folder (`spill/<pid>-<n>`), capped
in size, removed when the instance closes; folders of processes that died (kill -9) are removed when the
next LakeFile is made. DuckDB's own default would be `.tmp` in the current directory (world-readable, up
to 90% of the free disk, left behind with event JSON in it). Writers (imports) run under a memory limit.
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb

from trailtui.local.querystore import process_alive
from trailtui.paths import Locations

CATALOG_DDL = (
    """CREATE TABLE IF NOT EXISTS trailtui_stores (
        id VARCHAR NOT NULL, name VARCHAR NOT NULL, table_name VARCHAR NOT NULL, status VARCHAR NOT NULL,
        organization_enabled BOOLEAN NOT NULL, multi_region_enabled BOOLEAN NOT NULL,
        retention_period INTEGER NOT NULL, termination_protection BOOLEAN NOT NULL,
        billing_mode VARCHAR NOT NULL, created TIMESTAMP NOT NULL, updated TIMESTAMP NOT NULL,
        event_count BIGINT NOT NULL, first_event TIMESTAMP, last_event TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS trailtui_sources (
        store_id VARCHAR NOT NULL, source VARCHAR NOT NULL, etag VARCHAR, size BIGINT,
        events BIGINT, imported TIMESTAMP)""",
    "CREATE TABLE IF NOT EXISTS trailtui_meta (key VARCHAR NOT NULL, value VARCHAR)",
    # Store settings Lake keeps (selectors, KMS key, tags, deletion time), as JSON (catalog.py).
    "ALTER TABLE trailtui_stores ADD COLUMN IF NOT EXISTS settings VARCHAR",
)

# How long a caller waits for the lake before giving up, in seconds.
DEFAULT_WAIT = 60.0
# Disk one DuckDB instance may spill to, and the memory an import may use (DuckDB sizes).
SPILL_LIMIT = os.environ.get("TRAILTUI_SPILL_LIMIT", "4GB")
IMPORT_MEMORY = os.environ.get("TRAILTUI_IMPORT_MEMORY", "2GB")  # the demo build peaks at 1.1 GB RSS under it
_spill_ids = itertools.count(1)


class LakeBusyError(RuntimeError):
    """The lake stayed locked by another reader or writer for longer than the caller would wait."""


def _is_lock_conflict(exc: BaseException) -> bool:
    text = str(exc)
    return "lock" in text.lower() or "already attached" in text or "Unique file handle conflict" in text


class LakeFile:
    """Opens the lake's DuckDB file for reading or writing, under the lake lock."""

    def __init__(self, where: Locations) -> None:
        self.locations = where
        self.path: Path = where.lake_file
        self._init_lock = threading.Lock()
        remove_stale_spill(where.spill)

    @contextlib.contextmanager
    def _spill_folder(self) -> Iterator[Path]:
        """A private folder for one DuckDB instance's temporary files, removed when it closes."""
        self.locations.spill.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder = self.locations.spill / f"{os.getpid()}-{next(_spill_ids)}"
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def exists(self) -> bool:
        return self.path.exists()

    @contextlib.contextmanager
    def _flock(self, mode: int, wait: float, purpose: str) -> Iterator[None]:
        """Take the lake lock in `mode`, fairly.

        A turnstile lock comes first: whoever waits for the lake holds it, so a writer finishing one batch
        cannot take the lake straight back while a reader waits, and a stream of readers cannot starve a
        waiting writer.
        """
        self.locations.data.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + wait
        gate = os.open(self.locations.lake_lock.with_suffix(".turnstile"), os.O_RDWR | os.O_CREAT, 0o600)
        fd = os.open(self.locations.lake_lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                _acquire(gate, fcntl.LOCK_EX, deadline, wait, purpose)
                _acquire(fd, mode, deadline, wait, purpose)
            finally:
                os.close(gate)  # releases the turnstile
            yield
        finally:
            os.close(fd)  # releases the lake lock

    def stamp(self) -> tuple[tuple[int, int, int] | None, ...]:
        """What changes whenever the lake file is written (a writer checkpoints as it ends)."""
        stamp: list[tuple[int, int, int] | None] = []
        for path in (self.path, self.path.with_name(self.path.name + ".wal")):
            try:
                st = path.stat()
                stamp.append((st.st_mtime_ns, st.st_size, st.st_ino))
            except OSError:
                stamp.append(None)
        return tuple(stamp)

    @contextlib.contextmanager
    def writer(self, wait: float = DEFAULT_WAIT) -> Iterator[duckdb.DuckDBPyConnection]:
        """An exclusive read-write connection; committed work is checkpointed when the block ends."""
        import duckdb

        with self._flock(fcntl.LOCK_EX, wait, "a write"), self._spill_folder() as spill:
            config: dict[str, str | bool | int | float | list[str]] = {
                "temp_directory": str(spill),
                "max_temp_directory_size": SPILL_LIMIT,
            }
            con = _retry_open(lambda: _open_for_writing(duckdb, self.path, config), wait)
            try:
                _session_defaults(con)
                con.execute(f"SET memory_limit = '{_sql_str(IMPORT_MEMORY)}'")
                # Rows of an import batch may land in any order: DuckDB then writes row groups in parallel.
                con.execute("SET preserve_insertion_order = false")
                for ddl in CATALOG_DDL:
                    con.execute(ddl)
                yield con
            finally:
                con.close()

    @contextlib.contextmanager
    def reader(
        self, wait: float = DEFAULT_WAIT, config: dict[str, str | int | bool] | None = None
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """A fresh in-memory DuckDB instance with the lake attached read-only as `lake`.

        Each reader is its own instance, so a query's memory limit, threads and locked configuration
        are its own, and nothing it does can touch the lake file.
        """
        import duckdb

        if not self.path.exists():
            with self.writer(wait):
                pass  # create an empty lake with its catalog
        with self._flock(fcntl.LOCK_SH, wait, "a read"), self._spill_folder() as spill:
            settings: dict[str, str | bool | int | float | list[str]] = {
                "max_temp_directory_size": SPILL_LIMIT
            }
            settings.update(config or {})
            settings["temp_directory"] = str(spill)
            con = duckdb.connect(":memory:", config=settings)
            try:
                _session_defaults(con)
                _retry_open(
                    lambda: con.execute(f"ATTACH '{_sql_str(str(self.path))}' AS lake (READ_ONLY)"), wait
                )
                yield con
            finally:
                con.close()


# How stores are laid out, so that an eventTime bound reads little (imports sort each batch by eventTime, and
# DuckDB skips the row groups whose zone maps fall outside the bound). DuckDB's default row group (122,880
# rows) would hold the whole demo store in one group: nothing to skip. 8,192 rows is a few hours of the demo.
# Small row groups in 256 KB blocks leave partial blocks (the demo's lake grew 40%); 64 KB blocks keep it
# within 10% of the default layout. The block size applies when the file is created, the row group size to
# whatever a writer adds. Measured on the demo store: docs/performance.md, "Statistics".
ROW_GROUP_SIZE = 8192
BLOCK_SIZE = 65_536


def _open_for_writing(
    duckdb: Any, path: Path, config: dict[str, str | bool | int | float | list[str]]
) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:", config=config)
    try:
        options = f"ROW_GROUP_SIZE {ROW_GROUP_SIZE}" + ("" if path.exists() else f", BLOCK_SIZE {BLOCK_SIZE}")
        # Attached as `lake`, the name DuckDB gave the file when it was opened directly (lake.duckdb).
        con.execute(f"ATTACH '{_sql_str(str(path))}' AS lake ({options})")
        con.execute("USE lake")
    except BaseException:
        con.close()
        raise
    return con


def remove_stale_spill(spill: Path) -> None:
    """Remove spill folders whose process is gone (killed before DuckDB could clean up)."""
    try:
        entries = list(spill.iterdir())
    except OSError:
        return
    for entry in entries:
        pid, _, _ = entry.name.partition("-")
        if not pid.isdigit() or not process_alive(int(pid)):
            shutil.rmtree(entry, ignore_errors=True)


def _acquire(fd: int, mode: int, deadline: float, wait: float, purpose: str) -> None:
    delay = 0.005
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise LakeBusyError(
                    f"the local lake is busy ({purpose} waited {wait:.0f}s for another trailtui "
                    "process or query to finish)"
                ) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.05)


def _session_defaults(con: duckdb.DuckDBPyConnection) -> None:
    # Lake times are UTC; DuckDB's own progress bar would scribble over our output.
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")


def _sql_str(s: str) -> str:
    return s.replace("'", "''")


def _retry_open(opener, wait: float):  # type: ignore[no-untyped-def]
    """Open, retrying while a process outside our lock protocol (say, the duckdb CLI) holds the file."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return opener()
        except Exception as exc:  # duckdb raises IOException / ResourceInUseException here
            if not _is_lock_conflict(exc) or time.monotonic() >= deadline:
                if _is_lock_conflict(exc):
                    raise LakeBusyError(f"the local lake file is held by another program: {exc}") from exc
                raise
            time.sleep(0.1)
