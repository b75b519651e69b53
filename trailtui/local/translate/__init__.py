"""CloudTrail Lake SQL (Trino) to DuckDB SQL over the local lake, with Trino's meaning and Lake's names.

The steps, each for a reason (one module each):
1. parse: bare store IDs and ARNs are quoted (no SQL parser takes a hyphenated token as a table name), then
   sqlglot parses the Trino text. Trino's grammar is stricter than sqlglot's; what Trino refuses is refused,
   with `line L:C:` as Trino says it.
2. sandbox: every table must be a store (by ID, ARN, or local store name) or a CTE in scope; table
   functions, qualified names and functions that reach outside the query are refused.
3. names: Lake's output column names, computed on the query as written.
4. types + semantics: the query is qualified against the stores' schema (so an unknown column fails as
   Trino says it) and every expression gets its Trino type; operators, literals and casts are then
   rewritten so that DuckDB computes what Trino would, or refused where it cannot.
5. trino_functions: Trino's functions where DuckDB lacks them or answers differently (rewrites reading the
   Trino types, plus the DuckDB stand-ins the query needs, registered on its connection by the engine);
   sqlglot's Trino-to-DuckDB generator does the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from trailtui.lake.sqltext import quote_store_ids
from trailtui.local import trino_functions
from trailtui.local.errors import InvalidQueryStatement
from trailtui.local.translate.coercion import check_date_diff
from trailtui.local.translate.grouping import Site, group_sites, locate_group_error
from trailtui.local.translate.late import finish
from trailtui.local.translate.names import Namer
from trailtui.local.translate.orderby import order_by_outputs
from trailtui.local.translate.parse import Source, parse
from trailtui.local.translate.rewrite import check_time_literals
from trailtui.local.translate.sandbox import (
    ARN_RE,
    UUID_RE,
    StoreResolver,
    check_functions,
    point_at_lake,
    resolve_stores,
    store_id_of,
)
from trailtui.local.translate.semantics import give_trino_semantics
from trailtui.local.translate.types import TrinoType

__all__ = [
    "ARN_RE",
    "MAX_STATEMENT",
    "UUID_RE",
    "StoreResolver",
    "Translation",
    "TrinoType",
    "quote_store_ids",
    "store_id_of",
    "translate",
]


@dataclass
class Translation:
    duckdb_sql: str
    store_tables: list[str]  # tables of the stores the query reads
    store_refs: list[str]  # the store references as written
    names: list[str | None] = field(default_factory=list)  # Lake column names; None: take DuckDB's
    star_unknown: bool = False  # names could not be fully computed; use DuckDB's for star columns
    types: list[TrinoType | None] = field(default_factory=list)  # Trino type of each result column
    function_at: dict[str, str] = field(default_factory=dict)  # unknown-to-sqlglot function -> "line L:C: "

    group_sites: list[Site] = field(default_factory=list)  # aggregating SELECTs' expressions, as parsed

    def locate(self, message: str) -> str:
        """An error about a function or a column missing from GROUP BY, with its line and column in the query,
        as Trino says it."""
        grouping = locate_group_error(message, self.group_sites)
        if grouping is not None:
            return grouping
        m = re.match(r"Function '(\w+)' not registered", message)
        where = self.function_at.get(m.group(1)) if m else None
        return f"{where}{message}" if where and not message.startswith("line ") else message

    functions: frozenset[str] = frozenset()  # trino_functions stand-ins to register before running


MAX_STATEMENT = 10_000  # Lake's limit on QueryStatement, in characters


def translate(sql: str, resolve: StoreResolver, home: tuple[str, str] | None = None) -> Translation:
    """Translate a Lake query to DuckDB SQL over the attached lake, or raise a Lake error. `home` is the
    lake's (Region, account): a store ARN naming another one is not found, as on Lake."""
    if len(sql) > MAX_STATEMENT:
        raise InvalidQueryStatement(
            f"The query statement is {len(sql):,} characters; the limit is {MAX_STATEMENT:,}."
        )
    try:
        return _translate(sql, resolve, home)
    except RecursionError:
        raise InvalidQueryStatement("The query is nested too deeply to analyse.") from None


def _function_positions(tree: Any, src: Source) -> dict[str, str]:
    """Where each call of a function sqlglot does not know is, for DuckDB's 'not registered' errors."""
    from sqlglot import exp

    out: dict[str, str] = {}
    for func in tree.find_all(exp.Anonymous):
        name = func.name.lower()
        if name not in out:
            m = re.search(rf"\b{re.escape(func.name)}\s*\(", src.parsed, re.IGNORECASE)
            if m:
                line, col = src.position(m.start())
                out[name] = f"line {line}:{col}: "
    return out


def _duckdb_sql(tree: Any) -> str:
    """The DuckDB text of the translated tree. What sqlglot cannot write in DuckDB it would drop or
    approximate with a logged warning (array_sort's comparator was dropped: a descending sort answered
    ascending); the query is refused instead, with sqlglot's reason."""
    from sqlglot.errors import ErrorLevel, UnsupportedError

    try:
        return str(tree.sql(dialect="duckdb", identify=True, unsupported_level=ErrorLevel.RAISE))
    except UnsupportedError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "unsupported syntax"
        raise InvalidQueryStatement(f"Not supported on the local lake: {reason}") from None


def _translate(sql: str, resolve: StoreResolver, home: tuple[str, str] | None) -> Translation:
    tree, src = parse(sql)
    trino_functions.remember_formats(tree, src.parsed)
    function_at = _function_positions(tree, src)
    sites = group_sites(tree, src)
    check_functions(tree)
    stores = resolve_stores(tree, resolve, src.hint(), home)
    names = Namer(tree, lambda t: id(t) in stores.nodes).names(tree)
    check_time_literals(tree)
    order_by_outputs(tree)
    point_at_lake(tree, stores)
    if not stores.tables:
        raise InvalidQueryStatement(
            "A query must read at least one event data store (FROM <event data store ID>)."
        )
    tree = trino_functions.prepare(tree)
    tree, types = give_trino_semantics(tree, src, stores.tables)
    check_date_diff(tree, src)
    tree, functions = trino_functions.rewrite(tree)
    tree = finish(tree)
    for node in tree.walk():  # the generator copies the tree: nested struct types make that slow
        node.type = None
    duck = _duckdb_sql(tree)
    return Translation(
        duckdb_sql=duck,
        store_tables=list(dict.fromkeys(stores.tables)),
        store_refs=stores.refs,
        names=names or [],
        star_unknown=names is None,
        types=types,
        function_at=function_at,
        group_sites=sites,
        functions=functions,
    )
