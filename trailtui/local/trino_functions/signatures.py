"""Trino functions whose DuckDB namesake takes other arguments or answers something else: refused with
Trino's words where Trino has no such signature, given Trino's answer where it does
(trino.io/docs/current/functions/math.html, datetime.html, binary.html, system.html).

- `log(x)`: Trino has only `log(b, x)`; DuckDB's one-argument log is the base-10 logarithm, a plausible
  number where Trino fails the query.
- `md5`, `sha1`, `sha256`: Trino takes varbinary only (`md5(to_utf8(s))`); DuckDB hashes a varchar too.
- `to_timestamp(number)`: Trino's to_timestamp (Teradata functions) reads a string with a format; DuckDB's
  reads epoch seconds.
- `from_iso8601_timestamp_nanos`: DuckDB's timestamps with a zone hold microseconds; refused rather than
  cut to milliseconds.
- `timezone(t)`: the zone of a timestamp with time zone (`UTC`, `Asia/Tokyo`, `+05:30`); DuckDB's
  timezone(t) is the offset in seconds (`0`).
- `version()`, `current_user`: DuckDB's version and user are not Lake's; refused rather than shown.
"""

from __future__ import annotations

from typing import Any

from sqlglot import exp

from trailtui.local.trino_functions.core import Rewriter, args_of, handles


def _type_name(node: Any) -> str:
    from trailtui.local.translate.types import trino_name

    return trino_name(getattr(node, "type", None))


def _unexpected(name: str, args: list[Any], expected: str) -> ValueError:
    shown = ", ".join(_type_name(a) for a in args)
    return ValueError(f"Unexpected parameters ({shown}) for function {name}. Expected: {expected}")


def _is_text(node: Any) -> bool:
    t = getattr(node, "type", None)
    return t is not None and t.this in (
        exp.DataType.Type.VARCHAR,
        exp.DataType.Type.CHAR,
        exp.DataType.Type.TEXT,
        exp.DataType.Type.NVARCHAR,
    )


def _is_number(node: Any) -> bool:
    t = getattr(node, "type", None)
    return t is not None and t.is_type(*exp.DataType.NUMERIC_TYPES)


@handles(exp.Log)
def _log(rw: Rewriter, node: Any) -> Any:
    if node.args.get("expression") is None:
        raise _unexpected("log", [node.this], "log(double, double)")
    return None


@handles(exp.MD5Digest, exp.MD5, exp.SHA, exp.SHA2Digest, exp.SHA2)
def _digest(rw: Rewriter, node: Any) -> Any:
    if _is_text(node.this):
        if isinstance(node, exp.SHA):
            name = "sha1"
        elif isinstance(node, exp.MD5Digest | exp.MD5):
            name = "md5"
        else:
            length = node.args.get("length")
            name = f"sha{length.name if length is not None else 256}"
        raise _unexpected(name, [node.this], f"{name}(varbinary)")
    return None


@handles(exp.FromISO8601TimestampNanos)
def _from_iso8601_timestamp_nanos(rw: Rewriter, node: Any) -> Any:
    raise ValueError(
        "from_iso8601_timestamp_nanos is not supported on the local lake: its timestamps hold microseconds "
        "at most (use from_iso8601_timestamp)"
    )


@handles("to_timestamp")
def _to_timestamp(rw: Rewriter, node: Any) -> Any:
    args = args_of(node)
    if len(args) != 2 or not all(_is_text(a) for a in args):
        raise _unexpected("to_timestamp", args, "to_timestamp(varchar(x), varchar(y))")
    return None


@handles("timezone")
def _timezone(rw: Rewriter, node: Any) -> Any:
    args = args_of(node)
    if len(args) == 2:
        return None  # DuckDB's timezone(zone, t), written by the other date/time rewrites
    t = getattr(args[0], "type", None) if len(args) == 1 else None
    if t is None or t.this != exp.DataType.Type.TIMESTAMPTZ:
        raise _unexpected(
            "timezone",
            args,
            "timezone(timestamp(p) with time zone), timezone(time(p) with time zone)",
        )
    zone = (t.meta or {}).get("trino_zone") or "UTC"
    return exp.If(
        this=exp.Is(this=args[0].copy(), expression=exp.Null()),
        true=exp.Null(),
        false=exp.Literal.string(zone),
    )


@handles(exp.CurrentVersion)
def _version(rw: Rewriter, node: Any) -> Any:
    raise ValueError("version() is not supported on the local lake: it runs on DuckDB, not on Lake's Trino")


@handles(exp.CurrentUser)
def _current_user(rw: Rewriter, node: Any) -> Any:
    raise ValueError(
        "current_user is not supported on the local lake: it would name DuckDB's user, not yours"
    )
