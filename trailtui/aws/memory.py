"""What trailtui remembers per connection (an AWS profile, or the local lake): the last Region, store and
editor content, and which profiles were used most recently. Kept in the state directory as JSON."""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class ProfileState:
    region: str | None = None
    store: str | None = None
    editor: str | None = None
    deliver_to: str | None = None  # the explorer's `:deliver`: where its queries save their results
    used: float = field(default_factory=time.time)


class ProfileMemory:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.profiles: dict[str, ProfileState] = {}
        try:
            data = json.loads(path.read_text())
            for name, state in (data.get("profiles") or {}).items():
                self.profiles[name] = ProfileState(
                    **{k: v for k, v in state.items() if k in ProfileState.__dataclass_fields__}
                )
        except (OSError, ValueError, TypeError):
            pass  # no memory yet, or a damaged file: start afresh

    def get(self, name: str) -> ProfileState:
        return self.profiles.get(name) or ProfileState(used=0)

    def remember(self, name: str, **fields: str | None) -> None:
        state = self.profiles.setdefault(name, ProfileState())
        for key, value in fields.items():
            setattr(state, key, value)
        state.used = time.time()
        self._save()

    def recent(self) -> list[str]:
        """Profile names, most recently used first."""
        return [n for n, _ in sorted(self.profiles.items(), key=lambda kv: -kv[1].used)]

    def _save(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            tmp.write_text(
                json.dumps({"profiles": {n: asdict(s) for n, s in self.profiles.items()}}, indent=1)
            )
            tmp.replace(self.path)
        except OSError:
            pass  # memory is a convenience; never fail an action over it
