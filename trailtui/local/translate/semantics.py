"""Giving a query Trino's meaning on DuckDB, with the types known.

The query is qualified against the stores' schema (an unknown column fails here, in Trino's words and
position) and annotated with Trino types (types.py). Then, bottom-up, each node whose meaning differs
between Trino and DuckDB for its operand types is rewritten (operators.py, casts.py). If sqlglot cannot
qualify the query for a reason other than the query's own error, the query runs untyped, as before, and
only the untyped rules apply; docs/sql.md lists what that leaves.
"""

from __future__ import annotations

import functools
from typing import Any

from trailtui.local.errors import InvalidQueryStatement, LakeError
from trailtui.local.translate.nested import check_output_zone
from trailtui.local.translate.parse import Source
from trailtui.local.translate.scopes import common_type, selects
from trailtui.local.translate.types import TrinoType, described, output_type, store_columns


@functools.lru_cache(maxsize=64)
def _schema(tables: tuple[str, ...]) -> Any:
    """The stores' schema for sqlglot, built once per set of tables: parsing the nested column types is
    most of the cost of typing a query, and sqlglot caches the parsed types inside the schema object."""
    from sqlglot.schema import MappingSchema

    cols = store_columns()
    return MappingSchema({"lake": {"main": {t: dict(cols) for t in tables}}}, dialect="trino")


def _unresolved(exc: Exception, tree: Any, src: Source) -> LakeError | None:
    """sqlglot's 'could not be resolved' as Trino says it: `line 1:8: Column 'x' cannot be resolved`."""
    import re

    from sqlglot import exp

    m = re.search(r"Column '([^']+)' could not be resolved", str(exc)) or re.search(
        r"Unknown column: (\S+)", str(exc)
    )
    if not m:
        return None
    name = m.group(1)
    for col in tree.find_all(exp.Column):
        if col.name.lower() == name.lower().split(".")[-1]:
            # sqlglot names unaliased sources _0, _1, ...: the user never wrote that qualifier.
            shown = re.sub(r"^_\d+\.", "", ".".join(p.name for p in col.parts).lower())
            hint = (
                " (eventData is a column of AWS Config configuration-item stores; local stores hold "
                "CloudTrail events)"
                if shown.split(".")[0] == "eventdata"
                else ""
            )
            if not col.table and col.name.lower() in store_columns():  # in more than one source
                return InvalidQueryStatement(f"{src.where(col)}Column '{shown}' is ambiguous")
            return InvalidQueryStatement(f"{src.where(col)}Column '{shown}' cannot be resolved{hint}")
    return InvalidQueryStatement(f"Column '{name.lower()}' cannot be resolved")


def qualify_and_type(tree: Any, src: Source, tables: list[str]) -> Any | None:
    """The query qualified and annotated with Trino types, or None if sqlglot cannot analyse it."""
    from sqlglot.errors import OptimizeError
    from sqlglot.optimizer.annotate_types import annotate_types
    from sqlglot.optimizer.qualify import qualify

    schema = _schema(tuple(sorted(set(tables))))
    try:
        # No copy: the query is only used again if qualify fails, and what qualify has done by then
        # (quoting, qualifying names) leaves it the same query.
        typed = qualify(
            tree,
            schema=schema,
            dialect="trino",
            expand_alias_refs=False,
            validate_qualify_columns=True,
            quote_identifiers=False,  # the generator quotes every identifier anyway
        )
    except OptimizeError as exc:
        err = _unresolved(exc, tree, src)
        if err is not None:
            raise err from None
        return None
    except Exception:
        return None
    try:
        return annotate_types(typed, schema=schema, dialect="trino")
    except Exception:
        return None


def _output_types(tree: Any) -> list[TrinoType | None]:
    from sqlglot import exp

    query = tree
    while isinstance(query, exp.SetOperation | exp.Subquery):
        query = query.this
    if not isinstance(query, exp.Select):
        return []
    out = [output_type(e.unalias() if isinstance(e, exp.Alias) else e) for e in query.expressions]
    for e in query.expressions:
        check_output_zone(e.unalias() if isinstance(e, exp.Alias) else e)
    sides = selects(tree)
    if len(sides) > 1:  # a set operation's column has the type of all its sides (scopes.common_type)
        for i in range(len(out)):
            types = [
                getattr(s.expressions[i].unalias(), "type", None) for s in sides if i < len(s.expressions)
            ]
            common = common_type(types) if all(t is not None for t in types) else None
            if common is not None:
                out[i] = described(common, (common.meta or {}).get("trino_zone"))
    return out


def give_trino_semantics(tree: Any, src: Source, tables: list[str]) -> tuple[Any, list[TrinoType | None]]:
    """The query rewritten to compute on DuckDB what Trino computes, and the Trino type of each result
    column (empty when the query could not be typed)."""
    from trailtui.local.translate.operators import rewrite_typed, rewrite_untyped

    typed = qualify_and_type(tree, src, tables)
    if typed is None:
        return rewrite_untyped(tree, src), []
    typed = rewrite_typed(typed, src)
    return typed, _output_types(typed)
