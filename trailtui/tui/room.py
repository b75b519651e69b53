"""Room on the main screen: the stores pane shown or hidden (F12), the focused pane zoomed to the whole
screen, and the small-terminal layout (below 100x30 the store details fold away unless asked for).

Zoom is ours rather than Textual's `Screen.maximize`: Textual maximizes one widget and hides everything
else, while a zoomed editor or grid still wants the status line (the query's state and errors) above the
results, and the editor's fixed height must give way to the whole screen. Classes on the screen do both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trailtui.tui import events
from trailtui.tui.stores import StoresPane

if TYPE_CHECKING:
    from textual.screen import Screen

    _Base = Screen[None]
else:
    _Base = object

SMALL_WIDTH, SMALL_HEIGHT = 100, 30
PANES = ("stores", "editor", "results")
_ZOOM_CLASSES = tuple(f"-zoom-{p}" for p in PANES)


def is_small(width: int, height: int) -> bool:
    return width < SMALL_WIDTH or height < SMALL_HEIGHT


class RoomMixin(_Base):
    """F12 and zoom on the main screen; `fit_to_size` is called on mount and on every resize."""

    def show_demo_build(self, e: events.DemoBuildProgress) -> None:
        """The first run's demo build: its progress stays in the stores pane until it is ready (a toast
        alone vanishes after a few seconds and leaves only "loading…"), and a toast for each step."""
        self.query_one(StoresPane).show_building(None if e.ready else e.text)
        self.notify(e.text, severity="error" if e.error else "information")

    def fit_to_size(self, width: int, height: int) -> None:
        small = is_small(width, height)
        self.set_class(small, "-small")
        self.query_one(StoresPane).fit(small)

    @property
    def zoomed(self) -> str | None:
        """The pane zoomed to the whole screen, if any."""
        return next((p for p, c in zip(PANES, _ZOOM_CLASSES, strict=True) if self.has_class(c)), None)

    def focused_pane(self) -> str:
        focused = self.focused
        if focused is not None:
            for pane, selector in (("stores", "#stores"), ("editor", "#editor"), ("results", "#results")):
                node = self.query_one(selector)
                if focused is node or node in focused.ancestors_with_self:
                    return pane
        return "editor"

    def action_toggle_stores(self) -> None:
        """F12: hide the stores pane (its room goes to the editor and results) or show it again."""
        pane = self.query_one(StoresPane)
        if self.zoomed is not None:
            self.zoom(None)
            pane.display = True
        else:
            pane.display = not pane.display
        if pane.display:
            pane.store_tree.focus()
        elif self.focused is None or self.focused_pane() == "stores":
            self.query_one("#editor").focus()

    def action_zoom(self) -> None:
        """Zoom the focused pane to the whole screen; the same key again returns."""
        self.zoom(None if self.zoomed else self.focused_pane())

    def zoom(self, pane: str | None) -> None:
        for name, css_class in zip(PANES, _ZOOM_CLASSES, strict=True):
            self.set_class(name == pane, css_class)
        if pane == "stores":
            self.query_one(StoresPane).display = True
