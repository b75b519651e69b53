"""What an import tells a user about the files and records it did not take: where a file's JSON is broken
(line and column, to open it in an editor), and records skipped counted once, with why."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from tests.logfiles import record, write_log
from trailtui.local.importer import import_paths
from trailtui.local.lakefile import LakeFile


def _reasons(lake: LakeFile, folder: Path) -> dict[str, str]:
    return {Path(p.path).name: p.reason for p in import_paths(lake, [folder]).rejected}


def test_malformed_json_is_placed_by_line_and_column(lake: LakeFile, tmp_path: Path) -> None:
    good = json.dumps({"Records": [record(1), record(2)]}, indent=2)
    lines = good.splitlines()
    line = next(i for i, text in enumerate(lines) if '"eventName"' in text)
    broken = lines[line].replace('"GetBucketAcl"', "GetBucketAcl")  # an unquoted string
    column = broken.index("GetBucketAcl") + 1
    text = "\n".join([*lines[:line], broken, *lines[line + 1 :]])
    (tmp_path / "plain.json").write_text(text)
    (tmp_path / "zipped.json.gz").write_bytes(gzip.compress(text.replace("2024", "2023").encode()))
    # Past the first record of the file: a second object after a good one, broken on its third line.
    (tmp_path / "second.json").write_text('{"Records": []}\n{"Records": [\n\n  {"eventID": "x",, }]}')
    (tmp_path / "utf8.json").write_bytes(b'{"Records": [\n {"userAgent": "caf\xc3\xa9 \xff"}]}')
    reasons = _reasons(lake, tmp_path)
    assert reasons["plain.json"] == f"invalid JSON at line {line + 1}, column {column}: expecting value"
    assert reasons["zipped.json.gz"] == reasons["plain.json"]  # the inflated text's lines
    assert reasons["second.json"].startswith("invalid JSON at line 4, column 19: ")
    # The column counts characters, as an editor does: "é" is one.
    assert reasons["utf8.json"] == "invalid JSON at line 2, column 22: invalid UTF-8 (byte 0xff)"


def test_a_file_too_large_to_read_again_keeps_duckdbs_words(
    lake: LakeFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trailtui.local import rejects

    monkeypatch.setattr(rejects, "MAX_LOCATE_BYTES", 10)
    (tmp_path / "big.json").write_text('{"Records": [{"eventID": "a",, }]}')
    reason = _reasons(lake, tmp_path)["big.json"]
    assert reason.startswith("invalid JSON: ") and "Malformed JSON" in reason


def test_records_skipped_counts_each_record_once_and_says_why(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from trailtui.cli import main
    from trailtui.local import importer

    no_time = [record(i) for i in range(3)]
    for r in no_time:
        del r["eventTime"]
    write_log(tmp_path / "a-no-times.json.gz", no_time)  # rejected whole: not CloudTrail
    mixed = [record(10), record(11), record(12)]
    del mixed[2]["eventTime"]
    write_log(tmp_path / "b-mixed.json.gz", mixed)  # two imported, one skipped
    (tmp_path / "c-lines.jsonl").write_text(json.dumps(record(20)) + "\n{broken\n")  # one good line
    (tmp_path / "d-broken.json").write_text('{"Records": [')  # rejected: invalid JSON
    assert main(["import", str(tmp_path), "--store", "mine"]) == 1
    out, err = capsys.readouterr()
    assert "events added:       3" in out
    # The rejected files are counted as files, with their reasons; their records are not "skipped" too.
    assert "files rejected:     2" in out
    assert (
        "records skipped:    2 (1 without a valid eventTime, 1 malformed JSON line(s); in files read, see the "
        "warnings)" in out
    )
    assert "a-no-times.json.gz: not CloudTrail: none of its 3 record(s) has a valid eventTime" in err
    assert "b-mixed.json.gz: 1 record(s) without a valid eventTime skipped" in err
    assert "c-lines.jsonl: 1 malformed line(s) skipped (line 2)" in err
    assert "d-broken.json: invalid JSON at line 1, column 14" in err
    # The same files one batch each (a failed batch is retried so): the same counts.
    monkeypatch.setattr(importer, "BATCH_FILES", 1)
    assert main(["import", str(tmp_path), "--store", "other"]) == 1
    assert "records skipped:    2 (1 without" in capsys.readouterr().out


def test_a_json_lines_file_whose_good_lines_are_not_cloudtrail_is_named_as_itself(
    lake: LakeFile, tmp_path: Path
) -> None:
    (tmp_path / "other.jsonl").write_text('{"hello": 1}\n{broken\n{"hello": 2}\n')
    report = import_paths(lake, [tmp_path])
    assert [(Path(p.path).name, p.reason) for p in report.rejected] == [
        ("other.jsonl", "not CloudTrail: none of its 2 record(s) has a valid eventTime")
    ]
    assert report.records_skipped == 0 and not report.warnings
