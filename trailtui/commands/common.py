"""What the subcommands share: the lake in effect and durations as people read them."""

from __future__ import annotations

import sys
from typing import TextIO

from trailtui.local.lakefile import LakeFile
from trailtui.paths import locations


def open_lake(build_demo_if_empty: bool = True, out: TextIO | None = None) -> LakeFile:
    """The local lake of $TRAILTUI_HOME (or the user's data directory); a fresh one gets the demo."""
    lake = LakeFile(locations().ensure())
    if build_demo_if_empty:
        from trailtui.local.demo import ensure_demo

        ensure_demo(lake, notify=lambda msg: print(msg, file=out or sys.stderr, flush=True))
    return lake


def human_duration(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"
