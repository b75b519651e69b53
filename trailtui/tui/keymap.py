"""Every key of the explorer, as data: the bindings, the footer, the help screen and the command palette
are all generated from this one table, so they cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType

from trailtui.tui.interpreter import COMMANDS


@dataclass(frozen=True)
class Key:
    keys: str  # Textual key names, comma-separated: the first is the one shown
    action: str
    description: str  # short, for the footer
    help: str  # one sentence, for the help screen and the command palette
    context: str = "app"  # app (the main screen), grid, stores, detail
    show: bool = True
    priority: bool = False


KEYMAP: tuple[Key, ...] = (
    Key("f1,question_mark", "help", "Help", "Show every key."),  # first: the footer at 80 columns keeps it
    Key("ctrl+q", "app.quit", "Quit", "Quit (running queries are cancelled).", priority=True),
    Key(
        "ctrl+j,f5,ctrl+enter",
        "run_query",
        "Run",
        "Run the statement in the editor (the selection, if any).",
        priority=True,
    ),
    Key(
        "ctrl+g,f8",
        "cancel_query",
        "Cancel",
        "Cancel the running query (CancelQuery); when several run, ask which.",
        priority=True,
    ),
    Key(
        "ctrl+t",
        "running_queries",
        "Running",
        "List the running queries (every connection): elapsed time, SQL; follow or cancel one.",
        priority=True,
        show=False,
    ),
    Key("f2", "focus_pane('stores')", "Stores", "Move to the stores pane.", priority=True, show=False),
    Key("f3", "focus_pane('editor')", "Editor", "Move to the SQL editor.", priority=True, show=False),
    Key("f4", "focus_pane('results')", "Results", "Move to the results grid.", priority=True, show=False),
    Key(
        "ctrl+o",
        "insert_store_id",
        "Insert ID",
        "Insert the selected store's ID at the editor's cursor.",
        priority=True,
    ),
    Key(
        "ctrl+r",
        "history",
        "History",
        "Open the query history (search it, reopen results without a new scan).",
        priority=True,
    ),
    Key(
        "ctrl+s",
        "save_query",
        "Save",
        "Save the editor's SQL as a named query file.",
        priority=True,
        show=False,
    ),
    Key("ctrl+l", "open_saved", "Queries", "Open a saved or sample query.", priority=True, show=False),
    Key(
        "ctrl+e",
        "export",
        "Export",
        "Export the whole result to CSV, JSON or JSON Lines.",
        priority=True,
        show=False,
    ),
    Key(
        "f9",
        "copy_sql",
        "Copy SQL",
        "Copy the editor's SQL to the clipboard (OSC 52, works over SSH).",
        priority=True,
        show=False,
    ),
    Key(
        "f10",
        "switch_profile",
        "Profile",
        "Switch the AWS profile (fuzzy picker, most recent first).",
        priority=True,
    ),
    Key(
        "f11",
        "switch_region",
        "Region",
        "Switch the AWS Region of the current profile.",
        priority=True,
        show=False,
    ),
    Key(
        "f12",
        "toggle_stores",
        "Stores pane",
        "Hide the stores pane (its room goes to the editor and results), or show it again.",
        priority=True,
        show=False,
    ),
    Key(
        "ctrl+n",
        "zoom",
        "Zoom",
        "Zoom the focused pane (editor, results or stores) to the whole screen; again to return.",
        priority=True,
    ),
    Key(
        "alt+t",
        "time_range",
        "Time",
        "Time range: bound the editor's query to the last hour, 24 hours, 7 days or custom times.",
        priority=True,
        show=False,
    ),
    Key(
        "ctrl+f",
        "format_sql",
        "Format",
        "Format the editor's statement (or the selection); ctrl+z undoes it.",
        priority=True,
        show=False,
    ),
    Key(
        "alt+z",
        "toggle_wrap",
        "Wrap",
        "Soft wrap long lines in the editor (on/off).",
        priority=True,
        show=False,
    ),
    Key(
        "alt+v",
        "chart",
        "Chart",
        "Chart the loaded rows: a time histogram, or bars for a (label, count) result.",
        priority=True,
        show=False,
    ),
    Key(
        "colon",
        "command_line",
        "Command",
        "Command mode: " + ", ".join(c.usage for c in COMMANDS) + ".",
        show=False,
    ),
    # The results grid
    Key("enter", "open_cell", "Open", "Open the cell under the cursor in the detail view.", context="grid"),
    Key("r", "open_row", "Row", "Open the whole row in the detail view.", context="grid"),
    Key(
        "e", "open_event", "Event", "Open the event of this row (its eventjson), by eventID.", context="grid"
    ),
    Key("slash", "filter", "Filter", "Filter the loaded rows (no new query).", context="grid"),
    Key(
        "a",
        "filter_account",
        "Account",
        "Show only rows of the account under the cursor (recipientAccountId).",
        context="grid",
        show=False,
    ),
    Key(
        "y",
        "copy_cell",
        "Copy cell",
        "Copy the cell to the clipboard (OSC 52, works over SSH).",
        context="grid",
        show=False,
    ),
    Key(
        "Y",
        "copy_row",
        "Copy row",
        'Copy the row as flat JSON ({"column": value}) to the clipboard.',
        context="grid",
        show=False,
    ),
    Key(
        "T",
        "copy_row_tsv",
        "Copy TSV",
        "Copy the row as TSV (a header line and the row) to the clipboard.",
        context="grid",
        show=False,
    ),
    Key(
        "c",
        "copy_column",
        "Copy column",
        "Copy the column's values, one a line, of the rows shown (filtered, in their order).",
        context="grid",
        show=False,
    ),
    Key("home,g", "first_row", "First", "Go to the first row.", context="grid", show=False),
    Key("end,G", "last_row", "Last", "Go to the last loaded row.", context="grid", show=False),
    Key(
        "v",
        "screen.chart",
        "Chart",
        "Chart the time column under the cursor (else eventTime), or a (label, count) result.",
        context="grid",
        show=False,
    ),
    Key("j", "cursor(1, 0)", "Down", "Move down a row (vim: j k h l).", context="grid", show=False),
    Key("k", "cursor(-1, 0)", "Up", "Move up a row.", context="grid", show=False),
    Key("h", "cursor(0, -1)", "Left", "Move left a column.", context="grid", show=False),
    Key("l", "cursor(0, 1)", "Right", "Move right a column.", context="grid", show=False),
    Key("0", "first_column", "First column", "Go to the first column.", context="grid", show=False),
    Key("dollar_sign", "last_column", "Last column", "Go to the last column.", context="grid", show=False),
    Key(
        "s",
        "sort",
        "Sort",
        "Sort the loaded rows by this column: ascending, again descending, a third time as they arrived.",
        context="grid",
    ),
    Key("minus", "hide_column", "Hide", "Hide the column under the cursor.", context="grid", show=False),
    Key("plus", "show_columns", "Show all", "Show every hidden column again.", context="grid", show=False),
    Key(
        "p",
        "pin_column",
        "Pin",
        "Pin the column (it moves left and stays while you scroll right); again to unpin.",
        context="grid",
        show=False,
    ),
    # The editor
    Key(
        "ctrl+space,ctrl+@",
        "complete",
        "Complete",
        "Complete the word before the cursor: columns (userIdentity.arn), functions, store IDs.",
        context="editor",
        show=False,
    ),
    # The stores pane
    Key(
        "enter",
        "select_store",
        "Use store",
        "Make this store the current one (queries run on its connection).",
        context="stores",
        show=False,
    ),
    Key(
        "i",
        "toggle_details",
        "Details",
        "Show or fold the store details (folded at first below 100x30).",
        context="stores",
    ),
    # The detail view
    Key("escape,q", "close", "Close", "Close the detail view.", context="detail"),
    Key("y", "copy_value", "Copy", "Copy the value shown to the clipboard.", context="detail"),
)


def bindings(context: str) -> list[BindingType]:
    return [
        Binding(k.keys, k.action, k.description, show=k.show, priority=k.priority)
        for k in KEYMAP
        if k.context == context
    ]
