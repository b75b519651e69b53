"""Figures as people read them, shared by the CLI and the explorer."""

from __future__ import annotations


def rows(count: int) -> str:
    """`1 row`, `2 rows`, `1,000 rows`: a count of rows as messages say it."""
    return f"{count:,} row" if count == 1 else f"{count:,} rows"


def human_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if abs(n) < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} PB"
