"""Deterministic benchmark data: gzipped trail logs in the organization-trail S3 layout."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from trailtui.local.demo import DemoGenerator, write_trail_logs

DATA = Path(os.environ.get("TRAILTUI_BENCH_DATA", Path(__file__).parent / ".data"))
ANCHOR = datetime(2026, 11, 1)


def trail_logs(events: int) -> tuple[Path, list[Path]]:
    """A folder of gzipped logs holding `events` events (generated once, then reused)."""
    root = DATA / f"logs-{events}"
    done = root / ".complete"
    if not done.exists():
        gen = DemoGenerator(ANCHOR, events)
        write_trail_logs(gen.events(), root)
        done.write_text("ok")
    return root, sorted(root.rglob("*.json.gz"))
