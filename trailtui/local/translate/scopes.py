"""Trino types through subqueries and WITH: a column read from a derived table has the type its
projection has once given Trino's meaning.

sqlglot types a derived table's columns when it annotates the query, before the translator gives
literals, operators and time zones their Trino types (`1.0` is decimal(2,1), not double;
`eventTime AT TIME ZONE 'Asia/Tokyo'` carries its zone). Without this, an outer query read the inner
column with sqlglot's type: `avg(v)` over a CTE's decimal `v` was DuckDB's double, and `hour(t)` of a zoned
`t` read the UTC hour. So the rewrite visits a query's FROM, joins and WITH before its other parts, and a
column reference takes the type of the projection it names.
"""

from __future__ import annotations

from typing import Any

from trailtui.local.translate.types import field_types

_FIRST = ("with_", "from_", "joins")  # the sources of a SELECT, visited before what reads them


def children_in_order(node: Any) -> list[Any]:
    """`node`'s children, a SELECT's sources last (a stack pops them first)."""
    from sqlglot import exp

    children = list(node.iter_expressions())
    if isinstance(node, exp.With):  # a CTE may read the ones before it: the first is visited first
        return children[::-1]
    if not isinstance(node, exp.Select):
        return children
    return [c for c in children if c.arg_key not in _FIRST] + [c for c in children if c.arg_key in _FIRST]


def _projection_query(source: Any) -> Any:
    """The SELECT whose projections name a derived table's columns (the left of a set operation)."""
    from sqlglot import exp

    while isinstance(source, exp.Subquery | exp.CTE | exp.SetOperation):
        source = source.this
    return source if isinstance(source, exp.Select) else None


def _source_named(column: Any, name: str) -> Any:
    """The subquery or CTE a column's qualifier names, searched outwards from the column."""
    from sqlglot import exp

    node = column.parent
    while node is not None:
        if isinstance(node, exp.Select):
            for join in [node.args.get("from_"), *(node.args.get("joins") or [])]:
                source = join.this if join is not None else None
                if isinstance(source, exp.Subquery | exp.Unnest) and source.alias_or_name.lower() == name:
                    return source
                if isinstance(source, exp.Lateral) and source.alias_or_name.lower() == name:
                    return source.this if isinstance(source.this, exp.Subquery) else None
                if isinstance(source, exp.Table) and source.alias_or_name.lower() == name:
                    cte = _cte(node, source.name.lower())
                    if cte is not None:
                        return cte
        node = node.parent
    return None


def _cte(select: Any, name: str) -> Any:
    from sqlglot import exp

    node = select
    while node is not None:
        with_ = node.args.get("with_") if isinstance(node, exp.Select | exp.SetOperation) else None
        for cte in with_.expressions if with_ is not None else []:
            if cte.alias_or_name.lower() == name:
                return cte
        node = node.parent
    return None


def selects(source: Any) -> list[Any]:
    """Every SELECT whose rows a derived table unions (one for a plain subquery or CTE)."""
    from sqlglot import exp

    while isinstance(source, exp.Subquery | exp.CTE):
        source = source.this
    if isinstance(source, exp.SetOperation):
        return selects(source.this) + selects(source.expression)
    return [source] if isinstance(source, exp.Select) else []


_INT_DIGITS = {"TINYINT": 3, "SMALLINT": 5, "INT": 10, "BIGINT": 19}


def _decimal_params(t: Any) -> tuple[int, int]:
    kind = t.this.name
    if kind in _INT_DIGITS:
        return _INT_DIGITS[kind], 0
    digits = [int(p.name) for p in t.expressions if p.name.isdigit()]
    return (digits[0], digits[1]) if len(digits) >= 2 else (digits[0], 0) if digits else (38, 0)


def common_type(types: list[Any]) -> Any | None:
    """The type of a set operation's column from its sides' types: their type if they agree, or for
    numbers the type Trino coerces them to (language/types, "Type coercion": `SELECT 0 UNION ALL SELECT
    avg(x)` is a double, `SELECT 1 UNION ALL SELECT 2.5` a decimal(11,1)); None where the translator does
    not compute it (sqlglot's type stands)."""
    from sqlglot import exp

    known = [t for t in types if t.this not in (exp.DataType.Type.NULL, exp.DataType.Type.UNKNOWN)]
    if not known:
        return None
    first = known[0]
    if all(
        t == first and (t.meta or {}).get("trino_zone") == (first.meta or {}).get("trino_zone") for t in known
    ):
        return first
    kinds = {t.this.name for t in known}
    if kinds <= {"DATE", "TIMESTAMP"} or kinds == {"TIMESTAMPTZ"}:
        # timestamp(p) of the widest p; a date becomes a timestamp (language/types, "Type coercion")
        zones = {(t.meta or {}).get("trino_zone") for t in known}
        digits = [int(p.name) for t in known for p in t.expressions if p.name.isdigit()]
        digits += [3 for t in known if t.this.name != "DATE" and not t.expressions]
        if len(zones) > 1 or kinds == {"DATE"}:
            return None
        out = exp.DataType.build(
            f"{kinds.pop() if len(kinds) == 1 else 'TIMESTAMP'}({max(digits, default=0)})"
        )
        if out.this.name == "TIMESTAMPTZ":
            out.meta["trino_zone"] = zones.pop()
        return out
    if not kinds <= {*_INT_DIGITS, "DECIMAL", "REAL", "FLOAT", "DOUBLE"}:
        return None
    if "DOUBLE" in kinds:
        return exp.DataType.build("DOUBLE")
    if kinds & {"REAL", "FLOAT"}:
        return exp.DataType.build("REAL")
    if "DECIMAL" in kinds:
        params = [_decimal_params(t) for t in known]
        scale = max(s for _, s in params)
        return exp.DataType.build(f"DECIMAL({min(38, max(p - s for p, s in params) + scale)}, {scale})")
    widest = max(kinds, key=list(_INT_DIGITS).index)
    return exp.DataType.build("INTEGER" if widest == "INT" else widest)


def derived_type(column: Any) -> Any | None:
    """The Trino type of the projection a column reads from a subquery or CTE, or None. A set
    operation's column is read by position on every side (a UNION's sides may differ in type)."""
    from sqlglot import exp

    table = column.table
    if not table:
        return None
    source = _source_named(column, table.lower())
    if isinstance(source, exp.Unnest):
        return _unnested_field_type(source, column.name.lower())
    query = _projection_query(source) if source is not None else None
    if query is None:
        return None
    for i, projection in enumerate(query.expressions):
        if projection.alias_or_name.lower() == column.name.lower():
            types = []
            for select in selects(source):
                if i >= len(select.expressions):
                    return None
                inner = select.expressions[i].unalias()
                t = getattr(inner, "type", None)
                if t is None or t.this == exp.DataType.Type.UNKNOWN:
                    return None
                types.append(t)
            return common_type(types)
    return None


def _unnested_field_type(unnest: Any, name: str) -> Any | None:
    """The type of a column of `UNNEST(array_of_rows) AS t(a, b, ...)`: the row's field at that position
    (sqlglot typed every such column as the whole row); of `UNNEST(map) AS t(k, v)`, the key's or value's."""
    from sqlglot import exp

    alias = unnest.args.get("alias")
    columns = [c.name.lower() for c in alias.columns] if isinstance(alias, exp.TableAlias) else []
    t = getattr(unnest.expressions[0], "type", None) if len(unnest.expressions) == 1 else None
    if t is not None and t.this == exp.DataType.Type.MAP and len(t.expressions) == 2 == len(columns):
        return t.expressions[columns.index(name)] if name in columns else None  # AS t(key, value)
    row = t.expressions[0] if t is not None and t.this == exp.DataType.Type.ARRAY and t.expressions else None
    if len(columns) < 2 or name not in columns or row is None or row.this != exp.DataType.Type.STRUCT:
        return None
    if len(row.expressions) != len(columns):
        return None
    return field_types(row)[columns.index(name)]


def check_having(node: Any, src: Any) -> None:
    """A select-list alias is not a name in HAVING (Trino: sql/select, "HAVING clause"; only ORDER BY sees
    the output names): `HAVING c > 5` for `count(*) AS c` is refused as Trino refuses it. Every real
    column named in a FROM source is left alone; an unqualified name that is only an alias is refused."""
    from sqlglot import exp

    from trailtui.local.errors import InvalidQueryStatement
    from trailtui.local.translate.types import store_columns

    select = node.parent
    if not isinstance(select, exp.Select):
        return
    aliases = {
        p.alias.lower()
        for p in select.expressions
        if isinstance(p, exp.Alias)
        and not (isinstance(p.this, exp.Column) and p.this.name.lower() == p.alias.lower())
    }
    columns = set(store_columns())
    for join in [select.args.get("from_"), *(select.args.get("joins") or [])]:
        source = join.this if join is not None else None
        alias = source.args.get("alias") if source is not None else None
        if isinstance(alias, exp.TableAlias):  # UNNEST(...) AS t(k), (VALUES ...) AS v(a, b)
            columns |= {c.name.lower() for c in alias.columns}
        if isinstance(source, exp.Table):  # a CTE's columns are names in HAVING too
            source = _cte(select, source.name.lower())
        source = _projection_query(source) if source is not None else None
        if source is not None:
            columns |= {p.alias_or_name.lower() for p in source.expressions}
    for col in node.find_all(exp.Column):
        name = col.name.lower()
        if col.table or col.find_ancestor(exp.Lambda) is not None or name not in aliases or name in columns:
            continue
        raise InvalidQueryStatement(f"{src.where(col)}Column '{name}' cannot be resolved")
