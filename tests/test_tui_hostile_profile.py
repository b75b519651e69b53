"""A profile's name is the user's own text from ~/.aws/config, and may hold markup or a control character:
every place the explorer names the connection (the status line, the stores pane, the context line, the
running queries, the history) shows it as written, escaped, never as styling. Read from the screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.awsenv import aws_files, endpoint_profile
from tests.explorer import explorer
from tests.serving import serve_in_thread
from trailtui.local.demo import DEMO_STORE_ID
from trailtui.local.service import LocalLake

KEY, SECRET = "AKIAHOSTILEPROFILE01", "hostile-profile-secret"
NAME = "x[red]y\x1bz"  # botocore reads the section `[profile x[red]y<ESC>z]` as this name
BOUND = "eventTime > timestamp '2020-01-01 00:00:00'"  # else: the unbounded-scan question
SHOWN = "x[red]y\\x1bz"  # as written, the control character escaped


async def test_a_profile_name_with_markup_and_a_control_character_shows_as_written(
    demo_lake: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lake = LocalLake()
    server = serve_in_thread(lake.api, KEY, SECRET)
    aws_files(monkeypatch, tmp_path, *endpoint_profile(NAME, server.url, KEY, SECRET))
    try:
        for size in ((80, 24), (160, 48)):
            async with explorer(size, local_lake=lake, profile=NAME) as ex:
                await ex.wait_until(lambda: ex.stores("aws") != [], 60, "the profile's stores")
                q = await ex.run(f"SELECT eventName FROM {DEMO_STORE_ID} WHERE {BOUND} LIMIT 3")
                assert q.status == "FINISHED", q.status_line
                lines = ex.screen_lines()
                assert not any("\x1b" in line for line in lines)
                status = ex.status_line.partition("\n")[0]
                assert f"AWS {SHOWN}" in status, status  # before: the ESC itself, sent to the terminal
                if size[0] == 160:
                    assert any(f"AWS {SHOWN}" in line for line in lines if "FINISHED" in line)
                await ex.press("ctrl+r")
                await ex.wait_until(lambda: any("FINISHED" in line for line in ex.screen_lines()))
                assert not any("\x1b" in line for line in ex.screen_lines())
    finally:
        server.shutdown()
        server.server_close()
        lake.close()
