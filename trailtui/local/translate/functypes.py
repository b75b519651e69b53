"""The Trino result types of functions sqlglot leaves untyped (Trino documentation: functions/string,
regexp, json, url, conversion, datetime).

Without a type, what reads the result could not give it Trino's meaning: `CAST(json_extract_scalar(
eventjson, '$.eventVersion') AS integer)` went to DuckDB's cast, which reads `'1.10'` as 1 where Trino's
fails (and `try(...)` of it is NULL). Only a missing type is filled in; sqlglot's own types stand.
"""

from __future__ import annotations

from typing import Any

_VARCHAR_CLASSES = {
    "JSONExtractScalar",
    "RegexpExtract",
    "SplitPart",
    "Replace",
    "JSONValue",
    "Hex",
    "RegexpReplace",
    "JSONFormat",
    "Pad",
    "Decode",
    "Chr",
    "Translate",
    "Normalize",
    "CurrentTimezone",
}
_VARCHAR_NAMES = {
    "url_extract_host",
    "url_extract_path",
    "url_extract_protocol",
    "url_extract_query",
    "url_extract_fragment",
    "url_extract_parameter",
    "url_encode",
    "url_decode",
    "format_datetime",
    "to_iso8601",
    "to_base",
    "human_readable_seconds",
    "json_array_get",
    "word_stem",
    "normalize",
    "format_number",
    "timezone",
}
_JSON_CLASSES = {"JSONExtract", "ParseJSON"}
# Fixed result types (functions/datetime, binary, uuid, string, regexp) where sqlglot gives none: typeof()
# said "unknown" and to_iso8601(from_iso8601_timestamp(...)) was refused. to_unixtime is a double.
_FIXED_CLASSES = {
    "TimeToUnix": "DOUBLE",
    "Split": "ARRAY(VARCHAR)",
    "RegexpExtractAll": "ARRAY(VARCHAR)",
    "RegexpSplit": "ARRAY(VARCHAR)",
    "FromISO8601Timestamp": "TIMESTAMP(3) WITH TIME ZONE",
    "FromISO8601Date": "DATE",
    "Uuid": "UUID",
    "StrToMap": "MAP(VARCHAR, VARCHAR)",
    "SHA": "VARBINARY",
    "SHA2Digest": "VARBINARY",
    "MD5Digest": "VARBINARY",
}
# Results of the type of their first argument (functions/conditional "try", functions/array).
_SAME_AS_ARGUMENT = {"Try", "ArrayFilter", "ArrayDistinct", "ArrayRemove", "ArrayIntersect", "ArrayExcept"}


# Fields of a date or time: bigint in Trino (functions/datetime, "Convenience extraction functions");
# sqlglot says tinyint or integer for some, which made typeof() and decimal arithmetic on them differ.
_BIGINT_CLASSES = {
    "Hour",
    "Minute",
    "Second",
    "Year",
    "Month",
    "Day",
    "DayOfWeekIso",
    "DayOfMonth",
    "DayOfYear",
    "WeekOfYear",
    "Quarter",
    "Extract",
    "YearOfWeek",
    "FromBase",  # functions/conversion.html#from_base
    "DateDiff",  # functions/datetime.html#date_diff (sqlglot: integer)
    # bigint in Trino (functions/array, regexp, string): sqlglot said array<int> for array_position (so
    # `array_position(...) / 2` divided as doubles), int or nothing for the others.
    "ArrayPosition",
    "RegexpCount",
    "WidthBucket",
    "Levenshtein",
    "Length",
    "StrPosition",
}
_BIGINT_NAMES = {
    "millisecond",
    "yow",
    "timezone_hour",
    "timezone_minute",
    "to_milliseconds",
    "json_array_length",  # functions/json.html
    "json_size",
    "url_extract_port",  # functions/url.html
    "bit_count",  # functions/bitwise.html
    "hamming_distance",  # functions/string.html
    "crc32",  # functions/binary.html
}


def fill_result_type(node: Any) -> None:
    """Give a function call sqlglot could not type its Trino result type, where it is fixed."""
    from sqlglot import exp

    if type(node).__name__ in _BIGINT_CLASSES or (
        isinstance(node, exp.Anonymous) and str(node.name).lower() in _BIGINT_NAMES
    ):
        node.type = exp.DataType.build("BIGINT")
        return
    if isinstance(node, exp.Anonymous) and str(node.name).lower() == "codepoint":  # functions/string.html
        node.type = exp.DataType.build("INT")
        return
    if isinstance(node, exp.ApproxQuantile):
        node.type = _percentile_type(node)
        return
    t = getattr(node, "type", None)
    if t is not None and t.this != exp.DataType.Type.UNKNOWN:
        return
    kind = type(node).__name__
    if kind in _SAME_AS_ARGUMENT:  # try(x) is x's type; filter, array_distinct, ... keep the array's
        inner = getattr(node.this, "type", None)
        if inner is not None and inner.this != exp.DataType.Type.UNKNOWN:
            node.type = inner
        return
    name_ = str(node.name).lower() if isinstance(node, exp.Anonymous) else ""
    if kind == "MapKeys" or name_ == "map_values":  # functions/map.html: array(K), array(V)
        m = getattr(node.this if kind == "MapKeys" else (node.expressions or [None])[0], "type", None)
        if m is not None and m.this == exp.DataType.Type.MAP and len(m.expressions) == 2:
            part = m.expressions[0 if kind == "MapKeys" else 1]
            node.type = exp.DataType(this=exp.DataType.Type.ARRAY, expressions=[part.copy()], nested=True)
        return
    fixed = _FIXED_CLASSES.get(kind)
    if fixed is not None:
        node.type = exp.DataType.build(fixed, dialect="trino")
        return
    if kind in ("ArrayMax", "ArrayMin"):  # an element of the array (functions/array.html)
        inner = getattr(node.this, "type", None)
        if inner is not None and inner.this == exp.DataType.Type.ARRAY and inner.expressions:
            node.type = inner.expressions[0]
        return
    if kind == "Reverse":  # reverse of a string is a string; of an array, the array's type
        inner = getattr(node.this, "type", None)
        if inner is not None and inner.this != exp.DataType.Type.UNKNOWN:
            node.type = inner
        return
    name = str(node.name).lower() if isinstance(node, exp.Anonymous) else ""
    if (
        kind in _VARCHAR_CLASSES
        or name in _VARCHAR_NAMES
        or (kind == "JSONExtract" and node.args.get("json_query"))
    ):
        node.type = exp.DataType.build("VARCHAR")
    elif name == "xxhash64":  # functions/binary.html#xxhash64
        node.type = exp.DataType.build("VARBINARY")
    elif kind in _JSON_CLASSES:
        node.type = exp.DataType.build("JSON")


def _percentile_type(node: Any) -> Any:
    """approx_percentile(x, p) has x's type: bigint for any integer, real, else double (functions/aggregate,
    "Approximate aggregate functions"); an array of it for an array of percentages. sqlglot said double."""
    from sqlglot import exp

    T = exp.DataType.Type
    x = getattr(node.this, "type", None)
    kind = x.this if x is not None else T.DOUBLE
    one = (
        "BIGINT"
        if kind in (T.TINYINT, T.SMALLINT, T.INT, T.BIGINT)
        else "REAL"
        if kind == T.FLOAT
        else "DOUBLE"
    )
    q = node.args.get("quantile")
    many = isinstance(q, exp.Array) or (q is not None and q.type is not None and q.type.this == T.ARRAY)
    return exp.DataType.build(f"ARRAY({one})" if many else one, dialect="trino")


# Functions whose result is one of the values of their first argument (functions/aggregate, window).
_VALUE_OF_ARGUMENT = {"Min", "Max", "AnyValue", "ArgMax", "ArgMin", "FirstValue", "LastValue", "NthValue"}


def keep_argument_type(node: Any) -> None:
    """min, max, arbitrary, max_by, first_value, lag, ... have their argument's Trino type: sqlglot typed
    them before the translator gave literals theirs, so `max(2.5) / 2` divided a double (1.25) where
    Trino divides a decimal(2,1) (1.3). Wrapping windows and FILTERs take the type of what they wrap."""
    from sqlglot import exp

    if isinstance(node, exp.Window | exp.Filter):
        inner = node.this
        if type(inner).__name__ in _VALUE_OF_ARGUMENT | {"Lag", "Lead"}:
            node.type = inner.type
        return
    kind = type(node).__name__
    if kind in ("Lag", "Lead") and node.args.get("default") is not None:
        return  # the result is the common type of the value and the default
    if kind not in _VALUE_OF_ARGUMENT and kind not in ("Lag", "Lead"):
        return
    t = getattr(node.this, "type", None)
    if t is not None and t.this not in (exp.DataType.Type.UNKNOWN, exp.DataType.Type.NULL):
        node.type = t
