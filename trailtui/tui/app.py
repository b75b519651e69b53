"""The explorer's App: settings, the stylesheet, notifications, the command palette, and quitting. It sets up
the main screen (main.py), which owns the layout and the handlers, and pushes it."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual.app import SystemCommand
from textual.markup import escape
from textual.screen import Screen

from trailtui.lake.backoff import PollBackoff
from trailtui.lake.text import sanitize
from trailtui.paths import Locations, locations
from trailtui.settings import load_settings
from trailtui.tui import collector
from trailtui.tui.dialogs import key_label
from trailtui.tui.interpreter import COMMANDS
from trailtui.tui.keymap import KEYMAP
from trailtui.tui.keyorder import KeysInOrder
from trailtui.tui.main import MainScreen


class TrailApp(KeysInOrder):
    TITLE = "trailtui"
    CSS_PATH = str(Path(__file__).with_name("app.tcss"))  # absolute: subclasses live elsewhere

    def __init__(
        self,
        where: Locations | None = None,
        local_lake: Any = None,
        aws_stores: bool = True,
        poll: PollBackoff | None = None,
        profile: str | None = None,
        region: str | None = None,
    ) -> None:
        super().__init__()
        self._gc_thresholds: tuple[int, int, int] | None = None
        where = where or locations()
        self.main = MainScreen(
            where,
            load_settings(where),
            local_lake=local_lake,
            aws_stores=aws_stores,
            poll=poll,
            requested=(profile, region),
        )

    def on_mount(self) -> None:
        self._gc_thresholds = collector.pace()  # fewer collections while results load (tui/collector.py)
        self.push_screen(self.main)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications may carry text from events or servers: always plain and sanitised, never markup."""
        super().notify(
            sanitize(str(message)), title=sanitize(title), severity=severity, timeout=timeout, markup=False
        )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        for textual_command in super().get_system_commands(screen):
            # Textual's Screenshot saves to ~/Downloads (absent on most servers: "Failed to save") and its
            # Keys panel does not close with Esc: ours below instead.
            if textual_command.title not in ("Screenshot", "Keys"):
                yield textual_command
        yield SystemCommand("Keys", "Show every key (F1; Esc closes).", self.main.action_help)
        yield SystemCommand(
            "Screenshot",
            "Save an SVG picture of the screen (in trailtui's state folder).",
            lambda: self.call_after_refresh(self.screenshot),  # once the palette has gone
        )
        # The palette reads titles and help as markup: `:import PATH|s3://BUCKET[/PREFIX]` crashed it.
        for key in KEYMAP:
            if key.context == "app" and not key.action.startswith("app."):
                yield SystemCommand(
                    escape(key.description),
                    escape(f"{key.help} ({key.keys.split(',')[0]})"),
                    lambda a=key.action: self.main.run_action(a),
                )
        for key in KEYMAP:  # the results grid's keys act on its cursor
            if key.context == "grid" and not key.action.startswith("cursor("):
                yield SystemCommand(
                    escape(f"Results: {key.description}"),
                    escape(f"{key.help} ({key_label(key.keys.split(',')[0])})"),
                    lambda a=key.action: self.main.results.grid.run_action(a),
                )
        for command in COMMANDS:
            yield SystemCommand(
                escape(command.usage),
                escape(command.help),
                lambda c=command: self.main.action_command_line(c.usage.split()[0] + " "),
            )

    def screenshot(self) -> None:
        """An SVG of the screen as it is, saved in trailtui's own (private) state folder."""
        folder = self.main.where.state / "screenshots"
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            path = self.save_screenshot(path=str(folder))
        except OSError as exc:
            self.notify(f"Could not save the screenshot: {exc}", severity="error")
            return
        self.notify(f"Saved the screenshot to {path}")

    def action_help_quit(self) -> None:
        """ctrl+c outside the editor: Textual's own hint is markup, which notify() shows as plain text."""
        self.notify("ctrl+c copies in the editor; ctrl+q quits (running queries are cancelled).")

    async def action_quit(self) -> None:
        self.main.leave()
        self.exit()

    def on_unmount(self) -> None:
        try:
            self.main.close_connections()
        finally:  # the process's collector pacing goes back whatever happens (tests run many apps in one)
            if self._gc_thresholds is not None:
                collector.restore(self._gc_thresholds)


def run_app(where: Locations | None = None, profile: str | None = None, region: str | None = None) -> int:
    TrailApp(where, profile=profile, region=region).run()
    return 0
