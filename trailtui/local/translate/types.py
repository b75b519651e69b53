"""Trino's types in the translator: the Lake schema as Trino types, each expression's Trino type, and how
each Trino type is carried through DuckDB.

After `annotate(tree)`, every expression node has `node.type` (a sqlglot DataType) holding its *Trino* type;
rewrites (ours in semantics.py, the function package's hook) read it to give operators and functions their
Trino meaning, and `trino_name` spells it as Trino's `typeof()` does.

How a Trino value travels through DuckDB (the carrier), and what the renderer does with it:

| Trino type                   | DuckDB carrier | notes |
|------------------------------|----------------|-------|
| boolean, integer types, real, double, varchar, varbinary, date, json | the same type | |
| decimal(p, s)                | DECIMAL(p, s)  | arithmetic rewritten to Trino's precision/scale rules |
| timestamp(p)                 | TIMESTAMP      | microseconds; p (0..6, default 3) is static, in the node's type, and the renderer prints p digits |
| timestamp(p) with time zone  | TIMESTAMPTZ    | the instant. Every query connection runs with TimeZone=UTC. The zone is a static tag of the expression: `zone_of(node)` (None: UTC, the session zone), set with `set_zone(node, zone)` by whatever produces a value in another zone (AT TIME ZONE, at_timezone, with_timezone, a literal with a zone). The renderer prints the wall time in that zone and the zone's name, as Trino does. A zone that varies by row cannot be carried: refuse such a query (InvalidQueryStatementException) rather than print a wrong zone. |
| array / map / row            | LIST / MAP / STRUCT | row field names in lower case when rendered |

The zone tag lives in the DataType's `meta` so that it survives copies of the type: `zone_of` and `set_zone`
are the only way to touch it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trailtui.local.schema import BOOL, COLUMNS, DERIVED_COLUMNS, MAP, TS, FieldType, ListOf, Struct

_ZONE = "trino_zone"

_SCALARS = {
    "VARCHAR": "VARCHAR",
    TS: "TIMESTAMP(3)",
    BOOL: "BOOLEAN",
    MAP: "MAP(VARCHAR, VARCHAR)",
}


def _trino_type(t: FieldType) -> str:
    if isinstance(t, Struct):
        return "ROW(" + ", ".join(f'"{k.lower()}" {_trino_type(v)}' for k, v in t.fields) + ")"
    if isinstance(t, ListOf):
        return f"ARRAY({_trino_type(t.item)})"
    return _SCALARS[t]


def store_columns() -> dict[str, str]:
    """A store's columns as Trino types (sqlglot's schema mapping, in Trino's syntax)."""
    cols = {c.name: _trino_type(c.type) for c in COLUMNS}
    cols.update({name: _trino_type(t) for name, t in DERIVED_COLUMNS})
    return cols


@dataclass(frozen=True)
class TrinoType:
    """A result column's Trino type, for the renderer: its name as typeof() says it, and its zone."""

    name: str
    zone: str | None = None
    children: tuple[TrinoType, ...] = ()  # an array's element, a map's key and value, a row's fields

    @property
    def precision(self) -> int | None:
        """The fractional digits of a timestamp type."""
        if self.name.startswith(("timestamp", "time(")):
            inner = self.name[self.name.find("(") + 1 : self.name.find(")")] if "(" in self.name else "3"
            return int(inner) if inner.isdigit() else 3
        return None


def zone_of(node: Any) -> str | None:
    """The time zone of a `timestamp with time zone` expression (None: UTC, the session zone)."""
    t = getattr(node, "type", None)
    return t.meta.get(_ZONE) if t is not None and t.meta else None


def set_zone(node: Any, zone: str | None) -> None:
    """Tag a `timestamp with time zone` expression with the zone its values are in."""
    from sqlglot import exp

    t = getattr(node, "type", None)
    t = t.copy() if t is not None else exp.DataType.build("TIMESTAMPTZ")
    t.meta[_ZONE] = zone
    node.type = t


def trino_name(t: Any) -> str:
    """A sqlglot DataType spelt as Trino's typeof() spells it: `integer`, `varchar`, `timestamp(3)`,
    `decimal(2,1)`, `array(varchar)`, `row(type varchar, ...)`."""
    from sqlglot import exp

    if t is None:
        return "unknown"
    T = exp.DataType.Type
    kind = t.this
    params = [p.sql() for p in t.expressions if not isinstance(p, exp.DataType | exp.ColumnDef)]
    simple = {
        T.BOOLEAN: "boolean",
        T.TINYINT: "tinyint",
        T.SMALLINT: "smallint",
        T.INT: "integer",
        T.BIGINT: "bigint",
        T.FLOAT: "real",
        T.DOUBLE: "double",
        T.DATE: "date",
        T.JSON: "json",
        T.VARBINARY: "varbinary",
        T.BINARY: "varbinary",
        T.UUID: "uuid",
        T.UNKNOWN: "unknown",
        T.NULL: "unknown",
    }
    if kind in simple:
        return simple[kind]
    if kind == T.INTERVAL:  # the family is a tag of the type (intervals.py)
        return str((t.meta or {}).get("trino_interval", "interval day to second"))
    if kind in (T.VARCHAR, T.CHAR, T.TEXT, T.NVARCHAR):
        name = "char" if kind == T.CHAR else "varchar"
        return f"{name}({params[0]})" if params else name
    if kind == T.DECIMAL:
        p, s = ([*params, "38", "0"])[:2] if params else ("38", "0")
        return f"decimal({p},{s})"
    if kind in (T.TIMESTAMP, T.DATETIME, T.TIMESTAMPNTZ):
        return f"timestamp({params[0] if params else 3})"
    if kind == T.TIME:
        return f"time({params[0] if params else 3})"
    if kind == T.TIMETZ:
        return f"time({params[0] if params else 3}) with time zone"
    if kind in (T.TIMESTAMPTZ, T.TIMESTAMPLTZ):
        return f"timestamp({params[0] if params else 3}) with time zone"
    if kind == T.ARRAY:
        inner = t.expressions[0] if t.expressions else None
        return f"array({trino_name(inner)})"
    if kind == T.MAP:
        k, v = ([*t.expressions, None, None])[:2]
        return f"map({trino_name(k)}, {trino_name(v)})"
    if kind == T.STRUCT:
        fields = []
        for f in t.expressions:
            if isinstance(f, exp.ColumnDef):
                fields.append(f"{f.name} {trino_name(f.args.get('kind'))}")
            else:
                fields.append(trino_name(f))
        return "row(" + ", ".join(fields) + ")"
    return kind.value.lower()


def field_types(t: Any) -> list[Any]:
    """The sqlglot types of a struct's fields, in order (None for a field whose type is not known): a field
    is a ColumnDef when named, a bare DataType when not."""
    from sqlglot import exp

    kinds = (f.args.get("kind") if isinstance(f, exp.ColumnDef) else f for f in t.expressions)
    return [k if isinstance(k, exp.DataType) else None for k in kinds]


def output_type(node: Any) -> TrinoType | None:
    """The Trino type of a select-list item, or None when it is not known."""
    from sqlglot import exp

    t = getattr(node, "type", None)
    if t is None or t.this == exp.DataType.Type.UNKNOWN:
        return None
    return described(t, zone_of(node))


def described(t: Any, zone: str | None = None) -> TrinoType:
    """The TrinoType of a sqlglot DataType, nested types included (the renderer prints a timestamp inside
    an array, map or row with its precision and zone). A nested timestamp with time zone has its own zone
    tag where the expression that made it set one, else `zone`, the enclosing expression's."""
    from sqlglot import exp

    T = exp.DataType.Type
    meta = t.meta if t.meta else {}
    own = meta.get(_ZONE, zone)
    kids: tuple[TrinoType, ...] = ()
    if t.this in (T.ARRAY, T.MAP):
        kids = tuple(described(e, own) for e in t.expressions if isinstance(e, exp.DataType))
    elif t.this == T.STRUCT:
        parts = field_types(t)
        if all(p is not None for p in parts):
            kids = tuple(described(p, own) for p in parts)
    return TrinoType(trino_name(t), own, kids)
