"""How many bytes a query scanned: the compressed bytes of the columns it read, in the rows it read.

CloudTrail Lake bills by bytes scanned, counting only the columns a query touches, and partitions a store by
eventTime so that a bound on eventTime reads (and bills) only the time it covers. The local lake computes the
same from DuckDB's storage layout and its profile of the query:

- each column's compressed size comes from `pragma_storage_info` (segments and their offsets in the file's
  blocks);
- the profile says which columns each table scan read (projections and filters) and how many rows it read
  after DuckDB skipped the row groups and segments whose zone maps fall outside its filters. Stores are
  written in eventTime order (see importer.py), so an eventTime bound skips most of them;
- a column costs its bytes in proportion to the rows read.

eventTime is the partition key: a bound on it is answered from the zone maps (the partition metadata), so
reading it only to apply that bound is not counted, as a partition predicate costs nothing on Lake. A query
that selects, groups or computes on eventTime reads it and pays for it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb

PARTITION_KEY = "eventtime"


@dataclass(frozen=True)
class TableLayout:
    """A store table's compressed bytes per top-level column, and its row count."""

    column_bytes: dict[str, int]
    rows: int


def table_layout(con: duckdb.DuckDBPyConnection, qualified_table: str) -> TableLayout:
    catalog = qualified_table.split(".")[0]
    row = con.execute(
        "SELECT block_size FROM pragma_database_size() WHERE database_name = ?", [catalog]
    ).fetchone()
    block_size = int(row[0]) if row else 262_144
    rows = con.execute(
        "SELECT column_name, block_id, block_offset, len(additional_block_ids), count, "
        "column_path = '[' || column_id || ', 0]' AND segment_type = 'VALIDITY' "
        f"FROM pragma_storage_info('{qualified_table}') WHERE persistent"
    ).fetchall()
    by_block: dict[int, list[tuple[int, str]]] = defaultdict(list)
    sizes: dict[str, int] = defaultdict(int)
    counted: dict[str, int] = defaultdict(int)
    for column, block, offset, extra, count, top_validity in rows:
        if top_validity:  # one per row group and column: the column's row count
            counted[column] += int(count)
        if block < 0:
            continue
        by_block[block].append((offset, column))
        sizes[column] += extra * block_size
    for segments in by_block.values():
        segments.sort()
        for i, (offset, column) in enumerate(segments):
            end = segments[i + 1][0] if i + 1 < len(segments) else block_size
            sizes[column] += max(0, end - offset)
    return TableLayout(dict(sizes), max(counted.values(), default=0))


def _words(value: Any) -> set[str]:
    text = " ".join(value) if isinstance(value, list) else str(value or "")
    return {w.lower() for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)}


def columns_read(scan: dict[str, Any], known: set[str]) -> set[str]:
    """The table's columns a profiled scan read and pays for: those it outputs or filters on, except the
    partition key when it is only filtered on."""
    info = scan.get("extra_info") or {}
    projected = _words(info.get("Projections")) & known
    filtered = _words(info.get("Filters")) & known
    return projected | (filtered - {PARTITION_KEY})


def rows_read(scan: dict[str, Any], layout: TableLayout) -> int:
    """The rows a scan read: DuckDB's count after zone-map pruning, within the table's size."""
    rows = int(scan.get("rows_scanned") or scan.get("operator_rows_scanned") or 0)
    return min(rows, layout.rows) if layout.rows else rows


def scan_bytes(scan: dict[str, Any], layout: TableLayout) -> int:
    read = columns_read(scan, set(layout.column_bytes))
    if not read or not layout.rows:  # count(*) reads no column data, only row-group metadata
        return 0
    share = rows_read(scan, layout) / layout.rows
    return int(sum(layout.column_bytes[c] for c in read) * share)


def store_scans(operators: list[dict[str, Any]], tables: set[str]) -> Iterator[tuple[dict[str, Any], int]]:
    """Each scan of a store table in a DuckDB profile, with the rows that passed its filters (the scan's
    own output, or that of the FILTER/PROJECTION chain right above it)."""

    def walk(node: dict[str, Any], chain_rows: int | None) -> Iterator[tuple[dict[str, Any], int]]:
        kind = node.get("type") or node.get("operator_type")
        rows = int(node.get("intermediate_rows") or node.get("operator_cardinality") or 0)
        if kind == "TABLE_SCAN" and (node.get("extra_info") or {}).get("Table") in tables:
            yield node, (chain_rows if chain_rows is not None else rows)
            return
        for child in node.get("children") or []:
            next_rows: int | None
            if kind == "FILTER":
                next_rows = rows
            elif kind == "PROJECTION":
                next_rows = chain_rows
            else:
                next_rows = None
            yield from walk(child, next_rows)

    for op in operators:
        yield from walk(op, None)


def scan_statistics(
    profile: dict[str, Any], tables: set[str], sizes: dict[str, int], layout: Callable[[str], TableLayout]
) -> dict[str, int]:
    """EventsScanned, EventsMatched and BytesScanned of a profiled query over the store `tables` (qualified
    names; `sizes` their event counts)."""
    per_table: dict[str, tuple[int, int, int]] = {}
    for scan, out_rows in store_scans(profile.get("operator") or [], tables):
        # A table may be scanned twice (late materialisation re-reads the rows a top-N kept): count its
        # largest scan, not the sum.
        name = (scan.get("extra_info") or {}).get("Table", "")
        shape = layout(name)
        prev = per_table.get(name, (0, 0, 0))
        per_table[name] = (
            max(prev[0], rows_read(scan, shape)),
            max(prev[1], out_rows),
            max(prev[2], scan_bytes(scan, shape)),
        )
    return {
        "events_scanned": sum(min(r, sizes.get(n, r)) for n, (r, _, _) in per_table.items()),
        "events_matched": sum(min(m, sizes.get(n, m)) for n, (_, m, _) in per_table.items()),
        "bytes_scanned": sum(b for _, _, b in per_table.values()),
    }
