"""The grid's data, apart from drawing: the loaded rows, which of them show and in what order (filter, sort),
and which columns show and in what order (hidden, pinned). Free of Textual, so the filter's speed can be
measured on its own (benchmarks/grid_filter_bench.py).

The filter must keep up with typing on 100,000 rows. Each row's text is lowercased and joined once, on the
page's arrival (a millisecond a page), so a key costs one substring test per row; a key that extends the filter only
searches the rows the previous text matched, and recent results are kept, so backspace is free. Rows are
searched in arrival order, where their texts lie together in memory, and then laid in the sorted order.

The filter matches what the user sees: a hidden column's text does not count, and a NULL cell, shown as
`null`, is found by typing null. Hiding or showing columns
rebuilds the texts (once, when a filter next needs them) and applies the filter again.
"""

from __future__ import annotations

from collections import deque
from itertools import compress, repeat
from operator import contains

from trailtui.tui import grid_sort
from trailtui.tui.grid_sort import Kind, SortKey
from trailtui.tui.safe import NULL

Row = list[str | None]
_SEP = "\x00"  # between cells in a row's text: a filter never matches across two cells


class GridModel:
    def __init__(self) -> None:
        self.columns: list[str] = []
        self.rows: list[Row] = []
        self.clear()

    def clear(self) -> None:
        self.columns, self.rows = [], []
        self.view: list[int] = []  # indices of the rows shown, in the order shown
        self.filter_text = ""  # lowercased
        self._column_filter: tuple[list[int], str | None] | None = None
        self._texts: list[str] = []  # lowercased row texts (the shown columns), one per row
        self._texts_hide: frozenset[int] = frozenset()  # the hidden columns `_texts` leaves out
        self._order: list[int] = []  # every row, in arrival or sorted order
        self._memo: dict[str, list[int]] = {}  # filter text -> rows it matched, in arrival order
        self._rank: list[int] = []  # each row's place in a sorted order (built when first needed)
        self._found: list[int] | None = None  # rows the filter matched, in arrival order (None: no filter)
        self.sort_column: int | None = None
        self.descending = False
        self._kind: Kind = "text"
        self._keys: list[SortKey | None] = []
        self.hidden: set[int] = set()
        self.pinned: list[int] = []

    # -- rows ---------------------------------------------------------------------------------------------
    def add_rows(self, columns: list[str], rows: list[Row]) -> None:
        if not self.columns and columns:
            self.columns = list(columns)
        start = len(self.rows)
        self.rows.extend(rows)
        new = range(start, len(self.rows))
        if self._texts_hide == self.hidden:  # else the texts are rebuilt when next needed
            self._texts.extend(_text(r, self._texts_hide) for r in rows)
        if self.sort_column is None:
            self._order.extend(new)
        else:
            self._extend_keys(rows)
            self._order = grid_sort.order(self._keys, self._order + list(new), self.descending)
            self._rank = []
        self._memo.clear()
        if self._found is not None:
            self._found.extend(self._select(new))
        if self._found is None and self.sort_column is None and len(self.view) == start:
            self.view.extend(new)  # as they arrived: the view grows, not copied again for every page
        else:
            self._arrange()

    # -- which rows show ----------------------------------------------------------------------------------
    def set_filter(self, text: str) -> None:
        """Rows containing `text` (case-insensitive) in any cell shown (NULL reads `null`); "" shows every row.
        Clears a column filter."""
        needle = text.lower()
        self._column_filter = None
        self.filter_text = needle
        if not needle:
            self._found = None
        else:
            found = self._memo.get(needle)
            if found is None:
                found = self._search(needle)
                self._remember(needle, found)
            self._found = found
        self._arrange()

    def _row_texts(self) -> list[str]:
        """The rows' texts, built again after columns were hidden or shown."""
        if self._texts_hide != self.hidden or len(self._texts) != len(self.rows):
            self._texts_hide = frozenset(self.hidden)
            self._texts = [_text(r, self._texts_hide) for r in self.rows]
            self._memo.clear()
        return self._texts

    def _columns_changed(self) -> None:
        """Columns were hidden or shown: a text filter on screen is applied to what shows now."""
        if self.filter_text:
            self._memo.clear()
            self.set_filter(self.filter_text)

    def _search(self, needle: str) -> list[int]:
        texts = self._row_texts()
        # The longest earlier filter contained in this one matched a superset: search only those rows.
        base = max((k for k in self._memo if k in needle), key=len, default=None)
        if base is not None:
            return [i for i in self._memo[base] if needle in texts[i]]
        # Every row, in the order the texts lie in memory (a sorted order would cost cache misses), in C.
        return list(compress(range(len(texts)), map(contains, texts, repeat(needle))))

    def _remember(self, needle: str, found: list[int]) -> None:
        """Keep recent results for backspace, within about four times the rows' count of indices."""
        self._memo[needle] = found
        budget = 4 * len(self.rows) + 1000
        while len(self._memo) > 1 and sum(len(v) for v in self._memo.values()) > budget:
            self._memo.pop(next(iter(self._memo)))

    def filter_column(self, column: str, value: str | None) -> None:
        """Rows whose `column` (every column of that name) equals `value` exactly."""
        idx = [i for i, c in enumerate(self.columns) if c.lower() == column.lower()]
        self.filter_text = ""
        self._column_filter = (idx, value)
        self._found = self._select(range(len(self.rows)))
        self._arrange()

    def _select(self, indices: range) -> list[int]:
        if self._column_filter is not None:
            idx, value = self._column_filter
            return [i for i in indices if any(self.rows[i][j] == value for j in idx)]
        texts, needle = self._row_texts(), self.filter_text
        return [i for i in indices if needle in texts[i]]

    def _arrange(self) -> None:
        """The view: the rows found (all, if no filter), in the current order."""
        found = self._found
        if found is None or len(found) == len(self.rows):  # every row: the order as it is
            self.view = list(self._order)
        elif self.sort_column is None:
            self.view = list(found)
        elif len(found) * 16 < len(self.rows):  # a few rows: sort them by their place in the order
            self.view = sorted(found, key=self._ranks().__getitem__)
        else:  # the sorted order, keeping the rows found: a byte per row, walked in C
            mask = bytearray(len(self.rows))
            deque(map(mask.__setitem__, found, repeat(1)), maxlen=0)  # mask[i] = 1 for each, in C
            self.view = list(compress(self._order, map(mask.__getitem__, self._order)))

    def _ranks(self) -> list[int]:
        """Each row's place in the sorted order; built when the order changes (a sort key press, a page)."""
        if len(self._rank) != len(self._order):
            rank = self._rank = [0] * len(self._order)
            deque(map(rank.__setitem__, self._order, range(len(self._order))), maxlen=0)  # in C
        return self._rank

    @property
    def filtered(self) -> bool:
        return self._found is not None

    # -- sorting ------------------------------------------------------------------------------------------
    def cycle_sort(self, column: int) -> None:
        """Ascending on the first press, descending on the second, arrival order on the third; a press on
        another column starts it ascending."""
        if self.sort_column != column:
            self.sort_column, self.descending = column, False
            values = (r[column] for r in self.rows)
            self._kind = grid_sort.kind_of(values)
            self._keys = [grid_sort.sort_key(self._kind, r[column]) for r in self.rows]
        elif not self.descending:
            self.descending = True
        else:
            self.sort_column, self.descending, self._keys = None, False, []
        if self.sort_column is None:
            self._order = list(range(len(self.rows)))
        else:
            self._order = grid_sort.order(self._keys, list(range(len(self.rows))), self.descending)
        self._rank = []
        if self.sort_column is not None:
            self._ranks()  # now, with the sort, rather than on the first key typed in the filter
        self._arrange()

    @property
    def sort_kind(self) -> Kind | None:
        return None if self.sort_column is None else self._kind

    def _extend_keys(self, rows: list[Row]) -> None:
        column = self.sort_column
        assert column is not None
        values = [r[column] for r in rows]
        if not grid_sort.fits(self._kind, values):  # a later page has text in a number column: re-decide
            self._kind = grid_sort.kind_of(r[column] for r in self.rows)
            self._keys = [grid_sort.sort_key(self._kind, r[column]) for r in self.rows[: -len(rows)]]
        self._keys.extend(grid_sort.sort_key(self._kind, v) for v in values)

    # -- which columns show -------------------------------------------------------------------------------
    @property
    def shown_columns(self) -> list[int]:
        """Column indices in the order drawn: the pinned ones first (in the order pinned), then the rest."""
        pinned = [i for i in self.pinned if i not in self.hidden]
        rest = [i for i in range(len(self.columns)) if i not in self.hidden and i not in self.pinned]
        return pinned + rest

    @property
    def pinned_shown(self) -> int:
        return sum(1 for i in self.pinned if i not in self.hidden)

    def hide(self, column: int) -> bool:
        """Hide a column; the last one shown stays (a grid with no column shows nothing to come back from)."""
        if len(self.shown_columns) <= 1:
            return False
        self.hidden.add(column)
        self._columns_changed()
        return True

    def show_all(self) -> int:
        count = len(self.hidden)
        self.hidden.clear()
        self._columns_changed()
        return count

    def toggle_pin(self, column: int) -> bool:
        """Pin a column (it moves left and stays while scrolling right), or unpin it; True when now pinned."""
        if column in self.pinned:
            self.pinned.remove(column)
            return False
        self.pinned.append(column)
        return True


def _text(row: Row, hidden: frozenset[int] = frozenset()) -> str:
    """The row as the filter searches it: its cells as the grid shows them, a NULL as `null`."""
    if hidden:
        return _SEP.join([NULL if v is None else v for i, v in enumerate(row) if i not in hidden]).lower()
    return _SEP.join([NULL if v is None else v for v in row]).lower()  # a list: join makes one of a generator
