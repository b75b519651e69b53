"""What sqlglot's parser accepts and Trino's grammar does not, refused in one pass over the token stream.

A query that runs on the local lake must run on Lake. sqlglot's Trino parser is lenient: it accepts a trailing
comma before FROM, `LIMIT n OFFSET m` (Trino takes OFFSET first) and `==`, and it reads DuckDB's syntax
(`FROM x SELECT ...`, `SELECT * EXCLUDE (...)`, `GROUP BY ALL`, `USING SAMPLE`, `ILIKE`, `x::int`, `[1, 2]`,
`{'a': 1}`, `s[1:2]`, `LIKE ANY (...)`, `IS TRUE`, `INTERVAL 1 DAY`, ...), which DuckDB runs. Each is refused
before parsing with Trino's parser error (`line L:C: mismatched input 'X'`) at the token Trino stops at; the
pass goes left to right, so of two problems the first in the text is the one reported, as Trino reports it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from trailtui.local.errors import InvalidQueryStatement, LakeError

if TYPE_CHECKING:
    from trailtui.local.translate.parse import Source


def _tokens() -> Any:
    from sqlglot.tokens import TokenType

    return TokenType


_T = _tokens()
# Tokens after which `[` starts a value (a list literal), not a subscript.
_OPERAND_START = frozenset({
    _T.COMMA, _T.L_PAREN, _T.L_BRACKET, _T.SELECT, _T.DISTINCT, _T.WHERE, _T.AND, _T.OR, _T.NOT, _T.PLUS,
    _T.DASH, _T.SLASH, _T.MOD, _T.EQ, _T.NEQ, _T.LT, _T.GT, _T.LTE, _T.GTE, _T.DPIPE, _T.THEN, _T.ELSE,
    _T.WHEN, _T.CASE, _T.IN, _T.ON, _T.HAVING, _T.ARROW, _T.LIKE, _T.BETWEEN, _T.IS, _T.COLON,
})  # fmt: skip
_QUERY_START = frozenset({_T.SELECT, _T.WITH, _T.VALUES, _T.TABLE, _T.L_PAREN})
_SET_OPS = frozenset({_T.UNION, _T.EXCEPT, _T.INTERSECT})
_CLAUSE_AFTER_GROUP_BY = _SET_OPS | {
    _T.R_PAREN,
    _T.HAVING,
    _T.ORDER_BY,
    _T.LIMIT,
    _T.OFFSET,
    _T.FETCH,
    _T.WINDOW,
}


def mismatched(src: Source, token: Any, expecting: str = "") -> LakeError:
    line, col = src.position(token.start)
    tail = f". Expecting: {expecting}" if expecting else ""
    # sqlglot reads `ORDER BY`, `SIMILAR TO` as one token; Trino's lexer stops at the first word.
    text = token.text.split()[0] if token.text.strip() else token.text
    return InvalidQueryStatement(f"line {line}:{col}: mismatched input '{text}'{tail}")


def _at_end(src: Source) -> LakeError:
    line, col = src.position(len(src.parsed))
    return InvalidQueryStatement(f"line {line}:{col}: mismatched input '<EOF>'")


def _word(tok: Any) -> str:
    return str(tok.text).upper() if tok is not None else ""


def check_tokens(src: Source, tokens: list[Any]) -> None:
    """The query's tokens, read left to right, raise at the first one Trino's grammar has no place for."""
    from sqlglot.tokens import TokenType as T

    # Trino's grammar fails at the first token when it cannot start a statement (a typo such as `SELEC 1`
    # is reported at 1:1, not at the `1` where sqlglot gives up). Words that start statements we refuse
    # later with a clearer message (DEALLOCATE, DENY) are left to that check.
    first = tokens[0] if tokens else None
    if first is not None and (
        first.token_type in (T.NUMBER, T.STRING, T.NATIONAL_STRING, T.STAR, T.COMMA, T.DOT)
        or (first.token_type == T.VAR and first.text.upper() not in ("DEALLOCATE", "DENY"))
    ):
        raise mismatched(src, first, "'SELECT', 'WITH', 'VALUES', 'TABLE', '('")
    # Tokens Trino's lexer or grammar has no place for, wherever they are (`->>`, `:=`, `^`, `&`, `|`, `@`,
    # `#`), and DuckDB's operators. Braces only exist in MATCH_RECOGNIZE patterns.
    never = {T.ILIKE, T.GLOB, T.SIMILAR_TO, T.DCOLON, T.CARET, T.AMP, T.PIPE, T.COLON_EQ, T.DARROW, T.HASH}
    never |= {T.PARAMETER}
    if not any(_word(t) == "MATCH_RECOGNIZE" for t in tokens):
        never |= {T.L_BRACE, T.R_BRACE}
    spelled = {(T.LIKE, "~~"), (T.NOT, "!"), (T.EQ, "==")}  # DuckDB's spellings of LIKE, NOT and =
    depth = 0  # parentheses and brackets open
    brackets = 0  # brackets open (subscripts)
    limit_at: dict[int, bool] = {}  # depths whose query has had a LIMIT
    for i, tok in enumerate(tokens):
        kind = tok.token_type
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if kind in never or (kind, tok.text) in spelled:
            raise mismatched(src, tok)
        if kind in (T.L_PAREN, T.L_BRACKET):
            depth += 1
        elif kind in (T.R_PAREN, T.R_BRACKET):
            limit_at.pop(depth, None)
            depth -= 1
        elif kind == T.COMMA and nxt is not None and nxt.token_type in (T.FROM, T.R_PAREN, T.R_BRACKET):
            raise mismatched(src, nxt, "<expression>")  # a trailing comma
        elif kind == T.LIMIT:
            limit_at[depth] = True
        elif kind == T.OFFSET and limit_at.get(depth):
            raise mismatched(src, tok, "<EOF> (Trino takes OFFSET before LIMIT)")
        elif kind in _SET_OPS:
            limit_at.pop(depth, None)
        if kind == T.L_BRACKET:
            prev = tokens[i - 1] if i > 0 else None
            if prev is None or prev.token_type in _OPERAND_START:  # a list literal, not a subscript
                raise mismatched(src, tok)
            brackets += 1
        elif kind == T.R_BRACKET:
            brackets -= 1
        elif kind == T.COLON and brackets > 0:  # a slice, s[1:2]
            raise mismatched(src, tok)
        elif kind == T.NATURAL:
            line, col = src.position(tok.start)
            raise InvalidQueryStatement(f"line {line}:{col}: Natural join not supported")
        elif kind == T.INTERVAL:
            _check_interval(src, tokens, i)
        elif kind == T.IPPREFIX and _is_type_use(tokens, i):
            # Presto's type; Trino has IPADDRESS only (D: language/types.html#ipaddress)
            line, col = src.position(tok.start)
            raise InvalidQueryStatement(f"line {line}:{col}: Unknown type: ipprefix")
        else:
            _check_clause(src, tokens, i)


def _is_type_use(tokens: list[Any], i: int) -> bool:
    """The token at i is a type: in a CAST (`AS ipprefix)`) or a typed literal (`ipprefix '...'`)."""
    from sqlglot.tokens import TokenType as T

    prev, nxt = (tokens[j] if 0 <= j < len(tokens) else None for j in (i - 1, i + 1))
    if nxt is not None and nxt.token_type == T.STRING:
        return True
    return prev is not None and prev.token_type == T.ALIAS and nxt is not None and nxt.token_type == T.R_PAREN


def _check_clause(src: Source, tokens: list[Any], i: int) -> None:
    """DuckDB's clauses and modifiers, found by the token at i and the tokens around it."""
    from sqlglot.tokens import TokenType as T

    tok = tokens[i]
    prev, nxt, after, third = (
        tokens[j] if 0 <= j < len(tokens) else None for j in (i - 1, i + 1, i + 2, i + 3)
    )
    word, kind = _word(tok), tok.token_type
    nxt_kind, after_kind = (t.token_type if t is not None else None for t in (nxt, after))
    offending: Any = None
    if kind == T.FROM and (
        prev is None
        or prev.token_type in _SET_OPS
        or (prev.token_type == T.L_PAREN and _word(tokens[i - 2] if i > 1 else None) != "TRIM")
    ):  # FROM-first queries
        raise mismatched(src, tok, "'SELECT', 'WITH', 'VALUES', 'TABLE', '('")
    pivot = word in ("PIVOT", "UNPIVOT") and (prev is None or nxt_kind == T.L_PAREN)
    join = word in ("ASOF", "POSITIONAL", "SEMI", "ANTI") and _word(nxt) in ("JOIN", "LEFT", "INNER")
    if pivot or join or (kind == T.USING and _word(nxt) == "SAMPLE"):
        offending = tok
    elif kind == T.IS and nxt_kind in (T.TRUE, T.FALSE):
        offending = nxt  # IS TRUE
    elif kind == T.IS and _word(nxt) == "NOT" and after_kind in (T.TRUE, T.FALSE):
        offending = after
    elif kind == T.STAR and _word(nxt) in ("EXCLUDE", "REPLACE", "RENAME"):
        offending = nxt
    elif kind == T.STAR and _word(nxt) == "EXCEPT" and after_kind == T.L_PAREN:
        if third is None or third.token_type not in _QUERY_START:
            offending = nxt
    elif kind == T.ORDER_BY and nxt_kind == T.ALL:
        offending = nxt
    elif kind == T.GROUP_BY and nxt_kind == T.ALL:
        # Trino's GROUP BY ALL is a set quantifier before grouping elements, never alone.
        if after is None:
            raise _at_end(src)
        if after_kind in _CLAUSE_AFTER_GROUP_BY:
            offending = after
    elif word == "BY" and _word(nxt) == "NAME" and prev is not None:
        if prev.token_type in _SET_OPS or prev.token_type in (T.ALL, T.DISTINCT):
            offending = tok  # UNION [ALL] BY NAME
    elif kind == T.ON and prev is not None and prev.token_type == T.DISTINCT:
        offending = tok  # DISTINCT ON (...)
    elif kind == T.LIMIT and nxt is not None and after is not None:
        if after_kind in (T.MOD, T.COMMA) or _word(after) == "PERCENT":
            offending = after
    elif word in ("ANY", "SOME", "ALL") and nxt_kind == T.L_PAREN and after_kind not in _QUERY_START:
        # ANY and SOME are not reserved in Trino: `x LIKE ANY ('a%')`, `x = ANY(ARRAY[...])` call a
        # function named any, which Trino does not have. ALL is reserved.
        if word == "ALL":
            offending = tok
        else:
            line, col = src.position(tok.start)
            raise InvalidQueryStatement(f"line {line}:{col}: Function '{tok.text.lower()}' not registered")
    if offending is not None:
        raise mismatched(src, offending)


_FIELDS = {"YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"}


def _check_interval(src: Source, tokens: list[Any], i: int) -> None:
    """Trino's interval literal is INTERVAL [+|-] 'text' field [TO field]: no bare number, no unit inside
    the text (`INTERVAL 1 DAY`, `INTERVAL '1 day'` are DuckDB's)."""
    from sqlglot.tokens import TokenType as T

    j = i + 1
    if j < len(tokens) and tokens[j].token_type in (T.PLUS, T.DASH):
        j += 1
    if j >= len(tokens):
        raise _at_end(src)
    if tokens[j].token_type != T.STRING:
        raise mismatched(src, tokens[j])
    if j + 1 >= len(tokens):
        raise _at_end(src)
    if _word(tokens[j + 1]) not in _FIELDS:
        raise mismatched(src, tokens[j + 1])
