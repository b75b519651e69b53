"""botocore's JSON response parser, with lists and maps of plain values taken in bulk.

A GetQueryResults page is up to 1,000 rows of single-key maps. botocore walks it one Python call per cell
(`_parse_shape` -> `_handle_map` -> `_parse_shape` per key and value) to return each value unchanged: for
100,000 rows of 8 columns that walk is most of the time the explorer spends loading them. This parser gives
the same answer faster: for a list or map whose leaves botocore's JSON parser returns as they are (strings,
numbers, booleans), it checks the containers' types in bulk and keeps them. Anything else (structures,
timestamps, blobs, or a value of an unexpected type, None where a container should be) goes to botocore's
own code, which then raises or returns exactly what it always does. tests/test_response_parsing.py holds
the two parsers to the same output on every CloudTrail and Athena operation's shapes, random and malformed
bodies included. The body itself is decoded by msgspec where it gives json.loads's answer (a page in about
80% of json.loads's time), by json.loads as botocore does everywhere else.

It is installed as botocore's `response_parser_factory` session component (`Session.register_component`,
the same component botocore's own parser settings go through), on every session
trailtui makes (CloudTrail Lake, Athena and the local lake alike), so there is still one client path:
botocore validates, serialises, signs, retries and parses every call; only this walk is shorter.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Callable
from itertools import chain
from typing import Any

import msgspec
from botocore.parsers import JSONParser, ResponseParserFactory

# Shape types botocore's JSON parser does not return as they came: those it has a `_handle_<type>` for
# (structure, list, map, blob, timestamp in botocore 1.4x), read from the class so a later botocore that
# converts more types is followed.
_CONVERTED = {name.removeprefix("_handle_") for name in dir(JSONParser) if name.startswith("_handle_")}


class _NotPlain(Exception):
    """A node that is not what its shape says: botocore's own walk decides what happens to it."""


# How a list or map shape of plain values is taken: the check raises _NotPlain unless `node` is exactly
# what botocore's walk would rebuild unchanged. Then the decoded JSON's own list or dict is kept: it is
# fresh from json.loads and referenced nowhere else, so keeping it is indistinguishable from botocore's copy.
Check = Callable[[Any], None]
_checks: weakref.WeakKeyDictionary[Any, Check | None] = weakref.WeakKeyDictionary()
_DICT_OR_NONE = {dict, type(None)}
_LIST_OR_NONE = {list, type(None)}


def _as_is(shape: Any) -> bool:
    return shape.type_name not in _CONVERTED and not getattr(shape, "is_document_type", False)


def _is_list(node: Any) -> None:
    if type(node) is not list:
        raise _NotPlain


def _is_dict(node: Any) -> None:
    if type(node) is not dict:
        raise _NotPlain


def _is_list_of_dicts(node: Any) -> None:
    # One C-level pass over the item types: a Python call per cell is what made botocore's walk slow.
    if type(node) is not list or not set(map(type, node)) <= _DICT_OR_NONE:
        raise _NotPlain


def _is_list_of_lists_of_dicts(node: Any) -> None:
    # GetQueryResults' rows: the rows' types in one pass, then every cell's in one more (None rows and empty
    # ones hold no cell to check), instead of a Python call per row.
    if type(node) is not list or not set(map(type, node)) <= _LIST_OR_NONE:
        raise _NotPlain
    if not set(map(type, chain.from_iterable(filter(None, node)))) <= _DICT_OR_NONE:
        raise _NotPlain


def _build(shape: Any) -> Check | None:
    if shape.type_name == "list":
        member = shape.member
        if _as_is(member):
            return _is_list  # botocore keeps None items as None and every other item as it is
        if member.type_name == "map" and _as_is(member.key) and _as_is(member.value):
            return _is_list_of_dicts
        inner = check(member)
        if inner is None:
            return None
        if inner is _is_list_of_dicts:
            return _is_list_of_lists_of_dicts
        each: Check = inner

        def check_list(node: Any) -> None:
            _is_list(node)
            for item in node:
                if item is not None:
                    each(item)

        return check_list
    if shape.type_name == "map":
        if not _as_is(shape.key):  # JSON object keys are strings: kept as they are when the key is plain
            return None
        if _as_is(shape.value):
            return _is_dict
        inner = check(shape.value)
        if inner is None:
            return None
        every: Check = inner

        def check_map(node: Any) -> None:
            _is_dict(node)
            for value in node.values():
                every(value)  # botocore does not let None through here: it fails on it, as it always has

        return check_map
    return None


def check(shape: Any) -> Check | None:
    """The bulk check for a list or map shape of plain values, or None where botocore's walk is needed."""
    try:
        return _checks[shape]
    except KeyError:
        built = _checks[shape] = _build(shape)
        return built


def _plain(shape: Any, node: Any) -> bool:
    """Whether `node` is a list or map of plain values, as its shape says: botocore would return it as is."""
    plain = check(shape)
    if plain is None:
        return False
    try:
        plain(node)
    except _NotPlain:
        return False
    return True


_decode = msgspec.json.Decoder().decode


def _nested(levels: int, body: bytes) -> Any:
    # msgspec counts each nested array or object against the interpreter's recursion limit, as json's
    # scanner does, but json.loads reaches its scanner through three Python frames more (loads, decode,
    # raw_decode): decoded from deeper in the stack, a body nested near the limit fails here first, and
    # json.loads then decides (a RecursionError botocore lets through). tests/test_response_parsing.py
    # holds the two to the same outcome at every depth around the limit.
    return _nested(levels - 1, body) if levels else _decode(body)


class BulkJSONParser(JSONParser):
    """botocore's JSON parser; lists and maps of plain values are checked in bulk and kept (same result)."""

    def _parse_body_as_json(self, body_contents: bytes) -> Any:
        # msgspec decodes a page of results in about 80% of json.loads's time, from the bytes (json.loads
        # needs them decoded to str first). Where its answer could differ from json.loads's it refuses
        # (invalid or non-UTF-8 text, NaN, a float out of range, a lone surrogate escape, a BOM, nesting near
        # the limit), and the body is read as botocore reads it: decoded as UTF-8 (which may raise),
        # json.loads, and text that is not JSON becomes {'message': text}. That is done here, not by calling
        # botocore's method, so that json.loads runs as deep in the stack as botocore's own call.
        if not body_contents:
            return {}
        if type(body_contents) is bytes:
            try:
                return _nested(8, body_contents)
            except (msgspec.DecodeError, RecursionError):  # msgspec's ValidationError is a DecodeError
                pass
        body = body_contents.decode(self.DEFAULT_ENCODING)
        try:
            return json.loads(body)
        except ValueError:
            return {"message": body}

    def _handle_list(self, shape: Any, node: Any) -> Any:
        return node if _plain(shape, node) else super()._handle_list(shape, node)

    def _handle_map(self, shape: Any, value: Any) -> Any:
        return value if _plain(shape, value) else super()._handle_map(shape, value)


class BulkParserFactory(ResponseParserFactory):
    """botocore's parser factory, making BulkJSONParser for the JSON protocol (CloudTrail, Athena, Glue)."""

    def create_parser(self, protocol_name: str) -> Any:
        if protocol_name == "json":
            return BulkJSONParser(**self._defaults)
        return super().create_parser(protocol_name)


def botocore_session() -> Any:
    """A botocore session whose clients parse JSON responses with BulkJSONParser."""
    import botocore.session

    session = botocore.session.get_session()
    session.register_component("response_parser_factory", BulkParserFactory())
    return session
