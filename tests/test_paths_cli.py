"""Where files live, and the package's entry points."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from trailtui.paths import locations


def test_trailtui_home_moves_every_location(home: Path) -> None:
    where = locations()
    for d in (where.data, where.state, where.config, where.cache):
        assert home in d.parents
    assert where.lake_file.parent == where.data


def test_platform_locations_without_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRAILTUI_HOME", raising=False)
    where = locations()
    assert "trailtui" in str(where.data) and "trailtui" in str(where.config)


def test_python_dash_m_and_version() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "trailtui", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("trailtui ")


def test_stores_json_lists_demo_with_counts(demo_lake, capsys: pytest.CaptureFixture[str]) -> None:
    from trailtui.cli import main

    assert main(["stores", "--format", "json"]) == 0
    stores = json.loads(capsys.readouterr().out)["EventDataStores"]
    demo = next(s for s in stores if s["Name"] == "org-events")
    assert demo["OrganizationEnabled"] is True and demo["EventCount"] >= 100_000
    assert demo["EventDataStoreArn"].endswith("eventdatastore/" + demo["Id"])
    assert main(["stores"]) == 0
    table = capsys.readouterr().out
    assert "org-events" in table and "ENABLED" in table
