"""trailtui's JSON response parser gives what botocore's own gives, for every response, well-formed or not.

BulkJSONParser (trailtui/aws/parsing.py) takes lists and maps of plain values in bulk where botocore walks
them a call per value. Its one promise is to be indistinguishable: the same parsed response, or the same
exception. Bodies are generated from the service models themselves (every operation of CloudTrail, Athena
and Glue, the JSON services trailtui calls), with values of the wrong type and nulls mixed in.
"""

from __future__ import annotations

import json
import time
from functools import partial
from typing import Any

import botocore.session
import pytest
from botocore.parsers import JSONParser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trailtui.aws.parsing import BulkJSONParser
from trailtui.aws.session import aws_client, aws_session
from trailtui.local.demo import DEMO_STORE_ID

_MODELS = {name: botocore.session.get_session().get_service_model(name) for name in ("cloudtrail", "athena")}
_OPERATIONS = [
    (service, op)
    for service, model in _MODELS.items()
    for op in model.operation_names
    if model.operation_model(op).output_shape is not None
]

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
    elif kind == "list":
        well = st.lists(_value(shape.member, depth + 1), max_size=4)
    elif kind == "map":
        well = st.dictionaries(st.text(max_size=6), _value(shape.value, depth + 1), max_size=4)
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


def _outcome(parser: Any, body: bytes, shape: Any) -> Any:
    response = {"body": body, "headers": {"x-amzn-requestid": "r"}, "status_code": 200}
    try:
        return ("parsed", parser.parse(response, shape))
    except Exception as exc:
        return ("raised", type(exc), str(exc))


@st.composite
def _responses(draw: st.DrawFn) -> tuple[Any, bytes]:
    service, op = draw(st.sampled_from(_OPERATIONS))
    shape = _MODELS[service].operation_model(op).output_shape
    return shape, json.dumps(draw(_value(shape))).encode()


@settings(derandomize=True, max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_responses())
def test_every_response_parses_as_botocore_parses_it(response: tuple[Any, bytes]) -> None:
    shape, body = response
    assert _outcome(BulkJSONParser(), body, shape) == _outcome(JSONParser(), body, shape)


def test_a_page_of_query_results_parses_as_botocore_parses_it() -> None:
    shape = _MODELS["cloudtrail"].operation_model("GetQueryResults").output_shape
    rows = [[{"eventName": f"Get{i}"}, {"errorCode": None}, {"n": str(i)}] for i in range(1000)]
    cases = [
        rows,
        [*rows[:5], None, *rows[5:]],  # a null row
        [*rows[:5], [{"a": "1"}, None], *rows[5:]],  # a null cell
        [*rows[:5], [["not", "a", "map"]], *rows[5:]],  # a cell of the wrong type: botocore fails
        [*rows[:5], "row", *rows[5:]],  # a row of the wrong type: botocore iterates the string
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
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    for service in ("cloudtrail", "athena", "glue"):
        client = aws_client(aws_session(None, "eu-west-1"), service)
        assert isinstance(client._endpoint._response_parser_factory.create_parser("json"), BulkJSONParser)
