"""An Athena-shaped copy of a local store, and a way to run translated Athena SQL on it in DuckDB.

The copy holds each event as Athena's CloudTrail table does (the JSON SerDe over the documented columns):
text for scalars, eventtime as ISO-8601 text, the JSON documents as JSON text, booleans as 'true'/'false',
structs with lower-case fields, plus the projected partition columns and "$path". It is built from each
event's original record (the store's eventjson), not from the Lake-typed columns, so the translation is
checked against data it never saw typed.

Translated Athena SQL is Trino; it runs here through the project's own Trino-to-DuckDB translator
(trailtui.local.translate, which is sqlglot's trino->duckdb plus the project's fixes), with one
substitution: the translation's JSON-text-to-Lake-map expression (`map_from_entries(transform(map_keys(
CAST(json_parse(x) AS map(varchar, json))), k -> ROW(k, <the key's value extracted from x>)))`) becomes
DuckDB's JSON-to-MAP(VARCHAR, VARCHAR) cast, which has that meaning (nested values as compact JSON text in
their order, JSON null as NULL) without a lambda over JSON paths per key.
"""

from __future__ import annotations

from typing import Any

import duckdb

from trailtui.athena.table import COLUMNS, PARTITION_KEYS, TrailLayout, parse_table, table_input
from trailtui.athena.translate import AthenaTranslation

SHAPED = "athena_trail"
JSON_MAP = "athena_shape_json_map"
FAKE_STORE = "00000000-0000-4000-8000-00000000a7e1"
BUCKET = "demo-trail-bucket"


def _present(path: str) -> str:
    return f"coalesce(json_type(j, '{path}'), 'NULL') <> 'NULL'"


def _text(path: str) -> str:
    return f"(j ->> '{path}')"


def _json_text(path: str) -> str:
    return f"CASE WHEN {_present(path)} THEN CAST(j -> '{path}' AS VARCHAR) END"


def _struct(path: str, fields: list[tuple[str, str]]) -> str:
    packed = ", ".join(f"{name} := {expr}" for name, expr in fields)
    return f"CASE WHEN {_present(path)} THEN struct_pack({packed}) END"


def _issuer(base: str) -> str:
    return _struct(
        base,
        [
            ("type", _text(base + ".type")),
            ("principalid", _text(base + ".principalId")),
            ("arn", _text(base + ".arn")),
            ("accountid", _text(base + ".accountId")),
            ("username", _text(base + ".userName")),
        ],
    )


def _user_identity() -> str:
    u = "$.userIdentity"
    sc = u + ".sessionContext"
    web = sc + ".webIdFederationData"
    return _struct(
        u,
        [
            ("type", _text(u + ".type")),
            ("principalid", _text(u + ".principalId")),
            ("arn", _text(u + ".arn")),
            ("accountid", _text(u + ".accountId")),
            ("invokedby", _text(u + ".invokedBy")),
            ("accesskeyid", _text(u + ".accessKeyId")),
            ("username", _text(u + ".userName")),
            (
                "onbehalfof",
                _struct(
                    u + ".onBehalfOf",
                    [
                        ("userid", _text(u + ".onBehalfOf.userId")),
                        ("identitystorearn", _text(u + ".onBehalfOf.identityStoreArn")),
                    ],
                ),
            ),
            (
                "sessioncontext",
                _struct(
                    sc,
                    [
                        (
                            "attributes",
                            _struct(
                                sc + ".attributes",
                                [
                                    ("mfaauthenticated", _text(sc + ".attributes.mfaAuthenticated")),
                                    ("creationdate", _text(sc + ".attributes.creationDate")),
                                ],
                            ),
                        ),
                        ("sessionissuer", _issuer(sc + ".sessionIssuer")),
                        ("ec2roledelivery", _text(sc + ".ec2RoleDelivery")),
                        (
                            "webidfederationdata",
                            _struct(
                                web,
                                [
                                    ("federatedprovider", _text(web + ".federatedProvider")),
                                    (
                                        "attributes",
                                        f"CAST(j -> '{web}.attributes' AS MAP(VARCHAR, VARCHAR))",
                                    ),
                                ],
                            ),
                        ),
                    ],
                ),
            ),
        ],
    )


_SCALARS = {
    "eventversion": "$.eventVersion",
    "eventtime": "$.eventTime",
    "eventsource": "$.eventSource",
    "eventname": "$.eventName",
    "awsregion": "$.awsRegion",
    "sourceipaddress": "$.sourceIPAddress",
    "useragent": "$.userAgent",
    "errorcode": "$.errorCode",
    "errormessage": "$.errorMessage",
    "requestid": "$.requestID",
    "eventid": "$.eventID",
    "readonly": "$.readOnly",
    "eventtype": "$.eventType",
    "apiversion": "$.apiVersion",
    "recipientaccountid": "$.recipientAccountId",
    "sharedeventid": "$.sharedEventID",
    "vpcendpointid": "$.vpcEndpointId",
    "vpcendpointaccountid": "$.vpcEndpointAccountId",
    "eventcategory": "$.eventCategory",
    "sessioncredentialfromconsole": "$.sessionCredentialFromConsole",
    "managementevent": "$.managementEvent",
}
_JSON_TEXT = {
    "requestparameters": "$.requestParameters",
    "responseelements": "$.responseElements",
    "additionaleventdata": "$.additionalEventData",
    "serviceeventdetails": "$.serviceEventDetails",
    "edgedevicedetails": "$.edgeDeviceDetails",
}


def _column_exprs(org_id: str) -> dict[str, str]:
    cols = {n: _text(p) for n, p in _SCALARS.items()}
    cols.update({n: _json_text(p) for n, p in _JSON_TEXT.items()})
    cols["useridentity"] = _user_identity()
    cols["resources"] = (
        f"CASE WHEN {_present('$.resources')} THEN list_transform(from_json(j -> '$.resources', "
        '\'[{"ARN":"VARCHAR","accountId":"VARCHAR","type":"VARCHAR"}]\'), '
        "lambda r: struct_pack(arn := r.ARN, accountid := r.accountId, type := r.type)) END"
    )
    cols["addendum"] = _struct(
        "$.addendum",
        [
            ("reason", _text("$.addendum.reason")),
            ("updatedfields", _text("$.addendum.updatedFields")),
            ("originalrequestid", _text("$.addendum.originalRequestID")),
            ("originaleventid", _text("$.addendum.originalEventID")),
        ],
    )
    cols["tlsdetails"] = _struct(
        "$.tlsDetails",
        [
            ("tlsversion", _text("$.tlsDetails.tlsVersion")),
            ("ciphersuite", _text("$.tlsDetails.cipherSuite")),
            ("clientprovidedhostheader", _text("$.tlsDetails.clientProvidedHostHeader")),
        ],
    )
    day = "replace(substr(j ->> '$.eventTime', 1, 10), '-', '/')"
    cols["account"] = _text("$.recipientAccountId")
    cols["region"] = _text("$.awsRegion")
    cols['"timestamp"'] = day
    cols['"$path"'] = (
        f"'s3://{BUCKET}/AWSLogs/{org_id}/' || (j ->> '$.recipientAccountId') || '/CloudTrail/' || "
        f"(j ->> '$.awsRegion') || '/' || {day} || '/' || (j ->> '$.recipientAccountId') || "
        "'_CloudTrail_' || (j ->> '$.awsRegion') || '.json.gz'"
    )
    return cols


def open_copy(path: str) -> duckdb.DuckDBPyConnection:
    """A fresh connection with the copy attached as `lake` (a query's functions are registered on it)."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"ATTACH '{path}' AS lake (READ_ONLY)")
    # The stand-in for the translation's JSON-text-to-map expression: DuckDB's JSON to MAP(VARCHAR, VARCHAR)
    # cast keeps top-level keys, scalars as text, nested values as compact JSON in order, null as NULL.
    con.execute(f"CREATE MACRO {JSON_MAP}(x) AS CAST(CAST(x AS JSON) AS MAP(VARCHAR, VARCHAR))")
    return con


def build_shaped_copy(lake_file: str, store_table: str, org_id: str, path: str) -> Any:
    """Write `athena_trail` into the DuckDB file `path`; returns the Glue table (as trailtui sees it)."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{lake_file}' AS src (READ_ONLY)")
    con.execute(f"ATTACH '{path}' AS lake")
    select = ", ".join(f"{e} AS {n}" for n, e in _column_exprs(org_id).items())
    con.execute(
        f"CREATE TABLE lake.main.{SHAPED} AS SELECT {select} FROM "
        f"(SELECT CAST(eventjson AS JSON) AS j FROM src.main.{store_table})"
    )
    con.execute("DETACH src")
    accounts = [
        r[0] for r in con.execute(f"SELECT DISTINCT account FROM lake.main.{SHAPED} ORDER BY 1").fetchall()
    ]
    regions = [
        r[0] for r in con.execute(f"SELECT DISTINCT region FROM lake.main.{SHAPED} ORDER BY 1").fetchall()
    ]
    first = con.execute(f'SELECT min("timestamp") FROM lake.main.{SHAPED}').fetchone()
    layout = TrailLayout(
        BUCKET,
        f"AWSLogs/{org_id}/",
        org_id,
        tuple(accounts),
        tuple(regions),
        first[0] if first else "2026/01/01",
    )
    con.close()
    return parse_table("trail", table_input("logs", layout))


def athena_columns() -> dict[str, str]:
    """The shaped copy's columns as Trino types: what the translator types the Athena SQL against."""
    from sqlglot import exp

    cols = {n: exp.DataType.build(t, dialect="hive").sql(dialect="trino") for n, t in COLUMNS}
    cols.update({k: "VARCHAR" for k in PARTITION_KEYS})
    cols["$path"] = "VARCHAR"
    return cols


def to_duckdb(t: AthenaTranslation) -> Any:
    """The translated Athena SQL as a local-lake Translation (DuckDB SQL) over the shaped copy.

    The project's translator types a query against Lake's schema; here the table is Athena-shaped, so it is
    given that table's schema instead (the one thing swapped: the translation itself is the project's)."""
    from unittest import mock

    import sqlglot
    from sqlglot import exp

    from trailtui.local.translate import semantics, trino_names
    from trailtui.local.translate import translate as lake_to_duckdb

    tree = sqlglot.parse_one(t.sql, read="trino")

    def substitute(node: Any) -> Any:
        if isinstance(node, exp.Table) and node.db == "trail" and node.name == "logs":
            return exp.Table(this=exp.to_identifier(FAKE_STORE, quoted=True), alias=node.args.get("alias"))
        if isinstance(node, exp.MapFromEntries):
            text = node.find(exp.ParseJSON).this  # the column the map is built from
            return exp.Anonymous(this=JSON_MAP, expressions=[text.copy()])
        return node

    trino = tree.transform(substitute).sql(dialect="trino")
    # The stand-in for Athena's JSON-to-map is this file's own function, not Trino's: let it be called.
    callable_here = trino_names.TRINO_FUNCTIONS | {JSON_MAP}
    with (
        mock.patch.object(semantics, "store_columns", athena_columns),
        mock.patch.object(trino_names, "TRINO_FUNCTIONS", callable_here),
    ):
        return lake_to_duckdb(trino, lambda ref: SHAPED if ref == FAKE_STORE else None)
