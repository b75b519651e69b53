"""Translating Lake SQL: store IDs in FROM, refusals with line and column, Lake's output names."""

from __future__ import annotations

import pytest

from trailtui.local.errors import EventDataStoreNotFound, InvalidQueryStatement
from trailtui.local.schema import COLUMN_NAMES
from trailtui.local.translate import quote_store_ids, translate

SID = "49d1288a-bde9-43d2-908d-0123456789ab"
OTHER = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
TABLES = {SID: "events_a", OTHER: "events_b", "my-store": "events_a"}


def resolve(ref: str) -> str | None:
    return TABLES.get(ref)


def test_bare_ids_and_arns_are_quoted_only_after_from_and_join() -> None:
    sql = (
        f"SELECT 'FROM {SID}' AS s, x -- FROM {SID}\n"
        f"FROM {SID} a JOIN arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/{OTHER} b ON a.x = b.x "
        f"/* join {SID} */ WHERE y = 1 - 2"
    )
    out = quote_store_ids(sql)
    assert f'FROM "{SID}" a' in out
    assert f'JOIN "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/{OTHER}" b' in out
    assert f"'FROM {SID}'" in out and f"-- FROM {SID}" in out and f"/* join {SID} */" in out
    assert "1 - 2" in out


def test_store_reference_forms() -> None:
    for ref in (SID, f"arn:aws:cloudtrail:eu-west-1:999999999999:eventdatastore/{SID}", "my-store"):
        t = translate(f"SELECT eventName FROM {ref}", resolve)
        assert t.store_tables == ["events_a"]
        assert '"lake"."main"."events_a"' in t.duckdb_sql


def test_unknown_store_and_not_a_store() -> None:
    with pytest.raises(EventDataStoreNotFound):
        translate("SELECT 1 FROM 11111111-2222-4333-8444-555555555555", resolve)
    with pytest.raises(InvalidQueryStatement, match="not an event data store: name one by its ID or ARN"):
        translate("SELECT 1 FROM sometable", resolve)


@pytest.mark.parametrize(
    "sql, fragment",
    [
        ("DROP TABLE x", "Only SELECT"),
        (f"DELETE FROM {SID}", "Only SELECT"),
        (f"INSERT INTO x SELECT * FROM {SID}", "Only SELECT"),
        (f"SELECT 1 FROM {SID}; SELECT 2 FROM {SID}", "one statement"),
        ("SELECT * FROM read_csv('/etc/passwd')", "READ_CSV is not allowed"),
        ("SELECT * FROM unnest_x(1)", "Table functions"),
        ("SELECT * FROM lake.main.events_a", "Qualified table name"),
        (f"SELECT getenv('HOME') FROM {SID}", "getenv is not allowed"),
        (f"SELECT current_setting('memory_limit') FROM {SID}", "not allowed"),
        (f"SELECT eventtime FROM {SID} WHERE eventtime < = '2022-01-19'", "line 1:"),
        ("SELECT * FROM <EDS ID>", "replace the placeholder <EDS ID>"),
        ("SELECT 1", "at least one event data store"),
        ("", "empty"),
    ],
)
def test_refusals_are_clear(sql: str, fragment: str) -> None:
    with pytest.raises(InvalidQueryStatement, match=fragment):
        translate(sql, resolve)


def test_output_names_follow_lake() -> None:
    t = translate(
        f"SELECT eventTime, RecipientAccountId, userIdentity.arn, userIdentity.sessionContext.sessionIssuer.userName, "
        f"count(*), element_at(resources, 1).accountId, eventName AS n, upper(eventName), eventName AS n "
        f"FROM {SID} GROUP BY 1, 2, 3, 4, 6, 7, 8",
        resolve,
    )
    assert t.names == [
        "eventTime",
        "RecipientAccountId",
        "arn",
        "userName",
        "_col4",
        "accountId",
        "n",
        "_col7",
        "n",
    ]


def test_star_expands_to_lake_columns_and_union_takes_first_names() -> None:
    t = translate(f"SELECT *, 1 FROM {SID}", resolve)
    assert t.names == [*COLUMN_NAMES, f"_col{len(COLUMN_NAMES)}"]
    t = translate(f"SELECT a.*, b.eventid FROM {SID} a JOIN {OTHER} b ON a.eventid = b.eventid", resolve)
    assert t.names == [*COLUMN_NAMES, "eventid"]
    t = translate(f"SELECT eventId AS x FROM {SID} UNION ALL SELECT eventName FROM {OTHER}", resolve)
    assert t.names == ["x"] and t.store_tables == ["events_a", "events_b"]
    t = translate(f"WITH c AS (SELECT eventName AS e FROM {SID}) SELECT * FROM c", resolve)
    assert t.names == ["e"]


def test_trino_functions_duckdb_lacks_are_rewritten() -> None:
    t = translate(
        f"SELECT json_array_get(element_at(requestParameters, 'a'), 0), json_array_get(eventjson, -1) FROM {SID} "
        f"WHERE any_match(resources, r -> r.type = 'AWS::S3::Bucket') "
        f"AND none_match(resources, r -> r.arn IS NULL) AND all_match(resources, r -> r.accountid = '1')",
        resolve,
    )
    sql = t.duckdb_sql.upper()
    assert "ANY_MATCH(" not in sql and " JSON_ARRAY_GET(" not in sql
    # the stand-ins the query calls are reported, to be registered on its connection
    assert {"trino_json_array_get", "trino_any_true", "trino_all_true", "trino_none_true"} <= t.functions


def test_comma_joined_stores_in_from() -> None:
    t = translate(
        f"SELECT a.eventName FROM {SID} a, {OTHER} b WHERE a.eventid = b.eventid AND 2 - 1 IN (1, 2)", resolve
    )
    assert t.store_tables == ["events_a", "events_b"]
    out = quote_store_ids(f"SELECT x FROM {SID} a, (SELECT 1 FROM {OTHER}) b WHERE y = 1-2")
    assert f'FROM "{SID}" a, (SELECT 1 FROM "{OTHER}") b WHERE y = 1-2' in out
