"""Trino functions DuckDB lacks: from_base, normalize, to_milliseconds, current_timezone, xxhash64,
format_number, and the array `||` with a single element (trino.io/docs/current/functions/conversion.html,
string.html, datetime.html, session.html, binary.html, array.html#concatenation-operator)."""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlglot import exp

from trailtui.local.trino_functions.core import Rewriter, args_of, handles, macro, udf

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


@udf("trino_from_base", ("VARCHAR", "BIGINT"), "BIGINT")
def _from_base(s: str, radix: int) -> int:
    """from_base(string, radix): the bigint `string` spells in base `radix` (conversion.html#from_base),
    read as Java's Long.parseLong reads it (an optional sign, then digits only), with Trino's errors."""
    if not 2 <= radix <= 36:
        raise ValueError("Radix must be between 2 and 36")
    digits = _DIGITS[:radix]
    body = s[1:] if s[:1] in ("+", "-") else s
    if not body or any(c not in digits for c in body.lower()):
        raise ValueError(f"Not a valid base-{radix} number: {s}")
    value = int(s, radix)
    if not -(2**63) <= value < 2**63:
        raise ValueError(f"Not a valid base-{radix} number: {s}")
    return value


@handles(exp.FromBase)
def _from_base_call(rw: Rewriter, node: Any) -> Any:
    return rw.call("trino_from_base", node.this, node.expression)


_FORMS = {"NFC", "NFD", "NFKC", "NFKD"}


@udf("trino_normalize", ("VARCHAR", "VARCHAR"), "VARCHAR")
def _normalize(s: str, form: str) -> str:
    return unicodedata.normalize(form, s)  # type: ignore[arg-type]


@handles(exp.Normalize)
def _normalize_call(rw: Rewriter, node: Any) -> Any:
    """normalize(string[, form]): NFC unless a form (NFD, NFC, NFKD, NFKC, a keyword) is given
    (string.html#normalize)."""
    form = node.args.get("form")
    name = str(form.name).upper() if isinstance(form, exp.Expression) else "NFC"
    if name not in _FORMS:
        raise ValueError(f"Normalization form must be one of [NFD, NFC, NFKD, NFKC]: {name}")
    return rw.call("trino_normalize", node.this, exp.Literal.string(name))


@handles(exp.CurrentTimezone)
def _current_timezone(rw: Rewriter, node: Any) -> Any:
    """current_timezone(): the session's time zone (session.html), UTC on Lake as on the local lake."""
    return exp.Literal.string("UTC")


# Days and microseconds added to the epoch: exact, where epoch(interval) is a double.
macro("trino_to_milliseconds", "(i) AS epoch_ms(TIMESTAMP '1970-01-01' + i)")


@handles("to_milliseconds")
def _to_milliseconds(rw: Rewriter, node: Any) -> Any:
    """to_milliseconds(interval day to second): the interval in milliseconds, a bigint (datetime.html).
    Trino has no to_milliseconds of an interval year to month."""
    args = args_of(node)
    if len(args) != 1:
        return None
    t = getattr(args[0], "type", None)
    unit = args[0].args.get("unit") if isinstance(args[0], exp.Interval) else None
    if (unit is not None and str(unit.name).upper() in ("YEAR", "MONTH")) or (
        t is not None and "YEAR" in t.sql(dialect="trino").upper() + str(t.args.get("kind") or "")
    ):
        raise ValueError("Unexpected parameters (interval year to month) for function to_milliseconds")
    return rw.call("trino_to_milliseconds", args[0])


def _is_array(t: Any) -> bool:
    return t is not None and t.this == exp.DataType.Type.ARRAY


def _known(t: Any) -> bool:
    return t is not None and t.this not in (exp.DataType.Type.UNKNOWN, exp.DataType.Type.NULL)


@handles(exp.DPipe)
def _array_and_element(rw: Rewriter, node: Any) -> Any:
    """`array || element` appends, `element || array` prepends (array.html#concatenation-operator);
    DuckDB's `||` takes two arrays only. An element that is itself an array (of an array of arrays) too."""
    left, right = node.this, node.expression
    lt: Any = getattr(left, "type", None)
    rt: Any = getattr(right, "type", None)
    if not (_known(lt) and _known(rt)) or not (_is_array(lt) or _is_array(rt)):
        return None
    if _is_array(lt) and (not _is_array(rt) or lt.expressions[0] == rt):
        new = exp.Anonymous(this="list_append", expressions=[left, right])
        new.type = lt
        return new
    if _is_array(rt) and (not _is_array(lt) or rt.expressions[0] == lt):
        new = exp.Anonymous(this="list_prepend", expressions=[left, right])
        new.type = rt
        return new
    return None


@udf("trino_xxhash64", ("BLOB",), "BLOB")
def _xxhash64(data: bytes) -> bytes:
    """xxhash64(varbinary): the 8 bytes of XXH64 with seed 0, most significant first, a varbinary
    (trino.io/docs/current/functions/binary.html#xxhash64)."""
    import xxhash

    return bytes(xxhash.xxh64_digest(bytes(data)))


@handles("xxhash64")
def _xxhash64_call(rw: Rewriter, node: Any) -> Any:
    args = args_of(node)
    t = getattr(args[0], "type", None) if len(args) == 1 else None
    if t is not None and t.this in exp.DataType.TEXT_TYPES:  # Trino casts no varchar to varbinary
        given = t.sql(dialect="trino").lower()
        raise ValueError(
            f"Unexpected parameters ({given}) for function xxhash64. Expected: xxhash64(varbinary)"
        )
    return rw.call("trino_xxhash64", args[0]) if len(args) == 1 else None


def _format_number(count: int) -> str:
    """Trino's FormatNumberFunction (facts from trinodb/trino, written anew): divide by 1000 while the value
    is at least 1000 in magnitude, up to Q (K, M, B, T, Q); then 3 significant digits (#.##, #.# or #,
    rounded half up from the double's exact value)."""
    from decimal import ROUND_HALF_UP, Decimal

    fractional = float(count)
    unit = ""
    for symbol in "KMBTQ":
        if abs(fractional) >= 1000:
            fractional /= 1000
            unit = symbol
    places = 2 if fractional < 10 else 1 if fractional < 100 else 0
    rounded = Decimal(fractional).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{rounded:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return ("0" if text in ("-0", "") else text) + unit


@udf("trino_format_number", ("BIGINT",), "VARCHAR")
def _format_number_bigint(value: int) -> str:
    return _format_number(value)


@udf("trino_format_number_double", ("DOUBLE",), "VARCHAR")
def _format_number_double(value: float) -> str:
    """The double form truncates to a bigint first, as Java's (long) cast does (NaN is 0)."""
    if value != value:
        return _format_number(0)
    whole = max(-1e19, min(1e19, value))  # an infinity saturates, as the cast does
    return _format_number(max(-(2**63), min(2**63 - 1, int(whole))))


@handles("format_number")
def _format_number_call(rw: Rewriter, node: Any) -> Any:
    """format_number(number): a large number with a unit symbol, '1.23K' (string.html#format_number)."""
    args = args_of(node)
    if len(args) != 1:
        return None
    t = getattr(args[0], "type", None)
    if t is not None and t.this in exp.DataType.TEXT_TYPES:
        given = t.sql(dialect="trino").lower()
        raise ValueError(
            f"Unexpected parameters ({given}) for function format_number. "
            "Expected: format_number(bigint), format_number(double)"
        )
    integral = t is not None and t.this in exp.DataType.INTEGER_TYPES
    return rw.call("trino_format_number" if integral else "trino_format_number_double", args[0])
