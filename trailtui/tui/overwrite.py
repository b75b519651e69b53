"""Asking before a file is replaced: export (ctrl+e) and save (ctrl+s) write where the user says, and an
existing file there is someone's earlier work: the question names it, its size and when it was written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from trailtui.tui.dialogs import ConfirmScreen
from trailtui.units import human_bytes


def then_unless_declined(screen: Any, path: Path, write: Callable[[], None]) -> None:
    """Call `write` at once if nothing is at `path`; if a file is, only after the user said yes."""
    if path.is_dir():
        screen.notify(f"{path} is a folder: name a file in it.", severity="error")
        return
    if not path.exists():
        write()
        return
    stat = path.stat()
    when = datetime.fromtimestamp(stat.st_mtime).strftime("%Y-%m-%d %H:%M")
    question = f"{path} already exists ({human_bytes(stat.st_size)}, written {when}). Replace it?"
    screen.app.push_screen(
        ConfirmScreen(question, yes="yes, replace it"), lambda yes: write() if yes else None
    )
