"""Where trailtui keeps its files: platformdirs locations, or everything under TRAILTUI_HOME."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "trailtui"
HOME_ENV = "TRAILTUI_HOME"


@dataclass(frozen=True)
class Locations:
    """The four directories trailtui writes to."""

    data: Path  # the local lake (DuckDB file and its lock)
    state: Path  # query history, local query results
    config: Path  # settings, saved queries
    cache: Path  # downloads and other things safe to delete

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

    def ensure(self) -> Locations:
        for d in (self.data, self.state, self.config, self.cache):
            d.mkdir(parents=True, exist_ok=True)
        return self


def locations(home: str | os.PathLike[str] | None = None) -> Locations:
    """The locations in effect: `home`, else $TRAILTUI_HOME, else the platform's user directories."""
    root = home if home is not None else os.environ.get(HOME_ENV)
    if root:
        base = Path(root).expanduser().resolve()
        return Locations(base / "data", base / "state", base / "config", base / "cache")
    import platformdirs

    return Locations(
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
    )
