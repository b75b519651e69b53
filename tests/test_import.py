"""Importing trail logs into the local lake: shapes, layouts, bad files, duplicates, column types."""

from __future__ import annotations

import gzip
import json
import os
from datetime import datetime
from pathlib import Path

import pytest

from tests.logfiles import record, trail_key, write_log
from trailtui.local.catalog import find_store, list_stores
from trailtui.local.importer import import_paths
from trailtui.local.lakefile import LakeFile
from trailtui.paths import locations


def _count(lake: LakeFile, store: str = "trail-logs") -> int:
    with lake.reader() as con:
        s = find_store(con, store, "lake")
        return con.execute(f"SELECT count(*) FROM lake.{s.table_name}").fetchone()[0]


def _rows(lake: LakeFile, sql: str, store: str = "trail-logs") -> list[tuple]:
    with lake.reader() as con:
        s = find_store(con, store, "lake")
        return con.execute(sql.replace("EVENTS", f"lake.{s.table_name}")).fetchall()


@pytest.mark.parametrize("shape", ["records", "array", "lines"])
@pytest.mark.parametrize("gz", [True, False])
def test_each_input_shape_imports(lake: LakeFile, tmp_path: Path, shape: str, gz: bool) -> None:
    path = write_log(tmp_path / f"log.json{'.gz' if gz else ''}", [record(i) for i in range(5)], shape, gz)
    report = import_paths(lake, [path])
    assert report.ok and report.files_read == 1
    assert report.events_added == 5
    assert _count(lake) == 5


def test_gzip_detected_by_content_not_name(lake: LakeFile, tmp_path: Path) -> None:
    path = write_log(tmp_path / "log.json", [record(1)], gz=True)  # gzipped but named .json
    assert import_paths(lake, [path]).events_added == 1


def test_reimport_adds_nothing_and_counts_duplicates(lake: LakeFile, tmp_path: Path) -> None:
    write_log(tmp_path / "a.json.gz", [record(i) for i in range(10)])
    first = import_paths(lake, [tmp_path])
    second = import_paths(lake, [tmp_path])
    assert (first.events_added, first.duplicates) == (10, 0)
    assert (second.events_added, second.duplicates) == (0, 10)
    assert _count(lake) == 10


def test_duplicate_delivery_within_and_across_files(lake: LakeFile, tmp_path: Path) -> None:
    # CloudTrail may deliver an event twice: same eventID in two files, and twice in one file.
    write_log(tmp_path / "a.json.gz", [record(1), record(2), record(1)])
    write_log(tmp_path / "b.json.gz", [record(2), record(3)])
    report = import_paths(lake, [tmp_path])
    assert report.events_added == 3
    assert report.duplicates == 2
    assert _count(lake) == 3


def test_which_copy_of_a_duplicate_is_kept_does_not_depend_on_arrival_order(tmp_path: Path) -> None:
    # Two copies of one eventID that differ (a replayed or tampered record): every import keeps the same one,
    # the earliest eventTime first, then the least text, so two lakes built from the same logs agree.
    early = record(1, eventName="A")
    late = record(1, eventName="B", eventTime="2024-03-03T00:00:00Z")
    same_time = record(1, eventName="C")
    kept = []
    for n, order in enumerate(([late, same_time, early], [early, late, same_time], [same_time, early, late])):
        write_log(tmp_path / f"logs{n}" / "a.json.gz", order[:2])
        write_log(tmp_path / f"logs{n}" / "b.json.gz", order[2:])
        lake = LakeFile(locations(tmp_path / f"home{n}").ensure())
        report = import_paths(lake, [tmp_path / f"logs{n}"])
        assert (report.events_added, report.duplicates) == (1, 2)
        kept.append(_rows(lake, "SELECT eventname, eventtime FROM EVENTS"))
    assert kept == [[("A", datetime(2024, 3, 2, 10, 1))]] * 3


def test_s3_and_organization_layouts_walked_digests_skipped(lake: LakeFile, tmp_path: Path) -> None:
    write_log(tmp_path / trail_key("111111111111", "us-east-1", "2024-03-01"), [record(1)])
    write_log(
        tmp_path / "prefix" / trail_key("222222222222", "eu-west-1", "2024-03-02", org="o-abc123"),
        [record(2)],
    )
    digest = tmp_path / trail_key("111111111111", "us-east-1", "2024-03-01", digest=True)
    digest.parent.mkdir(parents=True)
    digest.write_bytes(gzip.compress(json.dumps({"digestStartTime": "x", "digestS3Object": "y"}).encode()))
    (tmp_path / "README.txt").write_text("not a log")
    report = import_paths(lake, [tmp_path])
    assert report.ok
    assert report.events_added == 2
    reasons = {Path(p.path).name: p.reason for p in report.skipped}
    assert "digest" in reasons[digest.name]
    assert "not a log file name" in reasons["README.txt"]


def test_bad_files_are_named_and_the_rest_imported(lake: LakeFile, tmp_path: Path) -> None:
    good = write_log(tmp_path / "good.json.gz", [record(i) for i in range(3)])
    whole = gzip.compress(json.dumps({"Records": [record(9)]}).encode())
    (tmp_path / "truncated.json.gz").write_bytes(whole[: len(whole) // 2])
    (tmp_path / "invalid.json").write_text('{"Records": [{"eventID": "x", ')
    (tmp_path / "notct.json").write_text('{"hello": "world"}')
    (tmp_path / "wrongtop.json").write_text('{"Records": {"eventID": "x"}}')
    (tmp_path / "empty.json").write_text("")
    (tmp_path / "text.json").write_text("hello, world")
    write_log(tmp_path / "more.json", [record(i) for i in range(3, 6)], "lines")
    report = import_paths(lake, [tmp_path])
    rejected = {Path(p.path).name: p.reason for p in report.rejected}
    assert set(rejected) == {
        "truncated.json.gz",
        "invalid.json",
        "notct.json",
        "wrongtop.json",
        "empty.json",
        "text.json",
    }
    assert "gzip" in rejected["truncated.json.gz"]
    assert "JSON" in rejected["invalid.json"]
    assert "not CloudTrail" in rejected["notct.json"]
    assert "not a list" in rejected["wrongtop.json"]
    assert "empty" in rejected["empty.json"]
    assert "not JSON" in rejected["text.json"]
    assert report.events_added == 6 and not report.ok
    assert good.exists()


def test_cli_exit_status_and_summary(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from trailtui.cli import main

    write_log(tmp_path / "ok.json.gz", [record(1), record(2)])
    (tmp_path / "bad.json").write_text("{nope")
    assert main(["import", str(tmp_path), "--store", "mine"]) == 1
    out, err = capsys.readouterr()
    assert "events added:       2" in out and "files rejected:     1" in out
    assert "bad.json" in err
    assert main(["import", str(tmp_path / "ok.json.gz"), "--store", "mine"]) == 0
    assert "duplicates skipped: 2" in capsys.readouterr().out


def test_records_without_time_are_skipped_records_without_id_kept(lake: LakeFile, tmp_path: Path) -> None:
    no_id = record(1)
    del no_id["eventID"]
    no_time = record(2)
    del no_time["eventTime"]
    bad_time = record(3, eventTime="yesterday")
    write_log(tmp_path / "mixed.json", [no_id, no_time, bad_time, record(4), 5, "x"])  # type: ignore[list-item]
    report = import_paths(lake, [tmp_path])
    assert report.events_added == 2 and report.invalid_records == 4
    warnings = " ".join(p.reason for p in report.warnings)
    assert "4 record(s) without a valid eventTime" in warnings and "without eventID" in warnings
    # Importing again: the event without eventID is recognised by its content.
    assert import_paths(lake, [tmp_path]).events_added == 0


def test_unknown_fields_and_wrong_types_do_not_break_import(lake: LakeFile, tmp_path: Path) -> None:
    odd = record(
        1,
        brandNewField={"x": [1, 2]},
        readOnly="yes-ish",
        resources="not-a-list",
        userIdentity={"type": "IAMUser", "futureField": 1, "arn": "arn:aws:iam::1:user/x"},
    )
    write_log(tmp_path / "odd.json", [odd])
    assert import_paths(lake, [tmp_path]).events_added == 1
    (ej,) = _rows(lake, "SELECT eventjson FROM EVENTS")[0:1][0]
    assert json.loads(ej)["brandNewField"] == {"x": [1, 2]}  # unknown fields stay reachable in eventjson


def test_column_types_and_map_values(lake: LakeFile, tmp_path: Path) -> None:
    rec = record(
        7,
        requestParameters={
            "bucketName": "b",
            "nested": {"a": [1, {"b": None}]},
            "flag": True,
            "n": 3,
            "none": None,
        },
        additionalEventData={"MFAUsed": "No"},
        userIdentity={
            "type": "AssumedRole",
            "principalId": "AROA:me",
            "arn": "arn:aws:sts::1:assumed-role/r/me",
            "accountId": "1",
            "sessionContext": {
                "attributes": {"creationDate": "2024-03-01T09:00:00Z", "mfaAuthenticated": "true"},
                "sessionIssuer": {"type": "Role", "userName": "r"},
            },
        },
    )
    write_log(tmp_path / "t.json", [rec])
    import_paths(lake, [tmp_path])
    with lake.reader() as con:
        store = find_store(con, "trail-logs", "lake")
        types = dict(
            con.execute(
                "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = 'lake' AND table_name = ?",
                [store.table_name],
            ).fetchall()
        )
        row = con.execute(
            f"SELECT eventtime, readonly, managementevent, requestparameters, "
            f"useridentity.sessioncontext.attributes.creationdate, useridentity.sessionContext.sessionIssuer.userName, "
            f"resources[1].arn, tlsdetails.tlsversion, eventjsonchecksum, md5(eventjson) "
            f"FROM lake.{store.table_name}"
        ).fetchone()
    assert types["eventtime"] == "TIMESTAMP"
    assert types["readonly"] == "BOOLEAN" and types["managementevent"] == "BOOLEAN"
    assert types["requestparameters"] == "MAP(VARCHAR, VARCHAR)"
    assert types["useridentity"].startswith("STRUCT(")
    assert types["resources"].endswith("[]")
    from trailtui.local.schema import COLUMN_NAMES

    assert list(types) == list(COLUMN_NAMES)
    assert row[0] == datetime(2024, 3, 8, 10, 7)
    assert row[1] is True and row[2] is True
    assert row[3] == {
        "bucketName": "b",
        "nested": '{"a":[1,{"b":null}]}',
        "flag": "true",
        "n": "3",
        "none": None,
    }
    assert row[4] == datetime(2024, 3, 1, 9, 0)
    assert row[5] == "r"
    assert row[6] == "arn:aws:s3:::bucket-7"
    assert row[7] == "TLSv1.3"
    assert row[8] == row[9]


def test_stores_are_isolated(lake: LakeFile, tmp_path: Path) -> None:
    write_log(tmp_path / "a" / "a.json", [record(1), record(2)])
    write_log(tmp_path / "b" / "b.json", [record(3)])
    import_paths(lake, [tmp_path / "a"], "store-a")
    import_paths(lake, [tmp_path / "b"], "store-b")
    assert _count(lake, "store-a") == 2 and _count(lake, "store-b") == 1
    with lake.reader() as con:
        stores = {s.name: s for s in list_stores(con, "lake")}
    assert stores["store-a"].event_count == 2 and stores["store-b"].event_count == 1
    assert stores["store-a"].id != stores["store-b"].id
    assert stores["store-a"].first_event == datetime(2024, 3, 2, 10, 1)


def test_symlink_loop_and_unreadable_file(lake: LakeFile, tmp_path: Path) -> None:
    write_log(tmp_path / "logs" / "a.json", [record(1)])
    os.symlink(tmp_path / "logs", tmp_path / "logs" / "loop")
    locked = write_log(tmp_path / "logs" / "locked.json", [record(2)])
    locked.chmod(0)
    try:
        report = import_paths(lake, [tmp_path / "logs"])
    finally:
        locked.chmod(0o600)
    assert report.events_added == (2 if os.geteuid() == 0 else 1)  # root reads anything
    assert any("symlink loop" in p.reason for p in report.skipped)
    if os.geteuid() != 0:
        assert any("permission denied" in p.reason for p in report.rejected)


def test_real_stratus_red_team_records(lake: LakeFile, shared_data: Path) -> None:
    report = import_paths(lake, [shared_data / "cloudtrail" / "stratus-red-team"])
    assert report.ok
    assert report.events_added == 310
    rows = _rows(lake, "SELECT count(*) FILTER (errorcode IS NOT NULL), count(DISTINCT eventid) FROM EVENTS")
    assert rows == [(52, 310)]
    stop = _rows(lake, "SELECT eventsource FROM EVENTS WHERE eventname = 'StopLogging'")
    assert stop == [("cloudtrail.amazonaws.com",)]


def test_processing_library_fixtures(lake: LakeFile, shared_data: Path) -> None:
    report = import_paths(lake, [shared_data / "cloudtrail" / "processing-library-fixtures"])
    assert [Path(p.path).name for p in report.rejected] == ["SerializerTestFileBadJsonFormat.json"]
    assert "JSON" in report.rejected[0].reason
    assert report.events_added > 0


def test_stores_are_written_in_event_time_order(lake: LakeFile, tmp_path: Path) -> None:
    # Files arrive in any order and hold records in any order; an import batch writes them sorted by
    # eventTime so that a query bounded by eventTime reads only the row groups of its span. Deduplication
    # still holds.
    late = [record(n) for n in range(200, 100, -1)]
    early = [record(n) for n in range(0, 101)]
    write_log(tmp_path / "b" / "late.json", late)
    write_log(tmp_path / "a" / "early.json", early + late[:10])
    report = import_paths(lake, [tmp_path / "b", tmp_path / "a"])
    assert report.ok and report.events_added == 201 and report.duplicates == 10
    times = [t for (t,) in _rows(lake, "SELECT eventtime FROM EVENTS ORDER BY rowid")]
    assert times == sorted(times) and len(times) == 201
