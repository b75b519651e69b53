"""The dependency direction of the architecture: lake never imports local or tui; local never imports tui."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "trailtui"
FORBIDDEN = {
    "lake": ("trailtui.local", "trailtui.tui", "trailtui.commands"),
    "local": ("trailtui.tui", "trailtui.commands"),
    "aws": ("trailtui.local", "trailtui.tui", "trailtui.commands"),
    "athena": ("trailtui.tui", "trailtui.commands", "trailtui.connections"),
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_dependencies_point_one_way() -> None:
    offences = []
    for layer, forbidden in FORBIDDEN.items():
        for path in (PACKAGE / layer).rglob("*.py"):
            for name in _imports(path):
                if name.startswith(forbidden):
                    offences.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offences == []


def test_startup_does_not_import_heavy_modules() -> None:
    import subprocess
    import sys

    code = "import sys, trailtui.cli; print(','.join(m for m in ('duckdb', 'boto3', 'sqlglot') if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""
