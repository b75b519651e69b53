"""Trino's array functions where DuckDB's differ (trino.io/docs/current/functions/array.html); expected
values from Trino's TestArrayFunctions and the documentation's examples.

DuckDB's list functions skip NULL elements where Trino's answer depends on them (contains, array_max), sort
where Trino keeps the first-occurrence order (array_distinct), and return NULL where Trino returns 0
(array_position); the macros below give Trino's answers.
"""

from __future__ import annotations

from typing import Any

from sqlglot import exp

from trailtui.local.trino_functions.core import Rewriter, args_of, handles, macro, udf
from trailtui.local.trino_functions.ips import is_network_contains

# Has NULL elements: DuckDB's list_count counts the non-NULL ones.
macro("trino_has_null", "(a) AS len(a) > list_count(a)")
# array_distinct keeps each element's first occurrence, in order, and one NULL.
macro(
    "trino_array_distinct",
    "(a) AS list_filter(a, lambda e, i: list_position(list_slice(a, 1, i - 1), e) IS NULL)",
)
macro("trino_array_union", "(a, b) AS trino_array_distinct(list_concat(a, b))")
# contains: NULL (not false) when the element is absent and the array holds a NULL.
macro(
    "trino_contains",
    "(a, x) AS CASE WHEN a IS NULL OR x IS NULL THEN NULL WHEN list_contains(a, x) THEN true "
    "WHEN trino_has_null(a) THEN NULL ELSE false END",
)
macro(
    "trino_arrays_overlap",
    "(a, b) AS CASE WHEN a IS NULL OR b IS NULL THEN NULL WHEN list_has_any(a, b) THEN true "
    "WHEN trino_has_null(a) OR trino_has_null(b) THEN NULL ELSE false END",
)
macro("trino_array_position", "(a, x) AS CASE WHEN x IS NOT NULL THEN coalesce(list_position(a, x), 0) END")
macro(
    "trino_array_remove",
    "(a, x) AS CASE WHEN x IS NOT NULL THEN list_filter(a, lambda e: e IS NULL OR e <> x) END",
)
macro("trino_array_max", "(a) AS CASE WHEN NOT trino_has_null(a) THEN list_max(a) END")
macro("trino_array_min", "(a) AS CASE WHEN NOT trino_has_null(a) THEN list_min(a) END")
# slice(array, start, length): a negative start counts from the end (functions/array.html#slice).
macro(
    "trino_slice",
    "(a, s, n) AS CASE WHEN s = 0 THEN error('SQL array indices start at 1') "
    "WHEN n < 0 THEN error('length must be greater than or equal to 0') "
    "WHEN s > 0 THEN list_slice(a, s, s + n - 1) "
    "WHEN -s > len(a) THEN list_slice(a, 1, 0) "
    "ELSE list_slice(a, len(a) + s + 1, len(a) + s + n) END",
)
macro(
    "trino_contains_sequence",
    "(a, q) AS CASE WHEN len(q) = 0 THEN true WHEN len(q) > len(a) THEN false ELSE "
    "list_bool_or(list_transform(generate_series(1, len(a) - len(q) + 1), "
    "lambda i: list_slice(a, i, i + len(q) - 1) IS NOT DISTINCT FROM q)) END",
)
# sequence: Trino refuses more than 10,000 elements, which also bounds what a query can make here.
macro(
    "trino_sequence",
    "(a, b, s) AS CASE WHEN s = 0 THEN error('step must not be zero') "
    "WHEN (s > 0 AND a > b) OR (s < 0 AND a < b) THEN error('sequence stop value should be greater "
    "than or equal to start value if step is greater than zero otherwise stop should be less than or "
    "equal to start') "
    "WHEN (b - a) // s + 1 > 10000 THEN error('result of sequence function must not have more than "
    "10000 entries') ELSE generate_series(a, b, s) END",
)
macro(
    "trino_any_true",
    "(l) AS CASE WHEN list_contains(l, true) THEN true WHEN trino_has_null(l) THEN NULL ELSE false END",
)
macro(
    "trino_all_true",
    "(l) AS CASE WHEN list_contains(l, false) THEN false WHEN trino_has_null(l) THEN NULL ELSE true END",
)
macro(
    "trino_none_true",
    "(l) AS CASE WHEN list_contains(l, true) THEN false WHEN trino_has_null(l) THEN NULL ELSE true END",
)
macro(
    "trino_width_bucket",
    "(x, lo, hi, n) AS CASE WHEN n <= 0 THEN error('bucketCount must be greater than 0') "
    "WHEN isnan(x) THEN error('operand must not be NaN') "
    "WHEN lo = hi THEN error('bounds cannot equal each other') "
    "WHEN lo < hi THEN (CASE WHEN x < lo THEN 0 WHEN x >= hi THEN n + 1 "
    "ELSE CAST(floor((x - lo) * n / (hi - lo)) AS BIGINT) + 1 END) "
    "ELSE (CASE WHEN x > lo THEN 0 WHEN x <= hi THEN n + 1 "
    "ELSE CAST(floor((lo - x) * n / (lo - hi)) AS BIGINT) + 1 END) END",
)
macro(
    "trino_width_bucket_bins",
    "(x, bins) AS len(list_filter(bins, lambda b: b <= x))",
)


def _call(name: str) -> Any:
    def rewrite(rw: Rewriter, node: Any) -> Any:
        args = args_of(node) if isinstance(node, exp.Anonymous) else [node.this, node.expression]
        return rw.call(name, *args)

    return rewrite


handles(exp.ArrayDistinct)(lambda rw, node: rw.call("trino_array_distinct", node.this))
handles(exp.ArrayMax)(lambda rw, node: rw.call("trino_array_max", node.this))
handles(exp.ArrayMin)(lambda rw, node: rw.call("trino_array_min", node.this))
# array_position(x, element, instance): the position of the instance-th occurrence, from the end when
# negative, 0 when there is none (functions/array.html#array_position; sqlglot keeps the third argument
# as `zero_based`, and DuckDB's list_position ignored it: the first occurrence was answered).
_FOUND = (  # the positions of x in a, in order
    "list_filter(list_transform(range(1, len(a) + 1), lambda __i: CASE WHEN a[__i] = x THEN __i END), "
    "lambda __p: __p IS NOT NULL)"
)
macro(
    "trino_array_position_n",
    "(a, x, n) AS CASE WHEN n = 0 THEN error('array_position cannot take a 0-valued instance argument.') "
    f"WHEN x IS NOT NULL THEN coalesce((CASE WHEN n > 0 THEN {_FOUND} ELSE list_reverse({_FOUND}) END)"
    "[abs(n)], 0) END",
)


@handles(exp.ArrayPosition)
def _array_position(rw: Rewriter, node: Any) -> Any:
    instance = node.args.get("zero_based")
    if instance is not None:
        return rw.call("trino_array_position_n", node.this, node.expression, instance)
    return rw.call("trino_array_position", node.this, node.expression)


handles(exp.ArrayRemove)(_call("trino_array_remove"))
handles("array_union")(_call("trino_array_union"))
handles("arrays_overlap")(_call("trino_arrays_overlap"))
handles("contains_sequence")(_call("trino_contains_sequence"))
handles(exp.ArrayOverlaps)(_call("trino_arrays_overlap"))


@handles(exp.ArrayContains)
def _contains(rw: Rewriter, node: Any) -> Any:
    if is_network_contains(node):
        return None  # contains(network, address): ips.py
    return rw.call("trino_contains", node.this, node.expression)


@handles(exp.ArraySlice)
def _slice(rw: Rewriter, node: Any) -> Any:
    return rw.call("trino_slice", node.this, node.args.get("start"), node.args.get("end"))


@handles(exp.GenerateSeries, "sequence")
def _sequence(rw: Rewriter, node: Any) -> Any:
    if isinstance(node, exp.Anonymous):
        args = args_of(node)
    else:
        args = [node.args.get("start"), node.args.get("end"), node.args.get("step")]
    args = [a for a in args if a is not None]
    if len(args) == 2:
        args.append(exp.Literal.number(1))
    if any(isinstance(a, exp.Cast | exp.Interval) and not _is_integer_cast(a) for a in args):
        raise ValueError("sequence over dates and timestamps is not supported by the local lake")
    return rw.call("trino_sequence", *args)


def _is_integer_cast(node: Any) -> bool:
    to = node.args.get("to")
    return isinstance(to, exp.DataType) and to.is_type(*exp.DataType.INTEGER_TYPES)


@handles("zip")
def _zip(rw: Rewriter, node: Any) -> Any:
    return exp.Anonymous(this="list_zip", expressions=args_of(node))


@handles(exp.WidthBucket, "width_bucket")
def _width_bucket(rw: Rewriter, node: Any) -> Any:
    if isinstance(node, exp.Anonymous):
        args = args_of(node)
    else:
        keys = ("this", "min_value", "max_value", "num_buckets")
        args = [node.args[k] for k in keys if node.args.get(k) is not None]
    if len(args) == 4:
        return rw.call("trino_width_bucket", *args)
    if len(args) == 2:
        return rw.call("trino_width_bucket_bins", *args)
    return None


def _matcher(name: str) -> Any:
    def rewrite(rw: Rewriter, node: Any) -> Any:
        args = args_of(node)
        if len(args) != 2 or not isinstance(args[1], exp.Lambda):
            return None
        results = exp.Anonymous(this="list_transform", expressions=args)
        return rw.call(name, results)

    return rewrite


# any_match / all_match / none_match: Trino's three-valued answers (functions/array.html#any_match).
handles("any_match")(_matcher("trino_any_true"))
handles("all_match")(_matcher("trino_all_true"))
handles("none_match")(_matcher("trino_none_true"))


@handles(exp.Reverse)
def _reverse(rw: Rewriter, node: Any) -> Any:
    t = getattr(node.this, "type", None)
    if isinstance(node.this, exp.Array) or (t is not None and t.this == exp.DataType.Type.ARRAY):
        return exp.Anonymous(this="list_reverse", expressions=[node.this])
    if t is not None and t.this in (exp.DataType.Type.VARCHAR, exp.DataType.Type.CHAR):
        # Trino reverses code points (functions/string.html#reverse); DuckDB's reverse keeps grapheme
        # clusters whole (`reverse('e' || chr(769))` kept the accent after the e).
        return rw.call("trino_reverse", node.this)
    return None


@udf("trino_reverse", ("VARCHAR",), "VARCHAR")
def _reverse_code_points(s: str) -> str:
    return s[::-1]


@handles(exp.Reduce)
def _reduce(rw: Rewriter, node: Any) -> Any:
    """reduce(array, initial, (s, x) -> ..., s -> finish): DuckDB has no finishing lambda, so the finish
    lambda's body is applied to the reduction by substituting its parameter."""
    finish = node.args.get("finish")
    if finish is None:
        return None
    node.set("finish", None)
    params = [p.name for p in finish.expressions]
    if len(params) != 1:
        return None
    body = finish.this.copy()
    inner = node.copy()

    def substitute(n: Any) -> Any:
        if isinstance(n, exp.Identifier | exp.Column) and n.name == params[0] and not n.args.get("table"):
            return inner.copy()
        return n

    return body.transform(substitute)


# array_intersect / array_except: distinct elements in the order of the first array; NULL is an element
# like any other (list_position finds it, list_contains does not).
macro(
    "trino_array_intersect",
    "(a, b) AS trino_array_distinct(list_filter(a, lambda e: list_position(b, e) IS NOT NULL))",
)
macro(
    "trino_array_except",
    "(a, b) AS trino_array_distinct(list_filter(a, lambda e: list_position(b, e) IS NULL))",
)
macro(
    "trino_repeat",
    "(x, n) AS CASE WHEN n < 0 THEN error('count argument of repeat function must be greater than or equal to 0') "
    "WHEN n > 10000 THEN error('count argument of repeat function must be less than or equal to 10000') "
    "ELSE list_transform(generate_series(1, n), lambda i: x) END",
)
macro(
    "trino_trim_array",
    "(a, n) AS CASE WHEN n < 0 OR n > len(a) THEN "
    "error('size must not be negative or exceed array cardinality') ELSE list_slice(a, 1, len(a) - n) END",
)
macro(
    "trino_ngrams",
    "(a, n) AS CASE WHEN n <= 0 THEN error('N must be positive') WHEN len(a) <= n THEN [a] "
    "ELSE list_transform(generate_series(1, len(a) - n + 1), lambda i: list_slice(a, i, i + n - 1)) END",
)

handles(exp.ArrayIntersect)(lambda rw, node: rw.call("trino_array_intersect", *node.expressions))
handles(exp.ArrayExcept)(lambda rw, node: rw.call("trino_array_except", node.this, node.expression))
handles(exp.Repeat)(lambda rw, node: rw.call("trino_repeat", node.this, node.args.get("times")))
handles("trim_array")(_call("trino_trim_array"))
handles("ngrams")(_call("trino_ngrams"))


@handles("zip_with")
def _zip_with(rw: Rewriter, node: Any) -> Any:
    """zip_with(a, b, (x, y) -> ...): the lambda over the pairs of list_zip (shorter array padded with
    NULL, as in Trino)."""
    args = args_of(node)
    if len(args) != 3 or not isinstance(args[2], exp.Lambda) or len(args[2].expressions) != 2:
        return None
    a, b, lam = args
    names = [p.name for p in lam.expressions]
    pair = "__trino_p"

    def substitute(n: Any) -> Any:
        param = isinstance(n, exp.Column) and not n.table
        param = param or (isinstance(n, exp.Identifier) and not isinstance(n.parent, exp.Column))
        if param and n.name in names:
            return exp.Anonymous(
                this="struct_extract",
                expressions=[exp.column(pair), exp.Literal.number(names.index(n.name) + 1)],
            )
        return n

    body = lam.this.copy().transform(substitute)
    fn = exp.Lambda(this=body, expressions=[exp.to_identifier(pair)])
    return exp.Anonymous(
        this="list_transform", expressions=[exp.Anonymous(this="list_zip", expressions=[a, b]), fn]
    )


@handles(exp.ArraySort)
def _array_sort(rw: Rewriter, node: Any) -> Any:
    """array_sort(x, (a, b) -> ...) orders by the comparator in Trino; DuckDB's list_sort takes none, and
    sqlglot dropped it with a warning (a descending comparator gave the ascending order). Refused rather
    than answered differently; array_sort(x) alone is DuckDB's list_sort (ascending, NULLs last, as Trino)."""
    if node.args.get("expression") is not None:
        raise ValueError(
            "array_sort with a comparator is not supported on the local lake; use array_sort(x) or "
            "reverse(array_sort(x))"
        )
    return None
