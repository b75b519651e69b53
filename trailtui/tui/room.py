"""Room on the main screen: the stores pane shown or hidden (F12), the focused pane zoomed to the whole
screen, and the small-terminal layout (below 100x30 the store details fold away unless asked for).

Zoom is ours rather than Textual's `Screen.maximize`: Textual maximizes one widget and hides everything
else, while a zoomed editor or grid still wants the status line (the query's state and errors) above the
results, and the editor's fixed height must give way to the whole screen. Classes on the screen do both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.css.query import NoMatches
from textual.css.scalar import Scalar
from textual.widgets._toast import ToastRack

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
STORES_HIDDEN = "-stores-hidden"  # F12 (app.tcss)


def is_small(width: int, height: int) -> bool:
    return width < SMALL_WIDTH or height < SMALL_HEIGHT


class RoomMixin(_Base):
    """F12 and zoom on the main screen; `fit_to_size` is called on mount and on every resize."""

    def show_demo_build(self, e: events.DemoBuildProgress) -> None:
        """The first run's demo build: its progress stays in the stores pane until it is ready (a toast
        alone vanishes after a few seconds and leaves only "loading…"). Only its end is a toast, one short
        line: a toast for each step covered the editor's welcome lines for as long as the build ran."""
        self.query_one(StoresPane).show_building(None if e.ready else e.text)
        if e.ready or e.error:
            self.notify(e.text, severity="error" if e.error else "information")

    def keep_toasts_above_results(self) -> None:
        """From now on, after each layout the toasts are fitted above the results (on mount)."""
        self.screen_layout_refresh_signal.subscribe(self, self._fit_toasts)

    def _fit_toasts(self, _screen: object = None) -> None:
        """Toasts show at the top right, over the editor and the status line, and end where the status line
        ends: never over the results' rows, whatever the editor's height (small terminal, zoom). With the
        stores zoomed there is no status line and no results to keep clear. When the rack is too short for
        every toast, the newest stay in view: each new toast goes on top of the others (Textual's rack adds
        it below them, where a short rack cuts it off, and cannot scroll while the rack itself is invisible)."""
        try:
            rack = self.get_child_by_type(ToastRack)
        except NoMatches:
            return  # notifications are off (Textual's headless tests)
        status = self.query_one("#status").region
        limit = Scalar.from_number(status.bottom - rack.styles.margin.top) if status.height else None
        if rack.styles.max_height != limit:
            rack.styles.max_height = limit
        shown = list(rack.children)
        placed = {c for c in shown if c.has_class("-placed")}
        for holder in shown:  # in the order raised: each new one ends up first
            if holder not in placed:
                holder.add_class("-placed")
                if holder is not rack.children[0]:
                    rack.move_child(holder, before=0)

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
        """F12: hide the stores pane (its room goes to the editor and results) or show it again. A class on
        the screen, not the pane's own `display`: an inline style would outrank the zoom's rules, and the
        stores would stay beside a zoomed editor or grid once F12 had been pressed."""
        if self.zoomed is not None:
            self.zoom(None)
            self.remove_class(STORES_HIDDEN)
        else:
            self.toggle_class(STORES_HIDDEN)
        if not self.has_class(STORES_HIDDEN):
            self.query_one(StoresPane).store_tree.focus()
        elif self.focused is None or self.focused_pane() == "stores":
            self.query_one("#editor").focus()

    def action_zoom(self) -> None:
        """Zoom the focused pane to the whole screen; the same key again returns."""
        self.zoom(None if self.zoomed else self.focused_pane())

    def zoom(self, pane: str | None) -> None:
        for name, css_class in zip(PANES, _ZOOM_CLASSES, strict=True):
            self.set_class(name == pane, css_class)
        if pane == "stores":
            self.remove_class(STORES_HIDDEN)
