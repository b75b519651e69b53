"""`trailtui athena create-table` and the AWS half of `trailtui stores --profile P`: Athena CloudTrail tables
beside CloudTrail Lake's event data stores."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from trailtui.lake.text import sanitize
from trailtui.tabular import format_table


def run_create_table(
    location: str,
    database: str,
    table: str,
    profile: str | None,
    region: str | None,
    workgroup: str | None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    from trailtui.athena.catalog import LayoutError, detect_layout, ensure_table
    from trailtui.athena.table import ddl
    from trailtui.aws.session import aws_client, aws_session
    from trailtui.lake.errors import explain

    out = out or sys.stdout
    err = err or sys.stderr
    if not location.startswith("s3://") or location.rstrip("/") == "s3:":
        print(
            f"trailtui athena create-table: {sanitize(location)!r} is not an S3 location: give the bucket the "
            "trail writes to as s3://BUCKET[/PREFIX]",
            file=err,
        )
        return 2
    try:
        session = aws_session(profile, region)
        layout = detect_layout(aws_client(session, "s3"), location)
        outcome = ensure_table(aws_client(session, "glue"), database, table, layout, workgroup)
    except LayoutError as exc:
        print(f"trailtui: {sanitize(str(exc))}", file=err)
        return 1
    except Exception as exc:
        print(f"trailtui: {sanitize(explain(exc, profile))}", file=err)
        return 1
    print(ddl(database, outcome.table_input), file=out)
    kind = "organization trail " + layout.org_id if layout.org_id else "account trail"
    if outcome.database_created:
        print(f"created database {database}", file=err)
    print(
        f"{outcome.action} table {database}.{table} over {layout.location} ({kind}; "
        f"{len(layout.accounts)} accounts, {len(layout.regions)} Regions, from {layout.first_day})",
        file=err,
    )
    return 0


def aws_store_rows(cloudtrail: Any) -> tuple[list[dict[str, Any]], str | None]:
    """Every store of an AWS profile's client (Lake's and Athena tables), and Lake's error if it had one."""
    from trailtui.lake.errors import explain

    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    token = None
    while True:
        page = cloudtrail.list_event_data_stores(**({"NextToken": token} if token else {}))
        for key in ("LakeError", "AthenaError"):
            if page.get(key) is not None:
                problems.append(
                    ("CloudTrail Lake: " if key == "LakeError" else "Athena: ") + explain(page[key])
                )
        for item in page.get("EventDataStores") or []:
            rows.append(dict(cloudtrail.get_event_data_store(EventDataStore=item["EventDataStoreArn"])))
        token = page.get("NextToken")
        if not token:
            break
    return rows, "; ".join(problems) or None


def run_aws_stores(
    profile: str | None, region: str | None, fmt: str, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    from trailtui.connections import open_aws

    out = out or sys.stdout
    err = err or sys.stderr
    conn = open_aws(profile, region)
    try:
        rows, problem = aws_store_rows(conn.cloudtrail)
    except Exception as exc:
        print(f"trailtui: {sanitize(conn.explain(exc))}", file=err)
        return 1
    if fmt == "json":
        shown = [{k: v for k, v in r.items() if k != "ResponseMetadata"} for r in rows]
        print(json.dumps({"EventDataStores": shown, "Problem": problem}, indent=2, default=str), file=out)
        return 0
    if problem:
        print(f"({sanitize(problem)})", file=out)
    if not rows:
        print("No event data stores or Athena CloudTrail tables.", file=out)
        return 0
    table = [
        [
            "Athena" if r.get("Engine") == "athena" else "Lake",
            sanitize(str(r.get("Name") or "")),
            sanitize(str(r.get("Location") or r.get("EventDataStoreArn") or "")),
            str(r.get("Layout") or ("organization" if r.get("OrganizationEnabled") else "-")),
            str(r.get("PartitionRange") or r.get("Status") or "-"),
            str(r.get("Workgroup") or "-"),
        ]
        for r in rows
    ]
    print(
        format_table(["ENGINE", "NAME", "LOCATION", "LAYOUT", "RANGE/STATUS", "WORKGROUP"], table, 120),
        file=out,
    )
    return 0
