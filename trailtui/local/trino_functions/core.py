"""The machinery shared by the function areas: DuckDB stand-ins (macros and Python functions) for Trino's
functions, the tree rewrites that call them, and their registration on a query's connection.

Every stand-in is named `trino_<something>`. A rewrite records the stand-ins it calls, and only those (with
the stand-ins their macros call in turn) are registered on the query's connection, before the sandbox locks
its configuration; a query that calls none of them pays nothing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlglot import exp


@dataclass(frozen=True)
class Udf:
    """A Python function registered as a DuckDB scalar function."""

    func: Callable[..., Any]
    params: tuple[str, ...]
    returns: str
    nulls: bool = False  # True: the function is called with NULL arguments too (else NULL in, NULL out)


MACROS: dict[str, str] = {}  # name -> "(params) AS expression", DuckDB SQL
UDFS: dict[str, Udf] = {}

Handler = Callable[["Rewriter", Any], Any]
HANDLERS: dict[Any, list[Handler]] = {}  # lower-case Trino function name, or a sqlglot class -> rewrites


def macro(name: str, text: str) -> None:
    MACROS[name] = text


def udf(name: str, params: tuple[str, ...], returns: str, nulls: bool = False) -> Callable[[Any], Any]:
    def add(func: Callable[..., Any]) -> Callable[..., Any]:
        UDFS[name] = Udf(func, params, returns, nulls)
        return func

    return add


def handles(*keys: Any) -> Callable[[Handler], Handler]:
    """Register a rewrite for Trino functions parsed as exp.Anonymous (by lower-case name) or as a sqlglot
    class. A handler returns the replacement node, or None to leave the node to the next handler (and in
    the end as it is)."""

    def add(func: Handler) -> Handler:
        for key in keys:
            HANDLERS.setdefault(key, []).append(func)
        return func

    return add


class Rewriter:
    """Rewrites one query's tree and collects the stand-ins it calls."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def call(self, name: str, *args: Any) -> exp.Anonymous:
        if name in MACROS or name in UDFS:
            self.used.add(name)
        return exp.Anonymous(this=name, expressions=[a for a in args if a is not None])

    def rewrite(self, tree: Any) -> Any:
        # Deepest nodes first, so a handler sees arguments that are already rewritten.
        for node in reversed(list(tree.dfs())):
            key = str(node.name).lower() if isinstance(node, exp.Anonymous) else type(node)
            new = None
            for handler in HANDLERS.get(key, ()):
                new = handler(self, node)
                if new is not None:
                    break
            if new is None or new is node:
                continue
            if node is tree:
                tree = new
            else:
                node.replace(new)
        return tree


def args_of(node: Any) -> list[Any]:
    return list(node.expressions) if isinstance(node, exp.Anonymous) else []


def literal_int(node: Any) -> int | None:
    if isinstance(node, exp.Literal) and not node.is_string:
        try:
            return int(node.name)
        except ValueError:
            return None
    if isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal):
        inner = literal_int(node.this)
        return None if inner is None else -inner
    return None


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_CALLED = re.compile(r"\btrino_\w+")


def closure(names: Iterable[str]) -> list[str]:
    """The stand-ins to register for `names`: those their macros call first."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        for dep in _CALLED.findall(MACROS.get(name, "")):
            if dep != name and (dep in MACROS or dep in UDFS):
                visit(dep)
        order.append(name)

    for name in sorted(names):
        visit(name)
    return order


def _null_in_null_out(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)  # DuckDB reads the parameter count from the signature
    def call(*args: Any) -> Any:
        return None if any(a is None for a in args) else func(*args)

    return call


def register(con: Any, names: Iterable[str]) -> None:
    """Create the stand-ins `names` (and what they call) on a DuckDB connection."""
    import duckdb

    for name in closure(names):
        if name in UDFS:
            u = UDFS[name]
            # DuckDB's default NULL handling refuses a None result, and these functions may give NULL for
            # non-NULL arguments; so NULL arguments are handled here.
            con.create_function(
                name,
                u.func if u.nulls else _null_in_null_out(u.func),
                [duckdb.sqltype(p) for p in u.params],
                duckdb.sqltype(u.returns),
                null_handling="special",
                side_effects=False,
            )
        elif name in MACROS:
            con.execute(f"CREATE OR REPLACE TEMP MACRO {name}{MACROS[name]}")
