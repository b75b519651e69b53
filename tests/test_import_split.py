"""Trail log files split into records before DuckDB reads them (local/batchread.py): what a user sees of it.

eventjson is the record as the log file has it, compact whatever the file's layout; files the split cannot
take plainly (several objects, several gzip members) import exactly as before; nothing is left behind.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from tests.logfiles import record
from trailtui.local.catalog import find_store
from trailtui.local.importer import import_paths
from trailtui.local.lakefile import LakeFile


def _eventjson(lake: LakeFile) -> dict[str, str]:
    """eventID -> eventjson of every event in the default store."""
    with lake.reader() as con:
        table = find_store(con, "trail-logs", "lake").table_name
        rows = con.execute(f"SELECT eventid, eventjson FROM lake.{table}").fetchall()
    return {eid: text for eid, text in rows}


def _compact(rec: dict[str, object]) -> str:
    return json.dumps(rec, separators=(",", ":"))


def test_eventjson_is_compact_whatever_the_files_layout(lake: LakeFile, tmp_path: Path) -> None:
    layouts = {  # how CloudTrail writes a file, Python's json.dumps, and pretty-printed by a person
        "compact.json.gz": lambda recs: json.dumps({"Records": recs}, separators=(",", ":")),
        "spaced.json.gz": lambda recs: json.dumps({"Records": recs}),
        "pretty.json": lambda recs: json.dumps({"Records": recs}, indent=2),
    }
    expected = {}
    for n, (name, layout) in enumerate(layouts.items()):
        recs = [record(10 * n + i) for i in range(3)]
        text = layout(recs).encode()
        (tmp_path / name).write_bytes(gzip.compress(text) if name.endswith(".gz") else text)
        expected.update({r["eventID"]: _compact(r) for r in recs})
    report = import_paths(lake, [tmp_path])
    assert report.ok and report.events_added == 9
    assert _eventjson(lake) == expected


def test_eventjson_keeps_the_records_own_text(lake: LakeFile, tmp_path: Path) -> None:
    # Escapes stay as the file wrote them (the whole original event); the value they stand for is what
    # the typed columns and JSON functions give.
    raw = _compact(record(1)).replace('"aws-cli/2.15.0"', '"caf\\u00e9\\/1"')
    (tmp_path / "log.json.gz").write_bytes(gzip.compress(('{"Records":[' + raw + "]}").encode()))
    assert import_paths(lake, [tmp_path]).events_added == 1
    assert list(_eventjson(lake).values()) == [raw]
    with lake.reader() as con:
        table = find_store(con, "trail-logs", "lake").table_name
        agent = con.execute(f"SELECT useragent FROM lake.{table}").fetchone()
    assert agent == ("café/1",)


def test_files_the_split_leaves_to_duckdb_import_the_same(lake: LakeFile, tmp_path: Path) -> None:
    one = [record(i) for i in range(3)]
    two = [record(i) for i in range(3, 6)]
    # Two Records objects one after the other in one file, and a gzip file of two members (as `cat a.gz
    # b.gz` makes): neither is one plain object, so DuckDB's reader takes them, as before this split.
    (tmp_path / "two-objects.json").write_text(
        json.dumps({"Records": one}) + "\n" + json.dumps({"Records": two})
    )
    members = gzip.compress(json.dumps({"Records": [record(6)]}).encode()) + gzip.compress(
        json.dumps({"Records": [record(7)]}).encode()
    )
    (tmp_path / "members.json.gz").write_bytes(members)
    (tmp_path / "plain.json.gz").write_bytes(gzip.compress(json.dumps({"Records": [record(8)]}).encode()))
    report = import_paths(lake, [tmp_path])
    assert report.ok and report.files_read == 3 and report.events_added == 9
    texts = _eventjson(lake)
    assert {eid: json.loads(t) for eid, t in texts.items()} == {
        r["eventID"]: r for r in [*one, *two, *(record(i) for i in (6, 7, 8))]
    }
    assert set(texts.values()) == {_compact(r) for r in [*one, *two, *(record(i) for i in (6, 7, 8))]}


def test_the_split_files_are_gone_after_an_import(lake: LakeFile, tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "a.json.gz").write_bytes(gzip.compress(json.dumps({"Records": [record(1)]}).encode()))
    (logs / "bad.json.gz").write_bytes(gzip.compress(b'{"Records": [{"eventID": }]}'))
    report = import_paths(lake, [logs])
    assert report.events_added == 1 and [Path(r.path).name for r in report.rejected] == ["bad.json.gz"]
    spill = lake.locations.spill
    assert not spill.exists() or not list(spill.iterdir())


def test_records_longer_than_a_csv_line_and_carriage_returns_import_whole(
    lake: LakeFile, tmp_path: Path
) -> None:
    # The split lines are read as one-column CSV: a record past DuckDB's 2 MB default line, and a file
    # whose tokens are separated by `\r` (a line end to that reader), still give each record whole.
    big = record(1)
    big["requestParameters"] = {"policy": "x" * (3 << 20)}
    (tmp_path / "big.json.gz").write_bytes(gzip.compress(json.dumps({"Records": [big, record(2)]}).encode()))
    crlf = ('{"Records":[' + _compact(record(3)).replace(',"', ',\r"') + "]}").encode()
    (tmp_path / "cr.json").write_bytes(crlf)
    report = import_paths(lake, [tmp_path])
    assert report.ok and report.events_added == 3
    assert _eventjson(lake) == {r["eventID"]: _compact(r) for r in (big, record(2), record(3))}
