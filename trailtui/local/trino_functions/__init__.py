"""Trino's functions on DuckDB: tree rewrites applied by the translator, and the DuckDB stand-ins (macros
and Python functions) they call, registered on a query's connection before the sandbox locks it.

    tree = prepare(tree)            # before the translator types the tree
    tree, used = rewrite(tree)      # a sqlglot tree parsed as Trino, typed
    register(con, used)             # on the query's DuckDB connection, before it is locked

Areas: strings, urls, ips, json_legacy (json_extract & co.), json_path (json_value/json_query/json_exists),
arrays, maps (and the aggregates DuckDB lacks). docs/sql.md lists what remains different from Trino.
"""

from __future__ import annotations

from typing import Any

from trailtui.local.errors import InvalidQueryStatement

# Importing an area registers its rewrites and stand-ins.
from trailtui.local.trino_functions import (  # noqa: F401
    aggregates,
    arrays,
    conversions,
    datetimes,
    ips,
    json_casts,
    json_legacy,
    json_path,
    maps,
    mysql_formats,
    regex_dialect,
    signatures,
    strings,
    urls,
)
from trailtui.local.trino_functions.core import MACROS, UDFS, Rewriter
from trailtui.local.trino_functions.core import register as _register

__all__ = ["MACROS", "UDFS", "prepare", "register", "remember_formats", "rewrite"]


def remember_formats(tree: Any, text: str) -> None:
    """Right after parsing: keep date_format/date_parse formats as the query wrote them (mysql_formats)."""
    mysql_formats.remember_formats(tree, text)
    json_legacy.remember_paths(tree, text)


def prepare(tree: Any) -> Any:
    """Before the translator types the query: Trino functions that are another spelling of an operator it
    gives Trino's meaning to, such as at_timezone(t, zone), which is `t AT TIME ZONE zone`."""
    try:
        return datetimes.prepare(tree)
    except ValueError as exc:  # an unknown zone, a pattern that cannot be read
        raise InvalidQueryStatement(str(exc)) from None


def rewrite(tree: Any) -> tuple[Any, frozenset[str]]:
    """The tree with Trino's functions in DuckDB's terms, and the stand-ins it calls. A function or
    argument form that cannot be given Trino's meaning is refused (InvalidQueryStatement)."""
    rw = Rewriter()
    try:
        tree = rw.rewrite(tree)
    except ValueError as exc:
        raise InvalidQueryStatement(str(exc)) from None
    return tree, frozenset(rw.used)


def register(con: Any, names: frozenset[str] | set[str]) -> None:
    """Create the stand-ins a query calls on its connection (before the sandbox locks it)."""
    if names:
        _register(con, names)
