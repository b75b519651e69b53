"""CloudTrail Lake SQL (Trino) to DuckDB SQL over the local lake, with Lake's output column names.

The steps, each for a reason:
1. Bare event data store IDs (`FROM 49d1288a-bde9-...`) and ARNs are quoted, because no SQL parser takes a
   hyphenated token as a table name. Only tokens right after FROM or JOIN are touched, never text inside
   strings or comments.
2. sqlglot parses the Trino text. A parse error, more than one statement, or anything but a query becomes
   InvalidQueryStatementException with the line and column.
3. Every table must be a store (by ID, ARN, or local store name) or a CTE. Stores are rewritten to their
   table in the read-only attached lake; table functions, qualified names and functions that reach
   outside the query (file readers, settings, catalog views) are refused.
4. Trino functions DuckDB lacks are rewritten (any_match, all_match, none_match, json_array_get); sqlglot's Trino-to-DuckDB generator does the rest.
5. Output column names follow Lake: the typed spelling of plain columns, the leaf of struct paths, aliases,
   and `_colN` for unnamed expressions; stars expand to the stores' column names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from trailtui.lake.sqltext import quote_store_ids
from trailtui.local.errors import (
    EventDataStoreNotFound,
    InvalidQueryStatement,
)
from trailtui.local.schema import COLUMN_NAMES

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
ARN_RE = re.compile(r"^arn:aws[a-z-]*:cloudtrail:[a-z0-9-]*:\d*:eventdatastore/(?P<id>[A-Za-z0-9-]+)$")
_PLACEHOLDER = re.compile(r"(?:FROM|JOIN)\s+(<[^>]{1,60}>|\$\{?[A-Za-z_]+\}?)", re.IGNORECASE)

# Functions a query may not call: they read files, settings, the catalog, or run other SQL.
_DENIED_FUNCTION = re.compile(
    r"^(read_.*|.*_scan|glob|sniff_csv|query|query_table|getenv|getvariable|current_setting|"
    r"duckdb_.*|pragma_.*|.*_metadata|parquet_.*|iceberg_.*|delta_.*|sqlite_.*|postgres_.*|mysql_.*|"
    r"http.*|load_.*|install_.*|checkpoint|force_checkpoint|enable_.*|disable_.*|which_secret|"
    r"set_.*|current_database|current_catalog|current_schema.*|test_all_types|range|generate_series|"
    r"repeat_row|unnest_table)$",
    re.IGNORECASE,
)

StoreResolver = Callable[[str], "str | None"]  # store reference -> table name, or None if unknown


@dataclass
class Translation:
    duckdb_sql: str
    store_tables: list[str]  # tables of the stores the query reads
    store_refs: list[str]  # the store references as written
    names: list[str | None] = field(default_factory=list)  # Lake column names; None: take DuckDB's
    star_unknown: bool = False  # names could not be fully computed; use DuckDB's for star columns


def store_id_of(ref: str) -> str:
    """The store ID in a reference: the ARN's last part, or the reference itself."""
    m = ARN_RE.match(ref)
    return m.group("id") if m else ref


def _parse(sql: str) -> Any:
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    text = sql.strip().rstrip(";").strip()
    if not text:
        raise InvalidQueryStatement("The query statement is empty.")
    quoted = quote_store_ids(text)
    try:
        statements = [s for s in sqlglot.parse(quoted, read="trino") if s is not None]
    except ParseError as exc:
        err = exc.errors[0] if exc.errors else {}
        where = f"line {err.get('line', '?')}:{err.get('col', '?')}: " if err else ""
        desc = _describe_parse_error(err) if err else str(exc).splitlines()[0]
        hint = _placeholder_hint(text)
        raise InvalidQueryStatement(f"{where}{desc}{hint}") from None
    except TokenError as exc:
        raise InvalidQueryStatement(f"{exc}{_placeholder_hint(text)}") from None
    if len(statements) != 1:
        raise InvalidQueryStatement(f"Only one statement per query is allowed; found {len(statements)}.")
    tree = statements[0]
    if isinstance(tree, exp.Subquery):
        tree = tree.unnest()
    if not isinstance(tree, exp.Query) or isinstance(tree, exp.Command):
        kind = tree.key.upper() if hasattr(tree, "key") else type(tree).__name__
        raise InvalidQueryStatement(
            f"Only SELECT queries are allowed; this statement is {kind}{_placeholder_hint(text)}."
        )
    if tree.find(exp.Into):
        raise InvalidQueryStatement("SELECT ... INTO is not allowed: queries are read-only.")
    for node in tree.walk():
        if isinstance(
            node, exp.Command | exp.Insert | exp.Update | exp.Delete | exp.Create | exp.Drop | exp.Alter
        ):
            raise InvalidQueryStatement(f"{node.key.upper()} is not allowed: queries are read-only.")
    return tree


def _describe_parse_error(err: dict[str, Any]) -> str:
    """sqlglot's error, in words about the query rather than about sqlglot's classes."""
    desc = str(err.get("description") or "syntax error")
    near = str(err.get("highlight") or "").strip()
    if desc.startswith("Required keyword") or desc.startswith("Invalid expression"):
        desc = "syntax error"
    desc = re.sub(r"<class '[\w.]+'>", "expression", desc)
    desc = re.sub(r"<Token token_type: [^,]+, text: (.*?), line: .*?>", r"'\1'", desc)
    if near and f"'{near}'" in desc:
        return desc
    return f"{desc} at or near {near!r}" if near else desc


def _placeholder_hint(sql: str) -> str:
    m = _PLACEHOLDER.search(sql)
    if m:
        return (
            f" (replace the placeholder {m.group(1)} with an event data store ID, "
            "e.g. FROM 0d3a6f2e-7b1c-4e5a-9c8d-2f4b6a8c0e1d)"
        )
    return ""


def _cte_names(tree: Any) -> set[str]:
    from sqlglot import exp

    return {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}


def _check_functions(tree: Any) -> None:
    from sqlglot import exp

    for func in tree.find_all(exp.Func):
        name = func.name if isinstance(func, exp.Anonymous) else func.sql_name()
        if name and _DENIED_FUNCTION.match(name):
            raise InvalidQueryStatement(f"Function {name} is not allowed in a query.")


_TIME_COLUMNS = {"eventtime"}


def _check_time_literals(tree: Any) -> None:
    """Lake compares eventTime with string literals; one that is not a time is the query's error, said now
    (DuckDB would only fail when the comparison runs)."""
    from datetime import datetime

    from sqlglot import exp

    for cmp in tree.find_all(exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Between):
        sides = (
            [cmp.this, cmp.expression]
            if not isinstance(cmp, exp.Between)
            else [cmp.this, cmp.args.get("low"), cmp.args.get("high")]
        )
        if not any(isinstance(x, exp.Column) and x.name.lower() in _TIME_COLUMNS for x in sides):
            continue
        for lit in sides:
            if isinstance(lit, exp.Literal) and lit.is_string:
                text = lit.this.strip()
                try:
                    datetime.fromisoformat(text.replace("Z", "+00:00").replace(" UTC", "+00:00"))
                except ValueError:
                    raise InvalidQueryStatement(
                        f"'{text}' is not a valid timestamp for comparison with eventTime "
                        "(use 'YYYY-MM-DD HH:MM:SS')."
                    ) from None


def _rewrite_functions(tree: Any) -> Any:
    """Trino functions that DuckDB does not have, as DuckDB expressions."""
    from sqlglot import exp

    def lam_not(lam: Any) -> Any:
        return exp.Lambda(this=exp.Not(this=exp.Paren(this=lam.this.copy())), expressions=lam.expressions)

    def count_matching(arr: Any, lam: Any) -> Any:
        return exp.Anonymous(
            this="len", expressions=[exp.Anonymous(this="list_filter", expressions=[arr, lam])]
        )

    def transform(node: Any) -> Any:
        if not isinstance(node, exp.Anonymous):
            return node
        name = node.name.lower()
        args = node.expressions
        if (
            name in ("any_match", "all_match", "none_match")
            and len(args) == 2
            and isinstance(args[1], exp.Lambda)
        ):
            arr, lam = args
            if name == "any_match":  # true if some element matches
                return exp.GT(this=count_matching(arr, lam), expression=exp.Literal.number(0))
            if name == "none_match":
                return exp.EQ(this=count_matching(arr, lam), expression=exp.Literal.number(0))
            return exp.EQ(this=count_matching(arr, lam_not(lam)), expression=exp.Literal.number(0))
        if name == "json_array_get" and len(args) == 2:
            j, idx = args
            if isinstance(idx, exp.Literal) and not idx.is_string:
                k = int(idx.name)
                path = f"$[{k}]" if k >= 0 else f"$[#{k}]"
                return exp.Anonymous(this="json_extract", expressions=[j, exp.Literal.string(path)])
            if isinstance(idx, exp.Neg) and isinstance(idx.this, exp.Literal):
                return exp.Anonymous(
                    this="json_extract", expressions=[j, exp.Literal.string(f"$[#-{int(idx.this.name)}]")]
                )
            dynamic = exp.Anonymous(
                this="concat", expressions=[exp.Literal.string("$["), idx, exp.Literal.string("]")]
            )
            return exp.Anonymous(this="json_extract", expressions=[j, dynamic])
        return node

    return tree.transform(transform)


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


class _Namer:
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


MAX_STATEMENT = 10_000  # Lake's limit on QueryStatement, in characters


def translate(sql: str, resolve: StoreResolver) -> Translation:
    """Translate a Lake query to DuckDB SQL over the attached lake, or raise a Lake error."""
    if len(sql) > MAX_STATEMENT:
        raise InvalidQueryStatement(
            f"The query statement is {len(sql):,} characters; the limit is {MAX_STATEMENT:,}."
        )
    try:
        return _translate(sql, resolve)
    except RecursionError:
        raise InvalidQueryStatement("The query is nested too deeply to analyse.") from None


def _translate(sql: str, resolve: StoreResolver) -> Translation:
    from sqlglot import exp

    tree = _parse(sql)
    _check_functions(tree)
    _check_time_literals(tree)
    ctes = _cte_names(tree)
    store_refs: list[str] = []
    store_tables: list[str] = []
    store_nodes: set[int] = set()

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
        ref = table.name
        if ref.lower() in ctes:
            continue
        resolved = resolve(store_id_of(ref))
        if resolved is None:
            if UUID_RE.match(store_id_of(ref)) or ARN_RE.match(ref):
                raise EventDataStoreNotFound(f"The event data store {ref} was not found.")
            raise InvalidQueryStatement(
                f"{ref} is not an event data store ID: name a store by its ID or ARN{_placeholder_hint(sql)}."
            )
        store_refs.append(ref)
        store_tables.append(resolved)
        store_nodes.add(id(table))

    namer = _Namer(tree, lambda t: id(t) in store_nodes)
    names = namer.names(tree)

    for table in list(tree.find_all(exp.Table)):
        if id(table) not in store_nodes:
            continue
        original = table.name
        resolved = store_tables[store_refs.index(original)]
        alias = table.args.get("alias")
        table.set("this", exp.to_identifier(resolved, quoted=True))
        table.set("db", exp.to_identifier("main", quoted=True))
        table.set("catalog", exp.to_identifier("lake", quoted=True))
        if alias is None:  # keep `store.column` references working
            table.set("alias", exp.TableAlias(this=exp.to_identifier(original, quoted=True)))

    tree = _rewrite_functions(tree)
    if not store_tables:
        raise InvalidQueryStatement(
            "A query must read at least one event data store (FROM <event data store ID>)."
        )
    duck = tree.sql(dialect="duckdb", identify=True)
    return Translation(
        duckdb_sql=duck,
        store_tables=list(dict.fromkeys(store_tables)),
        store_refs=store_refs,
        names=names or [],
        star_unknown=names is None,
    )
