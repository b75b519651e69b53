"""The Glue side of Athena: finding a trail's key layout in S3, creating (idempotently) the CloudTrail table
over it, and listing the CloudTrail tables an account already has."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from trailtui.athena.table import AthenaTable, TrailLayout, parse_table, table_input

ACCOUNT_RE = re.compile(r"^\d{12}$")
ORG_RE = re.compile(r"^o-[a-z0-9]{10,32}$")
REGION_RE = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
MAX_REGION_PROBES = 20  # accounts whose Region folders are listed: enough to see every Region in use
MAX_DAY_PROBES = 5  # account/Region pairs whose earliest day folder is looked for


class LayoutError(ValueError):
    """The S3 location holds no CloudTrail key layout trailtui recognises."""


def _folders(s3: Any, bucket: str, prefix: str) -> list[str]:
    """The immediate sub-folders of `prefix` (names only), listed with a delimiter."""
    out: list[str] = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix, Delimiter="/"):
        for p in page.get("CommonPrefixes") or []:
            out.append(p["Prefix"][len(prefix) :].rstrip("/"))
    return out


def split_s3_uri(uri: str) -> tuple[str, str]:
    if not uri.startswith("s3://"):
        raise LayoutError(f"{uri} is not an s3:// location")
    bucket, _, prefix = uri[5:].partition("/")
    if not bucket:
        raise LayoutError(f"{uri} names no bucket")
    return bucket, prefix.strip("/")


def detect_layout(s3: Any, uri: str) -> TrailLayout:
    """Find AWSLogs/[o-ORG/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD under `uri` by listing a few prefixes."""
    bucket, prefix = split_s3_uri(uri)
    if "AWSLogs" in prefix.split("/"):
        parts = prefix.split("/")
        root = "/".join(parts[: parts.index("AWSLogs") + 1]) + "/"
        rest = parts[parts.index("AWSLogs") + 1 :]
    else:
        root = (prefix + "/" if prefix else "") + "AWSLogs/"
        rest = []
    org_id: str | None = rest[0] if rest and ORG_RE.match(rest[0]) else None
    if org_id is None:
        top = _folders(s3, bucket, root)
        orgs = [f for f in top if ORG_RE.match(f)]
        if len(orgs) > 1:
            raise LayoutError(
                f"s3://{bucket}/{root} holds several organizations ({', '.join(orgs)}): "
                f"name one, e.g. s3://{bucket}/{root}{orgs[0]}"
            )
        org_id = orgs[0] if orgs else None
        if org_id is None and not any(ACCOUNT_RE.match(f) for f in top):
            raise LayoutError(
                f"No CloudTrail logs under s3://{bucket}/{root} (expected AWSLogs/<account>/CloudTrail/ "
                "or AWSLogs/<o-org>/<account>/CloudTrail/)"
            )
    if org_id:
        root += org_id + "/"
    accounts = sorted(f for f in _folders(s3, bucket, root) if ACCOUNT_RE.match(f))
    if not accounts:
        raise LayoutError(f"No account folders under s3://{bucket}/{root}")
    regions: set[str] = set()
    for account in accounts[:MAX_REGION_PROBES]:
        regions.update(r for r in _folders(s3, bucket, f"{root}{account}/CloudTrail/") if REGION_RE.match(r))
    if not regions:
        raise LayoutError(f"No CloudTrail Region folders under s3://{bucket}/{root}<account>/CloudTrail/")
    first_days = []
    pairs = [(a, r) for a in accounts[:MAX_REGION_PROBES] for r in sorted(regions)]
    for account, region in pairs[:MAX_DAY_PROBES]:
        day = _earliest_day(s3, bucket, f"{root}{account}/CloudTrail/{region}/")
        if day:
            first_days.append(day)
    first = min(first_days) if first_days else "2013/11/01"  # CloudTrail's launch: every log is later
    return TrailLayout(bucket, root, org_id, tuple(accounts), tuple(sorted(regions)), first)


def _earliest_day(s3: Any, bucket: str, prefix: str) -> str | None:
    parts = []
    for width in (4, 2, 2):
        found = sorted(f for f in _folders(s3, bucket, prefix) if len(f) == width and f.isdigit())
        if not found:
            return None
        parts.append(found[0])
        prefix += found[0] + "/"
    return "/".join(parts)


@dataclass(frozen=True)
class TableOutcome:
    action: str  # "created", "updated" or "unchanged"
    table_input: dict[str, Any]
    database_created: bool


def _not_found(exc: BaseException) -> bool:
    code = (getattr(exc, "response", None) or {}).get("Error", {}).get("Code")
    return code == "EntityNotFoundException"


def ensure_table(
    glue: Any, database: str, name: str, layout: TrailLayout, workgroup: str | None = None
) -> TableOutcome:
    """Create the database if missing, then the table; an existing CloudTrail table over the same logs is
    left alone, or updated when the bucket now holds accounts or Regions it does not project."""
    database_created = False
    try:
        glue.get_database(Name=database)
    except Exception as exc:
        if not _not_found(exc):
            raise
        glue.create_database(
            DatabaseInput={
                "Name": database,
                "Description": "CloudTrail tables (trailtui athena create-table)",
            }
        )
        database_created = True
    wanted = table_input(name, layout, workgroup)
    try:
        existing = glue.get_table(DatabaseName=database, Name=name)["Table"]
    except Exception as exc:
        if not _not_found(exc):
            raise
        glue.create_table(DatabaseName=database, TableInput=wanted)
        return TableOutcome("created", wanted, database_created)
    current = parse_table(database, existing)
    if current is None:
        raise LayoutError(f"{database}.{name} exists and is not a CloudTrail table: choose another --table")
    params = existing.get("Parameters") or {}
    if params.get("storage.location.template") != wanted["Parameters"]["storage.location.template"]:
        raise LayoutError(
            f"{database}.{name} already reads other logs ({params.get('storage.location.template') or current.location}): "
            "choose another --table"
        )
    merged = dict(wanted["Parameters"])
    for key in ("projection.account.values", "projection.region.values"):  # never forget what it had
        values = set(filter(None, str(params.get(key, "")).split(","))) | set(merged[key].split(","))
        merged[key] = ",".join(sorted(values))
    merged["projection.timestamp.range"] = min(
        str(params.get("projection.timestamp.range") or merged["projection.timestamp.range"]),
        merged["projection.timestamp.range"],
    )
    if not workgroup and params.get("trailtui.workgroup"):
        merged["trailtui.workgroup"] = str(params["trailtui.workgroup"])
    wanted["Parameters"] = merged
    same = {k: str(v) for k, v in params.items()} == merged and (
        existing.get("StorageDescriptor", {}).get("Columns") == wanted["StorageDescriptor"]["Columns"]
    )
    if same:
        return TableOutcome("unchanged", wanted, database_created)
    glue.update_table(DatabaseName=database, TableInput=wanted)
    return TableOutcome("updated", wanted, database_created)


def list_tables(glue: Any) -> list[AthenaTable]:
    """Every CloudTrail table in the account's Glue catalog (this Region), by database."""
    out: list[AthenaTable] = []
    for page in glue.get_paginator("get_databases").paginate():
        for db in page.get("DatabaseList") or []:
            for tpage in glue.get_paginator("get_tables").paginate(DatabaseName=db["Name"]):
                for t in tpage.get("TableList") or []:
                    table = parse_table(db["Name"], t)
                    if table is not None:
                        out.append(table)
    return out


def get_table(glue: Any, qualified: str) -> AthenaTable | None:
    database, _, name = qualified.partition(".")
    try:
        t = glue.get_table(DatabaseName=database, Name=name)["Table"]
    except Exception as exc:
        if _not_found(exc):
            return None
        raise
    return parse_table(database, t)
