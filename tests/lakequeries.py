"""Reading shared/data/lake-queries.sql: the published queries, their notes, placeholders replaced."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# Placeholders the published queries use for the event data store ID (see the file's header).
STORE_PLACEHOLDERS = re.compile(
    r"<EDS ID>|<EDS_ID>|\$EDS_ID|<event_data_store_id>|<Event data store Id>|config_event_data_store_ID"
    r"|event_data_store_ID|\beds-id\b|\beds-ID\b|\beds[12]\b"
    r"|EXAMPLE[0-9a-z-]+EXAMPLE",
)


@dataclass
class PublishedQuery:
    number: int
    sql: str
    source: str
    notes: list[str]

    @property
    def upstream_defect(self) -> bool:
        return any("upstream defect" in n for n in self.notes)

    @property
    def needs_config_store(self) -> bool:
        return any("AWS Config configuration-item" in n for n in self.notes) and "eventData" in self.sql


def load(path: Path) -> list[PublishedQuery]:
    text = path.read_text()
    parts = re.split(r"^-- ==== query (\d+) ====\s*$", text, flags=re.M)
    out = []
    for number, body in zip(parts[1::2], parts[2::2], strict=True):
        lines = body.strip("\n").splitlines()
        source = next(
            (line[len("-- SOURCE:") :].strip() for line in lines if line.startswith("-- SOURCE:")), ""
        )
        notes = [line[len("-- NOTE:") :].strip() for line in lines if line.startswith("-- NOTE:")]
        sql = "\n".join(line for line in lines if not line.startswith(("-- SOURCE:", "-- NOTE:")))
        out.append(PublishedQuery(int(number), sql.strip(), source, notes))
    return out


def substitute(sql: str, store_id: str, day: str) -> str:
    """Put a real store ID where the published query has a placeholder, and a day for ${date_filter}."""
    return STORE_PLACEHOLDERS.sub(store_id, sql).replace("${date_filter}", day)
