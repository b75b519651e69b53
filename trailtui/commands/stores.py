"""`trailtui stores`: the local lake's event data stores."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any, TextIO

from trailtui.commands.common import open_lake
from trailtui.local import LOCAL_ACCOUNT_ID, LOCAL_REGION
from trailtui.local.catalog import StoreRecord, list_stores
from trailtui.tabular import format_table


def _iso(t: datetime | None) -> str | None:
    return t.strftime("%Y-%m-%d %H:%M:%S") if t else None


def store_summary(s: StoreRecord) -> dict[str, Any]:
    return {
        "Id": s.id,
        "Name": s.name,
        "EventDataStoreArn": s.arn(LOCAL_REGION, LOCAL_ACCOUNT_ID),
        "Status": s.status,
        "OrganizationEnabled": s.organization_enabled,
        "MultiRegionEnabled": s.multi_region_enabled,
        "RetentionPeriod": s.retention_period,
        "EventCount": s.event_count,
        "FirstEventTime": _iso(s.first_event),
        "LastEventTime": _iso(s.last_event),
        "CreatedTimestamp": _iso(s.created),
    }


def run_stores(fmt: str, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    lake = open_lake()
    with lake.reader() as con:
        stores = list_stores(con, "lake")
    rows = [store_summary(s) for s in stores]
    if fmt == "json":
        print(json.dumps({"EventDataStores": rows}, indent=2), file=out)
        return 0
    if not rows:
        print("No stores. Import trail logs with: trailtui import PATH", file=out)
        return 0
    table = [
        [
            r["Id"],
            r["Name"],
            r["Status"],
            "yes" if r["OrganizationEnabled"] else "no",
            f"{r['EventCount']:,}",
            f"{r['FirstEventTime'] or '-'} .. {r['LastEventTime'] or '-'}",
        ]
        for r in rows
    ]
    # No ARN column: it is the ID behind a fixed prefix, and would make every line some 200 columns wide
    # (--format json has it).
    print(format_table(["ID", "NAME", "STATUS", "ORG", "EVENTS", "TIME RANGE (UTC)"], table, 100), file=out)
    return 0
