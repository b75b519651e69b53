"""Where trailtui keeps its files: platformdirs locations, or everything under TRAILTUI_HOME.

Everything trailtui writes is its user's alone: the lake, query results, history, the token key, exports.
`private_files()` sets the process's umask so that every file and folder it creates, whoever creates it
(DuckDB, SQLite, our own code), is 0600 / 0700; `Locations.ensure()` also tightens folders and files an
older version left open.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "trailtui"
HOME_ENV = "TRAILTUI_HOME"
PRIVATE_UMASK = 0o077


def private_files() -> None:
    """Make every file and folder this process creates from now on private to its user."""
    old = os.umask(PRIVATE_UMASK)
    os.umask(old | PRIVATE_UMASK)


def tighten(path: Path) -> None:
    """Take group and other permissions off `path` (a folder trailtui owns, or a file in one)."""
    try:
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:
            path.chmod(mode & 0o700)
    except OSError:
        pass  # not ours, or gone: nothing to tighten


@dataclass(frozen=True)
class Locations:
    """The four directories trailtui writes to."""

    data: Path  # the local lake (DuckDB file and its lock)
    state: Path  # query history, local query results
    config: Path  # settings, saved queries
    cache: Path  # downloads, DuckDB's spill files and other things safe to delete
    root: Path | None = None  # TRAILTUI_HOME, when everything lives under one folder

    @property
    def lake_file(self) -> Path:
        return self.data / "lake.duckdb"

    @property
    def lake_lock(self) -> Path:
        return self.data / "lake.lock"

    @property
    def queries_db(self) -> Path:
        """Local lake query records and kept results (the service side of ListQueries)."""
        return self.state / "local-queries.sqlite"

    @property
    def history_db(self) -> Path:
        """The user's query history (the client side, for every connection)."""
        return self.state / "history.sqlite"

    @property
    def settings_file(self) -> Path:
        return self.config / "config.toml"

    @property
    def saved_queries(self) -> Path:
        return self.config / "queries"

    @property
    def spill(self) -> Path:
        """DuckDB's temporary files (a query or an import larger than its memory limit spills here)."""
        return self.cache / "spill"

    def ensure(self) -> Locations:
        private_files()
        if self.root is not None:
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            tighten(self.root)
        for d in (self.data, self.state, self.config, self.cache):
            d.mkdir(mode=0o700, parents=True, exist_ok=True)
            tighten(d)
            for entry in d.iterdir():  # files and folders an older trailtui wrote with the default umask
                tighten(entry)
        return self


def locations(home: str | os.PathLike[str] | None = None) -> Locations:
    """The locations in effect: `home`, else $TRAILTUI_HOME, else the platform's user directories."""
    root = home if home is not None else os.environ.get(HOME_ENV)
    if root:
        base = Path(root).expanduser().resolve()
        return Locations(base / "data", base / "state", base / "config", base / "cache", base)
    import platformdirs

    return Locations(
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
    )
