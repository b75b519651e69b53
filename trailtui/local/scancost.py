"""How many bytes a query scanned: the compressed bytes of the columns it read, in the row groups it read.

CloudTrail Lake bills by bytes scanned, counting only the columns a query touches. The local lake computes
the same from DuckDB's storage layout: each column's compressed size comes from `pragma_storage_info`
(segments and their offsets in the file's blocks), and DuckDB's profile says which columns each table scan
read (projections and filters) and what share of the row groups it scanned after pruning.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb

BLOCK_SIZE = 262_144  # DuckDB's default block size


def column_bytes(con: duckdb.DuckDBPyConnection, qualified_table: str) -> dict[str, int]:
    """Compressed bytes per top-level column of a table."""
    rows = con.execute(
        "SELECT column_name, block_id, block_offset, len(additional_block_ids) "
        f"FROM pragma_storage_info('{qualified_table}') WHERE persistent AND block_id >= 0"
    ).fetchall()
    by_block: dict[int, list[tuple[int, str]]] = defaultdict(list)
    sizes: dict[str, int] = defaultdict(int)
    for column, block, offset, extra in rows:
        by_block[block].append((offset, column))
        sizes[column] += extra * BLOCK_SIZE
    for segments in by_block.values():
        segments.sort()
        for i, (offset, column) in enumerate(segments):
            end = segments[i + 1][0] if i + 1 < len(segments) else BLOCK_SIZE
            sizes[column] += max(0, end - offset)
    return dict(sizes)


def columns_read(scan: dict[str, Any], known: set[str]) -> set[str]:
    """The table's columns a profiled scan read: those named in its projections or filters."""
    info = scan.get("extra_info") or {}
    text = " ".join(str(info.get(k, "")) for k in ("Projections", "Filters"))
    words = {w.lower() for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)}
    return words & known


def scan_bytes(scan: dict[str, Any], sizes: dict[str, int]) -> int:
    read = columns_read(scan, set(sizes))
    if not read:  # count(*) reads no column data, only row-group metadata
        return 0
    groups = int(scan.get("row_groups_scanned") or 0)
    total = int(scan.get("total_row_groups_to_scan") or 0)
    share = groups / total if total else 1.0
    return int(sum(sizes[c] for c in read) * share)
