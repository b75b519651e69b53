"""Writing demo events as trail log files, in the organization-trail S3 layout."""

from __future__ import annotations

import gzip
import json
import uuid
from pathlib import Path
from typing import Any

from trailtui.local.demo.org import ORG_ID


def log_groups(events: list[dict[str, Any]]) -> list[tuple[tuple[str, str, str], list[dict[str, Any]]]]:
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for ev in events:
        groups.setdefault((ev["recipientAccountId"], ev["awsRegion"], ev["eventTime"][:10]), []).append(ev)
    return sorted(groups.items())


def write_trail_logs(events: list[dict[str, Any]], root: Path, compresslevel: int = 1) -> list[Path]:
    """Write events as an organization trail would: one gzipped file per account, region and day."""
    return write_groups(log_groups(events), root, compresslevel)


def write_groups(
    groups: list[tuple[tuple[str, str, str], list[dict[str, Any]]]], root: Path, compresslevel: int | None
) -> list[Path]:
    """Write each group as one log file; `compresslevel` None writes plain JSON (for files nobody keeps)."""
    paths: list[Path] = []
    for (acct, region, day), evs in groups:
        evs.sort(key=lambda e: e["eventTime"])
        y, m, d = day.split("-")
        stamp = evs[-1]["eventTime"][:16].replace("-", "").replace(":", "")
        suffix = uuid.uuid5(uuid.NAMESPACE_URL, f"{acct}{region}{day}").hex[:16]
        folder = root / "AWSLogs" / ORG_ID / acct / "CloudTrail" / region / y / m / d
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{acct}_CloudTrail_{region}_{stamp}Z_{suffix}.json"
        body = json.dumps({"Records": evs}, separators=(",", ":")).encode()
        if compresslevel is None:
            path = folder / name
            path.write_bytes(body)
        else:
            path = folder / (name + ".gz")
            with (
                open(path, "wb") as fh,
                gzip.GzipFile(fileobj=fh, mode="wb", compresslevel=compresslevel, mtime=0) as gz,
            ):
                gz.write(body)
        paths.append(path)
    return paths
