"""Toasts on a dialog start below the dialog's title.

Toasts show at the top right (app.tcss); on a dialog that is where its title is, and a toast raised while it
is open (an export ending, a copy, the event being fetched) hid the title's words for its few seconds: the
rack is moved down to the line below the title after each layout (the title's height varies with the width).
The screen below keeps its own toasts, drawn through the dialog's see-through background: moved apart, the
same notice showed twice, so the racks of the screens below are hidden (Textual shows a screen's rack again,
with the notices still current, when that screen is back on top: ToastRack.show).
"""

from __future__ import annotations

import contextlib
from typing import Any

from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets._toast import ToastRack


def keep_toasts_below(screen: Screen[Any], title: str) -> None:
    """After each layout of `screen`, its toasts start on the line below the widget `title` (a selector)."""

    def place(_screen: object = None) -> None:
        try:
            rack = screen.get_child_by_type(ToastRack)
            below = screen.query_one(title).region.bottom
        except NoMatches:
            return  # notifications off (Textual's headless tests), or the title not mounted yet
        if below and rack.styles.margin.top != below:
            rack.styles.margin = (below, 0, 0, 0)
        for under in screen.app.screen_stack:
            if under is not screen:
                with contextlib.suppress(NoMatches):
                    under.get_child_by_type(ToastRack).display = False

    screen.screen_layout_refresh_signal.subscribe(screen, place)
