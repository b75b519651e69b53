"""The stores pane: stores grouped by connection, with the highlighted store's details below.

The details fold away (`i`), and are folded from the start in a small terminal (below 100x30), where
they would take most of the pane's height; unfolded, long values wrap rather than being cut short. While
the local lake builds its demo on a first run, what the build is doing stays on its group's line."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from trailtui.lake.connection import EventDataStore
from trailtui.tui.keymap import bindings
from trailtui.tui.safe import safe_text


def _when(t: Any) -> str:
    if isinstance(t, datetime):
        return t.strftime("%Y-%m-%d %H:%M")
    return "-" if t is None else str(t)


def describe_store(s: EventDataStore, narrow: bool = False) -> Table | Text:
    """The store's settings and figures, label and value a row; `narrow` (a small terminal's pane):
    each value flows after its label over the pane's whole width instead of a column of ten characters.
    Values wrap, never cut: an ID is only useful whole."""
    d = s.details
    table = Table.grid(padding=(0, 1))
    table.add_column(style="dim", no_wrap=True, min_width=9)
    table.add_column(overflow="fold")
    flow = Text(overflow="fold")

    def row(label: str, value: object, style: str = "") -> None:
        if narrow:
            flow.append(("\n" if flow else "") + label + " ", style="dim")
            flow.append_text(safe_text(value, style=style))
        else:
            table.add_row(label, safe_text(value, style=style))

    row("name", s.name, "bold")
    if d.get("Engine") == "athena":  # an Athena CloudTrail table (trailtui.athena)
        row("engine", "Athena (billed per byte scanned)", "magenta")
        row("location", d.get("Location", "-"))
        row("layout", d.get("Layout", "-"))
        row("partitions", d.get("PartitionRange", "-") if d.get("Projected") else "not projected: no pruning")
        row("workgroup", d.get("Workgroup", "-"))
        return flow if narrow else table
    row("id", s.id)
    row("status", d.get("Status", "-"), "green" if d.get("Status") == "ENABLED" else "yellow")
    row("org", "yes: organization store" if d.get("OrganizationEnabled") else "no")
    row("regions", "all (multi-Region)" if d.get("MultiRegionEnabled") else "one Region")
    row("retention", f"{d.get('RetentionPeriod', '-')} days")
    row(
        "billing",
        {
            "EXTENDABLE_RETENTION_PRICING": "extendable retention",
            "FIXED_RETENTION_PRICING": "fixed retention",
        }.get(d.get("BillingMode", ""), d.get("BillingMode", "-")),
    )
    row("created", _when(d.get("CreatedTimestamp")))
    row("partitions", ", ".join(k.get("Name", "") for k in d.get("PartitionKeys") or []) or "-")
    if s.event_count is not None:
        row("events", f"{s.event_count:,}")
        row("from", _when(s.first_event))
        row("to", _when(s.last_event))
    return flow if narrow else table


class StoresPane(Vertical):
    BINDINGS = bindings("stores")
    DEFAULT_CSS = """
    StoresPane { width: 34; border: round $primary-darken-2; border-title-color: $text; }
    StoresPane:focus-within { border: round $accent; }
    StoresPane Tree { height: 1fr; background: $surface; }
    StoresPane #store-details { height: auto; max-height: 75%; border-top: solid $primary-darken-2; padding: 0 1; }
    StoresPane #store-details Static { height: auto; }
    StoresPane.-folded #store-details { display: none; }
    StoresPane #store-building { height: auto; display: none; padding: 0 1; }
    """

    class StoreChosen(Message):
        def __init__(self, store: EventDataStore) -> None:
            super().__init__()
            self.store = store

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.border_title = "Stores"
        self._groups: dict[str, TreeNode[EventDataStore | None]] = {}
        self.highlighted: EventDataStore | None = None
        self.details_wanted: bool | None = None  # the user's choice (`i`); None: by the terminal's size
        self.small = False
        self.message_shown = False  # a connection's message in the details (highlighted in the tree)
        self.building: str | None = None  # the demo build's latest notice, on a first run

    def compose(self) -> ComposeResult:
        tree: Tree[EventDataStore | None] = Tree(Text("connections"), id="store-tree")
        tree.show_root = False
        tree.guide_depth = 2
        yield tree
        yield Static(id="store-building")
        with VerticalScroll(id="store-details", can_focus=False):
            yield Static(Text("Loading stores…", style="italic"), id="store-details-text")

    @property
    def store_tree(self) -> Tree[EventDataStore | None]:
        return self.query_one("#store-tree", Tree)

    def _group(self, connection: str, label: str) -> TreeNode[EventDataStore | None]:
        node = self._groups.get(connection)
        if node is None:
            node = self.store_tree.root.add(Text(label, style="bold"), data=None, expand=True)
            self._groups[connection] = node
        else:
            node.set_label(Text(label, style="bold"))
        return node

    # -- room ---------------------------------------------------------------------------------------------
    def fit(self, small: bool) -> None:
        """The terminal's size changed: below 100x30 the details fold, unless the user unfolded them."""
        self.small = small
        self._fold()
        if self.highlighted is not None:
            self.show_details(self.highlighted)

    @property
    def details_shown(self) -> bool:
        return not self.small if self.details_wanted is None else self.details_wanted

    def action_toggle_details(self) -> None:
        self.details_wanted = not self.details_shown
        self._fold()

    def _fold(self) -> None:
        self.set_class(not (self.details_shown or self.message_shown), "-folded")
        self.border_subtitle = "i: details" if not self.details_shown else ""

    # -- the first run's demo build -------------------------------------------------------------------------
    def show_building(self, text: str | None) -> None:
        """What the first run's demo build is doing, kept on screen until it is ready (None)."""
        self.building = text
        line = self.query_one("#store-building", Static)
        line.update(safe_text(text or "", style="italic yellow"))
        line.display = text is not None

    def show_loading(self, connection: str, label: str) -> None:
        node = self._group(connection, label)
        node.remove_children()
        node.add_leaf(Text("loading…", style="italic dim"), data=None)

    def set_stores(
        self, connection: str, label: str, stores: list[EventDataStore], problem: str | None = None
    ) -> None:
        node = self._group(connection, label)
        node.remove_children()
        for line in (problem or "").splitlines():
            node.add_leaf(safe_text(line, style="italic yellow"), data=None)
        if not stores:
            node.add_leaf(Text("(no event data stores)", style="italic dim"), data=None)
        for s in stores:
            name = safe_text(s.name)
            if s.details.get("Engine") == "athena":
                name.append(" [Athena]", style="magenta")
            elif s.details.get("OrganizationEnabled"):
                name.append(" [org]", style="cyan")
            node.add_leaf(name, data=s)
        node.expand()
        if self.highlighted is None and stores:
            self.show_details(stores[0])

    def set_failed(self, connection: str, label: str, reason: str) -> None:
        node = self._group(connection, label)
        node.remove_children()
        for line in reason.splitlines() or [reason]:
            node.add_leaf(safe_text(line, style="italic yellow"), data=None)

    def show_details(self, store: EventDataStore) -> None:
        self.highlighted = store
        if self.message_shown:
            self.message_shown = False
            self._fold()
        self.query_one("#store-details-text", Static).update(describe_store(store, narrow=self.small))

    def select_store_by(self, key: str) -> EventDataStore | None:
        """Find and select a store by ID, ARN or name (for `:store NAME`)."""
        for group in self._groups.values():
            for child in group.children:
                s = child.data
                if s is not None and key in (s.id, s.name, s.arn):
                    self.store_tree.select_node(child)  # its NodeSelected says StoreChosen, once
                    self.show_details(s)
                    return s
        return None

    def all_stores(self) -> list[EventDataStore]:
        return [c.data for g in self._groups.values() for c in g.children if c.data is not None]

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[EventDataStore | None]) -> None:
        if event.node.data is not None:
            self.show_details(event.node.data)
        elif (group := event.node.parent) is not None and group in self._groups.values():
            # A connection's message (why it failed), cut at the pane's width in the tree: whole here.
            lines = [str(c.label) for c in group.children if c.data is None]
            details = self.query_one("#store-details-text", Static)
            details.update(safe_text("\n".join(lines), keep_newlines=True))
            self.message_shown = True  # shown even where the details are folded: it is what the user asked
            self._fold()

    def on_tree_node_selected(self, event: Tree.NodeSelected[EventDataStore | None]) -> None:
        if event.node.data is not None:
            self.post_message(self.StoreChosen(event.node.data))

    def action_select_store(self) -> None:
        node = self.store_tree.cursor_node
        if node is not None and node.data is not None:
            self.post_message(self.StoreChosen(node.data))
