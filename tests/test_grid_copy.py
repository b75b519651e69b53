"""Copying from the grid as people paste into tickets and spreadsheets: a row as flat JSON (`Y`) or TSV
(`T`), a column as lines (`c`), as the clipboard (OSC 52) receives them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.explorer import explorer
from tests.logfiles import record, write_log
from trailtui.local.demo import DEMO_STORE_ID, INCIDENT_IP
from trailtui.local.importer import import_paths
from trailtui.local.lakefile import LakeFile
from trailtui.paths import locations
from trailtui.tui.grid_copy import json_value

PER_ACCOUNT = (
    f"SELECT recipientAccountId, eventName, count(*) AS calls, max(eventTime) AS lastSeen, "
    f"max(errorCode) AS lastError FROM {DEMO_STORE_ID} WHERE eventTime > '2026-11-20 00:00:00' "
    f"GROUP BY recipientAccountId, eventName ORDER BY calls DESC"
)


async def test_copy_a_row_as_flat_json_with_natural_types(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        q = await ex.run(PER_ACCOUNT)
        row = next(r for r in q.rows if r[4] is None)
        at = q.rows.index(row)
        await ex.press("f4", *["j"] * at, "Y")
        copied = json.loads(ex.clipboard[-1])
        assert copied == {
            "recipientAccountId": row[0],  # an account ID stays a string (a name, with its leading zeros)
            "eventName": row[1],
            "calls": int(row[2]),
            "lastSeen": row[3],
            "lastError": None,
        }
        assert ex.notified("flat JSON")


async def test_copy_a_row_as_tsv_and_a_column_as_lines(home: Path, tmp_path: Path) -> None:
    values = ["tab\there", "two\nlines", "back\\slash", None]
    write_log(
        tmp_path / "a.json",
        [record(n, userAgent=v, eventName=f"Event{n}") for n, v in enumerate(values)],
    )
    store = import_paths(LakeFile(locations().ensure()), [tmp_path], "odd-store").store
    async with explorer((80, 24)) as ex:
        await ex.ready()
        q = await ex.run(f"SELECT eventName, userAgent FROM {store.id} ORDER BY eventName")
        assert [r[1] for r in q.rows] == values
        await ex.press("f4", "T")
        assert ex.clipboard[-1] == "eventName\tuserAgent\nEvent0\ttab\\there\n"
        await ex.press("j", "T")
        assert ex.clipboard[-1].splitlines() == ["eventName\tuserAgent", "Event1\ttwo\\nlines"]
        await ex.press("l", "c")
        assert ex.clipboard[-1] == "tab\\there\ntwo\\nlines\nback\\\\slash\n\n"


async def test_copy_a_column_takes_the_rows_shown_in_their_order(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        q = await ex.run(
            f"SELECT eventTime, eventName, sourceIPAddress FROM {DEMO_STORE_ID} "
            f"WHERE eventTime > '2026-11-20 00:00:00' LIMIT 100000"
        )
        incident = [r for r in q.rows if r[2] == INCIDENT_IP]
        assert 1 < len(incident) < len(q.rows)
        await ex.press("f4", "slash", *INCIDENT_IP, "enter", "l", "s", "s", "c")
        names = sorted((r[1] for r in incident), key=str.casefold, reverse=True)
        assert ex.clipboard[-1] == "".join(n + "\n" for n in names)
        assert ex.notified(f"{len(names):,} values of eventName")


def test_json_types_only_where_unambiguous() -> None:
    assert json_value("calls", "42") == 42
    assert json_value("ratio", "0.25") == 0.25
    assert json_value("amount", "1.50") == "1.50"  # a decimal's scale would be lost
    assert json_value("big", "12345678901234567890") == "12345678901234567890"  # beyond exact doubles
    assert json_value("readOnly", "true") is True
    assert json_value("recipientAccountId", "012345678901") == "012345678901"
    assert json_value("accountId", "123456789012") == "123456789012"  # a struct path's leaf, still a name
    assert json_value("eventTime", "2026-11-27 23:59:46.000") == "2026-11-27 23:59:46.000"
    assert json_value("eventjson", '{"eventName": "x"}') == {"eventName": "x"}
    assert json_value("userIdentity", "{type=AssumedRole, arn=x}") == "{type=AssumedRole, arn=x}"
    assert json_value("code", "007") == "007"
