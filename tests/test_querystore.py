"""The query store keeps results as GetQueryResults sends them, in chunks; pages are read across chunks, and
results stored by an earlier version (one list of values per row) are still read, in today's shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trailtui.local import querystore
from trailtui.local.querystore import QueryStore
from trailtui.local.resultsink import encode_row

NAMES = ["eventName", "eventName", "n"]


def _row(i: int) -> list[str | None]:
    return [f"Get{i}", f"x\n{i}", None if i % 3 else str(i)]


def test_pages_across_chunks_of_any_size(tmp_path: Path) -> None:
    store = QueryStore(tmp_path / "queries.db")
    qid = store.create("q1", "SELECT 1", ["s"], None).query_id
    rows = [encode_row(NAMES, _row(i)) for i in range(2500)]
    start = 0
    for size in (16, 984, 1000, 7, 493):  # chunks as the sink writes them: a first look, then up to 1,000
        store.write_chunk(qid, start, rows[start : start + size])
        start += size
    assert start == len(rows)
    for offset, limit in ((0, 1000), (10, 7), (995, 30), (1999, 1000), (2490, 1000), (2500, 5)):
        assert store.read_rows(qid, offset, limit) == rows[offset : offset + limit]
    assert store.read_values(qid, 1000, 2) == [_row(1000), _row(1001)]


def test_pages_are_cut_by_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(querystore, "PAGE_BYTES", 200)
    store = QueryStore(tmp_path / "queries.db")
    qid = store.create("q1", "SELECT 1", ["s"], None).query_id
    rows = [encode_row(NAMES, _row(i)) for i in range(100)]
    store.write_chunk(qid, 0, rows)
    page = store.read_rows(qid, 0, 1000)
    assert 1 <= len(page) < 100 and sum(map(len, page)) <= 200 and page == rows[: len(page)]


def test_results_stored_by_an_earlier_version_are_read(tmp_path: Path) -> None:
    store = QueryStore(tmp_path / "queries.db")
    qid = store.create("q-old", "SELECT 1", ["s"], None).query_id
    store.set_columns(qid, NAMES)
    with store._tx() as con:
        con.executemany(
            "INSERT INTO query_rows VALUES (?, ?, ?)",
            [(qid, i, json.dumps(_row(i))) for i in range(30)],
        )
    page = store.read_rows(qid, 5, 10)
    assert [json.loads(r) for r in page] == [
        [{n: v} for n, v in zip(NAMES, _row(i), strict=True)] for i in range(5, 15)
    ]
    store.drop_rows(qid)
    assert store.read_rows(qid, 0, 10) == []
