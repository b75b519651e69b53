"""What a query may read: its event data stores and nothing else.

Every table in the query is a store unless sqlglot's scope analysis resolves it to a CTE visible where it
is used. (Matching table names against every CTE anywhere in the query let a table named like a CTE of
another scope reach DuckDB unchecked: `(WITH x AS (...) SELECT * FROM x) a CROSS JOIN x b` read DuckDB's
catalog views.) Functions that read files, settings or the catalog are refused by name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from trailtui.local.errors import EventDataStoreARNInvalid, EventDataStoreNotFound, InvalidQueryStatement

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
ARN_RE = re.compile(r"^arn:aws[a-z-]*:cloudtrail:[a-z0-9-]*:\d*:eventdatastore/(?P<id>[A-Za-z0-9-]+)$")
_ARN_PARTS = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):cloudtrail:(?P<region>[a-z0-9-]*):(?P<account>\d*):eventdatastore/"
)

# Functions a query may not call: they read files, settings, the catalog, or run other SQL.
_DENIED_FUNCTION = re.compile(
    r"^(read_.*|.*_scan|glob|sniff_csv|query|query_table|getenv|getvariable|current_setting|"
    r"duckdb_.*|pragma_.*|.*_metadata|parquet_.*|iceberg_.*|delta_.*|sqlite_.*|postgres_.*|mysql_.*|"
    r"http.*|load_.*|install_.*|checkpoint|force_checkpoint|enable_.*|disable_.*|which_secret|"
    r"set_.*|current_database|current_catalog|current_schema.*|test_all_types|range|generate_series|"
    r"repeat_row|unnest_table|json_execute_serialized_sql|sql_auto_complete)$",
    re.IGNORECASE,
)

StoreResolver = Callable[[str], "str | None"]  # store reference -> table name, or None if unknown


@dataclass
class Stores:
    """The store tables a query reads, by the nodes that name them."""

    refs: list[str] = field(default_factory=list)  # as written
    tables: list[str] = field(default_factory=list)  # the lake table of each reference
    nodes: dict[int, str] = field(default_factory=dict)  # id(Table node) -> lake table


def store_id_of(ref: str) -> str:
    """The store ID in a reference: the ARN's last part, or the reference itself."""
    m = ARN_RE.match(ref)
    return m.group("id") if m else ref


def denied_function(name: str) -> bool:
    return _DENIED_FUNCTION.match(name) is not None


def check_functions(tree: Any) -> None:
    from sqlglot import exp

    for func in tree.find_all(exp.Func):
        if isinstance(func, exp.GenerateSeries):
            continue  # Trino's sequence(): trino_functions makes it a list bounded as Trino bounds it
        name = func.name if isinstance(func, exp.Anonymous) else func.sql_name()
        if name and _DENIED_FUNCTION.match(name):
            raise InvalidQueryStatement(f"Function {name} is not allowed in a query.")


def cte_references(tree: Any) -> set[int]:
    """The Table nodes that scope analysis resolves to a CTE in scope where they are used."""
    from sqlglot import exp
    from sqlglot.optimizer.normalize_identifiers import normalize_identifiers
    from sqlglot.optimizer.scope import Scope, traverse_scope

    if tree.find(exp.CTE) is None:  # no CTE, so every table must be a store
        return set()

    # Trino's identifiers are case-insensitive: analyse a normalised copy, whose tables come in the same
    # order as the query's.
    copy = normalize_identifiers(tree.copy(), dialect="trino")
    originals = list(tree.find_all(exp.Table))
    position = {id(t): i for i, t in enumerate(copy.find_all(exp.Table))}
    refs: set[int] = set()
    try:
        scopes = traverse_scope(copy)
    except Exception as exc:  # an unanalysable query is refused, never let through unchecked
        raise InvalidQueryStatement(f"The query's structure could not be analysed: {exc}") from None
    for scope in scopes:
        for table in scope.tables:
            # A CTE reference only if the name is a CTE visible here AND that CTE is what the table's
            # alias resolves to: `(SELECT 1) b, sqlite_master b` must not pass as a derived table.
            cte = scope.cte_sources.get(table.name)
            if isinstance(cte, Scope) and cte.is_cte and scope.sources.get(table.alias_or_name) is cte:
                refs.add(id(originals[position[id(table)]]))
    return refs


def check_arn(ref: str, home: tuple[str, str] | None) -> None:
    """An ARN must name this lake's Region and account, as on Lake, where another account's or Region's
    store is not reachable by ARN."""
    m = _ARN_PARTS.match(ref)
    if m is None or home is None:
        return
    region, account = home
    if len(m.group("account")) != 12 or not m.group("region"):
        raise EventDataStoreARNInvalid(f"The event data store ARN {ref} is not valid.")
    if m.group("region") != region or m.group("account") != account:
        raise EventDataStoreNotFound(
            f"The event data store {ref} was not found: it names account {m.group('account')} in "
            f"{m.group('region')}, and this lake is account {account} in {region}."
        )


def resolve_stores(tree: Any, resolve: StoreResolver, hint: str, home: tuple[str, str] | None) -> Stores:
    """Check every table of the query and find the store behind each one that is not a CTE."""
    from sqlglot import exp

    ctes = cte_references(tree)
    out = Stores()
    for lateral in tree.find_all(exp.Lateral):
        # Trino's LATERAL takes a subquery only. DuckDB's also takes a table function, which is no Table
        # node: `, LATERAL json_execute_serialized_sql(...)` ran any SELECT the translator never saw (the
        # catalog, settings, the lake's own tables).
        if not isinstance(lateral.this, exp.Subquery):
            raise InvalidQueryStatement(
                f"LATERAL takes a subquery ({lateral.this.sql(dialect='trino')[:60]} is not one): "
                "a query reads event data stores."
            )
    for table in list(tree.find_all(exp.Table)):
        if not isinstance(table.this, exp.Identifier):
            raise InvalidQueryStatement(
                f"Table functions are not allowed ({table.this.sql(dialect='trino')[:60]}): "
                "a query reads event data stores."
            )
        if table.args.get("db") or table.args.get("catalog"):
            raise InvalidQueryStatement(
                f"Qualified table name {table.sql(dialect='trino')} is not allowed: name an event data "
                "store by its ID."
            )
        if id(table) in ctes:
            continue
        ref = table.name
        check_arn(ref, home)
        resolved = resolve(store_id_of(ref))
        if resolved is None:
            if UUID_RE.match(store_id_of(ref)) or ARN_RE.match(ref):
                raise EventDataStoreNotFound(f"The event data store {ref} was not found.")
            raise InvalidQueryStatement(
                f"{ref} is not an event data store: name one by its ID or ARN (the local lake also takes its "
                f"name; ListEventDataStores lists them){hint}."
            )
        out.refs.append(ref)
        out.tables.append(resolved)
        out.nodes[id(table)] = resolved
    return out


def point_at_lake(tree: Any, stores: Stores) -> None:
    """Rename each store table to its table in the attached lake, keeping the name it was written with as
    its alias so that `store.column` references still work."""
    from sqlglot import exp

    for table in list(tree.find_all(exp.Table)):
        resolved = stores.nodes.get(id(table))
        if resolved is None:
            continue
        original = table.name
        alias = table.args.get("alias")
        table.set("this", exp.to_identifier(resolved, quoted=True))
        table.set("db", exp.to_identifier("main", quoted=True))
        table.set("catalog", exp.to_identifier("lake", quoted=True))
        if alias is None:
            table.set("alias", exp.TableAlias(this=exp.to_identifier(original, quoted=True)))
