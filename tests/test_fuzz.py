"""Property-based fuzzing (Hypothesis) of the three parsers that see untrusted input: the SQL translation,
the Trino-style renderer (and the detail view's parser of what it renders), and the log import."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import duckdb
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.logfiles import record
from tests.test_hostile import inert
from trailtui.lake.text import sanitize
from trailtui.local.errors import LakeError
from trailtui.local.importer import import_paths
from trailtui.local.lakefile import LakeFile
from trailtui.local.render import java_double, renderer_for
from trailtui.local.translate import translate
from trailtui.paths import locations
from trailtui.tui.trino_value import parse

STORE = "49d1288a-bde9-43d2-908d-0123456789ab"
WORDS = [
    "SELECT",
    "FROM",
    STORE,
    "WHERE",
    "eventTime",
    ">",
    "'2024-01-01'",
    "GROUP",
    "BY",
    "ORDER",
    "1",
    ",",
    "(",
    ")",
    "count(*)",
    "element_at(requestParameters, 'x')",
    "AND",
    "OR",
    "NOT",
    "UNION",
    "ALL",
    "JOIN",
    "ON",
    "a",
    "b",
    "*",
    ";",
    "--",
    "/*",
    "*/",
    "'",
    '"',
    "LIMIT",
    "WITH",
    "AS",
    "x",
    "->",
    "CASE",
    "WHEN",
    "END",
    "read_csv('/etc/passwd')",
    "ATTACH",
    "COPY",
    "SET",
    "PRAGMA",
    "UNNEST(resources)",
    "[",
    "]",
    "\x1b",
]

hostile_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)


def resolve(ref: str) -> str | None:
    return "events_x" if ref == STORE else None


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.text(max_size=300))
@example("º")  # found by Hypothesis: a Unicode letter the word pattern did not match crashed the scanner
def test_translation_of_any_text_fails_only_with_lake_errors(sql: str) -> None:
    try:
        translate(sql, resolve)
    except LakeError as exc:
        assert exc.message
        assert exc.code.endswith("Exception")


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30))
def test_translation_of_sql_shaped_text(words: list[str]) -> None:
    sql = " ".join(words)
    try:
        t = translate(sql, resolve)
    except LakeError:
        return
    assert t.store_tables == ["events_x"] and "read_csv" not in t.duckdb_sql.lower()


@settings(derandomize=True, max_examples=300)
@given(st.floats(allow_nan=False, allow_infinity=False))
@example(1.2627852295889474e16)  # found by Hypothesis: the last digit was rounded twice
def test_doubles_render_as_java_and_read_back(value: float) -> None:
    text = java_double(value)
    assert float(text.replace("E", "e")) == value


# Built from JSON: DuckDB cannot tell a Python dict bound as a parameter from a struct when a map is wanted.
SHAPE = json.dumps(
    {
        "type": "VARCHAR",
        "arn": "VARCHAR",
        "tags": "MAP(VARCHAR, VARCHAR)",
        "items": ["VARCHAR"],
        "n": "BIGINT",
        "ok": "BOOLEAN",
    }
)


@settings(derandomize=True, max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.fixed_dictionaries(
        {
            "type": st.none() | hostile_text,
            "arn": st.none() | hostile_text,
            "tags": st.dictionaries(hostile_text, st.none() | hostile_text, max_size=4),
            "items": st.lists(st.none() | hostile_text, max_size=4),
            "n": st.none() | st.integers(-(2**63), 2**63 - 1),
            "ok": st.none() | st.booleans(),
        }
    )
)
def test_renderer_and_tree_parser_never_fail(value: dict[str, Any]) -> None:
    con = duckdb.connect()
    cur = con.execute(f"SELECT json_transform(?, '{SHAPE}')", [json.dumps(value)])
    rendered = renderer_for(cur.description[0][1])(cur.fetchone()[0])
    assert rendered.startswith("{type=") and "arn=" in rendered
    tree = parse(rendered)  # best effort, never raises
    assert tree is not None
    assert inert(sanitize(rendered))  # total on any text, and nothing it returns can drive a terminal


@settings(
    derandomize=True,
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "n": st.integers(0, 30),
                "time": st.sampled_from(
                    ["2024-03-01T10:00:00Z", "2024-03-01 10:00:00", "not a time", None, 12345]
                ),
                "extra": st.dictionaries(
                    st.text(min_size=1, max_size=10).map(lambda k: "x_" + k),
                    st.none()
                    | st.booleans()
                    | st.integers()
                    | hostile_text
                    | st.lists(st.integers(), max_size=3),
                    max_size=4,
                ),
                "agent": hostile_text,
            }
        ),
        min_size=1,
        max_size=12,
    )
)
def test_import_of_random_records(tmp_path_factory: Any, recs: list[dict[str, Any]]) -> None:
    home = tmp_path_factory.mktemp("fuzz")
    records = []
    for r in recs:
        rec = record(r["n"], userAgent=r["agent"], requestParameters=r["extra"] or None, **r["extra"])
        if r["time"] is None:
            del rec["eventTime"]
        else:
            rec["eventTime"] = r["time"]
        records.append(rec)
    path = Path(home) / "logs" / "f.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"Records": records}))
    lake = LakeFile(locations(home / "h").ensure())
    report = import_paths(lake, [path.parent])
    valid_times = {r["n"] for r in recs if r["time"] in ("2024-03-01T10:00:00Z", "2024-03-01 10:00:00")}
    assert report.events_added == len(valid_times)  # one per distinct eventID with a usable time
    invalid = sum(1 for r in recs if r["time"] not in ("2024-03-01T10:00:00Z", "2024-03-01 10:00:00"))
    # A file with no usable record is rejected whole, and its records are not counted again as skipped.
    assert report.invalid_records == (invalid if valid_times else 0)
    assert len(report.rejected) == (0 if valid_times else 1)
    assert not math.isnan(report.seconds)
