"""A call of a function Trino does not have, refused with Trino's `line L:C: Function 'x' not registered`.

sqlglot parses DuckDB's function names too and DuckDB runs them; the names Trino has are in trino_names. The
query's tokens say where a name is called (a name before `(`), its tree which functions a keyword spells.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from trailtui.local.errors import InvalidQueryStatement
from trailtui.local.translate.trino_names import is_trino_function

if TYPE_CHECKING:
    from trailtui.local.translate.parse import Source


def _word(tok: Any) -> str:
    return str(tok.text).upper() if tok is not None else ""


def _called_names(tree: Any) -> set[str]:
    """Every name under which the query's function nodes may have been written."""
    from sqlglot import exp

    names: set[str] = set()
    for node in tree.find_all(exp.Func):
        if isinstance(node, exp.Binary | exp.Unary | exp.Predicate):
            continue  # operators (`AND (...)`, `NOT (...)`, `EXISTS (...)`), not calls
        if isinstance(node, exp.Anonymous):
            names.add(str(node.name).lower())
        else:
            names.update(n.lower() for n in type(node).sql_names())
    return names


# Words of Trino's grammar that a parenthesis follows and sqlglot reads as plain names.
_GRAMMAR_WORDS = frozenset({"bernoulli", "system", "pattern", "measures", "define", "subset", "columns"})


def check_function_names(src: Source, tokens: list[Any], tree: Any, denied: Any) -> None:
    """A call of a function Trino does not have fails as on Lake. A name followed by `(` is a call unless it
    is a table or CTE alias with its columns (`t(a, b)`), a type (`CAST(x AS map(varchar, array(varchar)))`)
    or a word of the grammar; a keyword is a call when the parsed query has a function that may be spelled
    so (`left(...)`, `replace(...)`). Names the sandbox refuses are left to its own error."""
    from sqlglot import exp
    from sqlglot.tokens import TokenType as T

    called = _called_names(tree)
    aliases = {str(a.name).lower() for a in tree.find_all(exp.TableAlias)}
    # A table function in FROM is the sandbox's to refuse, with its own message.
    aliases |= {str(t.this.name).lower() for t in tree.find_all(exp.Table) if isinstance(t.this, exp.Func)}
    cast_depth: list[int] = []  # paren depths of the CASTs whose type is being read
    casts: list[int] = []  # paren depths of open CASTs
    depth = 0
    for i, tok in enumerate(tokens):
        prev = tokens[i - 1] if i > 0 else None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if tok.token_type == T.L_PAREN:
            depth += 1
            if _word(prev) in ("CAST", "TRY_CAST"):
                casts.append(depth)
            continue
        if tok.token_type == T.R_PAREN:
            if cast_depth and cast_depth[-1] == depth:
                cast_depth.pop()
            if casts and casts[-1] == depth:
                casts.pop()
            depth -= 1
            continue
        if tok.token_type == T.ALIAS and casts and casts[-1] == depth:
            cast_depth.append(depth)
            continue
        if nxt is None or nxt.token_type != T.L_PAREN or cast_depth:
            continue
        if prev is not None and (prev.token_type in (T.ALIAS, T.DOT) or _word(prev) == "WITHIN"):
            continue
        name = str(tok.text).lower()
        if is_trino_function(name) or name in aliases or denied(name):
            continue
        if name in called or (tok.token_type == T.VAR and name not in _GRAMMAR_WORDS):
            line, col = src.position(tok.start)
            raise InvalidQueryStatement(f"line {line}:{col}: Function '{name}' not registered")
