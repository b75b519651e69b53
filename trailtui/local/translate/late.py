"""DuckDB SQL that our rewrites produce, kept opaque until the end of translation.

Our rewrites (operators, casts, math) produce DuckDB expressions that call DuckDB functions by DuckDB's
names (`split_part`, `len`, `substr`, ...). The Trino function package runs after them and rewrites calls
by Trino's names; it must not reinterpret ours as Trino calls. So a rewrite returns a placeholder call
holding a template and its operands (the user's expressions, which the function package still rewrites);
`finish` turns each placeholder into its DuckDB SQL once every other rewrite is done.
"""

from __future__ import annotations

from typing import Any

LATE = "trino_core_sql"


def late(template: str, args: list[Any], type_: Any) -> Any:
    """A placeholder for `template` (DuckDB SQL with {0}, {1}... for the operands in `args`)."""
    from sqlglot import exp

    # Copies: an operand may be the very node this placeholder replaces, still attached to its parent.
    node = exp.Anonymous(this=LATE, expressions=[a.copy() for a in args])
    node.meta["template"] = template
    node.type = exp.DataType.build(type_, dialect="trino") if isinstance(type_, str) else type_
    return node


def finish(tree: Any) -> Any:
    """Every placeholder replaced by its DuckDB SQL (innermost first)."""
    import sqlglot
    from sqlglot import exp

    def is_late(n: Any) -> bool:
        return isinstance(n, exp.Anonymous) and n.name == LATE and "template" in n.meta

    for node in reversed([n for n in tree.dfs() if is_late(n)]):
        text = node.meta["template"].format(
            *(a.sql(dialect="duckdb", identify=True) for a in node.expressions)
        )
        new = sqlglot.parse_one(text, read="duckdb")
        if node is tree:
            return new
        node.replace(new)
    return tree


def _without_errors(template: str) -> str:
    """`template` with each `error(...)` call replaced by NULL (quoted text inside the call skipped)."""
    out: list[str] = []
    i = 0
    while (start := template.find("error(", i)) >= 0:
        if start > 0 and (template[start - 1].isalnum() or template[start - 1] == "_"):
            out.append(template[i : start + 6])
            i = start + 6
            continue
        out.append(template[i:start])
        depth, j, quoted = 0, start + 5, False
        while j < len(template):
            c = template[j]
            if c == "'":
                quoted = not quoted
            elif not quoted and c == "(":
                depth += 1
            elif not quoted and c == ")":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        out.append("NULL")
        i = j + 1
    out.append(template[i:])
    return "".join(out)


def defuse(node: Any) -> None:
    """Inside Trino's try(...), a failure is NULL: our rewrites' error(...) calls become NULL (DuckDB's TRY
    refuses an expression that calls error(), a volatile function)."""
    from sqlglot import exp

    for n in node.walk():
        if isinstance(n, exp.Anonymous) and n.name == LATE and "template" in n.meta:
            n.meta["template"] = _without_errors(n.meta["template"])
