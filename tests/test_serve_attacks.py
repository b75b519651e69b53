"""Attacks on `trailtui serve` before and around authentication, each reproduced on loopback: malformed
framing, half-sent bodies, signature tricks, hostile text for the log, deep JSON. Each test runs the real
server code in a thread, with limits made small so the attack is quick to mount."""

from __future__ import annotations

import hashlib
import json
import logging
import socket
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials as BotoCredentials
from botocore.exceptions import ClientError

from tests.serving import serving
from trailtui.local import server as server_module
from trailtui.local.server import LakeHTTPServer

KEY, SECRET = "AKIATESTATTACK0001", "attack-secret-0001"
LIST = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.ListEventDataStores"


@pytest.fixture
def served(where: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[LakeHTTPServer]:
    monkeypatch.setattr(server_module._Handler, "timeout", 1.0)
    monkeypatch.setattr(server_module, "BODY_DEADLINE", 2.0)
    with serving(KEY, SECRET, max_connections=4) as server:
        yield server


def _host(server: LakeHTTPServer) -> tuple[str, int]:
    host, port = server.server_address[:2]
    return str(host), int(port)


def _exchange(
    server: LakeHTTPServer, raw: bytes, keep_open: bool = True, wait: float = 5.0
) -> tuple[int, bytes]:
    """Send raw bytes; return the status and body of the answer (0 if the connection closed unanswered)."""
    with socket.create_connection(_host(server), timeout=wait) as s:
        s.sendall(raw)
        if not keep_open:
            s.shutdown(socket.SHUT_WR)
        data = b""
        try:
            while b"\r\n\r\n" not in data or len(data) < _expected(data):
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        except TimeoutError:
            pass
    if not data:
        return 0, b""
    return int(data.split(b" ", 2)[1]), data.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in data else b""


def _expected(data: bytes) -> int:
    head, _, _ = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(head) + 4 + int(line.split(b":")[1])
    return len(data)


def _post(headers: list[tuple[str, str]], body: bytes = b"") -> bytes:
    head = f"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: {LIST}\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in headers
    )
    return head.encode("latin-1") + b"\r\n" + body


class _SignEverything(SigV4Auth):
    """A client that signs every header it sends (user-agent and x-amzn-trace-id too), as some SDKs do."""

    def headers_to_sign(self, request: AWSRequest) -> Any:
        chosen = super().headers_to_sign(request)
        for name in ("user-agent", "x-amzn-trace-id"):
            if name in request.headers:
                chosen[name] = request.headers[name]
        return chosen


def _signed(
    server: LakeHTTPServer,
    body: bytes,
    target: str | None = LIST,
    service: str = "cloudtrail",
    region: str = "us-east-1",
    extra: dict[str, str] | None = None,
    signer: type[SigV4Auth] = SigV4Auth,
) -> list[tuple[str, str]]:
    host, port = _host(server)
    headers = {"Content-Type": "application/x-amz-json-1.1"} | (extra or {})
    if target:
        headers["X-Amz-Target"] = target
    request = AWSRequest(method="POST", url=f"http://{host}:{port}/", data=body, headers=headers)
    signer(BotoCredentials(KEY, SECRET), service, region).add_auth(request)
    out = [(k, v) for k, v in request.headers.items() if k.lower() != "host"]
    return [("Content-Length", str(len(body))), *out]


def _raw_post(server: LakeHTTPServer, headers: list[tuple[str, str]], body: bytes) -> tuple[int, Any]:
    head = f"POST / HTTP/1.1\r\nHost: {_host(server)[0]}:{_host(server)[1]}\r\n"
    raw = head.encode() + "".join(f"{k}: {v}\r\n" for k, v in headers).encode("latin-1") + b"\r\n" + body
    status, reply = _exchange(server, raw)
    try:
        return status, json.loads(reply)
    except ValueError:
        return status, reply.decode("utf-8", "replace")


# -- framing: bounded before authentication ----------------------------------------------------------------


@pytest.mark.parametrize(
    "lengths",
    [
        ["-1"],
        ["+2"],
        ["1_0"],
        ["0x10"],
        ["1²"],
        ["1 2"],
        ["2", "2"],
        [str(server_module.MAX_BODY + 1)],
        ["9" * 30],
    ],
)
def test_content_length_is_strict_and_nothing_is_read(served: LakeHTTPServer, lengths: list[str]) -> None:
    # The socket stays open and no body follows: an answer can only come from refusing the header itself.
    started = time.monotonic()
    status, body = _exchange(served, _post([("Content-Length", v) for v in lengths]))
    assert status in (400, 413), body
    assert time.monotonic() - started < 0.9  # refused at once, not after the idle timeout
    assert json.loads(body)["__type"] in ("SerializationException", "RequestEntityTooLargeException")


def test_chunked_bodies_are_refused(served: LakeHTTPServer) -> None:
    status, body = _exchange(served, _post([("Transfer-Encoding", "chunked")], b"5\r\nhello\r\n"))
    assert status == 411 and json.loads(body)["__type"] == "LengthRequiredException"


def test_half_sent_bodies_cannot_pile_up(served: LakeHTTPServer) -> None:
    holders = []
    try:
        for _ in range(4):  # every connection slot taken by a body that never finishes
            s = socket.create_connection(_host(served))
            s.sendall(_post([("Content-Length", "1000")], b"x" * 10))
            holders.append(s)
        time.sleep(0.2)
        status, body = _exchange(served, _post([("Content-Length", "0")]))
        assert status == 503 and json.loads(body)["__type"] == "ServiceUnavailableException"
        assert served.connections_refused >= 1
        # The idle timeout frees the slots: the stalled connections are closed by the server.
        for s in holders:
            s.settimeout(5)
            assert s.recv(100) == b""
    finally:
        for s in holders:
            s.close()
    status, reply = _raw_post(served, _signed(served, b"{}"), b"{}")
    assert status == 200 and "EventDataStores" in reply


def test_a_dripped_body_is_cut_off_at_the_deadline(served: LakeHTTPServer) -> None:
    with socket.create_connection(_host(served)) as s:
        s.sendall(_post([("Content-Length", "100")]))
        closed_after = _drip_until_closed(s, b"x", 6)
        assert closed_after is not None and closed_after < 4  # BODY_DEADLINE is 2 s in this test


# -- signatures, as AWS checks them ------------------------------------------------------------------------


def _drip_until_closed(s: socket.socket, byte: bytes, limit: float) -> float | None:
    """Send `byte` every 0.5 s (never idle for the 1 s idle timeout) until serve closes the connection: the
    seconds that took, or None if it was still open after `limit` seconds."""
    started = time.monotonic()
    s.settimeout(0.5)
    while time.monotonic() - started < limit:
        try:
            s.sendall(byte)
            if s.recv(1) == b"":
                return time.monotonic() - started
        except TimeoutError:
            continue
        except OSError:
            return time.monotonic() - started
    return None


def captured_date(headers: list[tuple[str, str]]) -> str:
    return next(v for k, v in headers if k == "X-Amz-Date")


def _code(reply: Any) -> str:
    return reply["__type"] if isinstance(reply, dict) else reply


def test_a_body_swapped_after_signing_is_refused(served: LakeHTTPServer) -> None:
    signed_for = b'{"MaxResults": 1}'
    swapped = b'{"MaxResults": 9}'
    headers = _signed(
        served, signed_for, extra={"X-Amz-Content-SHA256": hashlib.sha256(signed_for).hexdigest()}
    )
    status, reply = _raw_post(served, headers, swapped)
    assert status == 403 and _code(reply) == "InvalidSignatureException"
    assert "x-amz-content-sha256" in reply["Message"]
    status, reply = _raw_post(served, headers, signed_for)  # the same headers with the signed body pass
    assert status == 200


def test_unsigned_payload_is_refused(served: LakeHTTPServer) -> None:
    headers = _signed(served, b"{}", extra={"X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"})
    status, reply = _raw_post(served, headers, b"{}")
    assert status == 403 and "UNSIGNED-PAYLOAD" in reply["Message"]


@pytest.mark.parametrize(
    ("service", "region", "words"),
    [("s3", "us-east-1", "correct service: 'cloudtrail'"), ("cloudtrail", "eu-west-3", "valid region")],
)
def test_credential_scope_is_checked(served: LakeHTTPServer, service: str, region: str, words: str) -> None:
    status, reply = _raw_post(served, _signed(served, b"{}", service=service, region=region), b"{}")
    assert status == 403 and _code(reply) == "InvalidSignatureException" and words in reply["Message"]


def test_a_scope_with_another_terminator_and_every_mistake_are_named_in_aws_words(
    served: LakeHTTPServer,
) -> None:
    """A scope ending otherwise than aws4_request was answered IncompleteSignatureException in our words; AWS
    names the terminator (InvalidSignatureException), and each wrong part of a scope at once."""
    headers = _signed(served, b"{}")
    ended = [(k, v.replace("/aws4_request", "/aws5_request")) for k, v in headers]
    status, reply = _raw_post(served, ended, b"{}")
    assert status == 403 and _code(reply) == "InvalidSignatureException"
    assert (
        reply["Message"]
        == "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'."
    )
    headers = _signed(served, b"{}", service="s3", region="eu-west-3")
    status, reply = _raw_post(served, [(k, v.replace("/aws4_request", "/x")) for k, v in headers], b"{}")
    assert reply["Message"] == (
        "Credential should be scoped to a valid region, not 'eu-west-3'. Credential should be scoped to correct "
        "service: 'cloudtrail'. Credential should be scoped with a valid terminator: 'aws4_request', not 'x'."
    )


def test_a_scope_of_another_day_and_an_old_request_replayed_are_refused(
    served: LakeHTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime, timedelta

    import botocore.auth

    headers = _signed(served, b"{}")
    auth = next(v for k, v in headers if k == "Authorization")
    day = auth.split("Credential=")[1].split("/")[1]
    other_day = [(k, v.replace(f"/{day}/", "/20200101/") if k == "Authorization" else v) for k, v in headers]
    status, reply = _raw_post(served, other_day, b"{}")
    # AWS's words (IAM user guide, "Troubleshoot signed requests for AWS APIs"), with the dates compared.
    assert status == 403 and reply["Message"] == (
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
        f"'20200101' != '{day}', from '{captured_date(headers)}'."
    )
    # A request captured 16 minutes ago and sent again: expired, even with a fresh X-Amz-Date put first.
    then = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=16)
    with monkeypatch.context() as patched:
        patched.setattr(botocore.auth, "get_current_datetime", lambda *_, **__: then)
        captured = _signed(served, b"{}")
    status, reply = _raw_post(served, captured, b"{}")
    assert status == 400 and reply["Message"].startswith("Signature expired:")
    fresh = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    status, reply = _raw_post(served, [("X-Amz-Date", fresh), *captured], b"{}")
    # Two X-Amz-Date headers are one value, both dates joined by ',' (as AWS reads them): not a date.
    assert status == 400 and reply["__type"] == "IncompleteSignatureException"
    assert f"Got '{fresh},{captured_date(captured)}'" in reply["Message"]


def test_a_request_dated_by_its_date_header_is_taken(served: LakeHTTPServer) -> None:
    """Without X-Amz-Date, AWS reads the Date header, and botocore's signer sends one (RFC 1123) instead of
    X-Amz-Date when a request has a Date: such a request was refused ("requires existence of a 'X-Amz-Date'
    header"). Without either, the refusal is in AWS's words."""
    headers = _signed(served, b"{}", extra={"Date": "set by the signer"})
    names = {k.lower() for k, _ in headers}
    assert "date" in names and "x-amz-date" not in names
    status, reply = _raw_post(served, headers, b"{}")
    assert status == 200 and "EventDataStores" in reply
    status, reply = _raw_post(served, [(k, v) for k, v in headers if k.lower() != "date"], b"{}")
    assert status == 400 and reply["Message"].startswith(
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization="
    )
    changed = [(k, "Sun, 29 Nov 2020 03:00:00 GMT" if k.lower() == "date" else v) for k, v in headers]
    assert _raw_post(served, changed, b"{}")[1]["Message"].startswith("Signature expired:")


def test_x_amz_target_must_be_signed(served: LakeHTTPServer) -> None:
    headers = _signed(served, b"{}", target=None)
    headers.append(("X-Amz-Target", LIST))  # added after signing: the operation is not what was signed
    status, reply = _raw_post(served, headers, b"{}")
    assert status == 403 and "'x-amz-target' must be a 'SignedHeader'" in reply["Message"]
    # Host unsigned: AWS's words.
    unsigned_host = [
        (k, v.replace("SignedHeaders=content-type;host;", "SignedHeaders=content-type;"))
        for k, v in _signed(served, b"{}")
    ]
    status, reply = _raw_post(served, unsigned_host, b"{}")
    assert reply["Message"] == "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."


def test_any_other_header_may_be_signed(served: LakeHTTPServer) -> None:
    extra = {"User-Agent": "aws-sdk-js/3.700.0", "X-Amzn-Trace-Id": "Root=1-abc"}
    status, reply = _raw_post(served, _signed(served, b"{}", extra=extra, signer=_SignEverything), b"{}")
    assert status == 200 and "EventDataStores" in reply
    tampered = [
        (k, "curl/8" if k == "User-Agent" else v)
        for k, v in _signed(served, b"{}", extra=extra, signer=_SignEverything)
    ]
    status, reply = _raw_post(served, tampered, b"{}")
    assert status == 403


def test_sts_errors_are_worded_as_sts_words_them(served: LakeHTTPServer) -> None:
    def sts(key: str, secret: str) -> Any:
        return boto3.session.Session(
            aws_access_key_id=key, aws_secret_access_key=secret, region_name="us-east-1"
        ).client("sts", endpoint_url=served.url, config=Config(retries={"total_max_attempts": 1}))

    assert sts(KEY, SECRET).get_caller_identity()["Arn"].endswith(":user/trailtui-serve")
    with pytest.raises(ClientError) as e:
        sts(KEY, "wrong").get_caller_identity()
    assert e.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    with pytest.raises(ClientError) as e:
        sts("AKIAUNKNOWN00000000", SECRET).get_caller_identity()
    assert e.value.response["Error"]["Code"] == "InvalidClientTokenId"
    # STS signed as CloudTrail is the wrong service for this request.
    status, reply = _raw_post(
        served,
        _signed(served, b"Action=GetCallerIdentity&Version=2011-06-15", target=None),
        b"Action=GetCallerIdentity&Version=2011-06-15",
    )
    assert status == 403 and "<Code>SignatureDoesNotMatch</Code>" in reply


# -- malformed bodies and hostile text ---------------------------------------------------------------------


def test_deep_json_gets_an_error_not_a_dropped_connection(served: LakeHTTPServer) -> None:
    body = b'{"a":' * 100_000 + b"1" + b"}" * 100_000  # under MAX_BODY, far past the parser's stack
    assert len(body) < server_module.MAX_BODY
    status, reply = _raw_post(served, _signed(served, body), body)
    assert status == 400 and reply["__type"] == "SerializationException"


def test_wrong_types_are_explained_without_python_class_names(served: LakeHTTPServer) -> None:
    body = b'{"MaxResults": "ten"}'
    status, reply = _raw_post(served, _signed(served, body), body)
    assert status == 400
    assert "<class" not in reply["Message"] and "'str'" not in reply["Message"]
    assert "MaxResults" in reply["Message"]


def test_the_log_never_carries_request_text(served: LakeHTTPServer, caplog: pytest.LogCaptureFixture) -> None:
    evil = "\x1b]0;pwned\x07\x1b[2J"
    caplog.set_level(logging.DEBUG, logger="trailtui.serve")
    # Not authenticated: nothing the client sent is logged.
    _raw_post(served, [("Content-Length", "2"), ("X-Amz-Target", evil)], b"{}")
    _exchange(served, f"GET /{evil} HTTP/1.1\r\n\r\n".encode("latin-1"))
    # Authenticated, with a hostile operation name: logged as a placeholder. (Control characters in a header
    # value are refused before that: a 400, as RFC 9110 5.5 allows.)
    assert _raw_post(served, _signed(served, b"{}", target=evil), b"{}")[0] == 400
    _raw_post(served, _signed(served, b"{}", target="x.pwned;$(reboot)"), b"{}")
    status, _ = _raw_post(served, _signed(served, b"{}"), b"{}")
    assert status == 200
    text = caplog.text
    assert "pwned" not in text and "\x1b" not in text and "\x07" not in text
    assert "ListEventDataStores" in text and "(unknown operation)" in text


# -- the request's head: bounded in size and in time before authentication ----------------------------------


@pytest.mark.parametrize(
    "head",
    [
        f"POST /?{'a' * 40_000} HTTP/1.1\r\n",  # a long request line
        "POST / HTTP/1.1\r\nX-Pad: " + "a" * 40_000 + "\r\n",  # one long header
        "POST / HTTP/1.1\r\n" + "X-Pad: aaaaaaaaaaaaaaaaaaaa\r\n" * 1500,  # many short ones
    ],
    ids=["request-line", "one-header", "many-headers"],
)
def test_an_oversized_head_is_refused_before_it_is_read(served: LakeHTTPServer, head: str) -> None:
    # http.server alone reads 100 headers of 64 KiB each per connection (434 MB held by 64 connections).
    started = time.monotonic()
    status, body = _exchange(served, head.encode())  # the head never ends: the answer is a refusal
    assert status == 431 and time.monotonic() - started < 0.9
    assert json.loads(body)["__type"] == "RequestHeaderFieldsTooLargeException"
    # A large head under the limit is served (an unsigned header may pad it: only the signed ones count).
    padded = [*_signed(served, b"{}"), ("X-Pad", "a" * 20_000)]
    status, reply = _raw_post(served, padded, b"{}")
    assert status == 200 and "EventDataStores" in reply


def test_a_dripped_head_is_cut_off_at_the_deadline(
    served: LakeHTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A head sent a byte at a time, never idle for the idle timeout, held a connection slot for good (four
    such connections took every slot); the head has HEAD_DEADLINE in all."""
    monkeypatch.setattr(server_module, "HEAD_DEADLINE", 2.0)
    with socket.create_connection(_host(served)) as s:
        s.sendall(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        closed_after = _drip_until_closed(s, b"a", 8)
        assert closed_after is not None and closed_after < 4
    status, _ = _raw_post(served, _signed(served, b"{}"), b"{}")  # the slot is free again
    assert status == 200


@pytest.mark.parametrize("host", ["[", "[\x1b]0;pwned\x07", "\x1b[2J"], ids=["bracket", "osc", "csi"])
def test_a_host_no_parser_reads_is_answered_not_printed(
    served: LakeHTTPServer, host: str, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """With the key ID (printed in the banner, not a secret) and any signature, `Host: [` made the URL parser
    fail: the connection was dropped unanswered and socketserver printed a traceback quoting the header."""
    caplog.set_level(logging.DEBUG, logger="trailtui.serve")
    headers = _signed(served, b"{}")
    raw = f"POST / HTTP/1.1\r\nHost: {host}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
    status, body = _exchange(served, raw.encode("latin-1") + b"\r\n{}")
    # Control characters are refused with the header line (400), the rest by the signature check.
    control = any(ord(c) < 32 for c in host)
    assert (status, json.loads(body)["__type"]) == (
        (400, "BadRequestException") if control else (403, "InvalidSignatureException")
    )
    printed = capsys.readouterr()
    assert "Traceback" not in printed.err and "pwned" not in printed.err + caplog.text
    assert _raw_post(served, _signed(served, b"{}"), b"{}")[0] == 200


# -- what http.server answered itself: now AWS-shaped, in our words -------------------------------------------


@pytest.mark.parametrize(
    "method", ["PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT", "X\x1b]0;pwned\x07"]
)
def test_other_methods_get_an_aws_error_not_an_html_page(served: LakeHTTPServer, method: str) -> None:
    """http.server answered 501 with an HTML page, and put the method, the client's text, in the status line."""
    with socket.create_connection(_host(served), timeout=5) as s:
        s.sendall(f"{method} / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello".encode("latin-1"))
        data = s.recv(65536)
        assert s.recv(1) == b""  # closed: the body it sent is not read as a next request
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 Bad Request\r\n") and b"pwned" not in head
    assert json.loads(body) == {
        "__type": "UnknownOperationException",
        "Message": "Use POST with X-Amz-Target.",
    }


@pytest.mark.parametrize(
    "line",
    [
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"A" * 40,
        b"POST / HTTP/2.0",
        b"GET /",
        b"POST / HTTP/1.1 x",
    ],
    ids=["tls-hello", "http2", "http0.9", "four-words"],
)
def test_an_unreadable_request_line_gets_a_status_line(served: LakeHTTPServer, line: bytes) -> None:
    """A TLS handshake sent to the plain port, or HTTP/2.0, got http.server's HTML page with no status line
    (HTTP/0.9's answer), which no client reads as an error."""
    status, body = _exchange(served, line + b"\r\n\r\n")
    assert status == 400 and json.loads(body)["__type"] == "BadRequestException"


def test_expect_continue_is_not_answered_for_a_body_that_will_be_refused(served: LakeHTTPServer) -> None:
    head = _post([("Content-Length", str(10**9)), ("Expect", "100-continue")])
    status, body = _exchange(served, head)
    assert status == 413 and json.loads(body)["__type"] == "RequestEntityTooLargeException"
    with socket.create_connection(_host(served), timeout=5) as s:  # a body that fits is invited
        s.sendall(_post([("Content-Length", "2"), ("Expect", "100-continue")]))
        assert s.recv(100).startswith(b"HTTP/1.1 100 Continue")


@pytest.mark.parametrize(
    "line",
    [
        b"Content-Length : 9",
        b"Transfer-Encoding : chunked",
        b"X Spaced: 1",
        b": nameless",
        b"NoColonHere",
        b"X-Folded: a\r\n b",
        b"X-Nul: a\x00b",
        b"X-Cr: a\rb",
    ],
    ids=[
        "space-before-colon",
        "te-space-before-colon",
        "space-in-name",
        "no-name",
        "no-colon",
        "obs-fold",
        "nul",
        "bare-cr",
    ],
)
def test_a_header_line_a_proxy_may_read_otherwise_is_a_bad_request(
    served: LakeHTTPServer, line: bytes
) -> None:
    """RFC 9112 5.1/5.2 and RFC 9110 5.5: a server must refuse these (400). http.server's parser ignored
    `Content-Length : 9` and `Transfer-Encoding : chunked` (a lenient proxy in front honours them: the body
    then holds a second request, smuggled past it), dropped every header after a line without a colon, and
    took folded lines, NUL and bare CR; the signed request around them was answered (200)."""
    headers = _signed(served, b"{}")
    host, port = _host(served)
    raw = f"POST / HTTP/1.1\r\nHost: {host}:{port}\r\n".encode() + line + b"\r\n"
    raw += "".join(f"{k}: {v}\r\n" for k, v in headers).encode() + b"\r\n{}"
    status, body = _exchange(served, raw)
    assert status == 400 and json.loads(body)["__type"] == "BadRequestException"
    # The same request without the line is served.
    status, body = _exchange(served, raw.replace(line + b"\r\n", b""))
    assert status == 200 and b"EventDataStores" in body
