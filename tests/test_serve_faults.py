"""`trailtui serve` in a thread under faults and load: retries, throttling, expiry, dropped connections,
many clients, and the docs' Python example."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError, ConnectionClosedError, EndpointConnectionError

from tests.serving import serving
from tests.test_serve import KEY, SECRET, SEED, client


@pytest.fixture
def start_server(demo_lake: Any) -> Iterator[Any]:
    with ExitStack() as servers:

        def start(faults: str = "") -> str:
            return str(servers.enter_context(serving(KEY, SECRET, faults)).url)

        yield start


def _wait(ct: Any, qid: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while True:
        d = ct.describe_query(QueryId=qid)
        if d["QueryStatus"] not in ("QUEUED", "RUNNING") or time.monotonic() > deadline:
            return d
        time.sleep(0.05)


def _outcomes(ct: Any, calls: int) -> list[str]:
    """ListEventDataStores `calls` times: "ok" or the error code of each."""
    seq = []
    for _ in range(calls):
        try:
            ct.list_event_data_stores()
            seq.append("ok")
        except ClientError as exc:
            seq.append(exc.response["Error"]["Code"])
    return seq


def test_the_log_says_why_a_request_was_not_authenticated(
    start_server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    url = start_server()
    with caplog.at_level(logging.INFO, logger="trailtui"):
        for wrong in ({"secret": "wrong"}, {"key": "AKIAUNKNOWN0000"}):
            with pytest.raises(ClientError):
                client(url, **wrong).list_event_data_stores()
        client(url).list_event_data_stores()
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("trailtui")]
    assert [re.sub(r"\d+ms$", "Nms", ln) for ln in lines] == [
        "127.0.0.1 (not authenticated: InvalidSignatureException) 403 Nms",
        "127.0.0.1 (not authenticated: UnrecognizedClientException) 403 Nms",
        "127.0.0.1 ListEventDataStores 200 Nms",
    ]
    assert SECRET not in " ".join(lines) and "wrong" not in " ".join(lines)


def test_the_python_example_of_the_docs_runs_as_written(start_server: Any) -> None:
    docs = (Path(__file__).parents[1] / "docs" / "serve.md").read_text()
    example = re.search(r"```python\n(.*?)```", docs, re.S)
    assert example, "docs/serve.md shows a boto3 example"
    code = example.group(1).replace("http://127.0.0.1:8743", start_server())
    code = code.replace('"AKIA..."', repr(KEY)).replace(
        'aws_secret_access_key="..."', f"aws_secret_access_key={SECRET!r}"
    )
    scope: dict[str, Any] = {}
    exec(
        compile(code, "docs/serve.md", "exec"), scope
    )  # the reader's script, with this server's URL and keys
    assert sum(int(row[1]["_col1"]) for row in scope["rows"]) >= 100_000


def test_fault_throttling_is_retried_by_botocore(start_server: Any) -> None:
    url = start_server("throttle=0.5,seed=3")
    codes = _outcomes(client(url), 12)
    assert "ThrottlingException" in codes and "ok" in codes
    patient = client(url, retries={"mode": "standard", "total_max_attempts": 10})
    for _ in range(5):
        assert patient.list_event_data_stores()["EventDataStores"]


def test_fault_plan_is_deterministic(start_server: Any) -> None:
    outcomes = [_outcomes(client(start_server("throttle=0.4,5xx=0.2,seed=11")), 15) for _ in range(2)]
    assert outcomes[0] == outcomes[1]
    assert {"ThrottlingException"} <= set(outcomes[0])


def test_fault_5xx(start_server: Any) -> None:
    ct = client(start_server("5xx=1"))
    with pytest.raises(ClientError) as e:
        ct.list_event_data_stores()
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] in (500, 503)
    assert e.value.response["Error"]["Code"] in ("InternalFailure", "ServiceUnavailableException")


def test_fault_latency(start_server: Any) -> None:
    ct = client(start_server("latency=300"))
    t = time.monotonic()
    ct.list_event_data_stores()
    assert time.monotonic() - t >= 0.3


def test_fault_expired_credentials_after_n_calls(start_server: Any) -> None:
    ct = client(start_server("expire-after=3"))
    for _ in range(3):
        ct.list_event_data_stores()
    with pytest.raises(ClientError) as e:
        ct.list_event_data_stores()
    assert e.value.response["Error"]["Code"] == "ExpiredTokenException"


def test_fault_access_denied_for_named_operations(start_server: Any) -> None:
    ct = client(start_server("deny=StartQuery+ListQueries"))
    assert ct.list_event_data_stores()["EventDataStores"]
    with pytest.raises(ClientError) as e:
        ct.start_query(QueryStatement=SEED)
    assert e.value.response["Error"]["Code"] == "AccessDeniedException"
    assert "cloudtrail:StartQuery" in e.value.response["Error"]["Message"]


def test_fault_queries_end_failed_or_timed_out(start_server: Any) -> None:
    ct = client(start_server("fail-queries=1"))
    d = _wait(ct, ct.start_query(QueryStatement=SEED)["QueryId"])
    assert d["QueryStatus"] == "FAILED" and d["ErrorMessage"]
    ct = client(start_server("timeout-queries=1"))
    qid = ct.start_query(QueryStatement=SEED)["QueryId"]
    assert _wait(ct, qid)["QueryStatus"] == "TIMED_OUT"
    assert len(ct.get_query_results(QueryId=qid)["QueryResultRows"]) == 3  # partial results stay readable


def test_fault_dropped_connections(start_server: Any) -> None:
    ct = client(start_server("drop=1"))
    with pytest.raises((ConnectionClosedError, EndpointConnectionError)):
        ct.list_event_data_stores()


def test_many_clients_at_once(start_server: Any) -> None:
    url = start_server()
    ct = client(url)
    qid = ct.start_query(QueryStatement=SEED)["QueryId"]
    _wait(ct, qid)

    shared = client(url, max_pool_connections=50)  # boto3 clients are thread-safe; 50 connections at once

    def worker(_: int) -> int:
        c = shared
        for i in range(20):
            if i % 2:
                assert c.describe_query(QueryId=qid)["QueryStatus"] == "FINISHED"
            else:
                assert len(c.get_query_results(QueryId=qid)["QueryResultRows"]) == 3
        return 20

    with ThreadPoolExecutor(50) as pool:
        assert sum(pool.map(worker, range(50))) == 1000


def test_fault_query_delay(start_server: Any) -> None:
    ct = client(start_server("query-delay=1.5"))
    started = time.monotonic()
    qid = ct.start_query(QueryStatement=SEED)["QueryId"]
    assert ct.describe_query(QueryId=qid)["QueryStatus"] in ("QUEUED", "RUNNING")
    assert _wait(ct, qid)["QueryStatus"] == "FINISHED"
    assert time.monotonic() - started >= 1.5
