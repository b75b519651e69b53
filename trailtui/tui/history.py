"""The history screen (ctrl+r): the local history, searchable, and the service's own list (ListQueries)
for the current store. Enter puts a query's SQL in the editor; `o` reopens its results by QueryId, with no
new query (and so no new scan to pay for)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from trailtui.lake.connection import ConnectionKey
from trailtui.lake.history import History, HistoryEntry
from trailtui.lake.text import sanitize
from trailtui.tui.dialogs import modal_list_width
from trailtui.tui.footer import WholeKeysFooter
from trailtui.tui.safe import safe_text
from trailtui.tui.status import STATUS_STYLE
from trailtui.tui.toastroom import keep_toasts_below
from trailtui.tui.workers import ServiceQuery
from trailtui.units import human_bytes, rows

# An event data store's ID as the FROM clause names it (a UUID), alone or at the end of its ARN.
_STORE_ID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE)


@dataclass(frozen=True)
class Pick:
    """What the user chose: `edit` the SQL, or `open` the results of a query ID on a connection."""

    action: str
    sql: str | None
    query_id: str | None
    connection: ConnectionKey
    started: float | None = None  # when the query started (epoch seconds), for its clock if still running


def _when(t: float | datetime | None) -> str:
    if t is None:
        return "-"
    dt = t if isinstance(t, datetime) else datetime.fromtimestamp(t)
    return dt.strftime("%Y-%m-%d %H:%M")


def sql_line(sql: str) -> str:
    """The statement on one line, without its `--` comment lines (the welcome query starts with two)."""
    lines = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    return " ".join(" ".join(lines).split()) or " ".join(sql.split())


def one_line(sql: str) -> str:
    """The statement as a history line shows it: one line, sanitised, each store ID (36 characters) as its
    first 8 and `…` (the preview below the list has it whole)."""
    return _STORE_ID.sub(lambda m: m.group()[:8] + "…", sanitize(sql_line(sql)))


def short_sql(sql: str, room: int) -> str:
    """The one-line SQL in `room` cells, and when too long, its middle left out, not its end: queries that
    differ only in their WHERE or LIMIT read alike up to the store ID, and looked identical cut at 80
    columns."""
    line = one_line(sql)
    if cell_len(line) <= room or room < 20:
        return line
    head = room // 2
    return line[:head] + "…" + line[len(line) - (room - head - 1) :]


def _words_kept(words: list[str], keep: set[int]) -> str:
    parts: list[str] = []
    last = -1
    for k in sorted(keep):
        if k > last + 1:
            parts.append("…")
        parts.append(words[k])
        last = k
    if last < len(words) - 1:
        parts.append("…")
    return " ".join(parts)


def _varying(words: list[str], varying: list[int], room: int) -> str:
    """The words at the `varying` places (where statements alike at both ends differ), `…` for what is left
    out, with as many words before each as fit in `room` cells, for context (`recipientAccountId = '4444…'`),
    then the statement's last words and its first (what the entry alone would show); the end cut if even
    the varying words do not fit."""
    keep = {v for v in varying if v < len(words)}
    text = _words_kept(words, keep)
    if cell_len(text) > room:
        return text[: room - 1] + "…"
    context = [v - before for before in (1, 2, 3) for v in varying]
    ends = [k for n in range(len(words)) for k in (len(words) - 1 - n, n)]  # last, first, next-to-last...
    for k in context + ends:
        if 0 <= k < len(words) and k not in keep:
            wider = _words_kept(words, keep | {k})
            if cell_len(wider) <= room:
                keep.add(k)
                text = wider
            elif k in ends:
                break  # the ends are taken in order: a gap inside them would read oddly
    return text


def distinct_sql(sqls: list[str], rooms: list[int]) -> list[str]:
    """The statements as `short_sql` writes them, each in its room. Where different statements then read
    alike (they differ only in the middle that `short_sql` leaves out), each of those shows the words where
    any of them differ from the others (the account, then the day...), so no two different statements look
    the same (the same statement run twice does); the preview below the list has the whole SQL."""
    lines = [one_line(sql) for sql in sqls]
    shown = [short_sql(sql, room) for sql, room in zip(sqls, rooms, strict=True)]
    alike: dict[str, list[int]] = {}
    for i, text in enumerate(shown):
        alike.setdefault(text, []).append(i)
    for group in alike.values():
        if len({lines[i] for i in group}) < 2:
            continue
        words = {i: lines[i].split(" ") for i in group}
        longest = max(len(w) for w in words.values())
        varying = [
            k for k in range(longest) if len({w[k] if k < len(w) else None for w in words.values()}) > 1
        ]
        for i in group:
            if rooms[i] >= 20:
                shown[i] = _varying(words[i], varying, rooms[i])
    return shown


def _label_head(e: HistoryEntry, width: int) -> Text:
    """What comes before the SQL: under 100 cells (narrow) only when and how it ended, which with the SQL
    is what tells entries apart (at 80 columns the full line left `SELEC…` for every one)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    if 0 < width < 100:
        text.append(f"{_when(e.started)[5:]} ", style="dim")  # MM-DD HH:MM
        text.append(f"{e.status:<9} ", style=STATUS_STYLE.get(e.status, ""))
        return text
    text.append(f"{_when(e.started)}  ", style="dim")
    text.append(f"{e.status:<9}", style=STATUS_STYLE.get(e.status, ""))
    text.append_text(safe_text(f" {e.connection:<8} ", "cyan"))  # a profile's name, as written
    counted = rows(e.row_count) if e.row_count is not None else ""
    scanned = human_bytes(e.bytes_scanned) if e.bytes_scanned else ""
    text.append(f"{counted:>12} {scanned:>9}  ", style="dim")
    return text


def entry_labels(entries: list[HistoryEntry], width: int = 0) -> list[Text]:
    """One line per query in `width` cells (0: no limit), the SQL told apart from the others' (distinct_sql)."""
    heads = [_label_head(e, width) for e in entries]
    if not width:
        sqls = [sanitize(sql_line(e.sql)) for e in entries]
    else:
        sqls = distinct_sql([e.sql for e in entries], [width - head.cell_len for head in heads])
    for head, sql in zip(heads, sqls, strict=True):
        head.append(sql)
    return heads


def service_labels(queries: list[ServiceQuery], known: dict[str, HistoryEntry], width: int) -> list[Text]:
    """The service's list (ListQueries gives IDs, no SQL): a query run from this machine shows its SQL from
    the history, which tells queries apart where IDs do not; another shows only its ID."""
    heads = []
    for q in queries:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{_when(q.created)}  ", style="dim")
        text.append(f"{q.status:<9}  ", style=STATUS_STYLE.get(q.status, ""))
        if q.query_id not in known:
            text.append(q.query_id, style="dim")
        elif width >= 100:  # under 100 cells the SQL needs the room (the preview below has the ID)
            text.append(f"{q.query_id}  ", style="dim")
        heads.append(text)
    ran_here = [i for i, q in enumerate(queries) if q.query_id in known]
    rooms = [width - heads[i].cell_len for i in ran_here]
    for i, sql in zip(
        ran_here, distinct_sql([known[queries[i].query_id].sql for i in ran_here], rooms), strict=True
    ):
        heads[i].append(sql)
    return heads


def entry_preview(e: HistoryEntry) -> Text:
    text = Text()
    text.append(f"{e.status}", style=STATUS_STYLE.get(e.status, "bold"))
    text.append_text(safe_text(f"  {e.connection}  {e.store or ''}  {e.query_id or 'no query ID'}", "dim"))
    if e.error:
        text.append("\n")
        text.append_text(safe_text(e.error, "red", keep_newlines=True))
    text.append("\n")
    text.append_text(safe_text(e.sql.strip(), keep_newlines=True))
    return text


class HistoryScreen(ModalScreen[Pick | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("enter", "pick('edit')", "To editor", priority=True),
        Binding("ctrl+o", "pick('open')", "Reopen results", priority=True),
        Binding("tab", "switch", "History / service", priority=True),
    ]
    DEFAULT_CSS = """
    HistoryScreen { align: center middle; }
    HistoryScreen > Vertical { width: 96%; height: 90%; border: round $accent; background: $surface; }
    HistoryScreen #history-title { height: auto; max-height: 3; padding: 0 1; background: $primary-darken-2; text-style: bold; }
    HistoryScreen OptionList { height: 1fr; min-height: 3; text-wrap: nowrap; text-overflow: ellipsis; }
    HistoryScreen #history-preview-box { height: auto; max-height: 45%; border-top: solid $accent; padding: 0 1; }
    """

    def __init__(
        self,
        history: History,
        current: ConnectionKey,
        store_label: str | None,
        service: Callable[[], list[ServiceQuery]] | None,
        explain: Callable[[BaseException], str] = str,
    ) -> None:
        """`service` lists the current store's queries (ListQueries; blocking, run in a worker here)."""
        super().__init__()
        self.history = history
        self.current = current
        self.store_label = store_label
        self.load_service = service
        self.explain = explain
        self.mode = "local"
        self.entries: list[HistoryEntry] = []
        self.service: list[ServiceQuery] = []
        self.room = 0  # the cells the entries' lines were made for
        self.service_loaded = False
        self.known: dict[str, HistoryEntry] = {}  # this machine's history by query ID, for the service's list

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._title(), id="history-title")
            yield Input(placeholder="search the SQL, store, query ID, status or error", id="history-search")
            yield OptionList(id="history-list")
            yield VerticalScroll(Static("", id="history-preview"), id="history-preview-box")
        yield WholeKeysFooter()

    def _title(self) -> Text:
        if self.mode == "local":
            return Text("Query history (this machine)   Tab: the service's list for the current store")
        title = Text("Queries of the last 7 days known to the service (ListQueries) for ")
        title.append_text(safe_text(self.store_label or "the current store", "bold"))
        return title

    def on_mount(self) -> None:
        keep_toasts_below(self, "#history-title")
        # Filled now, not after the first layout: a key typed right behind ctrl+r (ctrl+o, enter, down) is
        # applied as soon as the screen has mounted, and must find the list it was typed for.
        self.refresh_list()
        self.query_one(Input).focus()

    def refresh_list(self) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        if self.mode == "local":
            self.entries = self.history.search(self.query_one(Input).value)
            self.room = self._room()
            labels = entry_labels(self.entries, self.room)
            options.add_options(
                [Option(label, id=str(e.id)) for label, e in zip(labels, self.entries, strict=True)]
            )
            if not self.entries:
                search = self.query_one(Input).value.strip()
                # "No queries yet" under a search that matched none read as if the history were lost.
                empty = "No queries yet." if not search else "No query matches the search."
                options.add_option(Option(Text(empty, style="italic"), disabled=True))
        else:
            self.room = self._room()
            labels = service_labels(self.service, self.known, self.room)
            options.add_options(
                [Option(label, id=q.query_id) for label, q in zip(labels, self.service, strict=True)]
            )
            if not self.service:
                if self.load_service is None:
                    empty = "No current store: Enter on a store in the stores pane (F2) makes it current."
                else:
                    empty = "None in the last 7 days." if self.service_loaded else "Loading…"
                options.add_option(Option(Text(empty, style="italic"), disabled=True))
        options.highlighted = 0 if options.option_count else None
        self._preview()
        self.call_after_refresh(self._fit)

    def _room(self) -> int:
        """The cells of one entry's line: the list's width less its border, padding and scrollbar (once laid
        out, the scrollbar only when it shows) and the option's padding. The list is filled as the screen
        mounts, before it has a size: then from the width of the box, with a scrollbar."""
        options = self.query_one(OptionList)
        option_padding = options.get_component_styles("option-list--option").padding.width
        if options.size.width:
            inner = options.scrollable_content_region.width
        else:
            inner = (
                modal_list_width(options)
                - options.styles.gutter.width
                - options.styles.scrollbar_size_vertical
            )
        return max(40, inner - option_padding)

    def _fit(self) -> None:
        """Once laid out (and whenever the list's width or its scrollbar changes), the lines are made again
        for the room they really have: they end at the list's edge, not a guess short of it."""
        if not self.is_mounted or self._room() == self.room:
            return
        self.room = self._room()
        options = self.query_one(OptionList)
        if self.mode == "local":
            labels = entry_labels(self.entries, self.room)
        else:
            labels = service_labels(self.service, self.known, self.room)
        for index, label in enumerate(labels[: options.option_count]):
            options.replace_option_prompt_at_index(index, label)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)

    def on_option_list_option_highlighted(self, _: OptionList.OptionHighlighted) -> None:
        self._preview()

    def _preview(self) -> None:
        """The highlighted query's whole SQL and error, wrapped: the list has one cut line per query."""
        index = self.query_one(OptionList).highlighted
        preview = self.query_one("#history-preview", Static)
        if self.mode != "local":
            query = self.service[index] if index is not None and index < len(self.service) else None
            entry = self.known.get(query.query_id) if query else None
            if entry is not None:
                preview.update(entry_preview(entry))
            elif query is not None:
                preview.update(
                    Text(
                        f"{query.query_id}: not run from this machine (the console, the CLI, another "
                        "machine), so its SQL is not in the history here; ctrl+o reopens its results.",
                        style="dim",
                    )
                )
            else:
                preview.update("")
            return
        if index is None or index >= len(self.entries):
            preview.update("")
            return
        preview.update(entry_preview(self.entries[index]))

    def _fetch_service(self) -> None:
        if self.load_service is None:
            self.set_service([])
            return
        self.run_worker(self._service_worker, thread=True, group="service", exit_on_error=False)

    def _service_worker(self) -> None:
        assert self.load_service is not None
        try:
            queries = self.load_service()
        except Exception as exc:
            self.app.call_from_thread(self.notify, f"ListQueries: {self.explain(exc)}", severity="error")
            queries = []
        self.app.call_from_thread(self.set_service, queries)

    def set_service(self, queries: list[ServiceQuery]) -> None:
        self.service = queries
        self.service_loaded = True
        self.known = {e.query_id: e for e in self.history.search() if e.query_id}
        if self.mode == "service":
            self.refresh_list()

    def on_input_changed(self, _: Input.Changed) -> None:
        if self.mode == "local":
            self.refresh_list()

    def action_switch(self) -> None:
        self.mode = "service" if self.mode == "local" else "local"
        self.query_one("#history-title", Static).update(self._title())
        self.query_one(Input).display = self.mode == "local"
        if self.mode == "service":
            self._fetch_service()
            self.query_one(OptionList).focus()
        else:
            self.query_one(Input).focus()
        self.refresh_list()

    def key_down(self) -> None:
        self.query_one(OptionList).focus()

    def action_pick(self, action: str) -> None:
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None:
            return
        if self.mode == "local":
            if index >= len(self.entries):
                return
            e = self.entries[index]
            if action == "open" and not e.query_id:
                self.notify("This query never got a query ID (it failed to start).", severity="warning")
                return
            started = e.started if e.status in ("QUEUED", "RUNNING") else None
            self.dismiss(Pick(action, e.sql, e.query_id, e.key, started))
        else:
            if index >= len(self.service):
                return
            q = self.service[index]
            running = q.status in ("QUEUED", "RUNNING") and isinstance(q.created, datetime)
            created = q.created.timestamp() if running else None
            self.dismiss(Pick(action, None, q.query_id, self.current, created))
