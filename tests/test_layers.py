"""The architecture's rules, as import-linter contracts (pyproject.toml, [tool.importlinter]): the layers
point one way, the engines never import the explorer or the commands, and the explorer's state, workers
and command interpreter are free of Textual. And the first paint stays free of the heavy modules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_startup_does_not_import_heavy_modules() -> None:
    code = "import sys, trailtui.cli; print(','.join(m for m in ('duckdb', 'boto3', 'sqlglot') if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""
