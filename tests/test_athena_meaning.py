"""The Lake-to-Athena translation checked for meaning: every sample query and every published Lake query
that the local lake runs gives the same answer when translated for Athena and run on an Athena-shaped copy
of the same events (see tests/athena_shape.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.athena_shape import build_shaped_copy, open_copy, to_duckdb
from tests.lakequeries import load, substitute
from trailtui.athena.translate import AthenaTranslationError, translate
from trailtui.lake.library import QueryFile, samples
from trailtui.lake.query import QueryRun
from trailtui.local import trino_functions
from trailtui.local.catalog import table_for
from trailtui.local.demo import DEMO_STORE_ID, ORG_ID
from trailtui.local.lakefile import LakeFile
from trailtui.local.render import render_row, renderer_for
from trailtui.local.service import LocalLake

SAMPLES = samples()
# Partial days at both ends, so the partition bounds (and the delivery allowance) are exercised.
START, END = datetime(2026, 11, 13, 10, 30), datetime(2026, 11, 20, 23, 30)


@pytest.fixture(scope="module")
def shaped(demo_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    from trailtui.paths import locations

    lake = LakeFile(locations(demo_home))
    path = str(tmp_path_factory.mktemp("athena") / "shaped.duckdb")
    table = build_shaped_copy(str(lake.path), table_for(DEMO_STORE_ID), ORG_ID, path)
    yield path, table


def _lake_answer(ct: Any, sql: str) -> list[tuple[str | None, ...]] | str:
    run = QueryRun(ct, sql)
    try:
        run.start()
    except Exception as exc:
        return f"error: {exc}"
    state = run.wait(sleep=lambda s: time.sleep(min(s, 0.05)))
    if state.status != "FINISHED":
        return f"{state.status}: {state.error}"
    return [tuple(r) for page in run.pages() for r in page.rows]


def _athena_answer(path: str, table: Any, sql: str) -> tuple[list[str], list[tuple[str | None, ...]]]:
    translation = translate(
        sql.replace(DEMO_STORE_ID, "trail.logs"), lambda ref: table if ref == "trail.logs" else None
    )
    duck = to_duckdb(translation)
    con = open_copy(path)
    try:
        trino_functions.register(con, duck.functions)  # as the local engine does before running
        result = con.execute(duck.duckdb_sql)
        description = result.description or []
        types = duck.types if len(duck.types) == len(description) else [None] * len(description)
        renderers = [renderer_for(d[1], tt) for d, tt in zip(description, types, strict=True)]
        names = [d[0] for d in description]
        return names, [tuple(render_row(r, renderers)) for r in result.fetchall()]
    finally:
        con.close()


# Star queries return the Athena table's columns: Lake-only ones (eventjson, annotation, ...) are absent, and
# useridentity is Athena's struct (its own field list); docs/athena.md says so. Those are compared on the
# columns both have, less useridentity.
_STAR_SKIPPED = {"useridentity"}


def _total_order(sql: str) -> str:
    """The query with every output column appended to its final ORDER BY, when it has one and a LIMIT.

    `ORDER BY objects DESC LIMIT 100` with ties at the cut lets either engine keep any of the tied rows, so
    the two answers could differ without either being wrong. Breaking ties by every output column makes the
    answer one set on both sides (the same text goes to both engines, so the comparison stays fair)."""
    import re

    import sqlglot
    from sqlglot import exp

    from trailtui.lake.sqltext import quote_store_ids

    try:
        tree = sqlglot.parse_one(quote_store_ids(sql.strip().rstrip(";")), read="trino")
    except Exception:
        return sql
    if not isinstance(tree, exp.Select) or not tree.args.get("limit") or not tree.args.get("order"):
        return sql
    if any(
        isinstance(e, exp.Star) or (isinstance(e.unalias(), exp.Column) and e.unalias().is_star)
        for e in tree.expressions
    ):
        return sql
    ordinals = ", ".join(str(i) for i in range(1, len(tree.expressions) + 1))
    return re.sub(r"(\s+LIMIT\s+\d+\s*;?\s*)$", rf", {ordinals}\1", sql.rstrip(), flags=re.IGNORECASE)


def _compare(shaped: tuple[Any, Any], ct: Any, sql: str) -> str | None:
    """None if both engines agree (or the local lake refuses the query); else what differs."""
    sql = _total_order(sql)
    expected = _lake_answer(ct, sql)
    if isinstance(expected, str):
        return None  # the local lake does not run it: nothing to compare
    path, table = shaped
    try:
        names, got = _athena_answer(path, table, sql)
    except AthenaTranslationError as exc:
        return f"refused: {exc}"
    if "*" in sql and "count(*)" not in sql.lower():
        lake_names = _lake_names(ct, sql)
        keep = [n for n in names if n in lake_names and n not in _STAR_SKIPPED]
        got = [tuple(r[names.index(n)] for n in keep) for r in got]
        expected = [tuple(r[lake_names.index(n)] for n in keep) for r in expected]
    if sorted(got, key=repr) != sorted(expected, key=repr):
        missing = [r for r in expected if r not in got][:2]
        extra = [r for r in got if r not in expected][:2]
        return f"{len(expected)} rows on Lake, {len(got)} on Athena; Lake only {missing}; Athena only {extra}"
    return None


def _lake_names(ct: Any, sql: str) -> list[str]:
    run = QueryRun(ct, sql)
    run.start()
    run.wait(sleep=lambda s: time.sleep(min(s, 0.05)))
    return [c.lower() for c in run.page(page_size=1).columns]


@pytest.fixture(scope="module")
def lake_client(demo_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The local lake on a private copy of the demo (its queries must not land in the shared one)."""
    import os
    import shutil

    root = tmp_path_factory.mktemp("athena-lake") / "home"
    shutil.copytree(demo_home, root, ignore=shutil.ignore_patterns("*.lock"))
    old = os.environ.get("TRAILTUI_HOME")
    os.environ["TRAILTUI_HOME"] = str(root)
    local = LocalLake()
    yield local.client()
    local.close()
    if old is None:
        del os.environ["TRAILTUI_HOME"]
    else:
        os.environ["TRAILTUI_HOME"] = old


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda q: q.path.stem if q.path else q.name)
def test_sample_query_means_the_same_on_athena(shaped: Any, lake_client: Any, sample: QueryFile) -> None:
    sql = sample.filled(DEMO_STORE_ID, START, END)
    assert not isinstance(_lake_answer(lake_client, sql), str), "every sample runs on the local lake"
    assert _compare(shaped, lake_client, sql) is None


def test_published_queries_mean_the_same_on_athena(
    shaped: Any, lake_client: Any, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    differences = []
    refused = []
    compared = 0
    for q in load(shared_data / "lake-queries.sql"):
        sql = substitute(q.sql, DEMO_STORE_ID, "2026-11-20 00:00:00")
        outcome = _compare(shaped, lake_client, sql)
        compared += 1
        if outcome is None:
            continue
        # Refusing is right only for Lake columns Athena's CloudTrail table has no counterpart for.
        if outcome.startswith("refused:") and "has no counterpart" in outcome:
            refused.append(f"query {q.number}: {outcome}")
        else:
            differences.append(f"query {q.number}: {outcome}")
    with capsys.disabled():
        print(f"\n{compared} published queries compared; {len(differences)} differ; {len(refused)} refused")
        for d in differences + refused:
            print("  " + d[:300])
    assert compared >= 40
    assert differences == []
