"""Trino's `=` for arrays, maps and rows, at every depth (Trino: functions/comparison; the equal operators of
io.trino.spi.type.ArrayType, MapType and RowType): two values are unequal as soon as one pair of elements
(fields, or values under the same key) is unequal; otherwise a NULL element anywhere makes the answer
unknown (NULL); otherwise they are equal. Maps of different sizes, or where a key of one is missing from
the other, are unequal. DuckDB instead compares NULL elements as equal values, at any depth
(`ARRAY[ARRAY[1, NULL]] = ARRAY[ARRAY[1, NULL]]` and `MAP(ARRAY['a'], ARRAY[NULL]) = ...` were true).

The SQL built here is DuckDB text over two operand texts (`{0}`, `{1}` of a `late` template, or lambda
variables inside one): each level maps its element pairs to a code (0 unequal, 1 unknown, 2 equal) and
takes the smallest, so no operand is repeated per level."""

from __future__ import annotations

from typing import Any

from trailtui.local.translate.types import field_types


def _code(equal: str) -> str:
    return f"CASE {equal} WHEN true THEN 2 WHEN false THEN 0 ELSE 1 END"


def _decide(codes: str) -> str:
    return f"CASE coalesce({codes}, 2) WHEN 0 THEN false WHEN 1 THEN NULL ELSE true END"


def _kind(t: Any) -> str:
    return t.this.name if t is not None else "UNKNOWN"


def is_nested(t: Any) -> bool:
    return _kind(t) in ("ARRAY", "MAP", "STRUCT")


def equal_sql(a: str, b: str, t: Any, depth: int = 0) -> str:
    """Trino's three-valued `a = b` for DuckDB texts `a` and `b` of sqlglot type `t`."""
    kind = _kind(t)
    if kind == "ARRAY" and t.expressions:
        i = f"__eq{depth}"
        inner = equal_sql(f"{a}[{i}]", f"{b}[{i}]", t.expressions[0], depth + 1)
        each = f"list_min(list_transform(range(1, len({a}) + 1), lambda {i}: {_code(inner)}))"
        return (
            f"CASE WHEN {a} IS NULL OR {b} IS NULL THEN NULL WHEN len({a}) <> len({b}) THEN false "
            f"ELSE {_decide(each)} END"
        )
    if kind == "MAP" and len(t.expressions) == 2:
        i = f"__eq{depth}"
        at = f"list_position(map_keys({b}), map_keys({a})[{i}])"
        inner = equal_sql(f"map_values({a})[{i}]", f"map_values({b})[{at}]", t.expressions[1], depth + 1)
        each = (
            f"list_min(list_transform(range(1, len(map_keys({a})) + 1), lambda {i}: "
            f"CASE WHEN {at} IS NULL THEN 0 ELSE {_code(inner)} END))"
        )
        return (
            f"CASE WHEN {a} IS NULL OR {b} IS NULL THEN NULL WHEN len(map_keys({a})) <> len(map_keys({b})) "
            f"THEN false ELSE {_decide(each)} END"
        )
    if kind == "STRUCT" and t.expressions:
        codes = [
            _code(equal_sql(f"struct_extract_at({a}, {n})", f"struct_extract_at({b}, {n})", ft, depth + 1))
            for n, ft in enumerate(field_types(t), start=1)
        ]
        smallest = f"least({', '.join(codes)})" if len(codes) > 1 else codes[0]
        return f"CASE WHEN {a} IS NULL OR {b} IS NULL THEN NULL ELSE {_decide(smallest)} END"
    if kind in ("DOUBLE", "FLOAT"):  # NaN equals nothing, itself included (DuckDB: NaN = NaN)
        return f"CASE WHEN isnan({a}) OR isnan({b}) THEN false ELSE {a} = {b} END"
    return f"({a} = {b})"


def pairs_equal(pairs: list[tuple[str, str, Any]]) -> str:
    """Trino's `=` of two rows given field by field (`ROW(x, y) = ROW(1, 'a')`): texts and type of each."""
    codes = [_code(equal_sql(a, b, t, 1)) for a, b, t in pairs]
    return _decide(f"least({', '.join(codes)})") if len(codes) > 1 else _decide(codes[0])
