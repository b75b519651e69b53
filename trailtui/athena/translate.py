"""Lake SQL to Athena SQL: the same Trino statement, over the CloudTrail table's own column types.

Lake's columns are typed (eventtime a timestamp, requestparameters a map, readonly a boolean); Athena's
CloudTrail table holds most of them as text. Rather than rewriting every use of a column (which needs a
full name resolver for CTEs, subqueries and lambdas), each reference to an Athena table becomes a derived
table that presents Lake's types, and Trino resolves names as it always does:

    FROM trail.logs t   ->   FROM (SELECT CAST(from_iso8601_timestamp(eventtime) AS timestamp(3)) AS eventtime,
                                          ... FROM "trail"."logs" WHERE "timestamp" >= '2026/11/20' ...) AS t

Trino prunes the derived table's unused columns, so only what the query reads is converted. Partition
pruning: eventTime bounds, and recipientAccountId / awsRegion equalities, in the WHERE clause of the query
block that reads the table add predicates on the table's projected partition columns inside the derived
table. Lake columns Athena has no counterpart for (eventjson, eventjsonchecksum) are refused, as is any
Lake column the table lacks: a NULL there would be a plausible wrong answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from trailtui.athena.table import DATE_FORMAT, AthenaTable
from trailtui.lake.sqltext import quote_store_ids
from trailtui.local.schema import BOOL, COLUMNS, MAP, TS, ListOf

TableResolver = Callable[[str], "AthenaTable | None"]  # "db.table" -> the table, or None if unknown

NO_COUNTERPART = ("eventjson", "eventjsonchecksum", "eventcontext")
# CloudTrail files a log under the day it delivers it, typically minutes after the events it holds, so an
# upper eventTime bound also reads the folders of the following hour. (AWS: "within an average of about
# 5 minutes of an API call"; not guaranteed, hence a generous allowance.)
DELIVERY_ALLOWANCE = timedelta(hours=1)
_LAKE_TYPES = {c.name: c.type for c in COLUMNS}
# A JSON object's text as Lake's map<string,string>: top-level keys, scalars as text, nested objects and
# arrays as compact JSON in their original key order (json_parse would sort keys: Trino's JSON is
# canonical), JSON null as NULL. The keys come from the parsed object; each value is extracted from the text.
_MAP_VALUE = (
    "map_from_entries(transform(map_keys(CAST(json_parse({c}) AS map(varchar, json))), "
    "k -> ROW(k, IF(json_format(json_extract({c}, concat('$[', json_format(CAST(k AS json)), ']'))) = 'null', "
    "NULL, coalesce(json_extract_scalar({c}, concat('$[', json_format(CAST(k AS json)), ']')), "
    "json_format(json_extract({c}, concat('$[', json_format(CAST(k AS json)), ']'))))))))"
)
_RESOURCE_ROW = "ROW(accountid varchar, type varchar, arn varchar, arnprefix varchar)"


class AthenaTranslationError(ValueError):
    """The query cannot run on Athena as written (the message says why and what to do)."""


@dataclass
class AthenaTranslation:
    sql: str  # Athena (Trino) SQL
    tables: list[AthenaTable]
    names: list[str | None] = field(default_factory=list)  # Lake's output names; None: take Athena's
    partition_predicates: list[str] = field(default_factory=list)  # as added, for display and benchmarks
    # A few whole events asked for (`SELECT eventjson ... LIMIT n`, the explorer's drill-down): the query
    # returns each row's "$path" and eventID, and the records are read from those S3 objects.
    fetches_events: bool = False

    @property
    def workgroup(self) -> str | None:
        return next((t.workgroup for t in self.tables if t.workgroup), None)


def athena_table_refs(sql: str) -> list[str]:
    """The `db.table` names a Lake query reads (empty if it names none, or does not parse)."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    try:
        tree = sqlglot.parse_one(quote_store_ids(sql.strip().rstrip(";")), read="trino")
    except (ParseError, TokenError, ValueError):
        return []
    if tree is None:
        return []
    return [f"{t.db}.{t.name}".lower() for t in tree.find_all(exp.Table) if t.db and not t.catalog]


def translate(sql: str, resolve: TableResolver) -> AthenaTranslation:
    try:
        return _translate(sql, resolve)
    except RecursionError:
        raise AthenaTranslationError("The query is nested too deeply to analyse.") from None


def _parse(sql: str) -> Any:
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    text = sql.strip().rstrip(";").strip()
    if not text:
        raise AthenaTranslationError("The query statement is empty.")
    try:
        trees = [t for t in sqlglot.parse(quote_store_ids(text), read="trino") if t is not None]
    except ParseError as exc:
        err = exc.errors[0] if exc.errors else {}
        raise AthenaTranslationError(
            f"line {err.get('line', '?')}:{err.get('col', '?')}: {err.get('description', 'syntax error')}"
        ) from None
    except TokenError as exc:
        raise AthenaTranslationError(str(exc)) from None
    if len(trees) != 1:
        raise AthenaTranslationError(f"Only one statement per query is allowed; found {len(trees)}.")
    tree = trees[0]
    if not isinstance(tree, exp.Query) or tree.find(exp.Into):
        raise AthenaTranslationError("Only SELECT queries are allowed: queries are read-only.")
    for node in tree.walk():
        if isinstance(node, exp.Insert | exp.Update | exp.Delete | exp.Create | exp.Drop | exp.Alter):
            raise AthenaTranslationError(f"{node.key.upper()} is not allowed: queries are read-only.")
    return tree


def _translate(sql: str, resolve: TableResolver) -> AthenaTranslation:
    from sqlglot import exp

    tree = _parse(sql)
    ctes = {c.alias_or_name.lower() for c in tree.find_all(exp.CTE)}
    refs: list[tuple[Any, AthenaTable]] = []
    for node in list(tree.find_all(exp.Table)):
        if not node.db and node.name.lower() in ctes:
            continue
        if not isinstance(node.this, exp.Identifier):
            raise AthenaTranslationError("Table functions are not allowed: a query reads CloudTrail tables.")
        ref = f"{node.db}.{node.name}" if node.db else node.name
        table = resolve(ref.lower()) if node.db and not node.catalog else None
        if table is None:
            raise AthenaTranslationError(
                f"{ref} is not an Athena CloudTrail table here: name one as DATABASE.TABLE "
                "(`trailtui stores --profile P` lists them). A query runs on one engine: Lake stores "
                "and Athena tables cannot be mixed."
            )
        refs.append((node, table))
    if not refs:
        raise AthenaTranslationError("A query must read an Athena CloudTrail table (FROM DATABASE.TABLE).")
    fetches_events = _events_by_path(tree)
    _refuse_missing_columns(tree, [t for _, t in refs])
    names: list[str | None] = ["eventjson"] if fetches_events else _output_names(tree)
    needed = _needed_columns(tree)
    predicates: list[str] = []
    for node, table in refs:
        prune = _prune_predicates(node, table)
        predicates.extend(p.sql(dialect="trino") for p in prune)
        node.replace(_derived_table(node, table, prune, needed))
    tree = tree.transform(_subscript_to_element_at)
    tree = tree.transform(_time_literals)
    return AthenaTranslation(
        sql=tree.sql(dialect="trino"),
        tables=list({t.qualified: t for _, t in refs}.values()),
        names=names,
        partition_predicates=predicates,
        fetches_events=fetches_events,
    )


MAX_EVENTS_BY_PATH = 10  # each is one S3 GetObject


def _events_by_path(tree: Any) -> bool:
    """`SELECT eventjson FROM t WHERE ... LIMIT n` (n small): there is no eventjson column, but each row's
    object ("$path") holds the record. Rewrites the select list to "$path", eventid in place."""
    from sqlglot import exp

    if not isinstance(tree, exp.Select) or len(tree.expressions) != 1:
        return False
    item = tree.expressions[0]
    limit = tree.args.get("limit")
    count = limit.expression if limit is not None else None
    if not (
        isinstance(item, exp.Column)
        and item.name.lower() == "eventjson"
        and isinstance(count, exp.Literal)
        and not count.is_string
        and 0 < int(count.name) <= MAX_EVENTS_BY_PATH
    ):
        return False
    tree.set("expressions", [exp.column("$path", quoted=True), exp.column("eventid")])
    return True


def _refuse_missing_columns(tree: Any, tables: list[AthenaTable]) -> None:
    from sqlglot import exp

    used = {p.name.lower() for c in tree.find_all(exp.Column) for p in c.parts}
    for name in NO_COUNTERPART:
        if name in used:
            what = (
                "Lake adds it (tag context); trail log files do not hold it"
                if name == "eventcontext"
                else "it holds each record's fields, not the original JSON"
            )
            raise AthenaTranslationError(
                f"{name} has no counterpart in Athena's CloudTrail table ({what}). Select the fields you "
                "need; in the explorer, `e` on a row still shows the whole event."
            )
    for table in tables:
        missing = sorted(n for n in used & set(_LAKE_TYPES) if n not in table.columns)
        if missing:
            raise AthenaTranslationError(
                f"The Athena table {table.qualified} has no column {', '.join(missing)}. Add it to the "
                "table (ALTER TABLE ... ADD COLUMNS) or leave it out of the query."
            )


def _output_names(tree: Any) -> list[str | None]:
    """Lake's names for the query's output columns: aliases, typed spelling, struct leaves, `_colN`."""
    from sqlglot import exp

    query = tree
    while isinstance(query, exp.SetOperation | exp.Subquery):
        query = query.this
    if not isinstance(query, exp.Select):
        return []
    out: list[str | None] = []
    for i, item in enumerate(query.expressions):
        if isinstance(item, exp.Star) or (isinstance(item, exp.Column) and isinstance(item.this, exp.Star)):
            return []  # a star's columns are Athena's (the Lake names, lower-case)
        if isinstance(item, exp.Alias):
            out.append(item.alias)
        elif isinstance(item, exp.Column | exp.Dot):
            out.append(item.name)
        else:
            out.append(f"_col{i}")
    return out


def _needed_columns(tree: Any) -> set[str] | None:
    """The names the query mentions (None after a star: every column). Naming only these keeps the
    derived table readable; a name that is not a column of the table (an alias, a struct field) is
    harmless, since only table columns are looked up."""
    from sqlglot import exp

    for select in tree.find_all(exp.Select):
        for item in select.expressions:
            if isinstance(item, exp.Star) or (
                isinstance(item, exp.Column) and isinstance(item.this, exp.Star)
            ):
                return None
    return {p.name.lower() for c in tree.find_all(exp.Column) for p in c.parts}


# -- the derived table -------------------------------------------------------------------------------------


def _column_expr(name: str, athena_type: str) -> str:
    """Athena's column as Lake types it."""
    lake = _LAKE_TYPES.get(name)
    col = f'"{name}"'
    text = athena_type == "string"
    if lake == TS and text:
        return f"CAST(from_iso8601_timestamp({col}) AS timestamp(3))"
    if lake == BOOL and text:
        return f"CAST({col} AS boolean)"
    if lake == MAP and text:
        return _MAP_VALUE.format(c=col)
    if isinstance(lake, ListOf) and athena_type.startswith("array<struct<"):
        fields = set(re.findall(r"(\w+):", athena_type))
        parts = ", ".join(
            f"r.{f}" if f in fields else "NULL" for f in ("accountid", "type", "arn", "arnprefix")
        )
        return f"transform({col}, r -> CAST(ROW({parts}) AS {_RESOURCE_ROW}))"
    return col


def _derived_table(node: Any, table: AthenaTable, prune: list[Any], needed: set[str] | None) -> Any:
    import sqlglot
    from sqlglot import exp

    lake_order = [c.name for c in COLUMNS if needed is None or c.name in needed]
    items = [f"{_column_expr(n, table.columns[n])} AS {n}" for n in lake_order if n in table.columns]
    if needed is not None and "$path" in needed:
        items.append('"$path"')
    if not items:  # count(*) and the like: any narrow column will do
        items.append('"eventid"')
    source = f'"{table.database}"."{table.name}"'
    select = sqlglot.parse_one(f"SELECT {', '.join(items)} FROM {source}", read="trino")
    assert isinstance(select, exp.Select)
    for p in prune:
        select = select.where(p, copy=False)
    alias = node.alias or node.name
    return exp.Subquery(this=select, alias=exp.TableAlias(this=exp.to_identifier(alias)))


def _subscript_to_element_at(node: Any) -> Any:
    """`m['key']` -> `element_at(m, 'key')`: Trino's subscript fails on a missing key, Lake answers NULL.
    A string index can only be a map's (arrays take integers)."""
    from sqlglot import exp

    if isinstance(node, exp.Bracket) and len(node.expressions) == 1:
        key = node.expressions[0]
        if isinstance(key, exp.Literal) and key.is_string:
            return exp.Anonymous(this="element_at", expressions=[node.this, key])
    return node


def _time_literals(node: Any) -> Any:
    """Lake coerces string literals compared with eventTime; Trino does not, so make them timestamps."""
    from sqlglot import exp

    if isinstance(node, exp.Between) and _is_time_column(node.this):
        for arg in ("low", "high"):
            node.set(arg, _as_timestamp(node.args[arg]))
        return node
    if isinstance(node, exp.EQ | exp.NEQ | exp.GT | exp.GTE | exp.LT | exp.LTE):
        if _is_time_column(node.this):
            node.set("expression", _as_timestamp(node.expression))
        elif _is_time_column(node.expression):
            node.set("this", _as_timestamp(node.this))
    return node


def _is_time_column(e: Any) -> bool:
    from sqlglot import exp

    return isinstance(e, exp.Column) and e.name.lower() == "eventtime"


def _as_timestamp(e: Any) -> Any:
    from sqlglot import exp

    value = _literal_time(e) if isinstance(e, exp.Literal) and e.is_string else None
    if value is None:
        return e
    text = value.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
    return exp.Cast(this=exp.Literal.string(text), to=exp.DataType.build("timestamp"))


def _literal_time(e: Any) -> datetime | None:
    """The instant a string or TIMESTAMP/DATE literal names (UTC), or None if it is not a constant time."""
    from sqlglot import exp

    if isinstance(e, exp.Cast) and isinstance(e.this, exp.Literal) and e.to.is_type("timestamp", "date"):
        e = e.this
    if not (isinstance(e, exp.Literal) and e.is_string):
        return None
    text = e.this.strip().replace(" UTC", "+00:00")
    try:
        t = datetime.fromisoformat(text)
    except ValueError:
        raise AthenaTranslationError(
            f"'{e.this}' is not a valid timestamp for comparison with eventTime (use 'YYYY-MM-DD HH:MM:SS')."
        ) from None
    return t.astimezone(UTC).replace(tzinfo=None) if t.tzinfo else t


# -- partition pruning -------------------------------------------------------------------------------------


def _prune_predicates(node: Any, table: AthenaTable) -> list[Any]:
    """Predicates on the table's projected partition columns implied by its query block's WHERE."""
    from sqlglot import exp

    select = node.parent.parent if node.parent is not None else None
    if not isinstance(select, exp.Select) or not table.projected:
        return []
    where = select.args.get("where")
    if where is None:
        return []
    from_ = select.args.get("from") or select.args.get("from_")
    if from_ is None:
        return []
    sources = [from_.this] + [j.this for j in select.args.get("joins") or []]
    alone = all(s is node or isinstance(s, exp.Unnest) for s in sources)
    names = {(node.alias or node.name).lower()}

    def mine(e: Any) -> str | None:
        if not isinstance(e, exp.Column):
            return None
        if (e.table and e.table.lower() in names) or (not e.table and alone):
            return e.name.lower()
        return None

    out: list[Any] = []
    for conj in where.this.flatten() if isinstance(where.this, exp.And) else [where.this]:
        out.extend(_from_conjunct(conj, mine, table))
    return out


def _from_conjunct(conj: Any, mine: Callable[[Any], str | None], table: AthenaTable) -> list[Any]:
    from sqlglot import exp

    flip = {exp.GT: exp.LT, exp.GTE: exp.LTE, exp.LT: exp.GT, exp.LTE: exp.GTE, exp.EQ: exp.EQ}
    if isinstance(conj, exp.Paren):
        return _from_conjunct(conj.this, mine, table)
    if isinstance(conj, exp.Between) and mine(conj.this) == "eventtime":
        return _time_bound(table, exp.GTE, conj.args["low"]) + _time_bound(table, exp.LTE, conj.args["high"])
    if type(conj) in flip:
        col, other, op = conj.this, conj.expression, type(conj)
        if mine(col) is None:
            col, other, op = other, col, flip[op]
        name = mine(col)
        if name is None or not _constant(other):
            return []
        if name == "eventtime":
            if op is exp.EQ:
                return _time_bound(table, exp.GTE, other) + _time_bound(table, exp.LTE, other)
            return _time_bound(table, op, other)
        if op is exp.EQ and isinstance(other, exp.Literal) and other.is_string:
            key = _partition_for(table, name)
            return [exp.EQ(this=exp.column(key, quoted=True), expression=other.copy())] if key else []
    if isinstance(conj, exp.In) and not conj.args.get("query"):
        name = mine(conj.this)
        key = _partition_for(table, name) if name else None
        values = conj.expressions
        if key and values and all(isinstance(v, exp.Literal) and v.is_string for v in values):
            return [exp.In(this=exp.column(key, quoted=True), expressions=[v.copy() for v in values])]
    return []


def _partition_for(table: AthenaTable, column: str) -> str | None:
    return {"recipientaccountid": table.account_key, "awsregion": table.region_key}.get(column)


def _constant(e: Any) -> bool:
    from sqlglot import exp

    return not any(isinstance(n, exp.Column | exp.Select | exp.Lambda) for n in e.walk())


def _time_bound(table: AthenaTable, op: type, value: Any) -> list[Any]:
    """A day-folder bound for `eventtime <op> value`, widened by the delivery allowance at the top."""
    from sqlglot import exp

    if not table.date_key or table.date_format != DATE_FORMAT:
        return []
    key = exp.column(table.date_key, quoted=True)
    when = _literal_time(value)
    if when is None:  # a constant expression (now() - interval ...): only a lower bound is safe to compute
        if op in (exp.GT, exp.GTE):
            day = exp.Anonymous(
                this="date_format", expressions=[value.copy(), exp.Literal.string("%Y/%m/%d")]
            )
            return [exp.GTE(this=key, expression=day)]
        return []
    if op in (exp.GT, exp.GTE):
        return [exp.GTE(this=key, expression=exp.Literal.string(when.strftime("%Y/%m/%d")))]
    last = when - timedelta(milliseconds=1) if op is exp.LT else when
    return [
        exp.LTE(this=key, expression=exp.Literal.string((last + DELIVERY_ALLOWANCE).strftime("%Y/%m/%d")))
    ]
