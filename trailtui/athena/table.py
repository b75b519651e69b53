"""The CloudTrail table in the Glue catalog: its columns as AWS documents them, the Glue TableInput and the
DDL trailtui registers (partition projection over the trail's key layout), and recognising CloudTrail
tables that others made (the console's "Create Athena table", or by hand, with either SerDe).

Column types follow the Athena User Guide's "Create the table for CloudTrail logs in Athena using partition
projection": scalar fields and the JSON documents are `string`, `useridentity`, `addendum` and
`tlsdetails` are structs, `resources` an array of structs. `managementevent` is not in AWS's example but is
in every record; it is declared the same way (text) so Lake's `managementEvent` has a counterpart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

JSON_SERDE = "org.apache.hive.hcatalog.data.JsonSerDe"
LEGACY_SERDE = "com.amazon.emr.hive.serde.CloudTrailSerde"
INPUT_FORMAT = "com.amazon.emr.cloudtrail.CloudTrailInputFormat"
OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
DATE_FORMAT = "yyyy/MM/dd"
WORKGROUP_PARAMETER = "trailtui.workgroup"  # where create-table remembers the table's workgroup

_SESSION_ISSUER = "struct<type:string,principalid:string,arn:string,accountid:string,username:string>"
USER_IDENTITY = (
    "struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,"
    "accesskeyid:string,username:string,onbehalfof:struct<userid:string,identitystorearn:string>,"
    "sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,"
    f"sessionissuer:{_SESSION_ISSUER},ec2roledelivery:string,"
    "webidfederationdata:struct<federatedprovider:string,attributes:map<string,string>>>>"
)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("eventversion", "string"),
    ("useridentity", USER_IDENTITY),
    ("eventtime", "string"),
    ("eventsource", "string"),
    ("eventname", "string"),
    ("awsregion", "string"),
    ("sourceipaddress", "string"),
    ("useragent", "string"),
    ("errorcode", "string"),
    ("errormessage", "string"),
    ("requestparameters", "string"),
    ("responseelements", "string"),
    ("additionaleventdata", "string"),
    ("requestid", "string"),
    ("eventid", "string"),
    ("readonly", "string"),
    ("resources", "array<struct<arn:string,accountid:string,type:string>>"),
    ("eventtype", "string"),
    ("apiversion", "string"),
    ("recipientaccountid", "string"),
    ("serviceeventdetails", "string"),
    ("sharedeventid", "string"),
    ("vpcendpointid", "string"),
    ("vpcendpointaccountid", "string"),
    ("eventcategory", "string"),
    (
        "addendum",
        "struct<reason:string,updatedfields:string,originalrequestid:string,originaleventid:string>",
    ),
    ("sessioncredentialfromconsole", "string"),
    ("edgedevicedetails", "string"),
    ("tlsdetails", "struct<tlsversion:string,ciphersuite:string,clientprovidedhostheader:string>"),
    ("managementevent", "string"),
)
PARTITION_KEYS = ("account", "region", "timestamp")
_SIGNATURE_COLUMNS = frozenset({"eventversion", "useridentity", "eventtime", "eventsource", "eventname"})
_TEMPLATE = re.compile(
    r"AWSLogs/(?:(?P<org>o-[a-z0-9]+)/|\$\{(?P<orgkey>\w+)\}/)?"
    r"(?:\$\{(?P<account>\w+)\}|\d{12})/CloudTrail/(?:\$\{(?P<region>\w+)\}|[a-z0-9-]+)/\$\{(?P<date>\w+)\}"
)
_ORG_IN_PATH = re.compile(r"/AWSLogs/(o-[a-z0-9]+)/")


@dataclass(frozen=True)
class AthenaTable:
    """A CloudTrail table in Glue, as trailtui queries it."""

    database: str
    name: str
    location: str
    columns: dict[str, str]  # lower-case name -> Hive type
    partition_keys: tuple[str, ...] = ()
    layout: str = "unknown"  # "organization", "account", or "unknown" (no AWSLogs/ key layout found)
    org_id: str | None = None
    account_key: str | None = None  # the projected partition column that holds the account folder
    region_key: str | None = None
    date_key: str | None = None
    date_format: str | None = None
    date_range: str | None = None  # projection range, e.g. "2024/01/01,NOW"
    workgroup: str | None = None  # remembered by create-table
    serde: str = JSON_SERDE
    parameters: dict[str, str] = field(default_factory=dict)

    @property
    def qualified(self) -> str:
        return f"{self.database}.{self.name}"

    @property
    def projected(self) -> bool:
        return self.parameters.get("projection.enabled", "").lower() == "true"

    @property
    def partition_range(self) -> str:
        if not self.date_range:
            return "-"
        start, _, end = self.date_range.partition(",")
        return f"{start.strip()} .. {end.strip() or 'NOW'}"


def parse_table(database: str, table: dict[str, Any]) -> AthenaTable | None:
    """The table as an AthenaTable if it holds CloudTrail logs (by SerDe, input format or columns)."""
    sd = table.get("StorageDescriptor") or {}
    serde = ((sd.get("SerdeInfo") or {}).get("SerializationLibrary")) or ""
    input_format = sd.get("InputFormat") or ""
    columns = {
        str(c["Name"]).lower(): str(c.get("Type") or "string").lower() for c in sd.get("Columns") or []
    }
    is_trail = (
        "CloudTrailInputFormat" in input_format or serde == LEGACY_SERDE or set(columns) >= _SIGNATURE_COLUMNS
    )
    if not is_trail:
        return None
    params = {str(k): str(v) for k, v in (table.get("Parameters") or {}).items()}
    keys = tuple(str(k["Name"]).lower() for k in table.get("PartitionKeys") or [])
    location = str(sd.get("Location") or "")
    template = params.get("storage.location.template", "")
    roles: dict[str, str | None] = {"account": None, "region": None, "date": None}
    m = _TEMPLATE.search(template) if template and params.get("projection.enabled") == "true" else None
    if m:
        roles = {r: (m.group(r) or "").lower() or None for r in roles}
    where = template or location
    org = _ORG_IN_PATH.search(where + "/")
    layout = "organization" if org else ("account" if "/AWSLogs" in where else "unknown")
    date_key = roles["date"]
    return AthenaTable(
        database=database,
        name=str(table["Name"]),
        location=location,
        columns=columns,
        partition_keys=keys,
        layout=layout,
        org_id=org.group(1) if org else None,
        account_key=roles["account"] if roles["account"] in keys else None,
        region_key=roles["region"] if roles["region"] in keys else None,
        date_key=date_key if date_key in keys else None,
        date_format=params.get(f"projection.{date_key}.format") if date_key else None,
        date_range=params.get(f"projection.{date_key}.range") if date_key else None,
        workgroup=params.get(WORKGROUP_PARAMETER) or None,
        serde=serde,
        parameters=params,
    )


@dataclass(frozen=True)
class TrailLayout:
    """Where a trail's logs are, as found by listing the bucket."""

    bucket: str
    root: str  # the key prefix up to and including AWSLogs/[o-.../]
    org_id: str | None
    accounts: tuple[str, ...]
    regions: tuple[str, ...]
    first_day: str  # yyyy/MM/dd of the earliest day folder seen

    @property
    def location(self) -> str:
        return f"s3://{self.bucket}/{self.root}"

    @property
    def template(self) -> str:
        return f"{self.location}${{account}}/CloudTrail/${{region}}/${{timestamp}}"


def table_input(name: str, layout: TrailLayout, workgroup: str | None = None) -> dict[str, Any]:
    """Glue's TableInput for a partition-projected CloudTrail table over `layout`."""
    params = {
        "EXTERNAL": "TRUE",
        "classification": "cloudtrail",
        "comment": "CloudTrail logs, created by trailtui athena create-table",
        "projection.enabled": "true",
        "projection.account.type": "enum",
        "projection.account.values": ",".join(layout.accounts),
        "projection.region.type": "enum",
        "projection.region.values": ",".join(layout.regions),
        "projection.timestamp.type": "date",
        "projection.timestamp.format": DATE_FORMAT,
        "projection.timestamp.range": f"{layout.first_day},NOW",
        "projection.timestamp.interval": "1",
        "projection.timestamp.interval.unit": "DAYS",
        "storage.location.template": layout.template,
    }
    if workgroup:
        params[WORKGROUP_PARAMETER] = workgroup
    return {
        "Name": name,
        "TableType": "EXTERNAL_TABLE",
        "Parameters": params,
        "PartitionKeys": [{"Name": k, "Type": "string"} for k in PARTITION_KEYS],
        "StorageDescriptor": {
            "Columns": [{"Name": n, "Type": t} for n, t in COLUMNS],
            "Location": layout.location,
            "InputFormat": INPUT_FORMAT,
            "OutputFormat": OUTPUT_FORMAT,
            "SerdeInfo": {"SerializationLibrary": JSON_SERDE, "Parameters": {"serialization.format": "1"}},
        },
    }


def ddl(database: str, table: dict[str, Any]) -> str:
    """The Athena DDL equivalent to a TableInput (what the user would type in the console)."""
    sd = table["StorageDescriptor"]
    cols = ",\n".join(f"  `{c['Name']}` {c['Type']}" for c in sd["Columns"])
    parts = ", ".join(f"`{k['Name']}` {k['Type']}" for k in table.get("PartitionKeys") or [])
    props = ",\n".join(
        f"  '{k}'='{v}'" for k, v in sorted(table["Parameters"].items()) if k not in ("EXTERNAL",)
    )
    return (
        f"CREATE EXTERNAL TABLE `{database}`.`{table['Name']}` (\n{cols}\n)\n"
        + (f"PARTITIONED BY ({parts})\n" if parts else "")
        + f"ROW FORMAT SERDE '{sd['SerdeInfo']['SerializationLibrary']}'\n"
        f"STORED AS INPUTFORMAT '{sd['InputFormat']}'\n"
        f"OUTPUTFORMAT '{sd['OutputFormat']}'\n"
        f"LOCATION '{sd['Location']}'\n"
        f"TBLPROPERTIES (\n{props}\n)"
    )
