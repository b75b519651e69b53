"""`trailtui serve`: the local lake's CloudTrail API over HTTP, for the AWS CLI and every SDK.

AWS JSON 1.1 on `POST /` with X-Amz-Target, SigV4-signed with the server's credential pair; STS
GetCallerIdentity (query protocol) on the same endpoint, so an AWS profile pointed here shows an identity.
Requests are served by a fixed set of connection threads started with the server (HTTP/1.1 keep-alive, as
SDKs pool connections).

Everything an unauthenticated client can make the server hold is bounded before it is read: the request's
head (request line and headers: at most MAX_HEAD bytes, sent within HEAD_DEADLINE), the body by a strict
Content-Length (digits only, one header, at most MAX_BODY; chunked bodies refused), the time a connection
may sit idle or take to send its body, and the number of connections served at once (when all are taken,
a client holding fewer than the busiest takes one of its connections still reading a request, else a 503 at
once; admission.py). A connection whose request fails authentication is closed after its answer, so an
unauthenticated client holds a slot for one head and one body at most. Nothing a client sent is logged
before it is authenticated.
"""

from __future__ import annotations

import http.client
import logging
import queue
import re
import socket
import threading
import time
from collections.abc import Iterable
from email.message import Message
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

from trailtui.lake.text import sanitize
from trailtui.local.admission import MAX_GIVING_UP, Admission, Slot, connection_threads_reserve
from trailtui.local.api import CloudTrailLakeApi
from trailtui.local.errors import InternalFailure, LakeError, _error
from trailtui.local.faults import DropConnection, FaultPlan
from trailtui.local.localpaths import LocalPaths
from trailtui.local.sigv4 import Credentials, verify_sigv4
from trailtui.local.wire import error_reply, operation_of, serve_cloudtrail, serve_sts, sts_error_reply

__all__ = ["Credentials", "LakeHTTPServer", "connection_threads_reserve", "make_server"]

log = logging.getLogger("trailtui.serve")

MAX_BODY = 1024 * 1024  # StartQuery's statement is at most 10,000 characters; nothing legitimate is bigger
MAX_CONNECTIONS = 64  # connections served at once (each holds a thread and at most one MAX_BODY)
IDLE_TIMEOUT = 20.0  # seconds a connection may wait between two reads (headers, body, or keep-alive)
BODY_DEADLINE = 30.0  # seconds a client has to send a whole body, however it drips it
# The request line and headers: http.server alone takes 100 header lines of 64 KiB each (6.4 MB held per
# connection before authentication, 434 MB measured for 64 connections) and restarts its timeout at every
# byte (a head dripped a byte at a time held a connection for good). An SDK's head is about 1.5 KB.
MAX_HEAD = 32 * 1024
HEAD_DEADLINE = 20.0  # seconds from the end of the previous answer (or the connection) to a whole head
PRINCIPAL = "trailtui-serve"
_OPERATION_RE = re.compile(r"^[A-Za-z]{1,64}$")
# A header line as RFC 9110/9112 allow it: a token, a colon with no white space before it, and a value of
# visible characters, spaces and tabs (and obs-text), ended by CRLF (or LF). http.server's parser took lines
# no proxy reads alike: `Content-Length : 9` and `Transfer-Encoding : chunked` (ignored here, honoured by
# lenient proxies: a second request smuggled in a body), a line without a colon (every header after it
# dropped), folded lines, NUL and bare CR in values. RFC 9112 5.1 and 5.2 require a 400 for these.
_HEADER_LINE_RE = re.compile(rb"^[!#$%&'*+.^_`|~0-9A-Za-z-]+:[\t\x20-\x7e\x80-\xff]*\r?\n$")

TooLarge = _error("RequestEntityTooLargeException", 413)
HeadTooLarge = _error("RequestHeaderFieldsTooLargeException", 431)
BadLength = _error("SerializationException")
LengthRequired = _error("LengthRequiredException", 411)
BadRequest = _error("BadRequestException")
Busy = _error("ServiceUnavailableException", 503)


class FramingError(Exception):
    """The request's body cannot be delimited safely: answer, and close the connection."""

    def __init__(self, error: LakeError) -> None:
        super().__init__(error.message)
        self.error = error


def body_length(headers: Message) -> int:
    """The body's length from a strict reading of Content-Length, before a byte of it is read."""
    if headers.get_all("Transfer-Encoding"):
        raise FramingError(LengthRequired("Chunked bodies are not accepted; send a Content-Length."))
    values = headers.get_all("Content-Length") or []
    if not values:
        return 0
    if len(values) > 1:
        raise FramingError(BadLength("The request has more than one Content-Length header."))
    text = values[0].strip()
    # Digits only: int() would also take '-1', '+2', '1_0' and ' 12 '.
    if not text.isascii() or not text.isdigit() or len(text) > 12:
        raise FramingError(BadLength("The Content-Length header is not a number of bytes."))
    length = int(text)
    if length > MAX_BODY:
        raise FramingError(TooLarge(f"The request body is larger than {MAX_BODY} bytes."))
    return length


def loggable_operation(target: str) -> str:
    """An operation name fit for the log: letters only, else a placeholder (the header is the client's)."""
    op = operation_of(target) if target else "GetCallerIdentity"
    return op if _OPERATION_RE.match(op) else "(unknown operation)"


class LakeHTTPServer(HTTPServer):
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        api: CloudTrailLakeApi,
        creds: Credentials,
        faults: FaultPlan | None = None,
        max_connections: int = MAX_CONNECTIONS,
        allow_paths: Iterable[str] = (),
    ) -> None:
        if ":" in address[0]:  # an IPv6 address (`--host ::1`): socketserver's default family is IPv4 only
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)
        self.api = api
        self.creds = creds
        self.faults = faults
        api.faults = faults if faults and faults.active else None
        # Clients read and write no local files or S3 locations but under these (see localpaths.py).
        api.local_paths = LocalPaths(allow_paths)
        self.requests_served = 0
        self.connections_refused = 0
        self._count_lock = threading.Lock()
        self.admission = Admission(max_connections)
        self._slot_of: dict[Any, Slot] = {}  # each connection's, for its handler
        # The connection threads, started now, not one per connection: each reserves its stack (8 MiB),
        # which the kernel counts in `--max-memory`'s RLIMIT_DATA. Started per connection, 64 connections held
        # before authentication took 530 MB of what queries may use, and under a 400 MB cap no thread could
        # start: a signed request was dropped, and even Ctrl-C's shutdown thread failed. Reserved once, at
        # start, connections cost nothing more however many are held (connection_threads_reserve).
        self._connections: queue.SimpleQueue[tuple[Any, Any] | None] = queue.SimpleQueue()
        self._workers = [
            threading.Thread(target=self._serve_connections, name="trailtui-connection", daemon=True)
            for _ in range(max_connections + MAX_GIVING_UP)
        ]
        for worker in self._workers:
            worker.start()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = str(host)
        return f"http://{'[' + host + ']' if ':' in host else host}:{port}"

    @property
    def principal_arn(self) -> str:
        return f"arn:aws:iam::{self.api.account_id}:user/{PRINCIPAL}"

    @property
    def regions(self) -> tuple[str, ...]:
        return (self.api.region,)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # socketserver would print the traceback, which may quote what the client sent (a Host header, a
        # request line), on the operator's terminal: the exception's kind only, with the client's address.
        import sys

        log.error("%s connection failed: %s", client_address[0], type(sys.exc_info()[1]).__name__)

    def process_request(self, request: Any, client_address: Any) -> None:
        # A connection thread for each connection, but only MAX_CONNECTIONS at once, shared fairly between
        # clients when all are taken: past that a connection is told to come back later (SDKs retry 503)
        # without a byte of it being read.
        slot = self.admission.admit(client_address[0], request)
        if slot is None:
            with self._count_lock:
                self.connections_refused += 1
            _refuse(request)
            self.shutdown_request(request)
            return
        self._slot_of[request] = slot
        self._connections.put((request, client_address))

    def _serve_connections(self) -> None:
        while (item := self._connections.get()) is not None:
            request, client_address = item
            try:
                self.finish_request(request, client_address)
            except Exception:
                self.handle_error(request, client_address)
            finally:
                self.shutdown_request(request)
                slot = self._slot_of.pop(request, None)
                if slot is not None:
                    self.admission.release(slot)

    def server_close(self) -> None:
        super().server_close()
        for _ in getattr(self, "_workers", ()):  # none yet when binding the port failed
            self._connections.put(None)


def _refuse(sock: socket.socket) -> None:
    status, headers, body = error_reply(Busy("Too many connections; try again later."))
    head = f"HTTP/1.1 {status} Service Unavailable\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    head += f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    try:
        sock.settimeout(1.0)
        sock.sendall(head.encode() + body)
    except OSError:
        pass


class _HeadReader:
    """The connection's input, with the request's head read under a byte budget and a deadline.

    `readline` (what http.server reads the request line and headers with) takes at most what is left of
    MAX_HEAD and waits at most until the deadline, however the bytes trickle in: it reads what has arrived
    a piece at a time, each wait bounded by the time left. The body is read with `read1`, untouched."""

    def __init__(self, raw: Any, sock: socket.socket, idle: float) -> None:
        self._raw = raw
        self._sock = sock
        self._idle = idle
        self._left = MAX_HEAD
        self._deadline = time.monotonic() + HEAD_DEADLINE
        self.lines: list[bytes] = []  # this head's lines as sent (at most MAX_HEAD bytes in all)

    def start_head(self) -> None:
        self._left = MAX_HEAD
        self._deadline = time.monotonic() + HEAD_DEADLINE
        self.lines = []

    def malformed_header(self) -> bool:
        """Whether a header line of this head is one RFC 9112 tells a server to refuse (400)."""
        return any(not _HEADER_LINE_RE.match(line) for line in self.lines[1:] if line not in (b"\r\n", b"\n"))

    def end_head(self) -> None:
        self._sock.settimeout(self._idle)  # the body and the answer: the usual timeouts

    def readline(self, limit: int = -1) -> bytes:
        pieces: list[bytes] = []  # joined once: a line dripped a byte at a time costs no quadratic copying
        size = 0
        while not (pieces and pieces[-1].endswith(b"\n")) and (limit < 0 or size < limit):
            if self._left <= 0:
                raise http.client.LineTooLong("request head")
            wait = self._deadline - time.monotonic()
            if wait <= 0:
                raise TimeoutError("request head not sent in time")
            self._sock.settimeout(min(wait, self._idle))
            ready = self._raw.peek(1)  # what has arrived: at most one read from the socket
            if not ready:
                break  # the client closed the connection
            end = ready.find(b"\n")
            take = min(len(ready) if end < 0 else end + 1, self._left)
            if limit >= 0:
                take = min(take, limit - size)
            piece = self._raw.read(take)
            self._left -= len(piece)
            size += len(piece)
            pieces.append(piece)
        line = b"".join(pieces)
        self.lines.append(line)
        return line

    def read1(self, size: int = -1) -> bytes:
        return bytes(self._raw.read1(size))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = 64 * 1024  # buffer responses so headers and body go out together (see setup)
    timeout = IDLE_TIMEOUT  # socketserver sets it on the connection: every read and write is bounded
    server: LakeHTTPServer
    server_version = "trailtui"
    sys_version = ""

    def setup(self) -> None:
        super().setup()
        # Headers and body are small writes: without TCP_NODELAY, Nagle's algorithm and the client's delayed
        # ACK add 40 ms to every call (measured: 44 ms per DescribeQuery, 1 ms with it).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.rfile = _HeadReader(self.rfile, self.connection, self.timeout)  # type: ignore[assignment]
        self._slot = self.server._slot_of.get(self.connection)

    def _reading(self, reading: bool) -> bool:
        """Whether this connection may go on: False once it was given up to another client (admission.py)."""
        return self._slot is None or self.server.admission.set_reading(self._slot, reading)

    def handle_one_request(self) -> None:
        head: _HeadReader = self.rfile  # type: ignore[assignment]
        head.start_head()
        if not self._reading(True):
            self.close_connection = True
            return
        try:
            super().handle_one_request()
        except http.client.LineTooLong:  # the request line alone is past MAX_HEAD
            self.close_connection = True
            self.request_version = "HTTP/1.1"  # not parsed: answer in the version every client reads
            self._refuse_head()

    def parse_request(self) -> bool:
        try:
            parsed = super().parse_request()
        finally:
            self.rfile.end_head()  # type: ignore[attr-defined]
        if parsed and self.request_version not in ("HTTP/1.0", "HTTP/1.1"):  # HTTP/0.9: no status line
            self.send_error(400)
            return False
        if parsed and self.rfile.malformed_header():  # type: ignore[attr-defined]
            self.close_connection = True
            self._send(*error_reply(BadRequest("The request has a malformed header line.")))
            return False
        return parsed

    def handle_expect_100(self) -> bool:
        # "Expect: 100-continue" asks whether to send the body: not before its length is known to be taken
        # (http.server said "100 Continue" to a 1 GB Content-Length, then do_POST refused it).
        try:
            body_length(self.headers)
        except FramingError:
            return True  # no "100 Continue": do_POST refuses the request as it stands
        return super().handle_expect_100()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals, as AWS-shaped JSON in HTTP/1.1, in our words, the connection closed.
        Its HTML page and status line quoted the client's method; a request line it could not read (a TLS
        handshake sent to the plain port, HTTP/2.0) got that page with no status line at all."""
        self.close_connection = True
        if self.request_version not in ("HTTP/1.0", "HTTP/1.1"):
            self.request_version = "HTTP/1.1"
        if code == 431:  # the head is past MAX_HEAD (http.server caught our reader's LineTooLong)
            self._refuse_head()
        elif code == 501:  # a method other than POST and GET
            self._not_post()
        else:
            self._send(*error_reply(BadRequest("The request is not an HTTP/1.1 request serve can read.")))

    def _not_post(self) -> None:
        self.close_connection = True  # a body it may have sent is not read: nothing more on this connection
        self._send(*error_reply(_error("UnknownOperationException")("Use POST with X-Amz-Target.")))

    def _refuse_head(self) -> None:
        self._send(
            *error_reply(HeadTooLarge(f"The request line and headers are larger than {MAX_HEAD} bytes."))
        )

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass  # do_POST logs authenticated requests itself; the request line is the client's text

    def log_error(self, format: str, *args: Any) -> None:
        # http.server's own errors (bad request line, timeouts) would quote what the client sent.
        log.debug("%s connection error (%s)", self.client_address[0], sanitize(format.split(":")[0]))

    do_GET = do_HEAD = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_post

    def _read_body(self, length: int) -> bytes:
        deadline = time.monotonic() + BODY_DEADLINE
        parts: list[bytes] = []
        left = length
        while left:
            if time.monotonic() > deadline:
                raise TimeoutError("body not sent in time")
            chunk = self.rfile.read1(min(left, 64 * 1024))
            if not chunk:
                raise ConnectionError("the client closed the connection mid-body")
            parts.append(chunk)
            left -= len(chunk)
        return b"".join(parts)

    def do_POST(self) -> None:
        self._logged_operation = "(not authenticated)"  # the handler lives as long as the connection
        # A repeated header is read as its values joined by ',', as the signature covers it (sigv4.joined).
        target = ",".join(self.headers.get_all("X-Amz-Target") or [])
        sts = not target  # no X-Amz-Target: the query protocol, STS GetCallerIdentity
        try:
            if len(self.headers.get_all("Host") or []) > 1:  # RFC 9112 3.2: answered 400, whatever else
                raise FramingError(BadRequest("The request has more than one Host header."))
            length = body_length(self.headers)
        except FramingError as exc:
            self.close_connection = True  # where this body ends is unknown: no next request on it
            self._send(*(sts_error_reply(exc.error) if sts else error_reply(exc.error)))
            return
        try:
            body = self._read_body(length)
        except (TimeoutError, ConnectionError):
            self.close_connection = True
            return
        if not self._reading(False):  # its slot went to another client while the request came in
            self.close_connection = True
            return
        started = time.monotonic()
        try:
            reply = self._answer(target, body, sts)
        except DropConnection:
            log.info("%s dropped (fault injection)", loggable_operation(target))
            self.close_connection = True
            return
        log.info(
            "%s %s %d %.0fms",
            self.client_address[0],
            self._logged_operation,
            reply[0],
            (time.monotonic() - started) * 1000,
        )
        self._send(*reply)  # after the log line, so it exists by the time the client has its answer

    _logged_operation = "(not authenticated)"

    def _answer(self, target: str, body: bytes, sts: bool) -> tuple[int, dict[str, str], bytes]:
        url = f"http://{self.headers.get('Host', 'localhost')}{self.path}"
        try:
            verify_sigv4(
                "POST",
                url,
                self.headers.items(),
                body,
                self.server.creds,
                "sts" if sts else "cloudtrail",
                # STS's global endpoint signs as us-east-1, as does an SDK calling STS without a Region.
                (*self.server.regions, "us-east-1") if sts else self.server.regions,
            )
        except LakeError as exc:
            # The code tells the operator which half of the pair a client has wrong (key or secret, or its
            # clock); it is ours, never the client's text.
            why = exc.code
            if exc.code == "UnrecognizedClientException" and "X-Amz-Security-Token" in self.headers:
                why += ", a session token was sent"  # AWS_SESSION_TOKEN left set in the client's shell
            self._logged_operation = f"(not authenticated: {why})"
            self.close_connection = True  # a client without the key gets one request per connection
            return sts_error_reply(exc) if sts else error_reply(exc)
        self._logged_operation = loggable_operation(target)
        if self._slot is not None:
            self.server.admission.authenticated(self._slot)
        try:
            faults = self.server.faults
            if faults is not None and faults.active:
                operation = operation_of(target) if target else "GetCallerIdentity"
                delay = faults.before_request(operation, self.server.principal_arn)
                if delay:
                    time.sleep(delay)
            if sts:
                return serve_sts(self.server.api.account_id, PRINCIPAL, body)
            return serve_cloudtrail(self.server.api, target, body)
        except DropConnection:
            raise
        except LakeError as exc:
            return sts_error_reply(exc) if sts else error_reply(exc)
        except Exception:
            log.exception("internal error in %s", self._logged_operation)
            return error_reply(InternalFailure("The local lake failed to process the request; see its log."))

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        with self.server._count_lock:
            self.server.requests_served += 1
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if getattr(self, "command", None) != "HEAD":  # unset when the request line was past MAX_HEAD
            self.wfile.write(body)
        self.wfile.flush()  # wfile is buffered: headers and body leave in one write


def make_server(
    api: CloudTrailLakeApi,
    host: str,
    port: int,
    creds: Credentials,
    faults: FaultPlan | None = None,
    max_connections: int = MAX_CONNECTIONS,
    allow_paths: Iterable[str] = (),
) -> LakeHTTPServer:
    return LakeHTTPServer((host, port), api, creds, faults, max_connections, allow_paths)
