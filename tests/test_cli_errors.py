"""The command line's errors, as a new user meets them: each says what is wrong and what to do, in one
or two lines, with a usage status (2) for a mistake on the command line, never a traceback. Like every test,
these run with no AWS set-up of the machine's (conftest.py), as on a new user's machine."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.logfiles import record, write_log
from trailtui.cli import main
from trailtui.local.catalog import list_stores
from trailtui.local.lakefile import LakeFile
from trailtui.paths import locations


def _store_names() -> set[str]:
    with LakeFile(locations().ensure()).reader() as con:
        return {s.name for s in list_stores(con, "lake")}


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "args",
    [
        ["query", "--profile", "no-such-profile", "SELECT 1"],
        ["stores", "--profile", "no-such-profile"],
        [
            "athena",
            "create-table",
            "s3://b",
            "--database",
            "d",
            "--table",
            "t",
            "--profile",
            "no-such-profile",
        ],
    ],
)
def test_an_unknown_profile_is_named_with_how_to_list_them(
    home: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(args, capsys)
    assert code == 1 and out == ""
    assert "no-such-profile" in err and "aws configure list-profiles" in err


def test_an_endpoint_without_region_or_credentials_says_which_is_missing(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "http://127.0.0.1:9"  # never reached: the client cannot even be made
    code, _, err = _run(["query", "--endpoint-url", url, "SELECT 1"], capsys)
    assert code == 1 and "No AWS Region is set" in err and "--region" in err
    code, _, err = _run(["query", "--endpoint-url", url, "--region", "us-east-1", "SELECT 1"], capsys)
    assert code == 1 and "No AWS credentials were found" in err


def test_a_missing_query_file_or_an_empty_query_is_a_usage_error(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "incident.sql"
    code, _, err = _run(["query", "--file", str(missing)], capsys)
    assert code == 2 and f"cannot read {missing}: No such file or directory" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("  \n"))
    code, _, err = _run(["query"], capsys)
    assert code == 2 and "no query given" in err and "--file FILE" in err


def test_serve_refuses_a_port_out_of_range_with_its_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--port", "99999"])
    assert exited.value.code == 2
    assert "--port: 99999 is not a port number (0 to 65535" in capsys.readouterr().err


def test_import_of_a_mistyped_path_creates_no_store(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_log(tmp_path / "logs" / "a.json", [record(1)])
    code, out, err = _run(["import", str(good), str(tmp_path / "logz"), "--store", "typo-check"], capsys)
    assert code == 2 and out == ""
    assert f"{tmp_path / 'logz'}: no such file or folder" in err and "nothing was imported" in err
    assert "typo-check" not in _store_names()


def test_import_refuses_a_store_name_lake_would_refuse(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_log(tmp_path / "a.json", [record(1)])
    code, _, err = _run(["import", str(good), "--store", "x"], capsys)
    assert code == 2 and "--store: invalid store name 'x'" in err and "3 to 128 letters" in err


def test_a_rejected_file_is_named_and_the_rest_imported_with_what_to_do(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    logs = tmp_path / "logs"
    write_log(logs / "good.json", [record(1), record(2)])
    (logs / "broken.json").write_text('{"Records": [{"eventID": "x", ')
    code, out, err = _run(["import", str(logs), "--store", "with-bad-file"], capsys)
    assert code == 1
    assert f"rejected: {logs / 'broken.json'}: invalid JSON" in err
    assert "events added:       2" in out
    assert "Fix or replace it and run the same command again" in err
    assert "with-bad-file" in _store_names()


def test_the_processing_library_fixtures_lose_nothing_but_the_bad_file(
    home: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = shared_data / "cloudtrail" / "processing-library-fixtures"
    code, out, err = _run(["import", str(folder), "--store", "fixtures"], capsys)
    assert code == 1
    rejected = [ln for ln in err.splitlines() if ln.startswith("rejected: ")]
    assert len(rejected) == 1 and "SerializerTestFileBadJsonFormat.json: invalid JSON" in rejected[0]
    assert "files rejected:     1" in out and "store now holds:    12 events" in out
    assert "run the same command again" in err


def test_a_mistyped_store_in_from_says_how_stores_are_named(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(["import", str(write_log(tmp_path / "a.json", [record(1)])), "--store", "my-trail"], capsys)
    code, _, err = _run(["query", "SELECT count(*) FROM my-trial"], capsys)
    assert code == 1
    assert (
        "my-trial is not an event data store: name one by its ID or ARN (the local lake also takes its name"
        in err
    )
    assert _run(["query", "--format", "csv", "SELECT count(*) AS n FROM my-trail"], capsys)[1].split() == [
        "n",
        "1",
    ]


def test_demo_anchor_is_the_day_after_the_demo_as_its_help_says(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["demo", "--anchor", "2026-13-01"])
    assert (
        exited.value.code == 2
        and "--anchor: '2026-13-01' is not a date (YYYY-MM-DD)" in capsys.readouterr().err
    )
    with pytest.raises(SystemExit):
        main(["demo", "--help"])
    assert "covers the 30 days before this one" in " ".join(capsys.readouterr().out.split())
    assert main(["demo", "--anchor", "2026-06-01", "--events", "3000"]) == 0
    with LakeFile(locations().ensure()).reader() as con:
        (demo,) = list_stores(con, "lake")
    assert demo.first_event is not None and demo.last_event is not None
    assert str(demo.first_event) >= "2026-05-02" and str(demo.last_event) < "2026-06-01"
    assert str(demo.last_event) >= "2026-05-31"


def test_import_from_s3_without_credentials_says_so_and_creates_no_store(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(["import", "s3://my-trail-bucket/AWSLogs", "--store", "from-s3"], capsys)
    assert code == 1 and out == ""
    assert "No AWS credentials were found" in err and "--profile" in err
    assert "from-s3" not in _store_names()


def test_athena_create_table_needs_an_s3_location(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(
        ["athena", "create-table", "my-trail-bucket", "--database", "d", "--table", "t"], capsys
    )
    assert code == 2
    assert (
        "'my-trail-bucket' is not an S3 location: give the bucket the trail writes to as s3://BUCKET" in err
    )
