"""Import paths and S3 keys are names, never patterns; a JSON Lines file is streamed, not held."""

from __future__ import annotations

import gzip
import json
import tracemalloc
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from tests.awsenv import use_keys
from tests.logfiles import record, trail_key, write_log
from trailtui.local.catalog import find_store
from trailtui.local.importer import import_paths
from trailtui.local.lakefile import LakeFile
from trailtui.local.s3import import S3Plan, import_s3


def _events(lake: LakeFile) -> list[str]:
    with lake.writer() as con:
        store = find_store(con, "trail-logs")
        assert store is not None
        return [r[0] for r in con.execute(f"SELECT eventid FROM {store.table_name} ORDER BY 1").fetchall()]


@pytest.mark.parametrize("name", ["?hidden.json", "[h]idden.json", "*.json"])
def test_import_paths_are_never_glob_patterns(lake: LakeFile, tmp_path: Path, name: str) -> None:
    write_log(tmp_path / ".hidden.json", [record(1)])  # what the pattern would also match
    write_log(tmp_path / "hidden.json", [record(2)])
    named = write_log(tmp_path / name, [record(3)])
    report = import_paths(lake, [named])
    assert report.ok and report.files_read == 1
    assert _events(lake) == [record(3)["eventID"]]


def test_s3_keys_that_flatten_alike_stay_distinct(
    lake: LakeFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_keys(monkeypatch, "t", "t")
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="trail-bucket")
        folder = trail_key("111111111111", "us-east-1", "2024-03-01").rsplit("/", 1)[0]
        for n, key in enumerate((f"{folder}/a/b.json.gz", f"{folder}/a__b.json.gz")):
            recs = [record(n * 10 + i) for i in range(3)]
            s3.put_object(
                Bucket="trail-bucket", Key=key, Body=gzip.compress(json.dumps({"Records": recs}).encode())
            )
        report = import_s3(lake, s3, S3Plan("trail-bucket", ""), "trail-logs", scratch=tmp_path)
    assert report.ok and report.files_read == 2
    assert len(_events(lake)) == 6  # both objects' events, not one object's twice


def test_json_lines_are_streamed_not_held(lake: LakeFile, tmp_path: Path) -> None:
    lines = [json.dumps(record(i)) for i in range(40_000)]
    lines.insert(7, "{not json")  # one bad line sends the file to the line-by-line path
    path = tmp_path / "big.jsonl.gz"
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    text_size = sum(map(len, lines))
    tracemalloc.start()
    try:
        report = import_paths(lake, [path])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.files_read == 1 and report.events_added == 40_000
    assert any("1 malformed line(s) skipped (line 8)" in w.reason for w in report.warnings)
    # Holding every line would take more than the text itself; streaming holds a line at a time.
    assert peak < text_size / 4, (peak, text_size)


def test_an_overlong_line_is_skipped_without_being_held(
    lake: LakeFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trailtui.local import goodlines

    monkeypatch.setattr(goodlines, "MAX_LINE_BYTES", 4096)
    path = tmp_path / "long.jsonl"
    good = [json.dumps(record(i)) for i in range(3)]
    path.write_text(good[0] + "\n" + '{"x": "' + "y" * 100_000 + "\n" + "\n".join(good[1:]) + "\n")
    report = import_paths(lake, [path])
    assert report.events_added == 3
    assert any("line 2" in w.reason for w in report.warnings)
