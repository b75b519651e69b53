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
}
_JSON_CLASSES = {"JSONExtract", "ParseJSON"}
_ARRAY_OF_VARCHAR_CLASSES = {"Split", "RegexpExtractAll", "RegexpSplit"}


def fill_result_type(node: Any) -> None:
    """Give a function call sqlglot could not type its Trino result type, where it is fixed."""
    from sqlglot import exp

    t = getattr(node, "type", None)
    if t is not None and t.this != exp.DataType.Type.UNKNOWN:
        return
    kind = type(node).__name__
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
    elif kind in _JSON_CLASSES:
        node.type = exp.DataType.build("JSON")
    elif kind in _ARRAY_OF_VARCHAR_CLASSES:
        node.type = exp.DataType.build("ARRAY(VARCHAR)", dialect="trino")
