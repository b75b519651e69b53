"""docs/tui.md follows the explorer (issue 15 item 9): its keys table is the keymap's, and every screenshot
it shows is one that docs/screenshots.py makes."""

from __future__ import annotations

import re
from pathlib import Path

from trailtui.tui.keydocs import keys_table, with_keys_table
from trailtui.tui.keymap import KEYMAP

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_the_keys_table_is_the_keymap() -> None:
    text = (DOCS / "tui.md").read_text()
    assert with_keys_table(text) == text, "run: python -m trailtui.tui.keydocs docs/tui.md"
    table = keys_table()
    for key in KEYMAP:  # every key, with its help, in the table
        assert key.help.replace("|", "\\|") in table


def test_every_screenshot_shown_is_made_by_the_script() -> None:
    text = (DOCS / "tui.md").read_text()
    shown = set(re.findall(r"\]\(img/([\w.-]+\.svg)\)", text))
    script = (DOCS / "screenshots.py").read_text()
    made = {f"{name}.svg" for name in re.findall(r'^\s+\("([\w-]+)", \(\d+, \d+\)', script, re.M)}
    assert {"main-80x24.svg", "main-160x48.svg"} <= shown
    assert shown <= made, shown - made
    assert all((DOCS / "img" / name).exists() for name in shown)
