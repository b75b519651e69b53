"""User settings from config.toml in the config directory. Every setting has a default; a broken file is
reported and ignored rather than stopping trailtui.

    [history]
    max_entries = 10000          # the history keeps this many queries, pruning the oldest

    [profiles.production]        # per AWS profile
    color = "red"                # the context line's colour when this profile is current
    read_only = true             # mark it read-only (a reminder: shown in the context line)
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
    except (TypeError, ValueError) as exc:
        return Settings(problem=f"{path}: {exc}; using defaults")
    return settings
