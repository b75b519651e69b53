"""`trailtui query`: formats, files, errors and exit statuses."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from trailtui.cli import main
from trailtui.local.demo import DEMO_STORE_ID

SQL = f"SELECT eventName, count(*) AS n FROM {DEMO_STORE_ID} WHERE eventName LIKE 'Create%' GROUP BY 1 ORDER BY 1"


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_json_is_the_get_query_results_shape(demo_lake: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["query", "--format", "json", SQL], capsys)
    assert code == 0
    doc = json.loads(out)
    assert doc["QueryStatus"] == "FINISHED"
    rows = doc["QueryResultRows"]
    assert (
        doc["QueryStatistics"]["ResultsCount"] == doc["QueryStatistics"]["TotalResultsCount"] == len(rows) > 3
    )
    assert [list(c) for c in rows[0]] == [["eventName"], ["n"]]
    assert "CreateUser" in {r[0]["eventName"] for r in rows}


def test_table_csv_jsonl_and_output_file(
    demo_lake: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(["query", SQL], capsys)
    assert code == 0 and out.splitlines()[0].split() == ["eventName", "n"] and "CreateUser" in out
    code, out, _ = _run(["query", "--format", "csv", SQL], capsys)
    parsed = list(csv.reader(io.StringIO(out)))
    assert parsed[0] == ["eventName", "n"] and len(parsed) > 4
    code, out, _ = _run(["query", "--format", "jsonl", SQL], capsys)
    first = json.loads(out.splitlines()[0])
    assert list(first[0]) == ["eventName"]
    target = tmp_path / "out.csv"
    code, _, err = _run(["query", SQL, "--output", str(target)], capsys)
    assert code == 0 and "wrote" in err and target.read_text().startswith("eventName,n")


def test_one_row_written_is_one_row(
    demo_lake: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "one.csv"
    code, _, err = _run(
        ["query", f"SELECT eventName FROM {DEMO_STORE_ID} LIMIT 1", "--output", str(target)], capsys
    )
    assert code == 0 and f"wrote 1 row to {target}" in err


def test_sql_from_file_and_stdin(
    demo_lake: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    f = tmp_path / "q.sql"
    f.write_text(SQL)
    assert _run(["query", "--file", str(f), "--format", "json"], capsys)[0] == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(SQL))
    code, out, _ = _run(["query", "-", "--format", "json"], capsys)
    assert code == 0 and json.loads(out)["QueryStatus"] == "FINISHED"


def test_invalid_query_exits_non_zero_with_the_error(
    demo_lake: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(["query", f"SELECT nope FROM {DEMO_STORE_ID}"], capsys)
    assert code == 1 and out == ""
    assert "InvalidQueryStatementException" in err and "nope" in err


def test_a_table_of_no_rows_says_so(demo_lake: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        ["query", f"SELECT eventName FROM {DEMO_STORE_ID} WHERE eventName = 'NoSuchCall'"], capsys
    )
    assert code == 0 and out == "(no rows)\n"


def test_output_format_follows_the_extension(
    demo_lake: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("rows.jsonl", "rows.NDJSON"):
        assert _run(["query", SQL, "--output", str(tmp_path / name)], capsys)[0] == 0
        lines = (tmp_path / name).read_text().splitlines()
        assert len(lines) > 3 and [list(c) for c in json.loads(lines[0])] == [["eventName"], ["n"]]
    assert _run(["query", SQL, "-o", str(tmp_path / "rows.json")], capsys)[0] == 0
    assert json.loads((tmp_path / "rows.json").read_text())["QueryStatus"] == "FINISHED"


def test_the_stores_table_fits_a_terminal_and_json_has_the_arn(
    demo_lake: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(["stores"], capsys)
    assert code == 0 and out.split()[:6] == ["ID", "NAME", "STATUS", "ORG", "EVENTS", "TIME"]
    assert DEMO_STORE_ID in out and "org-events" in out and max(len(ln) for ln in out.splitlines()) <= 120
    (store,) = json.loads(_run(["stores", "--format", "json"], capsys)[1])["EventDataStores"]
    assert store["EventDataStoreArn"].endswith(f":eventdatastore/{DEMO_STORE_ID}")
