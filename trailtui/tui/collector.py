"""How often Python's cyclic garbage collector runs while the explorer is up.

CPython 3.11 starts a young collection whenever container objects allocated exceed those freed by 700, and
a full one (over every tracked object: about 180,000 in the explorer, more with a result loaded) every
ten middle ones once the survivors pass a quarter of the old generation. Loading a result allocates a list
per row and a dict per cell while the JSON is decoded, and keeps a list per row: 100,000 rows of 8 columns
ran about 1,300 young collections and one to four full ones, 0.2 to 1.2 s of the load (measured with
gc.callbacks, 2026-11-29, commit ba746f3). With young collections every 50,000 the same load runs three
young ones and no full one. Almost nothing the explorer makes is cyclic garbage (frees are by reference
count), so collecting less often costs no memory worth measuring (peak RSS the same within 3 MB).
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 50_000


def pace() -> tuple[int, int, int]:
    """Collect young objects every YOUNG_THRESHOLD allocations; returns the thresholds to restore."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], YOUNG_THRESHOLD), *before[1:])
    return before


def restore(thresholds: tuple[int, int, int]) -> None:
    gc.set_threshold(*thresholds)
