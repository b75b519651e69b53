"""Shared fixtures: no AWS set-up of the machine running the tests, an isolated TRAILTUI_HOME per test, and one
demo lake built per session and copied."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.awsenv import no_aws
from trailtui.local.lakefile import LakeFile
from trailtui.paths import Locations, locations

SHARED = Path(__file__).resolve().parents[2] / "shared"
SHARED_DATA = SHARED / "data"
DEMO_ANCHOR = datetime(2026, 11, 27)


@pytest.fixture(scope="session", autouse=True)
def _no_aws_of_the_machine() -> Iterator[None]:
    """No test or fixture reads the AWS set-up of whoever runs the tests (~/.aws, AWS_* variables, instance
    metadata): a test that needs AWS sets up its own (tests/awsenv.py), with its own monkeypatch, undone
    after it. For the whole session, so that module and session fixtures are covered too."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        no_aws(monkeypatch)
        yield


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh TRAILTUI_HOME for this test (nothing touches the user's own directories)."""
    root = tmp_path / "home"
    monkeypatch.setenv("TRAILTUI_HOME", str(root))
    return root


@pytest.fixture
def where(home: Path) -> Locations:
    return locations().ensure()


@pytest.fixture
def lake(where: Locations) -> LakeFile:
    return LakeFile(where)


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.exists():
        pytest.skip("../shared/data is not present (plain clone)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A lake holding the full demo store, built once for the whole session."""
    from trailtui.local.demo import build_demo

    root = tmp_path_factory.mktemp("demo-home")
    lake = LakeFile(locations(root).ensure())
    report = build_demo(lake, DEMO_ANCHOR)
    assert report.ok, report.rejected
    return root


@pytest.fixture
def demo_lake(demo_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LakeFile]:
    """A private copy of the demo lake, as this test's TRAILTUI_HOME."""
    root = tmp_path / "home"
    shutil.copytree(demo_home, root, ignore=shutil.ignore_patterns("*.lock"))
    monkeypatch.setenv("TRAILTUI_HOME", str(root))
    yield LakeFile(locations(root))
