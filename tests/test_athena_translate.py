"""Lake SQL to Athena SQL: which partition predicates a query earns, what is refused, and the names it keeps.
(The answers themselves are compared with the local lake's in test_athena_meaning.)"""

from __future__ import annotations

import pytest

from trailtui.athena.table import TrailLayout, parse_table, table_input
from trailtui.athena.translate import AthenaTranslationError, translate

LAYOUT = TrailLayout(
    "b", "AWSLogs/o-a1b2c3d4e5/", "o-a1b2c3d4e5", ("111122223333",), ("us-east-1",), "2026/01/01"
)
TABLE = parse_table("trail", table_input("logs", LAYOUT))
HAND_MADE = parse_table(
    "default",
    {
        "Name": "ct",
        "StorageDescriptor": {
            "Columns": [
                {"Name": n, "Type": "string"}
                for n in ("eventversion", "useridentity", "eventtime", "eventsource", "eventname")
            ],
            "Location": "s3://b/AWSLogs/",
            "SerdeInfo": {"SerializationLibrary": "com.amazon.emr.hive.serde.CloudTrailSerde"},
        },
    },
)


def _t(sql: str):  # type: ignore[no-untyped-def]
    tables = {"trail.logs": TABLE, "default.ct": HAND_MADE}
    return translate(sql, tables.get)


def test_one_day_reads_its_folder_and_the_next_hour_of_deliveries() -> None:
    t = _t("SELECT eventName FROM trail.logs WHERE eventTime >= '2026-11-20' AND eventTime < '2026-11-21'")
    assert t.partition_predicates == ["\"timestamp\" >= '2026/11/20'", "\"timestamp\" <= '2026/11/21'"]
    t = _t(
        "SELECT eventName FROM trail.logs WHERE eventTime BETWEEN '2026-11-20 08:00:00' AND '2026-11-20 17:00:00'"
    )
    assert t.partition_predicates == ["\"timestamp\" >= '2026/11/20'", "\"timestamp\" <= '2026/11/20'"]


def test_accounts_regions_and_relative_bounds_prune() -> None:
    t = _t(
        "SELECT count(*) FROM trail.logs l WHERE l.recipientAccountId IN ('111122223333', '444455556666') "
        "AND awsRegion = 'eu-west-1' AND eventTime > now() - interval '7' day"
    )
    assert "\"account\" IN ('111122223333', '444455556666')" in t.partition_predicates
    assert "\"region\" = 'eu-west-1'" in t.partition_predicates
    assert any(p.startswith('"timestamp" >= DATE_FORMAT(') for p in t.partition_predicates)


def test_what_does_not_prune() -> None:
    assert (
        _t(
            "SELECT eventName FROM trail.logs WHERE eventTime > '2026-11-01' OR eventName = 'x'"
        ).partition_predicates
        == []
    )
    assert _t("SELECT eventName FROM default.ct WHERE eventTime > '2026-11-01'").partition_predicates == []
    # a join: an unqualified eventTime could be either side's
    sql = "SELECT a.eventName FROM trail.logs a JOIN trail.logs b ON a.eventID = b.eventID WHERE eventTime > '2026-11-01'"
    assert _t(sql).partition_predicates == []


def test_lake_types_over_athena_text() -> None:
    t = _t(
        "SELECT eventTime, requestParameters['bucketName'], readOnly FROM trail.logs WHERE readOnly = true"
    )
    assert 'CAST(FROM_ISO8601_TIMESTAMP("eventtime") AS TIMESTAMP(3)) AS eventtime' in t.sql
    assert "ELEMENT_AT(requestParameters, 'bucketName')" in t.sql  # NULL for a missing key, as on Lake
    assert 'CAST("readonly" AS BOOLEAN) AS readonly' in t.sql
    assert t.names == ["eventTime", "_col1", "readOnly"]
    assert t.tables == [TABLE]


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("SELECT eventJson FROM trail.logs", "eventjson has no counterpart"),
        ("SELECT eventjsonchecksum FROM trail.logs", "eventjsonchecksum has no counterpart"),
        ("SELECT readOnly FROM default.ct", "has no column readonly"),
        ("SELECT * FROM trail.other", "trail.other is not an Athena CloudTrail table"),
        ("SELECT * FROM trail.logs JOIN 0d3a6f2e-7b1c-4e5a-9c8d-2f4b6a8c0e1d x ON true", "cannot be mixed"),
        ("DELETE FROM trail.logs", "read-only"),
        ("SELECT eventName FROM trail.logs WHERE eventTime > 'yesterday'", "not a valid timestamp"),
    ],
)
def test_refused_with_a_reason(sql: str, message: str) -> None:
    with pytest.raises(AthenaTranslationError, match=message):
        _t(sql)


def test_path_is_there_when_asked_for() -> None:
    assert '"$path"' in _t('SELECT "$path", eventID FROM trail.logs').sql
    assert "$path" not in _t("SELECT eventID FROM trail.logs").sql
