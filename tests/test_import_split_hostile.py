"""Hostile trail log files against the split into records (local/batchread.py): whoever can write to the
trail bucket writes them, so what the split holds in memory and on disk is bounded as DuckDB's reader is, and
what a file imports does not depend on whether the split or DuckDB's reader took it."""

from __future__ import annotations

import gzip
import json
import tracemalloc
from pathlib import Path

import pytest

from tests.logfiles import record
from trailtui.local import batchread
from trailtui.local.catalog import find_store
from trailtui.local.importer import import_paths
from trailtui.local.lakefile import LakeFile
from trailtui.local.sources import discover


def _eventjson(lake: LakeFile) -> dict[str, str]:
    with lake.reader() as con:
        table = find_store(con, "trail-logs", "lake").table_name
        rows = con.execute(f"SELECT eventid, eventjson FROM lake.{table}").fetchall()
    return {eid: text for eid, text in rows}


def test_a_small_gzip_of_countless_tiny_records_is_not_held_record_by_record(
    lake: LakeFile, tmp_path: Path
) -> None:
    # 3 MB of `0,` gzips to a few kB; split in Python, each element was an object of its own (about 70
    # bytes each: a 128 MB file of them, 130 kB gzipped, took some 9 GB, on each of two threads).
    count = 1_500_000
    bomb = b'{"Records":[' + b"0," * count + json.dumps(record(1)).encode() + b"]}"
    (tmp_path / "bomb.json.gz").write_bytes(gzip.compress(bomb))
    tracemalloc.start()
    try:
        report = import_paths(lake, [tmp_path])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.events_added == 1 and report.invalid_records == count
    assert peak < 8 * len(bomb), (peak, len(bomb))


def test_the_split_text_of_a_batch_on_disk_is_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A gzip file inflates up to 1000 times: a batch of 400 small files could have filled the disk with
    # their split text (DuckDB's own spill is bounded). Past the bound, files are left to DuckDB's reader.
    monkeypatch.setattr(batchread, "SPLIT_BATCH_BYTES", 300_000)
    logs = tmp_path / "logs"
    logs.mkdir()
    for n in range(6):
        recs = [record(10 * n + i, userAgent="x" * 20_000) for i in range(5)]  # ~100 kB of text a file
        (logs / f"{n}.json.gz").write_bytes(gzip.compress(json.dumps({"Records": recs}).encode()))
    files = discover([logs]).logs
    with batchread.batch_rows(files, tmp_path / "scratch") as rows:
        split = sum(p.stat().st_size for p in (tmp_path / "scratch").rglob("*.jsonl"))
        assert sorted(rows.names.values()) == sorted(str(f.path) for f in files)
    assert 0 < split <= 300_000
    assert "read_csv" in rows.sql and "read_json_objects" in rows.sql


def test_a_second_records_key_imports_as_duckdbs_reader_reads_it(lake: LakeFile, tmp_path: Path) -> None:
    # JSON leaves duplicate keys to the reader: DuckDB's takes the first, msgspec the last. Which records a
    # file holds must not depend on which of the two read it.
    first, second = record(1), record(2)
    text = '{"Records":[' + json.dumps(first) + '],"Records":[' + json.dumps(second) + "]}"
    (tmp_path / "twice.json.gz").write_bytes(gzip.compress(text.encode()))
    report = import_paths(lake, [tmp_path])
    assert report.ok and report.events_added == 1
    assert list(_eventjson(lake)) == [first["eventID"]]


def test_a_file_grown_since_it_was_listed_is_not_read_whole(tmp_path: Path) -> None:
    # A file being written (a sync of the bucket running beside the import) is listed small, then read:
    # the split reads no more than was listed and leaves the file to DuckDB's reader, which bounds what it reads.
    log = tmp_path / "growing.json"
    log.write_text(json.dumps({"Records": [record(1)]}))
    files = discover([log]).logs
    log.write_text(json.dumps({"Records": [record(i, userAgent="x" * 100_000) for i in range(100)]}))
    tracemalloc.start()
    try:
        with batchread.batch_rows(files, tmp_path / "scratch") as rows:
            _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # It held the file whole, however large it had grown (past MAX_OBJECT_BYTES too): 10 MB here.
    assert peak < 1_000_000, peak
    assert "read_json_objects" in rows.sql
