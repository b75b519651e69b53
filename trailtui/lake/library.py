"""Queries kept as files: the sample library shipped with trailtui, and the user's saved queries.

A query file is plain SQL; optional header comments give it a name and description:

    -- name: Console sign-ins without MFA
    -- description: Successful console sign-ins where MFA was not used.
    SELECT ... FROM $EDS_ID WHERE eventTime >= '$START' AND eventTime < '$END'

`$EDS_ID`, `$START` and `$END` are filled in when the query is inserted: the current store and its time
range (the last 7 days for an AWS store). Saved queries live in `<config>/queries/`, one file each, so they
can be kept in git.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path

_HEADER = re.compile(r"^--\s*(name|description):\s*(.*)$", re.IGNORECASE)
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


@dataclass(frozen=True)
class QueryFile:
    name: str
    description: str
    sql: str
    path: Path | None
    kind: str  # "sample" or "saved"

    def filled(self, store_id: str, start: datetime, end: datetime) -> str:
        return (
            self.sql.replace("$EDS_ID", store_id)
            .replace("$START", start.strftime("%Y-%m-%d %H:%M:%S"))
            .replace("$END", end.strftime("%Y-%m-%d %H:%M:%S"))
        )


def parse_query_file(text: str, fallback_name: str, path: Path | None, kind: str) -> QueryFile:
    name, description = fallback_name, ""
    body: list[str] = []
    for line in text.splitlines():
        m = _HEADER.match(line.strip())
        if m and not body:
            if m.group(1).lower() == "name":
                name = m.group(2).strip() or fallback_name
            else:
                description = m.group(2).strip()
            continue
        body.append(line)
    return QueryFile(name, description, "\n".join(body).strip() + "\n", path, kind)


def samples() -> list[QueryFile]:
    folder = resources.files("trailtui") / "samples"
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".sql"):
            out.append(parse_query_file(entry.read_text(), entry.name[:-4], None, "sample"))
    return out


def time_window(
    first: datetime | None, last: datetime | None, now: datetime | None = None
) -> tuple[datetime, datetime]:
    """The window sample queries use: the store's last 30 days of events when known, else the last 7 days."""
    if last is not None:
        end = last.replace(tzinfo=None) + timedelta(seconds=1)
        start = (
            max(first.replace(tzinfo=None), end - timedelta(days=30)) if first else end - timedelta(days=30)
        )
        return start, end
    end = (now or datetime.utcnow()).replace(microsecond=0, tzinfo=None) + timedelta(minutes=1)
    return end - timedelta(days=7), end


def file_name(name: str) -> str:
    """A safe file name for a saved query's name."""
    cleaned = _UNSAFE_NAME.sub("-", name).strip(" .-")[:100]
    return (cleaned or "query") + ".sql"


def saved_queries(folder: Path) -> list[QueryFile]:
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.sql")):
        try:
            out.append(parse_query_file(path.read_text(), path.stem, path, "saved"))
        except (OSError, UnicodeDecodeError):
            continue
    return out


def save_query(folder: Path, name: str, sql: str, description: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name(name)
    header = f"-- name: {name.strip()}\n" + (
        f"-- description: {description.strip()}\n" if description else ""
    )
    tmp = path.with_suffix(".tmp")
    tmp.write_text(header + sql.strip() + "\n")
    tmp.replace(path)
    return path
