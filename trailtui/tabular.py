"""Plain-text tables for the command line: aligned columns of sanitised text, no markup, no colour."""

from __future__ import annotations

from collections.abc import Sequence

from trailtui.lake.text import sanitize, truncate


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]], max_width: int = 60) -> str:
    """An aligned table; cells are sanitised and cut to `max_width` characters."""
    cells = [[truncate(sanitize(h), max_width) for h in headers]]
    for row in rows:
        cells.append([truncate(sanitize("" if v is None else v), max_width) for v in row])
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
