"""The explorer on an AWS profile whose account has an Athena CloudTrail table and no CloudTrail Lake (moto's
server): the table is listed, marked Athena, with Lake's error in place; a Lake query on it runs on Athena and
fills the grid; the status line shows Athena's statistics and cost."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.explorer import explorer
from tests.test_accounts import aws_stores_text
from tests.test_athena_aws import REGION, _config, _create, _org_trail, _seed_results, moto_server, moto_url
from trailtui.lake.history import History
from trailtui.paths import locations

__all__ = ["moto_server", "moto_url"]  # fixtures


async def test_athena_table_in_the_explorer(
    moto_url: str, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _org_trail(moto_url)
    assert _create(capsys)[0] == 0
    _config(home, '[athena]\noutput_location = "s3://results/trailtui/"\n')
    _seed_results(moto_url, [["GetObject", "3"]], ["eventname", "_col1"])
    async with explorer((160, 40), region=REGION) as ex:
        await ex.wait_until(lambda: "trail.logs [Athena]" in aws_stores_text(ex), timeout=60)
        assert "CloudTrail Lake:" in aws_stores_text(ex)  # moto has no Lake: said in place
        await ex.start("SELECT eventName, count(*) FROM trail.logs WHERE eventTime > '2026-11-01' GROUP BY 1")
        q = await ex.finished(60)
        assert q.status == "FINISHED" and q.loaded == 1 and q.query_id
        assert "Athena" in q.status_line and "est. <$0.0001" in q.status_line and "queued" in q.status_line
    (entry,) = History(locations().history_db).search(q.query_id)
    assert entry.status == "FINISHED" and entry.engine == "athena" and entry.store == "trail.logs"
