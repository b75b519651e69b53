"""The explorer on an AWS profile whose account has an Athena CloudTrail table and no CloudTrail Lake (moto's
server): the table is listed, marked Athena, with Lake's error in place; a Lake query on it runs on Athena and
fills the grid; the status line shows Athena's statistics and cost."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_accounts import app_for, aws_group_text
from tests.test_athena_aws import REGION, _config, _create, _org_trail, _seed_results, moto_server, moto_url
from tests.test_tui import wait_for
from trailtui.tui.editor import SqlEditor

__all__ = ["moto_server", "moto_url"]  # fixtures


async def test_athena_table_in_the_explorer(
    moto_url: str, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _org_trail(moto_url)
    assert _create(capsys)[0] == 0
    _config(home, '[athena]\noutput_location = "s3://results/trailtui/"\n')
    _seed_results(moto_url, [["GetObject", "3"]], ["eventname", "_col1"])
    app = app_for(region=REGION)
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_for(pilot, lambda: "trail.logs [Athena]" in aws_group_text(app), timeout=60)
        assert "CloudTrail Lake:" in aws_group_text(app)  # moto has no Lake: said in place
        app.query_one(
            SqlEditor
        ).text = "SELECT eventName, count(*) FROM trail.logs WHERE eventTime > '2026-11-01' GROUP BY 1"
        await pilot.press("ctrl+j")
        run = app.runs[app.current_run]
        await wait_for(pilot, lambda: run.complete, timeout=60)
        assert run.status == "FINISHED" and run.loaded == 1 and run.query_id
        status = str(app.query_one("#status").render())
        assert "Athena" in status and "est. <$0.0001" in status and "queued" in status
        await wait_for(pilot, lambda: any(e.status == "FINISHED" for e in app.history.search(run.query_id)))
        (entry,) = app.history.search(run.query_id)
        assert entry.engine == "athena" and entry.store == "trail.logs"
