"""Malformed logs: every kind reported with its reason, every valid event imported, none twice."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from tests.logfiles import record, write_log
from trailtui.local.catalog import find_store
from trailtui.local.importer import import_paths
from trailtui.local.lakefile import LakeFile


def _bad_logs(folder: Path) -> dict[str, str]:
    """Write one file per kind of damage; return file name -> a word its rejection reason must contain
    ("" for files that must be accepted with a warning, or skipped)."""
    folder.mkdir(parents=True)
    good = json.dumps({"Records": [record(900)]}).encode()
    kinds: dict[str, tuple[bytes, str]] = {
        "truncated.json.gz": (gzip.compress(good)[:30], "gzip"),
        "gzip-garbage.json.gz": (b"\x1f\x8b" + os.urandom(200), "gzip"),
        "invalid.json": (b'{"Records": [{"eventID": "a",', "JSON"),
        "trailing-garbage.json": (good + b"}}}garbage", "JSON"),
        "top-number.json": (b"42", "not JSON"),
        "top-string.json": (b'"Records"', "not JSON"),
        "top-null.json": (b"null", "not JSON"),
        "records-object.json": (b'{"Records": {"eventID": "x"}}', "not a list"),
        "records-string.json": (b'{"Records": "nope"}', "not a list"),
        "not-cloudtrail.json": (b'{"hello": "world", "list": [1, 2]}', "not CloudTrail"),
        "array-of-numbers.json": (b"[1, 2, 3]", "not CloudTrail"),
        "empty.json": (b"", "empty"),
        "whitespace.json": (b"   \n\n  ", "empty"),
        "binary.json": (b"\x89PNG\r\n\x1a\n" + os.urandom(100), "not JSON"),
        "zip.json": (b"PK\x03\x04" + os.urandom(50), "not JSON"),
        "invalid-utf8.json": (
            b'{"Records": [{"eventID": "u1", "eventTime": "2024-03-01T10:00:00Z", "userAgent": "\xff\xfe"}]}',
            "JSON",
        ),
        "nul-bytes.json": (b'{"Records": [\x00\x00]}', "JSON"),
        "deep-nesting.json": (b'{"Records": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}", ""),
        "lines-one-bad.jsonl": (
            (json.dumps(record(901)) + "\n{broken\n" + json.dumps(record(902)) + "\n").encode(),
            "",
        ),
    }
    expected = {}
    for name, (data, reason) in kinds.items():
        (folder / name).write_bytes(data)
        expected[name] = reason
    # Records with wrong types or missing fields, beside good ones in the same file.
    wrong = [
        record(903, eventTime=12345),
        record(
            904,
            userIdentity="a string",
            requestParameters=[1, 2],
            resources={"not": "a list"},
            readOnly="maybe",
        ),
        record(905),
    ]
    del wrong[2]["eventID"]
    no_time = record(906)
    del no_time["eventTime"]
    write_log(folder / "mixed-types.json", [*wrong, no_time, record(907)])
    expected["mixed-types.json"] = ""
    # Duplicates: the same event in two files and twice in one.
    write_log(folder / "dup-a.json.gz", [record(910), record(910), record(911)])
    write_log(folder / "dup-b.json.gz", [record(911), record(912)])
    expected["dup-a.json.gz"] = expected["dup-b.json.gz"] = ""
    # A huge record (5 MB of request parameters) and a big file.
    write_log(folder / "huge-record.json.gz", [record(920, requestParameters={"blob": "x" * 5_000_000})])
    expected["huge-record.json.gz"] = ""
    write_log(folder / "many.json.gz", [record(1000 + i) for i in range(5000)])
    expected["many.json.gz"] = ""
    # A digest file named like a log, a folder named like a log, a FIFO, a symlink loop, an unreadable file.
    digest = folder / "AWSLogs" / "111111111111" / "CloudTrail-Digest" / "d.json.gz"
    digest.parent.mkdir(parents=True)
    digest.write_bytes(gzip.compress(b'{"digestStartTime": "x", "digestS3Object": "y"}'))
    (folder / "folder.json").mkdir()
    os.mkfifo(folder / "pipe.json")
    os.symlink(folder, folder / "loop")
    (folder / "locked.json").write_bytes(good.replace(b"900", b"930"))
    (folder / "locked.json").chmod(0)
    return expected


def test_twenty_kinds_of_damage(lake: LakeFile, tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    expected = _bad_logs(folder)
    try:
        report = import_paths(lake, [folder])
        again = import_paths(lake, [folder])
    finally:
        (folder / "locked.json").chmod(0o600)
    rejected = {Path(p.path).name: p.reason for p in report.rejected}
    skipped = {Path(p.path).name: p.reason for p in report.skipped}
    kinds = [n for n, reason in expected.items() if reason] + [
        "pipe.json",
        "loop",
        "d.json.gz",
        "mixed-types.json",
    ]
    assert len(kinds) >= 20
    for name, word in expected.items():
        if word:
            assert name in rejected, (name, skipped.get(name))
            assert word.lower() in rejected[name].lower(), (name, rejected[name])
    assert "regular file" in skipped["pipe.json"]
    assert "symlink loop" in skipped["loop"]
    assert "digest" in skipped["d.json.gz"].lower()
    warnings = " ".join(f"{Path(p.path).name}: {p.reason}" for p in report.warnings)
    assert "mixed-types.json: 2 record(s) without a valid eventTime" in warnings
    assert "without eventID" in warnings
    assert "lines-one-bad.jsonl: 1 malformed line(s) skipped (line 2)" in warnings
    # Every valid event is in the store, once: 3 good mixed-type records, 3 distinct dups, the huge one,
    # 5,000 from the big file, the deeply nested file's nothing, and the unreadable file if we are root.
    root = os.geteuid() == 0
    with lake.reader() as con:
        store = find_store(con, "trail-logs", "lake")
        total, distinct = con.execute(
            f"SELECT count(*), count(DISTINCT coalesce(eventid, eventjsonchecksum)) FROM lake.{store.table_name}"
        ).fetchone()
    # mixed-types: 3 valid; duplicates: 3 distinct; the huge record; the big file; the good lines of the JSON
    # Lines file with a broken line; and the unreadable file when the tests run as root.
    assert total == distinct == 3 + 3 + 1 + 5000 + 2 + (1 if root else 0)
    assert report.events_added == total and again.events_added == 0
    assert report.duplicates == 2 and not report.ok


def test_lone_surrogates_and_bom_are_read(lake: LakeFile, tmp_path: Path) -> None:
    rec = json.dumps(record(1)).replace('"aws-cli/2.15.0"', '"evil\\ud800agent"')
    (tmp_path / "surrogate.json").write_text('{"Records": [' + rec + "]}")
    (tmp_path / "bom.json").write_bytes(b"\xef\xbb\xbf" + json.dumps({"Records": [record(2)]}).encode())
    report = import_paths(lake, [tmp_path])
    # The BOM is read; the lone surrogate is imported or its file named with a reason: never a crash, and
    # never a file lost without one.
    rejected = {Path(p.path).name: p.reason for p in report.rejected}
    assert "bom.json" not in rejected and all(rejected.values())
    assert report.events_added == 2 - len(rejected) and set(rejected) <= {"surrogate.json"}


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file_is_named(lake: LakeFile, tmp_path: Path) -> None:
    f = write_log(tmp_path / "x.json", [record(1)])
    f.chmod(0)
    try:
        report = import_paths(lake, [f])
    finally:
        f.chmod(0o600)
    assert [p.reason for p in report.rejected] == ["permission denied"]
