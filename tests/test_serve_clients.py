"""What one client may hold of `trailtui serve` before it authenticates, and how repeated headers are read.

A second loopback address (127.0.0.2) stands for another client, as Linux routes all of 127.0.0.0/8 to lo."""

from __future__ import annotations

import contextlib
import json
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.serving import serving
from tests.test_serve_attacks import KEY, LIST, SECRET, _host, _signed
from trailtui.local import server as server_module
from trailtui.local.admission import client_of
from trailtui.local.server import LakeHTTPServer

FLOODER = "127.0.0.2"
UNSIGNED = [("Content-Length", "2"), ("X-Amz-Target", LIST)]


@pytest.fixture
def served(where: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[LakeHTTPServer]:
    monkeypatch.setattr(server_module._Handler, "timeout", 5.0)
    with serving(KEY, SECRET, max_connections=6) as server:
        yield server


def _connect(server: LakeHTTPServer, source: str = "127.0.0.1") -> socket.socket:
    try:
        return socket.create_connection(_host(server), timeout=5, source_address=(source, 0))
    except OSError as exc:  # not Linux: no second loopback address to come from
        pytest.skip(f"cannot connect from {source}: {exc}")


def _answer(s: socket.socket) -> tuple[int, bytes, bool]:
    """Read one answer: (status, body, whether serve closed the connection after it)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            return (int(data.split(b" ")[1]) if data else 0), b"", True
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(v) for k, _, v in (h.partition(b":") for h in head.split(b"\r\n")) if k == b"Content-Length"
    )
    while len(body) < length:
        body += s.recv(65536)
    wait = s.gettimeout()
    s.settimeout(0.3)  # a closed connection reads end-of-stream at once
    try:
        closed = s.recv(1) == b""
    except TimeoutError:
        closed = False
    s.settimeout(wait)
    return int(head.split(b" ")[1]), body, closed


def _request(server: LakeHTTPServer, headers: list[tuple[str, str]], body: bytes = b"{}") -> bytes:
    host, port = _host(server)
    head = f"POST / HTTP/1.1\r\nHost: {host}:{port}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
    return head.encode("latin-1") + b"\r\n" + body


def _request_text(headers: bytes, body: bytes) -> bytes:
    return b"POST / HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n" + body


def _send(
    server: LakeHTTPServer, headers: list[tuple[str, str]], body: bytes = b"{}", source: str = "127.0.0.1"
) -> tuple[int, Any]:
    with _connect(server, source) as s:
        s.settimeout(5.0)
        s.sendall(_request(server, headers, body))
        status, reply, _ = _answer(s)
    return status, json.loads(reply) if reply else None


# -- one client's share ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "stall",
    [b"POST / HTTP/1.1\r\nHost: x\r\nX-Slow: ", _request_text(b"Content-Length: 1000\r\n", b"{")],
    ids=["head", "body"],
)
def test_one_client_cannot_shut_others_out(served: LakeHTTPServer, stall: bytes) -> None:
    """A flood from one address (heads, or bodies, that never end) took all 64 slots, in 20 s turns, and
    every other client got 503. It may still take every free slot, but another client's connection then
    takes one of the flood's (one still reading its request), and the flood's next connection is refused."""
    flood = []
    try:
        for _ in range(10):
            s = _connect(served, FLOODER)
            s.sendall(stall)
            flood.append(s)
        time.sleep(0.3)
        assert sum(_closed_with_503(s) for s in flood) == 4 and served.admission.held(FLOODER) == 6
        held = flood[:6]
        # Another client is served, twice at once: each of its connections takes a flood connection's slot.
        with _connect(served) as first, _connect(served) as second:
            for c in (first, second):
                c.settimeout(2.0)
                c.sendall(_request(served, _signed(served, b"{}")))
                status, reply, closed = _answer(c)
                assert status == 200 and b"EventDataStores" in reply and not closed
            assert served.admission.evictions == 2 and served.admission.held(FLOODER) == 4
            assert sum(_was_closed(s) for s in held) == 2
            # The flood cannot take them back: it holds more than the other client.
            assert _send(served, _signed(served, b"{}"), source=FLOODER)[0] == 503
    finally:
        for s in flood:
            s.close()


@pytest.mark.parametrize("addresses", [1, 40], ids=["one-address", "many-addresses"])
def test_a_flood_leaves_an_honest_idle_connection_alone(served: LakeHTTPServer, addresses: int) -> None:
    """A client's idle keep-alive connection, which has carried a signed request, outlives a flood of
    connections that never finish their heads, from one address or from 40 (one each, taking turns): the
    flood's newcomers take the flood's own slots. By age alone, a flood from many addresses soon reached the
    honest connection (the oldest) and closed it."""
    flood: list[socket.socket] = []
    with _connect(served) as honest:
        honest.settimeout(5.0)
        honest.sendall(_request(served, _signed(served, b"{}")))
        assert _answer(honest)[0] == 200
        try:
            for i in range(40):
                s = _connect(served, f"127.0.0.{2 + i % addresses}")
                s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                flood.append(s)
                time.sleep(0.02)  # given-up connections end at once; a few at a time may be pending
            time.sleep(0.3)
            assert served.admission.evictions == (0 if addresses == 1 else 40 - 5)
            honest.sendall(_request(served, _signed(served, b"{}")))
            status, reply, closed = _answer(honest)
            assert status == 200 and b"EventDataStores" in reply and not closed
        finally:
            for s in flood:
                s.close()


def test_only_connections_still_reading_give_way(where: Any) -> None:
    """A connection whose whole request is in hand is never closed for another client: with every slot
    answering (each request takes 1.5 s here), a newcomer gets 503; once they idle between requests
    (keep-alive), a newcomer takes one of their slots."""
    with serving(KEY, SECRET, faults="latency=1500", max_connections=3) as server:
        holders = [_connect(server, FLOODER) for _ in range(3)]
        try:
            for s in holders:
                s.sendall(_request(server, _signed(server, b"{}")))
            time.sleep(0.5)  # all three are being answered
            assert _send(server, _signed(server, b"{}"))[0] == 503 and server.admission.evictions == 0
            for s in holders:
                s.settimeout(5.0)
                assert _answer(s)[0] == 200  # answered, kept alive: idle, reading the next request
            assert _send(server, _signed(server, b"{}"))[0] == 200 and server.admission.evictions == 1
        finally:
            for s in holders:
                s.close()


def _closed_with_503(s: socket.socket) -> bool:
    s.settimeout(0.2)
    with contextlib.suppress(TimeoutError):  # held: its request is still awaited
        return s.recv(100).startswith(b"HTTP/1.1 503")
    return False


def _was_closed(s: socket.socket) -> bool:
    s.settimeout(0.5)
    try:
        return s.recv(100) == b""
    except TimeoutError:
        return False
    except OSError:  # reset
        return True


def test_a_connection_without_the_key_gets_one_answer(served: LakeHTTPServer) -> None:
    """A client failing authentication kept its connection (and its slot) as long as it sent a request
    every 20 s; now the connection is closed after the refusal. A signed client keeps its connection."""
    with _connect(served) as s:
        s.settimeout(2.0)
        s.sendall(_request(served, [("Content-Length", "2"), ("X-Amz-Target", LIST)]))
        status, body, closed = _answer(s)
        assert status == 403 and json.loads(body)["__type"] == "MissingAuthenticationTokenException"
        assert closed
    with _connect(served) as s:
        s.settimeout(5.0)  # an answer under a loaded machine; whether it closed is read in 0.3 s
        for _ in range(2):
            s.sendall(_request(served, _signed(served, b"{}")))
            status, _, closed = _answer(s)
            assert status == 200 and not closed


@pytest.mark.parametrize(
    ("address", "client"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("::ffff:192.0.2.7", "192.0.2.7"),  # IPv4 on a dual-stack socket is the same client
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:fffe", "2001:db8:1:2::/64"),  # one host's /64: one client
    ],
)
def test_a_client_is_an_ipv4_address_or_an_ipv6_slash_64(address: str, client: str) -> None:
    assert client_of(address) == client


# -- repeated headers: read as AWS reads them (joined by ','), never the first one only ----------------------


def _auth(headers: list[tuple[str, str]]) -> str:
    return next(v for k, v in headers if k == "Authorization")


def test_two_authorization_headers_are_refused_in_aws_words(served: LakeHTTPServer) -> None:
    """A second Authorization header was ignored (the first was checked). AWS reads the two as one value
    joined by ',' and answers IncompleteSignatureException (envoyproxy/envoy#23702); so does serve, whichever
    of the two is valid."""
    good = _signed(served, b"{}")
    junk = (
        "AWS4-HMAC-SHA256 Credential=AKIAOTHER/20200101/us-east-1/cloudtrail/aws4_request, SignedHeaders=host, Signature="
        + "0" * 64
    )
    for extra in ([("Authorization", junk)], [("Authorization", _auth(good))]):
        for order in (good + extra, extra + good):
            status, reply = _send(served, order)
            assert status == 400 and reply["__type"] == "IncompleteSignatureException"
            assert reply["Message"].startswith(
                "'AWS4-HMAC-SHA256' not a valid key=value pair (missing equal-sign) in Authorization header"
            )
    assert _send(served, good)[0] == 200


def test_an_authorization_header_missing_its_parts_is_explained(served: LakeHTTPServer) -> None:
    status, reply = _send(served, [*UNSIGNED, ("Authorization", "AWS4-HMAC-SHA256 Credential=a/b")])
    assert status == 400 and reply["__type"] == "IncompleteSignatureException"
    assert (
        "requires 'Signature' parameter" in reply["Message"]
        and "requires 'SignedHeaders'" in reply["Message"]
    )
    named_twice = _auth(_signed(served, b"{}")) + ", Signature=" + "1" * 64
    status, reply = _send(served, [*UNSIGNED, ("Authorization", named_twice)])
    assert status == 400 and "'Signature' is named more than once" in reply["Message"]


def test_an_authorization_header_spaced_otherwise_is_read(served: LakeHTTPServer) -> None:
    """Tabs, or no space after the commas: the same header, still read (the old pattern took any white
    space; the new reading must too)."""
    headers = _signed(served, b"{}")
    auth = _auth(headers)
    for spaced in (auth.replace(" ", "\t", 1), auth.replace(", ", ",")):
        status, _ = _send(served, [(k, spaced if k == "Authorization" else v) for k, v in headers])
        assert status == 200, spaced


def test_two_host_headers_are_a_bad_request(served: LakeHTTPServer) -> None:
    # RFC 9112 3.2: a request with more than one Host header is answered 400, and nothing more is read.
    with _connect(served) as s:
        s.settimeout(2.0)
        s.sendall(_request(served, [("Host", "evil.example"), *_signed(served, b"{}")]))
        status, body, closed = _answer(s)
    assert status == 400 and json.loads(body)["__type"] == "BadRequestException" and closed


@pytest.mark.parametrize("header", ["X-Amz-Target", "X-Amz-Content-SHA256"])
def test_a_repeated_signed_header_is_read_as_signed(served: LakeHTTPServer, header: str) -> None:
    """The signer signs a repeated header as its values joined by ','; serve read the first one only, so it
    acted on a value other than the one signed. Now it reads the joined value: two operations are no
    CloudTrail operation, two body hashes no hash of the body."""
    import hashlib

    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    host, port = _host(served)
    value = LIST if header == "X-Amz-Target" else hashlib.sha256(b"{}").hexdigest()
    request = AWSRequest(method="POST", url=f"http://{host}:{port}/", data=b"{}")
    request.headers["Content-Type"] = "application/x-amz-json-1.1"
    if header != "X-Amz-Target":
        request.headers["X-Amz-Target"] = LIST
    request.headers[header] = value
    request.headers[header] = value.replace("ListEventDataStores", "DeleteEventDataStore")  # a second one
    SigV4Auth(Credentials(KEY, SECRET), "cloudtrail", "us-east-1").add_auth(request)
    status, reply = _send(served, [("Content-Length", "2"), *request.headers.items()])
    expected = "UnknownOperationException" if header == "X-Amz-Target" else "InvalidSignatureException"
    assert status in (400, 403) and reply["__type"] == expected


def test_a_signed_header_that_was_not_sent_is_named(served: LakeHTTPServer) -> None:
    """A client that signs a header and then drops it (a proxy removing it, say) gets AWS's words for it,
    not a bare signature mismatch."""
    headers = _signed(served, b"{}", extra={"X-Custom": "1"})  # botocore signs every header it is given
    status, reply = _send(served, [(k, v) for k, v in headers if k != "X-Custom"])
    assert status == 400 and reply["__type"] == "IncompleteSignatureException"
    assert (
        reply["Message"]
        == "'x-custom' is named as a SignedHeader, but it does not exist in the HTTP request."
    )
    assert _send(served, headers)[0] == 200


def test_serve_listens_on_ipv6(where: Any) -> None:
    """`trailtui serve --host ::1` failed: 'Address family for hostname not supported'."""
    import boto3

    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError as exc:
        pytest.skip(f"no ::1 here: {exc}")
    with serving(KEY, SECRET, host="::1") as server:
        assert server.url.startswith("http://[::1]:")
        ct = boto3.client(
            "cloudtrail",
            endpoint_url=server.url,
            region_name="us-east-1",
            aws_access_key_id=KEY,
            aws_secret_access_key=SECRET,
        )
        assert ct.list_event_data_stores()["EventDataStores"] == []


def test_held_connections_take_nothing_from_the_memory_cap(where: Any) -> None:
    """Each connection's thread reserves an 8 MiB stack, which the kernel counts in --max-memory's limit:
    64 connections held before authentication under a 400 MB cap left no room for another thread, so a
    signed request was dropped and even the shutdown on SIGTERM failed ("can't start new thread"). The
    connection threads are now started with the server, on top of the cap."""
    import os
    import signal
    import subprocess

    from benchmarks.serving import KEY as BENCH_KEY
    from benchmarks.serving import SECRET as BENCH_SECRET
    from benchmarks.serving import cloudtrail_client, read_banner, serve_command

    options = ["--no-demo", "--max-memory", "400MB", "--access-key-id", BENCH_KEY]
    proc = subprocess.Popen(
        serve_command(*options, "--secret-access-key", BENCH_SECRET),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    flood = []
    try:
        _, url = read_banner(proc)
        host, port = url.rsplit("/", 1)[1].rsplit(":", 1)
        for _ in range(64):
            try:
                s = socket.create_connection((host, int(port)), timeout=5, source_address=(FLOODER, 0))
            except OSError as exc:  # not Linux: no second loopback address to come from
                pytest.skip(f"cannot connect from {FLOODER}: {exc}")
            s.sendall(b"POST / HTTP/1.1\r\n")
            flood.append(s)
        time.sleep(0.5)
        assert cloudtrail_client(url).list_event_data_stores()["EventDataStores"] == []
    finally:
        for s in flood:
            s.close()
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0 and "stopped after" in err and "can't start new thread" not in err


def _presigned(server: LakeHTTPServer, minutes_ago: float = 0, expires: int = 300) -> str:
    """botocore's presigner's URL for ListEventDataStores, signed `minutes_ago`."""
    from datetime import UTC, datetime, timedelta
    from unittest import mock

    import boto3

    client = boto3.session.Session(
        aws_access_key_id=KEY, aws_secret_access_key=SECRET, region_name="us-east-1"
    ).client("cloudtrail", endpoint_url=server.url)
    then = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=minutes_ago)
    with mock.patch("botocore.auth.get_current_datetime", lambda *_, **__: then):
        return str(client.generate_presigned_url("list_event_data_stores", ExpiresIn=expires))


def _post_to(server: LakeHTTPServer, url: str, body: bytes = b"", **headers: str) -> tuple[int, Any]:
    """POST to a presigned URL with the headers botocore signed (its target and content type)."""
    target = {"X-Amz-Target": LIST, "Content-Type": "application/x-amz-json-1.1"}
    path = url.split(str(_host(server)[1]), 1)[1]
    with _connect(server) as s:
        s.settimeout(5.0)
        lines = [f"{k}: {v}" for k, v in (target | headers | {"Content-Length": str(len(body))}).items()]
        host, port = _host(server)
        s.sendall(
            (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n" + "\r\n".join(lines) + "\r\n\r\n").encode()
            + body
        )
        status, reply, _ = _answer(s)
    return status, json.loads(reply)


def test_a_presigned_request_is_taken_as_aws_takes_it(served: LakeHTTPServer) -> None:
    """The signature in the query string (X-Amz-Algorithm, -Credential, -Date, -Expires, -SignedHeaders,
    -Signature: the CloudTrail API Reference's common parameters) was refused as unsigned. Now botocore's
    presigned URL is answered, for 15 minutes after its date at most (AWS's services other than S3 ignore a
    longer X-Amz-Expires), or its X-Amz-Expires if shorter; what it signed cannot change."""
    url = _presigned(served)
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url
    status, reply = _post_to(served, url)
    assert status == 200 and "EventDataStores" in reply
    # Its target, its (empty) body and its expiry are signed.
    status, reply = _post_to(served, url, **{"X-Amz-Target": LIST.replace("List", "Get")})
    assert status == 403 and reply["__type"] == "InvalidSignatureException"
    status, reply = _post_to(served, url, b'{"MaxResults": 1}')
    assert status == 403 and reply["__type"] == "InvalidSignatureException"
    status, reply = _post_to(served, url.replace("X-Amz-Expires=300", "X-Amz-Expires=900"))
    assert status == 403 and reply["__type"] == "InvalidSignatureException"
    # Expired: 16 minutes after its date whatever it asked for, or after its own X-Amz-Expires.
    status, reply = _post_to(served, _presigned(served, minutes_ago=16, expires=3600))
    assert (
        status == 400
        and reply["Message"].startswith("Signature expired:")
        and "- 15 min.)" in reply["Message"]
    )
    status, reply = _post_to(served, _presigned(served, minutes_ago=2, expires=60))
    assert (
        status == 400
        and reply["Message"].startswith("Signature expired:")
        and "- 60 sec.)" in reply["Message"]
    )
    # 5,000 digits: past what int() reads (the connection was dropped unanswered, a ValueError in the log).
    status, reply = _post_to(served, url.replace("X-Amz-Expires=300", "X-Amz-Expires=" + "3" * 5000))
    assert status == 400 and reply["__type"] == "IncompleteSignatureException"
    status, reply = _post_to(served, _presigned(served, expires=604801))
    assert (
        status == 400
        and reply["__type"] == "IncompleteSignatureException"
        and "X-Amz-Expires" in reply["Message"]
    )
    # Part of the parameters, or an Authorization header besides them: refused in AWS's words.
    status, reply = _post_to(served, url.split("&X-Amz-Signature=")[0])
    assert status == 400 and reply["Message"].startswith("AWS query-string parameters must include")
    status, reply = _post_to(served, url, Authorization=_auth(_signed(served, b"")))
    assert status == 400 and reply["Message"].startswith("Only one auth mechanism allowed")
    # A session token in the query string is refused as in a header (serve issues none).
    status, reply = _post_to(served, url + "&X-Amz-Security-Token=token")
    assert status == 403 and reply["__type"] == "UnrecognizedClientException"
