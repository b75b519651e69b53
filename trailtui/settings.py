"""User settings from config.toml in the config directory. Every setting has a default; a broken file is
reported and ignored rather than stopping trailtui.

    [history]
    max_entries = 10000          # the history keeps this many queries, pruning the oldest

    [profiles.production]        # per AWS profile
    color = "red"                # the context line's colour when this profile is current
    read_only = true             # mark it read-only (a reminder: shown in the context line)

    [athena]                     # Athena CloudTrail tables (see docs/athena.md)
    workgroup = "primary"        # for tables create-table did not remember a workgroup for
    output_location = "s3://my-athena-results/trailtui/"   # when the workgroup sets none
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from typing import Any

from trailtui.lake.history import DEFAULT_CAP
from trailtui.paths import Locations


@dataclass(frozen=True)
class ProfileLook:
    color: str | None = None
    read_only: bool = False


@dataclass
class Settings:
    history_cap: int = DEFAULT_CAP
    profiles: dict[str, ProfileLook] = field(default_factory=dict)
    problem: str | None = None  # why the file was ignored, if it was
    athena_workgroup: str | None = None
    athena_output_location: str | None = None


def load_settings(where: Locations) -> Settings:
    path = where.settings_file
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text())
    except FileNotFoundError:
        return Settings()
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return Settings(problem=f"{path}: {exc}; using defaults")
    settings = Settings()
    try:
        cap = int((data.get("history") or {}).get("max_entries", DEFAULT_CAP))
        settings.history_cap = max(1, cap)
        for name, look in (data.get("profiles") or {}).items():
            if isinstance(look, dict):
                settings.profiles[str(name)] = ProfileLook(
                    look.get("color"), bool(look.get("read_only", False))
                )
        athena = data.get("athena") or {}
        if isinstance(athena, dict):
            settings.athena_workgroup = str(athena["workgroup"]) if athena.get("workgroup") else None
            out = athena.get("output_location")
            settings.athena_output_location = str(out) if out else None
    except (TypeError, ValueError) as exc:
        return Settings(problem=f"{path}: {exc}; using defaults")
    return settings
