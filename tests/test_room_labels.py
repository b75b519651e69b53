"""Nothing in the stores pane is cut at its edge at 80x24: a connection's message wraps over lines, a long
store name loses its middle (its start, its end and its [org] marker stay) and shows whole below the tree
when highlighted, even with the details folded. Read from the screen, as a user sees it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.explorer import Explorer, explorer, without_aws
from trailtui.tui.stores import StoresPane

LONG = "prod-organization-trail-archive-us-east-1"


def _words(ex: Explorer) -> str:
    """The stores pane's text with the tree's guides removed and its lines run together."""
    lines = [line.strip().lstrip("▼▶├└│ ").strip() for line in ex.stores_pane_lines()]
    return " ".join(line for line in lines if line)


async def test_a_connection_message_wraps_in_the_tree_at_80x24(
    demo_lake: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    without_aws(monkeypatch, tmp_path)
    async with explorer((80, 24), aws_stores=True) as ex:
        await ex.ready()
        await ex.wait_until(lambda: "no AWS profile" in ex.stores_text(1))
        await ex.pilot.pause()
        text = _words(ex)
        assert (
            "no AWS profile or credentials found (aws configure / aws sso login; the local lake needs none)"
            in (text)
        )
        assert ex.pane_size("store-details") == (0, 0)  # nothing had to be unfolded to read it
        await ex.press("f12", "f2", "ctrl+n")  # zoomed: the pane is wider, the message takes fewer lines
        await ex.pilot.pause()
        assert any("no AWS profile or credentials found" in line for line in ex.stores_pane_lines())


async def test_a_long_store_name_keeps_its_ends_and_shows_whole_when_highlighted(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        await ex.command("create " + LONG)
        await ex.press("enter")
        await ex.wait_until(lambda: LONG in ex.stores("local"))
        await ex.pilot.pause()
        line = next(line for line in ex.stores_pane_lines() if "prod-" in line).strip()
        assert "…" in line and line.lstrip("├└ ").startswith("prod-organiza") and line.endswith("east-1")
        assert not any(LONG in line for line in ex.stores_pane_lines())
        await ex.press("f2", "home")
        for _ in range(4):
            if LONG in "".join(line.strip() for line in ex.stores_pane_lines()):
                break
            await ex.press("down")
        assert LONG in "".join(line.strip() for line in ex.stores_pane_lines())  # whole, below the tree
        assert "org-events [org]" in _words(ex)  # a name that fits is left as it is


async def test_a_connection_label_never_sends_a_control_character(demo_lake: Any) -> None:
    """A profile's name comes from the AWS config file: shown with its escapes visible, as event text is."""
    async with explorer((80, 24)) as ex:
        await ex.ready()
        ex.app.main.query_one(StoresPane).show_loading("aws", "AWS evil\x1b[2J\u202e (us-east-1)")
        await ex.pilot.pause()
        text = ex.stores_text(1)
        assert "\x1b" not in text and "\u202e" not in text and "\\x1b[2J" in text


def _group_lines(ex: Explorer, label: str) -> list[str]:
    """The stores pane's lines of one group, as on screen, from its label to the next group."""
    lines = [line.rstrip() for line in ex.stores_pane_lines()]
    start = next(n for n, line in enumerate(lines) if label in line)
    rest = lines[start + 1 :]
    end = next(
        (n for n, line in enumerate(rest) if line.startswith(("▼", "▶")) or not line.strip()), len(rest)
    )
    return rest[:end]


async def test_a_wrapped_message_is_indented_not_guided(
    demo_lake: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A message over several lines reads as one item of its group: a branch on its first line, the lines
    after it indented; when stores follow it, the group's line goes on past it to them."""
    without_aws(monkeypatch, tmp_path)
    async with explorer((80, 24), aws_stores=True) as ex:
        await ex.ready()
        await ex.wait_until(lambda: "no AWS profile" in ex.stores_text(1))
        await ex.pilot.pause()
        message = _group_lines(ex, "AWS")
        assert len(message) >= 3, message
        assert message[0].startswith("└ no AWS profile"), message
        assert all(line.startswith("  ") and line.strip() for line in message[1:]), message
        assert not any(line.endswith("login;") for line in message), message  # wrapped, not broken early
        pane = ex.app.main.query_one(StoresPane)
        store = next(s for s in pane.all_stores() if s.name == "org-events")
        hint = "This profile's account is not the organization's management account: its stores are its own."
        pane.set_stores("aws", "AWS member (us-east-1)", [store], problem=hint)
        await ex.pilot.pause()
        lines = _group_lines(ex, "AWS member")
        assert lines[0].startswith("├ This profile"), lines
        assert all(line.startswith("│ ") for line in lines[1:-1]) and len(lines) > 2, lines
        assert lines[-1].startswith("└ org-events [org]"), lines
