"""The schema of a CloudTrail-events event data store, as DuckDB types and as a JSON mapping.

One declaration feeds both the table DDL and the `json_transform` structure that turns a trail log record
into a row, so the two cannot drift apart. Column names are Lake's lower-case names; struct fields keep the
record's camelCase keys (DuckDB resolves struct fields case-insensitively, and the Lake renderer prints them
in lower case), so a record maps onto a row without renaming every nested field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

# A field type: a scalar DuckDB type name, a struct (ordered fields), or a list of structs.
Scalar = str


@dataclass(frozen=True)
class Struct:
    fields: tuple[tuple[str, FieldType], ...]


@dataclass(frozen=True)
class ListOf:
    item: FieldType


FieldType = Scalar | Struct | ListOf

V = "VARCHAR"
TS = "TIMESTAMP"
BOOL = "BOOLEAN"
MAP = "MAP(VARCHAR, VARCHAR)"


def _s(*fields: tuple[str, FieldType]) -> Struct:
    return Struct(tuple(fields))


_SESSION_ISSUER = _s(("type", V), ("principalId", V), ("arn", V), ("accountId", V), ("userName", V))

USER_IDENTITY = _s(
    ("type", V),
    ("principalId", V),
    ("arn", V),
    ("accountId", V),
    ("accessKeyId", V),
    ("userName", V),
    (
        "sessionContext",
        _s(
            ("attributes", _s(("creationDate", TS), ("mfaAuthenticated", V))),
            ("sessionIssuer", _SESSION_ISSUER),
            ("webIdFederationData", _s(("federatedProvider", V), ("attributes", MAP))),
            ("sourceIdentity", V),
            ("ec2RoleDelivery", V),
            ("ec2IssuedInVPC", V),
        ),
    ),
    ("invokedBy", V),
    ("identityProvider", V),
    ("credentialId", V),
    ("onBehalfOf", _s(("userId", V), ("identityStoreArn", V))),
    (
        "inScopeOf",
        _s(("issuerType", V), ("credentialsIssuedTo", V), ("sourceArn", V), ("sourceAccount", V)),
    ),
)

RESOURCE = _s(("accountId", V), ("type", V), ("ARN", V), ("ARNPrefix", V))

TLS_DETAILS = _s(("tlsVersion", V), ("cipherSuite", V), ("clientProvidedHostHeader", V))

# Not in the published schema, but used by AWS's own generated queries (resource tag enrichment).
EVENT_CONTEXT = _s(
    ("requestContext", MAP),
    (
        "tagContext",
        _s(
            ("resourceTags", ListOf(_s(("arn", V), ("tags", MAP)))),
            ("principalTags", MAP),
        ),
    ),
)


@dataclass(frozen=True)
class Column:
    name: str  # Lake's column name (lower case)
    key: str  # the trail log record's key
    type: FieldType


# Reference section 6, in Lake's order; eventjson and eventjsonchecksum are derived, not read.
COLUMNS: tuple[Column, ...] = (
    Column("eventversion", "eventVersion", V),
    Column("useridentity", "userIdentity", USER_IDENTITY),
    Column("eventtime", "eventTime", TS),
    Column("eventsource", "eventSource", V),
    Column("eventname", "eventName", V),
    Column("awsregion", "awsRegion", V),
    Column("sourceipaddress", "sourceIPAddress", V),
    Column("useragent", "userAgent", V),
    Column("errorcode", "errorCode", V),
    Column("errormessage", "errorMessage", V),
    Column("requestparameters", "requestParameters", MAP),
    Column("responseelements", "responseElements", MAP),
    Column("additionaleventdata", "additionalEventData", MAP),
    Column("requestid", "requestID", V),
    Column("eventid", "eventID", V),
    Column("readonly", "readOnly", BOOL),
    Column("resources", "resources", ListOf(RESOURCE)),
    Column("eventtype", "eventType", V),
    Column("apiversion", "apiVersion", V),
    Column("managementevent", "managementEvent", BOOL),
    Column("recipientaccountid", "recipientAccountId", V),
    Column("sharedeventid", "sharedEventID", V),
    Column("annotation", "annotation", V),
    Column("vpcendpointid", "vpcEndpointId", V),
    Column("vpcendpointaccountid", "vpcEndpointAccountId", V),
    Column("serviceeventdetails", "serviceEventDetails", MAP),
    Column("addendum", "addendum", MAP),
    Column("edgedevicedetails", "edgeDeviceDetails", MAP),
    Column("insightdetails", "insightDetails", MAP),
    Column("eventcategory", "eventCategory", V),
    Column("tlsdetails", "tlsDetails", TLS_DETAILS),
    Column("sessioncredentialfromconsole", "sessionCredentialFromConsole", V),
    Column("eventcontext", "eventContext", EVENT_CONTEXT),
)

DERIVED_COLUMNS: tuple[tuple[str, str], ...] = (("eventjson", V), ("eventjsonchecksum", V))

COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS) + tuple(n for n, _ in DERIVED_COLUMNS)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def duckdb_type(t: FieldType) -> str:
    if isinstance(t, Struct):
        return "STRUCT(" + ", ".join(f"{_quote(k)} {duckdb_type(v)}" for k, v in t.fields) + ")"
    if isinstance(t, ListOf):
        return duckdb_type(t.item) + "[]"
    return t


def _json_structure(t: FieldType) -> object:
    if isinstance(t, Struct):
        return {k: _json_structure(v) for k, v in t.fields}
    if isinstance(t, ListOf):
        return [_json_structure(t.item)]
    return t


def record_structure() -> str:
    """The `json_transform` structure that maps one trail log record onto the columns."""
    return json.dumps({c.key: _json_structure(c.type) for c in COLUMNS}, separators=(",", ":"))


def table_ddl(table: str) -> str:
    cols = [f"{c.name} {duckdb_type(c.type)}" for c in COLUMNS]
    # The original record is most of a store's bytes; zstd keeps it at a third of DuckDB's default.
    # The checksum is computed when queried: hashing every record at import cost a tenth of import time.
    cols += [
        "eventjson VARCHAR USING COMPRESSION zstd",
        "eventjsonchecksum VARCHAR GENERATED ALWAYS AS (md5(eventjson)) VIRTUAL",
    ]
    return f"CREATE TABLE IF NOT EXISTS {table} (" + ", ".join(cols) + ")"


def lake_type_name(t: FieldType) -> str:
    """The type as Lake documents it (for the docs and the TUI's column help)."""
    if isinstance(t, Struct):
        return "struct<" + ", ".join(f"{k.lower()}" for k, _ in t.fields) + ">"
    if isinstance(t, ListOf):
        return f"array<{lake_type_name(t.item)}>"
    return {V: "string", TS: "timestamp", BOOL: "boolean", MAP: "map<string,string>"}[t]
