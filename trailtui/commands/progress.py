"""A one-line progress bar on stderr for long imports (only when stderr is a terminal)."""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO

from trailtui.commands.common import human_duration
from trailtui.local.importer import ImportProgress
from trailtui.units import human_bytes


class ProgressLine:
    def __init__(self, out: TextIO | None = None, label: str = "Importing", unit: str = "files") -> None:
        self.out = out or sys.stderr
        self.label = label
        self.unit = unit
        self.enabled = self.out.isatty()
        self._last = 0.0

    def __call__(self, p: ImportProgress) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.1 and p.files_done < p.files_total:
            return
        self._last = now
        frac = p.bytes_done / p.bytes_total if p.bytes_total else 1.0
        rate = p.events_added / p.elapsed if p.elapsed > 0 else 0.0
        eta = (p.elapsed / frac - p.elapsed) if 0 < frac < 1 else 0.0
        width = max(10, min(30, shutil.get_terminal_size((80, 24)).columns - 70))
        filled = int(frac * width)
        bar = "#" * filled + "-" * (width - filled)
        text = (
            f"\r{self.label} [{bar}] {frac:4.0%}  {self.unit} {p.files_done}/{p.files_total}  "
            f"{human_bytes(p.bytes_done)}  events +{p.events_added:,} ({rate:,.0f}/s)"
            + (f"  ETA {human_duration(eta)}" if eta else "")
        )
        self.out.write(text + "\x1b[K")
        self.out.flush()

    def done(self) -> None:
        if self.enabled and self._last:
            self.out.write("\r\x1b[K")
            self.out.flush()
