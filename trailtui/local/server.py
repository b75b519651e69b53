"""`trailtui serve`: the local lake's CloudTrail API over HTTP, for the AWS CLI and every SDK.

AWS JSON 1.1 on `POST /` with X-Amz-Target, SigV4-signed with the server's credential pair; STS
GetCallerIdentity (query protocol) on the same endpoint, so an AWS profile pointed here shows an identity.
Signatures are checked by recomputing them with botocore's own SigV4 signer over the headers the client
signed. Requests are served by threads (HTTP/1.1 keep-alive, as SDKs pool connections).
"""

from __future__ import annotations

import hmac
import logging
import re
import socket
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from trailtui.local.api import CloudTrailLakeApi
from trailtui.local.errors import LakeError, _error
from trailtui.local.faults import DropConnection, FaultPlan
from trailtui.local.wire import error_reply, operation_of, serve_cloudtrail, serve_sts, sts_error_xml

log = logging.getLogger("trailtui.serve")

MissingAuthenticationToken = _error("MissingAuthenticationTokenException", 403)
UnrecognizedClient = _error("UnrecognizedClientException")
InvalidSignature = _error("InvalidSignatureException")
IncompleteSignature = _error("IncompleteSignatureException")

MAX_BODY = 1024 * 1024  # StartQuery's statement is at most 10,000 characters; nothing legitimate is bigger
MAX_SKEW = 15 * 60  # AWS rejects signatures more than 15 minutes from its clock
PRINCIPAL = "trailtui-serve"
_AUTH_RE = re.compile(
    r"^AWS4-HMAC-SHA256\s+Credential=(?P<akid>[^/\s]+)/(?P<date>\d{8})/(?P<region>[^/]+)/(?P<service>[^/]+)"
    r"/aws4_request,\s*SignedHeaders=(?P<signed>[a-z0-9;_.-]+),\s*Signature=(?P<sig>[0-9a-f]{64})$"
)


class Credentials:
    def __init__(self, access_key_id: str, secret_access_key: str) -> None:
        self.access_key_id = access_key_id
        self.secret_access_key = secret_access_key

    def __repr__(self) -> str:  # never show the secret, even in a traceback
        return f"Credentials({self.access_key_id!r}, <secret>)"


def signing_service(authorization: str) -> str | None:
    """The service named in a SigV4 Authorization header's credential scope."""
    m = _AUTH_RE.match(authorization.strip())
    return m.group("service") if m else None


def verify_sigv4(
    method: str, url: str, headers: dict[str, str], body: bytes, creds: Credentials, now: float | None = None
) -> str:
    """Check a request's SigV4 signature; return the signing service ('cloudtrail', 'sts'), or raise."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials as BotoCredentials

    lower = {k.lower(): v for k, v in headers.items()}
    auth = lower.get("authorization")
    if not auth:
        raise MissingAuthenticationToken("Missing Authentication Token")
    m = _AUTH_RE.match(auth.strip())
    if not m:
        raise IncompleteSignature("Authorization header requires Credential, SignedHeaders and Signature.")
    if m.group("akid") != creds.access_key_id:
        raise UnrecognizedClient("The security token included in the request is invalid.")
    amz_date = lower.get("x-amz-date", "")
    try:
        stamp = datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise IncompleteSignature("X-Amz-Date header is missing or malformed.") from None
    if abs((now or time.time()) - stamp.timestamp()) > MAX_SKEW:
        raise InvalidSignature(
            f"Signature expired: {amz_date} is now earlier or later than 15 minutes from now."
        )
    signed = m.group("signed").split(";")
    if "host" not in signed:
        raise InvalidSignature("The host header must be signed.")
    request = AWSRequest(method=method, url=url, data=body, headers={h: lower.get(h, "") for h in signed})
    request.context["timestamp"] = amz_date
    signer = SigV4Auth(
        BotoCredentials(creds.access_key_id, creds.secret_access_key), m.group("service"), m.group("region")
    )
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    if not hmac.compare_digest(expected, m.group("sig")):
        raise InvalidSignature(
            "The request signature we calculated does not match the signature you provided. Check your AWS "
            "Secret Access Key and signing method. Consult the service documentation for details."
        )
    return m.group("service")


class LakeHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        api: CloudTrailLakeApi,
        creds: Credentials,
        faults: FaultPlan | None = None,
    ) -> None:
        super().__init__(address, _Handler)
        self.api = api
        self.creds = creds
        self.faults = faults
        api.faults = faults if faults and faults.active else None
        self.requests_served = 0
        self._count_lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = str(host)
        return f"http://{'[' + host + ']' if ':' in host else host}:{port}"

    @property
    def principal_arn(self) -> str:
        return f"arn:aws:iam::{self.api.account_id}:user/{PRINCIPAL}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = 64 * 1024  # buffer responses so headers and body go out together (see setup)
    server: LakeHTTPServer
    server_version = "trailtui"
    sys_version = ""

    def setup(self) -> None:
        super().setup()
        # Headers and body are small writes: without TCP_NODELAY, Nagle's algorithm and the client's delayed
        # ACK add 40 ms to every call (measured: 44 ms per DescribeQuery, 1 ms with it).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._send(*error_reply(_error("UnknownOperationException")("Use POST with X-Amz-Target.")))

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._send(*error_reply(_error("SerializationException")("The request body is too large.")))
            self.close_connection = True
            return
        body = self.rfile.read(length) if length else b""
        target = self.headers.get("X-Amz-Target", "")
        operation = operation_of(target) if target else "GetCallerIdentity"
        url = f"http://{self.headers.get('Host', 'localhost')}{self.path}"
        started = time.monotonic()
        try:
            service = verify_sigv4("POST", url, dict(self.headers.items()), body, self.server.creds)
            faults = self.server.faults
            if faults is not None and faults.active:
                delay = faults.before_request(operation, self.server.principal_arn)
                if delay:
                    time.sleep(delay)
            if service == "sts":
                reply = serve_sts(self.server.api.account_id, PRINCIPAL, body)
            else:
                reply = serve_cloudtrail(self.server.api, target, body)
        except DropConnection:
            log.info("%s dropped (fault injection)", operation)
            self.close_connection = True
            return
        except LakeError as exc:
            if signing_service(self.headers.get("Authorization", "")) == "sts" or not target:
                reply = (exc.status, {"Content-Type": "text/xml"}, sts_error_xml(exc.code, exc.message))
            else:
                reply = error_reply(exc)
        status = reply[0]
        log.info(
            "%s %s %d %.0fms", self.address_string(), operation, status, (time.monotonic() - started) * 1000
        )
        self._send(*reply)

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        with self.server._count_lock:
            self.server.requests_served += 1
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()  # wfile is buffered: headers and body leave in one write


def make_server(
    api: CloudTrailLakeApi, host: str, port: int, creds: Credentials, faults: FaultPlan | None = None
) -> LakeHTTPServer:
    return LakeHTTPServer((host, port), api, creds, faults)
