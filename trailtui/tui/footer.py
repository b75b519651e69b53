"""The footer, showing only the keys that fit whole.

Textual's Footer lays its keys out in a row and cuts the row where the screen ends, so at 80 columns the
last key showed without its word (`f10` alone, later `^n Z`): a key a user cannot read. This one leaves out
the keys that do not fit, from the end (the keymap lists the most useful first); F1 lists them all.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


def _width(key: FooterKey) -> int:
    # As Footer draws a key: one space, the key, one space, the word, one space (padding of its parts).
    return cell_len(key.key_display) + (cell_len(key.description) + 1 if key.description else 0) + 2


class WholeKeysFooter(Footer):
    _drawn: tuple[Any, ...] | None = None  # the keys the footer was last composed with, and its width

    def _keys(self) -> tuple[Any, ...]:
        shown = self.screen.active_bindings.values()
        width = self.size.width or self.app.size.width
        return (width, *((b.key, b.description, b.action, enabled) for _, b, enabled, _ in shown if b.show))

    def bindings_changed(self, screen: Screen[Any]) -> None:
        # Textual rebuilds the footer whenever the focus or the screen changes (back from every dialog);
        # with the same keys that is tens of milliseconds for nothing before the next key is handled.
        if self._drawn is not None and screen is self.screen and self._keys() == self._drawn:
            return
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._drawn = self._keys()
        widgets: list[Any] = list(super().compose())
        palette = [w for w in widgets if isinstance(w, FooterKey) and w.has_class("-command-palette")]
        room = (self.size.width or self.app.size.width) - sum(_width(p) + 1 for p in palette)  # +1: its ▏
        for widget in widgets:
            if widget in palette:
                continue
            if isinstance(widget, FooterKey):
                room -= _width(widget)
                if room < 0:
                    break  # this key and those after it would be cut
            yield widget
        yield from palette

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.recompose)
