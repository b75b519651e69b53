"""Lake's output column names: the typed spelling of plain columns, the leaf of struct paths, aliases, and
`_colN` for unnamed expressions; stars expand to the stores' column names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from trailtui.local.schema import COLUMN_NAMES


def _projection_name(e: Any) -> str | None:
    """Lake's name for one select-list item, or None for an unnamed expression."""
    from sqlglot import exp

    if isinstance(e, exp.Alias):
        return e.alias
    if isinstance(e, exp.Column):
        return e.name
    if isinstance(e, exp.Dot):
        return e.name
    return None


class Namer:
    """Computes output names of a query (Lake's rules), expanding stars where the sources are known."""

    def __init__(self, tree: Any, is_store: Callable[[Any], bool]) -> None:
        from sqlglot import exp

        self.exp = exp
        self.is_store = is_store
        self.ctes: dict[str, Any] = {}
        for cte in tree.find_all(exp.CTE):
            self.ctes[cte.alias_or_name.lower()] = cte

    def names(self, query: Any) -> list[str | None] | None:
        exp = self.exp
        while isinstance(query, exp.Subquery):
            query = query.this
        while isinstance(query, exp.SetOperation):
            query = query.this
            while isinstance(query, exp.Subquery):
                query = query.this
        if not isinstance(query, exp.Select):
            return None
        out: list[str | None] = []
        for item in query.expressions:
            if isinstance(item, exp.Star) or (
                isinstance(item, exp.Column) and isinstance(item.this, exp.Star)
            ):
                qualifier = item.table if isinstance(item, exp.Column) else ""
                expanded = self._star(query, qualifier)
                if expanded is None:
                    return None
                out.extend(expanded)
            else:
                out.append(_projection_name(item))
        return [n if n is not None else f"_col{i}" for i, n in enumerate(out)]

    def _source_names(self, source: Any) -> list[str | None] | None:
        exp = self.exp
        if isinstance(source, exp.Table):
            if self.is_store(source):
                return list(COLUMN_NAMES)
            cte = self.ctes.get(source.name.lower())
            if cte is None:
                return None
            cols = cte.args.get("alias") and cte.args["alias"].columns
            if cols:
                return [c.name for c in cols]
            return self.names(cte.this)
        if isinstance(source, exp.Subquery):
            cols = source.args.get("alias") and source.args["alias"].columns
            if cols:
                return [c.name for c in cols]
            return self.names(source.this)
        if isinstance(source, exp.Unnest):
            cols = source.args.get("alias") and source.args["alias"].columns
            if cols:
                return [c.name for c in cols]
        return None

    def _star(self, select: Any, qualifier: str) -> list[str | None] | None:
        from_ = select.args.get("from") or select.args.get("from_")
        if from_ is None:
            return None
        sources = [from_.this] + [j.this for j in select.args.get("joins") or []]
        names: list[str | None] = []
        for source in sources:
            if qualifier and source.alias_or_name.lower() != qualifier.lower():
                continue
            part = self._source_names(source)
            if part is None:
                return None
            names.extend(part)
        return names
