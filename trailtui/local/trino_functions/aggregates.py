"""Trino's aggregate functions where DuckDB's answer differently (trino.io/docs/current/functions/aggregate.html).

- count_if(x) over no rows is 0, as count is (DuckDB's count_if gives NULL).
- max_by(x, y) / min_by(x, y) give the x of the row with the largest / smallest y even when that x is NULL;
  only rows whose y is NULL are skipped (DuckDB's arg_max skips rows whose x is NULL too, and so answers
  with another row's x: `max_by(errorCode, eventTime)` gave the last error instead of NULL).
- approx_distinct(x[, e]) is the exact count of distinct values. Trino's HyperLogLog is exact for the small
  sets an investigation counts (its sparse form keeps every hash), where DuckDB's estimator is not (46
  distinct event names counted as 47); on large sets the exact count is within any error Trino's estimate
  may have, and the local lake's sizes keep it cheap.
- approx_percentile(x, p) is the value Trino's t-digest gives while it holds each value as a cluster of its
  own (airlift's TDigest.valuesAt over unit-weight centroids: the sorted values' element at
  min(floor(p * n), n - 1), counting from 0; for 1, 2, 3, 4 the median is 3): exactly Trino's answer for
  the few dozen values per group it keeps apart, an exact percentile within its error beyond. DuckDB's
  approx_quantile answered otherwise on small groups (2 for that median) and dropped a weight argument.
"""

from __future__ import annotations

from typing import Any

from sqlglot import exp

from trailtui.local.trino_functions.core import Rewriter, handles, macro


@handles(exp.CountIf)
def _count_if(rw: Rewriter, node: Any) -> Any:
    return exp.Count(this=exp.If(this=node.this, true=exp.Literal.number(1)))


@handles(exp.ArgMax, exp.ArgMin)
def _max_min_by(rw: Rewriter, node: Any) -> Any:
    name = "arg_max" if isinstance(node, exp.ArgMax) else "arg_min"
    count = node.args.get("count")
    if count is None:
        return exp.Anonymous(this=f"{name}_null", expressions=[node.this, node.expression])
    # max_by(x, y, n): x is wrapped in a struct, never NULL, so that arg_max keeps its rows.
    wrapped = exp.Struct(expressions=[exp.PropertyEQ(this=exp.to_identifier("v"), expression=node.this)])
    top = exp.Anonymous(this=name, expressions=[wrapped, node.expression, count])
    if isinstance(node.parent, exp.Window | exp.Filter):
        raise ValueError(
            f"{name.replace('arg_', '')}_by(x, y, n) as a window or with FILTER is not supported"
        )
    field = exp.Dot(this=exp.column("s"), expression=exp.to_identifier("v"))
    return exp.Anonymous(
        this="list_transform", expressions=[top, exp.Lambda(this=field, expressions=[exp.to_identifier("s")])]
    )


@handles(exp.ApproxDistinct)
def _approx_distinct(rw: Rewriter, node: Any) -> Any:
    return exp.Count(this=exp.Distinct(expressions=[node.this]))


@handles(exp.Format)
def _format(rw: Rewriter, node: Any) -> Any:
    """format() takes Java's format strings (`%s`, `%d`, `%05.2f`); DuckDB's takes `{}`, and a Java pattern
    passed through unread came back unchanged (`format('%s-%s', 'a', 'b')` gave `%s-%s`). Refused rather
    than answered differently."""
    raise ValueError("format() with Java format strings is not supported on the local lake; use || or concat")


macro(
    "trino_percentile_at",
    # no value (list() of no rows is NULL), or a NULL percentile (Trino adds no row): NULL before the
    # percentile is checked, as in Trino's output function (ApproximateLongPercentileAggregations.output)
    "(s, p) AS CASE WHEN coalesce(len(s), 0) = 0 OR p IS NULL THEN NULL "
    "WHEN p < 0 OR p > 1 THEN error('Percentile must be between 0 and 1') "
    "ELSE s[CAST(least(floor(p * len(s)), len(s) - 1) AS BIGINT) + 1] END",
)
macro("trino_sorted_values", "(a) AS list_sort(list_filter(a, lambda v: v IS NOT NULL))")
macro("trino_percentile", "(a, p) AS trino_percentile_at(trino_sorted_values(a), p)")
macro(
    "trino_percentiles",
    "(a, ps) AS CASE WHEN ps IS NOT NULL THEN list_transform(ps, lambda p: "
    "trino_percentile_at(trino_sorted_values(a), p)) END",
)


@handles(exp.ApproxQuantile)
def _approx_percentile(rw: Rewriter, node: Any) -> Any:
    if node.args.get("weight") is not None:
        raise ValueError("approx_percentile with weights is not supported on the local lake")
    if isinstance(node.parent, exp.Window | exp.Filter):
        raise ValueError(
            "approx_percentile as a window function or with FILTER is not supported on the local lake"
        )
    quantile = node.args.get("quantile")
    x = node.this
    if x.type is not None and x.type.this == exp.DataType.Type.DECIMAL:  # Trino's signatures take double
        x = exp.cast(x, "DOUBLE")
    values = exp.Anonymous(this="list", expressions=[x])
    many = isinstance(quantile, exp.Array) or (
        quantile is not None and quantile.type is not None and quantile.type.this == exp.DataType.Type.ARRAY
    )
    return rw.call("trino_percentiles" if many else "trino_percentile", values, quantile)
