"""Trino's map functions and the aggregates DuckDB lacks (trino.io/docs/current/functions/map.html and
functions/aggregate.html): map_filter, transform_values, transform_keys, split_to_map, split_to_multimap,
map_agg, multimap_agg, approx_most_frequent, every, checksum."""

from __future__ import annotations

from typing import Any

from sqlglot import exp

from trailtui.local.trino_functions.core import Rewriter, args_of, handles, macro, udf

# map_agg: one value per key, NULL keys skipped; NULL over no rows (not an empty map, nor an error). Which value a duplicate key keeps is unspecified in
# Trino (it depends on the order rows arrive); here the entries are sorted and the first of each key kept.
# Each entry is paired with the one before it, rather than looked up from a lambda, which DuckDB would
# make quadratic on large groups.
macro("trino_with_previous", "(s) AS list_zip(s, list_prepend(NULL, list_slice(s, 1, len(s) - 1)))")
macro(
    "trino_map_dedup",
    "(s) AS map_from_entries(list_transform(list_filter(trino_with_previous(s), "
    "lambda p: p[2] IS NULL OR p[2].key IS DISTINCT FROM p[1].key), lambda p: p[1]))",
)
macro(
    "trino_map_agg",
    "(k, v) AS CASE WHEN count(k) > 0 THEN "
    "trino_map_dedup(list_sort(list({'key': k, 'value': v}) FILTER (WHERE k IS NOT NULL))) END",
)
# multimap_agg: the values of each key; the sorted entries are cut where the key changes.
macro(
    "trino_multimap_cut",
    "(s, starts) AS map_from_entries(list_transform(list_zip(starts, list_append(list_transform("
    "list_slice(starts, 2, len(starts)), lambda x: x - 1), len(s))), lambda be: {'key': s[be[1]].key, "
    "'value': list_transform(list_slice(s, be[1], be[2]), lambda e: e.value)}))",
)
macro(
    "trino_multimap_sorted",
    "(s) AS trino_multimap_cut(s, list_transform(list_filter(list_zip(generate_series(1, len(s)), "
    "trino_with_previous(s)), lambda q: q[2][2] IS NULL OR q[2][2].key IS DISTINCT FROM q[2][1].key), "
    "lambda q: q[1]))",
)
macro("trino_multimap", "(l) AS trino_multimap_sorted(list_sort(l))")
macro(
    "trino_multimap_agg",
    "(k, v) AS CASE WHEN count(k) > 0 THEN "
    "trino_multimap(list({'key': k, 'value': v}) FILTER (WHERE k IS NOT NULL)) END",
)
# approx_most_frequent(buckets, value, capacity): the `buckets` most frequent values with their counts.
# Computed exactly here, which is what Trino's answer is whenever the distinct values fit its capacity.
macro(
    "trino_top_counts",
    "(h, n) AS map_from_entries(list_transform(list_slice(list_sort(list_transform(map_entries(h), "
    "lambda e: {'c': -CAST(e.value AS BIGINT), 'key': e.key})), 1, n), "
    "lambda e: {'key': e.key, 'value': -e.c}))",
)
macro("trino_approx_most_frequent", "(n, x) AS trino_top_counts(histogram(x), n)")
# checksum: an order-insensitive checksum of the values (NULLs included) as 8 bytes. Trino's value comes
# from its own hashing of each type, which cannot be reproduced, so only equality of checksums is
# meaningful (docs/sql.md).
macro(
    "trino_checksum",
    "(x) AS CASE WHEN count(*) > 0 THEN unhex(lpad(printf('%x', sum(hash(x)) % 18446744073709551616), 16, '0')) END",
)


def _split_pairs(s: str, entry_delim: str, kv_delim: str) -> list[tuple[str, str]]:
    if entry_delim == "":
        raise ValueError("entryDelimiter is empty")
    if kv_delim == "":
        raise ValueError("keyValueDelimiter is empty")
    if entry_delim == kv_delim:
        raise ValueError("entryDelimiter and keyValueDelimiter must not be the same")
    pairs = []
    entries = s.split(entry_delim)
    if entries and entries[-1] == "":
        entries.pop()  # a trailing entry delimiter is allowed
    for entry in entries:
        parts = entry.split(kv_delim)
        if len(parts) != 2:
            raise ValueError(
                f"Key-value delimiter must appear exactly once in each entry. Bad input: '{entry}'"
            )
        pairs.append((parts[0], parts[1]))
    return pairs


@udf("trino_split_to_map", ("VARCHAR", "VARCHAR", "VARCHAR"), "MAP(VARCHAR, VARCHAR)")
def _split_to_map(s: str, entry_delim: str, kv_delim: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in _split_pairs(s, entry_delim, kv_delim):
        if k in out:
            raise ValueError(f"Duplicate keys ({k}) are not allowed")
        out[k] = v
    return out


@udf("trino_split_to_multimap", ("VARCHAR", "VARCHAR", "VARCHAR"), "MAP(VARCHAR, VARCHAR[])")
def _split_to_multimap(s: str, entry_delim: str, kv_delim: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in _split_pairs(s, entry_delim, kv_delim):
        out.setdefault(k, []).append(v)
    return out


_ENTRY = "__trino_e"


def _entry_lambda(lam: Any, body_of: Any) -> Any:
    """A DuckDB lambda over map_entries' {key, value} structs from a Trino lambda `(k, v) -> ...`."""
    names = [p.name for p in lam.expressions]
    fields = dict(zip(names, ("key", "value"), strict=False))

    def substitute(n: Any) -> Any:
        if isinstance(n, exp.Column) and not n.table and n.name in fields:
            return exp.column(fields[n.name], table=_ENTRY)
        if isinstance(n, exp.Identifier) and n.name in fields and not isinstance(n.parent, exp.Column):
            return exp.column(fields[n.name], table=_ENTRY)
        return n

    body = lam.this.copy().transform(substitute)
    return exp.Lambda(this=body_of(body), expressions=[exp.to_identifier(_ENTRY)])


def _entries(m: Any) -> Any:
    return exp.Anonymous(this="map_entries", expressions=[m])


def _entry(key: Any, value: Any) -> Any:
    return exp.Struct(
        expressions=[
            exp.PropertyEQ(this=exp.to_identifier("key"), expression=key),
            exp.PropertyEQ(this=exp.to_identifier("value"), expression=value),
        ]
    )


def _lambda_args(node: Any) -> tuple[Any, Any] | None:
    args = args_of(node)
    if len(args) == 2 and isinstance(args[1], exp.Lambda) and len(args[1].expressions) == 2:
        return args[0], args[1]
    return None


@handles("map_filter")
def _map_filter(rw: Rewriter, node: Any) -> Any:
    got = _lambda_args(node)
    if got is None:
        return None
    m, lam = got
    keep = _entry_lambda(lam, lambda body: exp.func("coalesce", exp.Paren(this=body), exp.false()))
    filtered = exp.Anonymous(this="list_filter", expressions=[_entries(m), keep])
    return exp.Anonymous(this="map_from_entries", expressions=[filtered])


@handles("transform_values", "transform_keys")
def _transform_map(rw: Rewriter, node: Any) -> Any:
    got = _lambda_args(node)
    if got is None:
        return None
    m, lam = got
    key = exp.column("key", table=_ENTRY)
    value = exp.column("value", table=_ENTRY)
    if str(node.name).lower() == "transform_values":
        fn = _entry_lambda(lam, lambda body: _entry(key, body))
    else:
        fn = _entry_lambda(lam, lambda body: _entry(body, value))
    changed = exp.Anonymous(this="list_transform", expressions=[_entries(m), fn])
    return exp.Anonymous(this="map_from_entries", expressions=[changed])


handles("map_agg")(lambda rw, node: rw.call("trino_map_agg", *args_of(node)))
handles("multimap_agg")(lambda rw, node: rw.call("trino_multimap_agg", *args_of(node)))
handles("split_to_map")(lambda rw, node: rw.call("trino_split_to_map", *args_of(node)))
handles(exp.StrToMap)(
    lambda rw, node: rw.call(
        "trino_split_to_map", node.this, node.args.get("pair_delim"), node.args.get("key_value_delim")
    )
)
handles("split_to_multimap")(lambda rw, node: rw.call("trino_split_to_multimap", *args_of(node)))
handles("every")(lambda rw, node: exp.Anonymous(this="bool_and", expressions=args_of(node)))
handles("checksum")(lambda rw, node: rw.call("trino_checksum", *args_of(node)))


@handles("approx_most_frequent")
def _approx_most_frequent(rw: Rewriter, node: Any) -> Any:
    args = args_of(node)
    if len(args) != 3:
        return None
    return rw.call("trino_approx_most_frequent", args[0], args[1])


# The store's map-typed columns and struct fields (local/schema.py), by lower-case name.
_MAP_NAMES = {
    "requestparameters",
    "responseelements",
    "additionaleventdata",
    "serviceeventdetails",
    "addendum",
    "edgedevicedetails",
    "insightdetails",
    "requestcontext",
    "principaltags",
    "attributes",
    "tags",
}
_MAP_CALLS = {
    "map_from_entries",
    "map_concat",
    "trino_map_agg",
    "trino_map_dedup",
    "trino_multimap_agg",
    "trino_split_to_map",
    "trino_split_to_multimap",
    "trino_approx_most_frequent",
    "histogram",
}


def is_map(node: Any) -> bool:
    """Whether an expression is a map, as far as its form tells (a map column, a map constructor or a
    function returning a map)."""
    if isinstance(node, exp.Map | exp.VarMap | exp.MapFromEntries | exp.StarMap):
        return True
    t = getattr(node, "type", None)  # the Trino type, where the translator could compute it
    if t is not None and t.this == exp.DataType.Type.MAP:
        return True
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower() in _MAP_CALLS
    if isinstance(node, exp.Column | exp.Dot):
        return str(node.name).lower() in _MAP_NAMES
    return False


@handles(exp.ArraySize)
def _cardinality(rw: Rewriter, node: Any) -> Any:
    """cardinality(map): DuckDB's `cardinality` counts map entries (its array_length only takes lists)."""
    if is_map(node.this):
        return exp.Anonymous(this="cardinality", expressions=[node.this])
    return None


@handles(exp.EQ, exp.NEQ)
def _map_equality(rw: Rewriter, node: Any) -> Any:
    """Maps are equal when they hold the same entries, in any order (DuckDB compares them in order)."""
    if not (is_map(node.this) and is_map(node.expression)):
        return None

    def entries(m: Any) -> Any:
        return exp.Anonymous(this="list_sort", expressions=[_entries(m)])

    return type(node)(this=entries(node.this), expression=entries(node.expression))


def _row_fields(array: Any) -> int | None:
    """How many fields the rows of an array of rows have, or None if it is not one."""
    t = getattr(array, "type", None)
    if t is None or t.this != exp.DataType.Type.ARRAY or not t.expressions:
        return None
    row = t.expressions[0]
    if not isinstance(row, exp.DataType) or row.this != exp.DataType.Type.STRUCT:
        return None
    return len(row.expressions)


@handles(exp.Unnest)
def _unnest_map_or_arrays(rw: Rewriter, node: Any) -> Any:
    """`UNNEST(map) AS t(key, value)` and `UNNEST(a, b) AS t(x, y)` (functions/array, sql/select "UNNEST"):
    DuckDB's UNNEST takes one list. Written as a lateral subquery whose select list unnests each list;
    DuckDB zips the unnests of one select list and pads the shorter with NULL, as Trino does."""
    alias = node.args.get("alias")
    columns = list(alias.columns) if isinstance(alias, exp.TableAlias) else []
    if node.args.get("offset") or not isinstance(node.parent, exp.Join | exp.From):
        return None
    lists: list[Any] = []
    for arg in node.expressions:
        if is_map(arg):
            lists += [exp.Anonymous(this="map_keys", expressions=[arg.copy()])]
            lists += [exp.Anonymous(this="map_values", expressions=[arg.copy()])]
        else:
            lists.append(arg.copy())
    one_list = len(lists) == 1  # a single array: DuckDB's UNNEST takes it as it is
    if one_list and len(columns) > 1 and _row_fields(node.expressions[0]) == len(columns):
        # An array of rows: one column per field (sql/select "UNNEST": `UNNEST(resources) AS t(accountid,
        # type, arn, arnprefix)`); DuckDB's unnest of the struct's fields, renamed by position.
        depth = exp.PropertyEQ(this=exp.to_identifier("max_depth"), expression=exp.Literal.number(2))
        fields = exp.Select(expressions=[exp.Anonymous(this="unnest", expressions=[lists[0], depth])])
        return exp.Subquery(this=fields, alias=alias.copy())
    if one_list or len(lists) != len(columns):
        return None
    select = exp.Select(
        expressions=[
            exp.alias_(exp.Unnest(expressions=[x]), col.copy()) for x, col in zip(lists, columns, strict=True)
        ]
    )
    return exp.Subquery(this=select, alias=exp.TableAlias(this=alias.this.copy()))
