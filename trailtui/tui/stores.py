"""The stores pane: stores grouped by connection, with the highlighted store's details below.

The details fold away (`i`), and are folded from the start in a small terminal (below 100x30), where
they would take most of the pane's height; unfolded, long values wrap rather than being cut short. While
the local lake builds its demo on a first run, what the build is doing stays on its group's line.

Nothing in the tree is cut at the pane's edge: a connection's message (why it failed, a hint) wraps over
as many lines as it needs, and a store's or connection's name too long for the pane loses its middle
(`prod-organizat…[org]`: the start and the end stay); highlighted, it shows whole below the tree."""

from __future__ import annotations

import textwrap
from datetime import datetime
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.strip import Strip
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


def elide(text: Text, width: int, middle: bool = True) -> Text:
    """`text` in `width` cells, its middle (or its end) replaced by an ellipsis: store names often differ
    only at the end (`prod-trail-us-east-1`, `prod-trail-eu-west-1`)."""
    if text.cell_len <= width:
        return text
    if width < 3:
        return text[:width]
    tail = (width - 1) // 3 if middle else 0
    head = width - 1 - tail
    while head > 0 and text[:head].cell_len + 1 + text[len(text) - tail :].cell_len > width:
        head -= 1  # wide characters take two cells
    return Text.assemble(text[:head], "…", text[len(text) - tail :] if tail else "")


_LAST = str.maketrans("├┣╠", "└┗╚")  # a branch drawn as the group's last one
_THROUGH = str.maketrans("├┣╠└┗╚", "│┃║   ")  # a branch drawn as the line going on past it (or nothing)
_BLANK = str.maketrans("├┣╠└┗╚", "      ")


class StoreTree(Tree[EventDataStore | None]):
    """The tree of connections and stores: names longer than the pane lose their middle, not their end.

    A connection's message takes several lines of the tree (wrapped, or lines of its own), each a node, as
    Textual's Tree has one line per node. Drawn as one item of its group: a branch on its first line only,
    the lines after it indented (with the group's line going on past them when the message is not last)."""

    class Resized(Message):
        pass

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.continued: set[int] = set()  # ids of the lines that go on with the message above them

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        node = self.get_node_at_line(self.scroll_offset.y + y)
        if node is None or node.parent is None or node.data is not None:
            return strip
        siblings = node.parent.children
        at = siblings.index(node)
        rest = at + 1
        while rest < len(siblings) and siblings[rest].id in self.continued:
            rest += 1  # past the message's last line
        last = rest == len(siblings)
        if node.id in self.continued:
            table = _BLANK if last else _THROUGH
        elif last and rest > at + 1:
            table = _LAST
        else:
            return strip
        segments = list(strip)
        if not segments:
            return strip
        first = segments[0]
        segments[0] = Segment(first.text.translate(table), first.style, first.control)
        return Strip(segments, strip.cell_length)

    def label_room(self, node: TreeNode[EventDataStore | None]) -> int:
        """Cells for the node's label (its expand icon included), after the guides of its depth."""
        depth = 0
        while node.parent is not None and node.parent is not self.root:
            node, depth = node.parent, depth + 1
        return self.scrollable_content_region.width - depth * self.guide_depth

    def render_label(self, node: TreeNode[EventDataStore | None], base_style: Style, style: Style) -> Text:
        text = super().render_label(node, base_style, style)
        room = self.label_room(node)
        if room <= 0 or text.cell_len <= room:
            return text
        if node.data is None:  # a connection (after its icon): its profile first, the Region may go
            icon = len(self.ICON_NODE) if node.allow_expand else 0
            return Text.assemble(text[:icon], elide(text[icon:], room - icon, middle=False))
        # A store: the name loses its middle, the [org] or [Athena] after it stays whole.
        name = len(safe_text(node.data.name))
        marker = text[name:]
        if room - marker.cell_len < 6:
            return elide(text, room)
        return Text.assemble(elide(text[:name], room - marker.cell_len), marker)

    def is_elided(self, node: TreeNode[EventDataStore | None]) -> bool:
        room = self.label_room(node) - (len(self.ICON_NODE) if node.allow_expand else 0)
        return room > 0 and self.process_label(node.label).cell_len > room

    def on_resize(self, event: events.Resize) -> None:
        self.post_message(self.Resized())

    def watch_show_vertical_scrollbar(self) -> None:
        """The scrollbar came or went (the details unfolded under a tree that no longer fits): it takes
        columns inside the tree without resizing it, and a message wrapped to the old width was cut."""
        self.post_message(self.Resized())


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
        # Each group's lines as given, wrapped to the pane's width when shown: message, stores, a note.
        self._contents: dict[str, tuple[list[str], list[EventDataStore], Text | None]] = {}
        self._wrapped_at = 0

    def compose(self) -> ComposeResult:
        tree = StoreTree(Text("connections"), id="store-tree")
        tree.show_root = False
        tree.guide_depth = 2
        yield tree
        yield Static(id="store-building")
        with VerticalScroll(id="store-details", can_focus=False):
            yield Static(Text("Loading stores…", style="italic"), id="store-details-text")

    @property
    def store_tree(self) -> StoreTree:
        return self.query_one("#store-tree", StoreTree)

    @property
    def continued(self) -> set[int]:
        """Ids of the tree's lines that go on with a connection's message from the line above."""
        return self.store_tree.continued

    def _group(self, connection: str, label: str) -> TreeNode[EventDataStore | None]:
        node = self._groups.get(connection)
        if node is None:
            node = self.store_tree.root.add(safe_text(label, style="bold"), data=None, expand=True)
            self._groups[connection] = node
        else:
            node.set_label(safe_text(label, style="bold"))
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
        self._group(connection, label)
        self._fill(connection, [], [], Text("loading…", style="italic dim"))

    def set_stores(
        self, connection: str, label: str, stores: list[EventDataStore], problem: str | None = None
    ) -> None:
        self._group(connection, label)
        note = None if stores else Text("(no event data stores)", style="italic dim")
        self._fill(connection, (problem or "").splitlines(), stores, note)
        if self.highlighted is None and stores:
            self.show_details(stores[0])

    def set_failed(self, connection: str, label: str, reason: str) -> None:
        self._group(connection, label)
        self._fill(connection, reason.splitlines() or [reason], [], None)

    def _fill(
        self, group: str, lines: list[str], stores: list[EventDataStore], note: Text | None = None
    ) -> None:
        """A group's children: its message wrapped to the pane, its note, its stores."""
        self._contents[group] = (lines, stores, note)
        node = self._groups[group]
        tree = self.store_tree
        cursor = tree.cursor_node
        was_here = cursor is not None and cursor.parent is node
        node.remove_children()
        room = tree.scrollable_content_region.width - tree.guide_depth
        for n, line in enumerate(lines):  # one item of the group: only its first line has a branch
            clean = safe_text(line).plain
            pieces = textwrap.wrap(clean, room, break_on_hyphens=False) if room > 8 else [clean]
            for m, piece in enumerate(pieces or [""]):
                leaf = node.add_leaf(Text(piece, style="italic yellow"), data=None)
                if n or m:
                    self.continued.add(leaf.id)
        if note is not None:
            node.add_leaf(note, data=None)
        for s in stores:
            name = safe_text(s.name)
            if s.details.get("Engine") == "athena":
                name.append(" [Athena]", style="magenta")
            elif s.details.get("OrganizationEnabled"):
                name.append(" [org]", style="cyan")
            leaf = node.add_leaf(name, data=s)
            if was_here and cursor is not None and cursor.data is s:
                self.call_after_refresh(tree.move_cursor, leaf)  # the cursor stays on its store
        node.expand()

    def on_store_tree_resized(self, event: StoreTree.Resized) -> None:
        """The pane's width changed (a small terminal, zoom): messages wrap again to the new width."""
        width = self.store_tree.scrollable_content_region.width
        if width != self._wrapped_at:
            self._wrapped_at = width
            for group, (lines, stores, note) in list(self._contents.items()):
                if lines:
                    self._fill(group, lines, stores, note)

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
        node = event.node
        tree = self.store_tree
        if node.data is not None:
            self.show_details(node.data)
            if not self.details_shown and tree.is_elided(node):
                self._show_whole(safe_text(node.data.name, style="bold"))  # its name, cut in the tree
        elif node in self._groups.values():
            if tree.is_elided(node):
                self._show_whole(tree.process_label(node.label).copy())
        elif (group := node.parent) is not None and group in self._groups.values():
            # A connection's message (why it failed): whole here, as one text.
            key = next(k for k, g in self._groups.items() if g is group)
            self._show_whole(safe_text("\n".join(self._contents[key][0]), keep_newlines=True))

    def _show_whole(self, text: Text) -> None:
        """What the highlighted line says, whole, below the tree, even where the details are folded: it is
        what the user asked for."""
        self.query_one("#store-details-text", Static).update(text)
        self.message_shown = True
        self._fold()

    def on_tree_node_selected(self, event: Tree.NodeSelected[EventDataStore | None]) -> None:
        if event.node.data is not None:
            self.post_message(self.StoreChosen(event.node.data))

    def action_select_store(self) -> None:
        node = self.store_tree.cursor_node
        if node is not None and node.data is not None:
            self.post_message(self.StoreChosen(node.data))
