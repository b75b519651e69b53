"""trailtui's JSON response parser gives what botocore's own gives, for every response, well-formed or not.

BulkJSONParser (trailtui/aws/parsing.py) takes lists and maps of plain values in bulk where botocore walks
them a call per value. Its one promise is to be indistinguishable: the same parsed response, or the same
exception. Bodies are generated from the service models themselves (every operation of CloudTrail, Athena
and Glue, the JSON services trailtui calls; outputs and modeled errors), with values of the wrong type,
containers of the wrong kind and nulls mixed in, compared exactly (repr) and checked for shared containers.
"""

from __future__ import annotations

import json
import time
from functools import partial
from typing import Any

import pytest
from botocore.loaders import create_loader
from botocore.model import ServiceModel
from botocore.parsers import JSONParser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.awsenv import use_keys
from trailtui.aws.parsing import BulkJSONParser
from trailtui.aws.session import aws_client, aws_session
from trailtui.local.demo import DEMO_STORE_ID

# botocore's own service models, read from its data files (a session would read the AWS set-up of the machine
# at collection, before conftest.py takes it away).
_MODELS = {
    name: ServiceModel(create_loader().load_service_model(name, "service-2"), name)
    for name in ("cloudtrail", "athena", "glue")
}


def _has_containers(shape: Any, seen: frozenset[str] = frozenset()) -> bool:
    """Whether `shape` holds a list or a map somewhere: only those reach the bulk checks."""
    if shape.type_name in ("list", "map"):
        return True
    if shape.type_name != "structure" or shape.name in seen:
        return False
    return any(_has_containers(m, seen | {shape.name}) for m in shape.members.values())


# Each operation's output, and each of its modeled errors (parsed from an error response by botocore's
# `_do_modeled_error_parse`, as the client does for every error it knows), that holds a list or a map.
_ALL_SHAPES = [
    (model.operation_model(op).output_shape, 200)
    for model in _MODELS.values()
    for op in model.operation_names
    if model.operation_model(op).output_shape is not None
] + [
    (error, 400)
    for model in _MODELS.values()
    for op in model.operation_names
    for error in model.operation_model(op).error_shapes
]
_SHAPES = [(shape, status) for shape, status in _ALL_SHAPES if _has_containers(shape)]

_any_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=6,
)


def _value(shape: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """JSON for `shape`, now and then replaced by any JSON at all (a null, a wrong type)."""
    kind = shape.type_name
    if depth > 9:
        well = st.none()
    elif kind == "structure":
        members = {
            m.serialization.get("name", name): _value(m, depth + 1) for name, m in shape.members.items()
        }
        well = st.fixed_dictionaries({}, optional=members)
    elif kind == "list":  # or an object in its place, which botocore iterates (its keys)
        item = _value(shape.member, depth + 1)
        well = st.lists(item, max_size=4)
        return st.one_of(
            well, well, st.dictionaries(st.text(max_size=3), item, max_size=3), st.none(), _any_json
        )
    elif kind == "map":  # or an array in its place, on which botocore fails
        item = _value(shape.value, depth + 1)
        well = st.dictionaries(st.text(max_size=6), item, max_size=4)
        return st.one_of(well, well, st.lists(item, max_size=3), st.none(), _any_json)
    elif kind in ("integer", "long"):
        well = st.integers(-(2**40), 2**40)
    elif kind in ("double", "float"):
        well = st.floats(allow_nan=False)
    elif kind == "boolean":
        well = st.booleans()
    elif kind == "timestamp":
        well = st.floats(0, 2e9) | st.just("2026-11-28T12:00:00Z")
    else:
        well = st.text(max_size=8)
    return st.one_of(well, well, well, st.none(), _any_json)


def _containers(value: Any) -> list[Any]:
    found = [value] if isinstance(value, (list, dict)) else []
    for item in value.values() if isinstance(value, dict) else value if isinstance(value, list) else ():
        found += _containers(item)
    return found


def _outcome(parser: Any, body: bytes, shape: Any, status: int = 200) -> Any:
    """What a caller gets, exactly: repr tells True from 1 and 1.0, and a dict's order (== does not)."""
    response = {"body": body, "headers": {"x-amzn-requestid": "r"}, "status_code": status}
    try:
        parsed = parser.parse(response, shape)
    except Exception as exc:
        return ("raised", type(exc), str(exc))
    again = parser.parse(response, shape)  # botocore parses again on a retry and for a modeled error
    shared = {id(c) for c in _containers(parsed)} & {id(c) for c in _containers(again)}
    repeated = len(_containers(parsed)) - len({id(c) for c in _containers(parsed)})
    return ("parsed", repr(parsed), repeated, len(shared))


@st.composite
def _responses(draw: st.DrawFn) -> tuple[Any, bytes]:
    shape, status = draw(st.sampled_from(_SHAPES))
    return shape, json.dumps(draw(_value(shape))).encode(), status


@settings(derandomize=True, max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_responses())
def test_every_response_parses_as_botocore_parses_it(response: tuple[Any, bytes, int]) -> None:
    """Outputs and modeled errors; the parsed response shares no list or dict with itself or with another
    parse of the same body (nothing a caller mutates shows up elsewhere)."""
    shape, body, status = response
    ours = _outcome(BulkJSONParser(), body, shape, status)
    assert ours == _outcome(JSONParser(), body, shape, status)
    assert ours[0] == "raised" or ours[2:] == (0, 0)


def test_a_page_of_query_results_parses_as_botocore_parses_it() -> None:
    shape = _MODELS["cloudtrail"].operation_model("GetQueryResults").output_shape
    rows = [[{"eventName": f"Get{i}"}, {"errorCode": None}, {"n": str(i)}] for i in range(1000)]
    cases = [
        rows,
        [*rows[:5], None, *rows[5:]],  # a null row
        [*rows[:5], [{"a": "1"}, None], *rows[5:]],  # a null cell
        [*rows[:5], [["not", "a", "map"]], *rows[5:]],  # a cell of the wrong type: botocore fails
        [*rows[:5], "row", *rows[5:]],  # a row of the wrong type: botocore iterates the string
        [*rows[:5], [], *rows[5:]],  # an empty row
        [*rows[:5], {"a": "1"}, *rows[5:]],  # a map where a row belongs: botocore iterates its keys
        [*rows[:-1], [{"a": "1"}, "cell"]],  # a string where a cell belongs, in the last row
        {"not": "a list"},
    ]
    for result_rows in cases:
        body = json.dumps({"QueryStatus": "FINISHED", "QueryResultRows": result_rows}).encode()
        ours, botocores = _outcome(BulkJSONParser(), body, shape), _outcome(JSONParser(), body, shape)
        assert ours == botocores


def test_lists_of_plain_values_of_the_wrong_type_parse_as_botocore_parses_them() -> None:
    """botocore turns an object where a list of strings belongs into the list of its keys: so do we."""
    shape = _MODELS["cloudtrail"].operation_model("GetImport").output_shape
    for destinations in (["a", None, 3], {"k1": "v", "k2": None}, "arn", None, 7):
        body = json.dumps({"ImportId": "i", "Destinations": destinations}).encode()
        assert _outcome(BulkJSONParser(), body, shape) == _outcome(JSONParser(), body, shape)


def test_local_lake_pages_are_what_a_plain_botocore_client_reads(demo_lake: Any) -> None:
    """The same query's pages, read by trailtui's client and by a client with botocore's stock parser."""
    import boto3

    from trailtui.local.inprocess import _send_cloudtrail
    from trailtui.local.service import LocalLake

    lake = LocalLake()
    ours = lake.client()
    plain = boto3.session.Session(aws_access_key_id="A", aws_secret_access_key="s", region_name="us-east-1")
    plain.events.register("before-send.cloudtrail", partial(_send_cloudtrail, lake.api))
    stock = plain.client("cloudtrail", endpoint_url="https://local.trailtui.invalid")
    try:
        sql = (
            "SELECT eventTime, userIdentity, requestParameters, errorCode, resources "
            f"FROM {DEMO_STORE_ID} ORDER BY eventTime, eventID LIMIT 2500"
        )
        query_id = ours.start_query(QueryStatement=sql)["QueryId"]
        while ours.describe_query(QueryId=query_id)["QueryStatus"] in ("QUEUED", "RUNNING"):
            time.sleep(0.05)
        token: dict[str, str] = {}
        pages = 0
        while True:
            args = {"QueryId": query_id, "MaxQueryResults": 1000, **token}
            mine, theirs = ours.get_query_results(**args), stock.get_query_results(**args)
            for parsed in (mine, theirs):
                parsed.pop("ResponseMetadata")
            assert mine == theirs
            assert any(None in cell.values() for row in mine["QueryResultRows"] for cell in row) or pages
            pages += 1
            if "NextToken" not in mine:
                break
            token = {"NextToken": mine["NextToken"]}
        assert pages == 3
    finally:
        lake.close()


def test_aws_clients_parse_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """CloudTrail Lake and Athena clients too: one client path. (botocore has no public accessor for a
    client's parser factory, hence the private attribute.)"""
    use_keys(monkeypatch, "AKIDEXAMPLE", "secret", region=None)
    for service in ("cloudtrail", "athena", "glue"):
        client = aws_client(aws_session(None, "eu-west-1"), service)
        assert isinstance(client._endpoint._response_parser_factory.create_parser("json"), BulkJSONParser)


# Containers of the wrong kind, and of items of the wrong kind, where a list or a map belongs.
_WRONG_CONTAINERS = ({"k": None, "j": "v"}, [["x"]], [{"k": "v"}, ["x"], None], ["x", None], {"k": ["x"]})


def test_each_list_and_map_member_of_the_wrong_kind_parses_as_botocore_parses_it() -> None:
    """Every list or map member of every output and modeled error, given each wrong container in turn (the
    random bodies above reach a given member only now and then)."""
    checked = 0
    for shape, status in {(s.name, st_): (s, st_) for s, st_ in _SHAPES}.values():
        for name, member in shape.members.items() if shape.type_name == "structure" else ():
            if member.type_name not in ("list", "map"):
                continue
            for wrong in _WRONG_CONTAINERS:
                body = json.dumps({member.serialization.get("name", name): wrong}).encode()
                ours = _outcome(BulkJSONParser(), body, shape, status)
                assert ours == _outcome(JSONParser(), body, shape, status), (shape.name, name, wrong)
                checked += 1
    assert checked > 500


def _body_outcome(parser: Any, body: bytes) -> Any:
    try:
        return ("parsed", repr(parser._parse_body_as_json(body)))
    except Exception as exc:
        return ("raised", type(exc))


_JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4),
    max_leaves=12,
)
# Pieces that decoders read differently, spliced into valid JSON: NaN, out-of-range numbers, BOMs, lone
# surrogates (escaped and encoded), bytes that are not UTF-8, control characters, duplicate keys, odd numbers.
_ODD = st.sampled_from(
    [
        b"NaN",
        b"-Infinity",
        b"1e400",
        b"1e-400",
        b"\xef\xbb\xbf",
        b'"\\ud800"',
        b'"\xed\xa0\x80"',
        b"\xff",
        b"\x00",
        b'"\t"',
        b'{"a":1,"a":2}',
        b"01",
        b"1.",
        b"-0",
        b"9" * 30,
        b"\x0c",
        b"\\u0041",
        b"'",
    ]
)


@settings(derandomize=True, max_examples=400, deadline=None)
@given(_JSONISH, _ODD, st.integers(min_value=0, max_value=10**6))
def test_response_bodies_decode_as_botocore_decodes_them(value: Any, odd: bytes, where: int) -> None:
    """The body is decoded by msgspec where it gives json.loads's answer, else as botocore decodes it: the
    same value, the same {'message': text} for text that is not JSON, the same exception."""
    body = json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")
    spliced = body[: where % (len(body) + 1)] + odd + body[where % (len(body) + 1) :]
    for case in (body, spliced, odd, b"[" + odd + b"]", b'{"k":' + odd + b"}"):
        assert _body_outcome(BulkJSONParser(), case) == _body_outcome(JSONParser(), case)


def test_bodies_nested_near_the_recursion_limit_decode_as_botocore_decodes_them() -> None:
    def nested(frames: int, body: bytes, parser: Any) -> Any:  # from deeper and deeper in the stack
        return nested(frames - 1, body, parser) if frames else _body_outcome(parser, body)

    for frames in (0, 40):
        for depth in range(880, 1010):
            for body in (b"[" * depth + b"]" * depth, b'{"a":' * depth + b"1" + b"}" * depth):
                ours, botocores = nested(frames, body, BulkJSONParser()), nested(frames, body, JSONParser())
                assert ours == botocores, (frames, depth)
