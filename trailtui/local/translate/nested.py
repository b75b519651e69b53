"""Timestamps with time zone inside arrays, maps and rows keep their zone (Trino documentation: language/types
"TIMESTAMP WITH TIME ZONE"; a value keeps its zone wherever it is stored).

The zone is a tag of an expression's type (types.py). sqlglot types `ARRAY[x AT TIME ZONE 'Asia/Tokyo']`
before the AT TIME ZONE rewrite tags `x`, so the array's element type has no zone and would print in UTC.
Here a call that builds a nested value from zoned timestamps (ARRAY[...], ROW(...), map(...), array_agg,
...) gets the zone of its arguments in its nested type; arguments in different zones would give each value
its own zone, which the translator cannot carry: refused, as for CASE (timefuncs.carry_zone).
"""

from __future__ import annotations

from typing import Any

from trailtui.local.errors import InvalidQueryStatement

_ZONE = "trino_zone"  # types.py's tag
_UNSET = object()


def _zoned_parts(t: Any) -> list[Any]:
    """Every timestamp with time zone type in `t`, itself included."""
    from sqlglot import exp

    if t is None:
        return []
    return [d for d in t.find_all(exp.DataType) if d.this == exp.DataType.Type.TIMESTAMPTZ]


def _zone_in(node: Any) -> Any:
    """The zone (None: UTC) of the zoned timestamps `node`'s value holds, or _UNSET if they have none."""
    for part in _zoned_parts(getattr(node, "type", None)):
        if part.meta and _ZONE in part.meta:
            return part.meta[_ZONE]
    return _UNSET


def carry_nested_zone(node: Any) -> None:
    """Give a call that builds an array, map or row the zone of the zoned timestamps it is built from."""
    from sqlglot import exp

    t = getattr(node, "type", None)
    if isinstance(node, exp.ArrayAgg | exp.Array) and (t is None or t.this == exp.DataType.Type.UNKNOWN):
        # sqlglot could not type it (its argument was typed by our rewrites only): an array of the
        # argument's type (ARRAY[...]'s elements of one type family, as Trino requires)
        args = [node.this.this if isinstance(node.this, exp.Order) else node.this]
        if isinstance(node, exp.Array):
            args = node.expressions
        known = [a.type for a in args if getattr(a, "type", None) is not None]
        kinds = {k.this for k in known}
        if known and len(kinds) == 1 and exp.DataType.Type.UNKNOWN not in kinds:
            t = exp.DataType(this=exp.DataType.Type.ARRAY, expressions=[known[0].copy()], nested=True)
            node.type = t
    if t is None or not t.args.get("nested") or not _zoned_parts(t):
        return
    zones = {z for z in (_zone_in(a) for a in node.iter_expressions()) if z is not _UNSET}
    if not zones:
        return
    if len(zones) > 1:
        shown = sorted(z or "UTC" for z in zones)
        raise InvalidQueryStatement(
            "Values in different time zones in one column are not supported on the local lake "
            f"({', '.join(shown)}): convert them to one zone with AT TIME ZONE"
        )
    zone = zones.pop()
    t = t.copy()
    for part in _zoned_parts(t):
        part.meta[_ZONE] = zone
    node.type = t


_BUILDERS = ("Struct", "Array", "ArrayAgg", "Map", "VarMap", "MapAgg", "Transform")
# Trino functions sqlglot does not know that return an array or map holding their arguments' values.
_BUILDER_NAMES = {
    "map_agg",
    "multimap_agg",
    "map_from_entries",
    "multimap_from_entries",
    "map_filter",
    "map_concat",
    "transform_values",
    "transform_keys",
    "zip",
    "zip_with",
    "array_distinct",
    "array_union",
    "array_intersect",
    "array_except",
    "array_remove",
    "array_sort",
    "slice",
    "repeat",
    "filter",
    "flatten",
    "shuffle",
    "trim_array",
}


def _builds(node: Any) -> bool:
    from sqlglot import exp

    if isinstance(node, exp.Anonymous):
        return str(node.name).lower() in _BUILDER_NAMES
    return type(node).__name__ in _BUILDERS


def check_output_zone(expr: Any) -> None:
    """A result column of a type sqlglot could not compute, holding a value in a zone other than UTC
    inside something that builds an array, map or row (ROW(x AT TIME ZONE ...), map_agg, a lambda): its
    zone could not be printed, so the query is refused rather than shown in UTC."""
    from sqlglot import exp

    t = getattr(expr, "type", None)
    if t is not None and t.this != exp.DataType.Type.UNKNOWN:
        return
    for node in expr.walk():
        zone = _zone_in(node) if getattr(node, "type", None) is not None else _UNSET
        if zone is _UNSET or zone in (None, "UTC"):
            continue
        parent = node.parent
        while parent is not None and parent is not expr.parent:
            if _builds(parent):
                raise InvalidQueryStatement(
                    "A timestamp with time zone inside this array, map or row cannot be shown in its zone "
                    f"({zone}) on the local lake: select it as a column of its own"
                )
            parent = parent.parent
