"""Checking a request's SigV4 signature as AWS does, for `trailtui serve`.

The signature is recomputed with botocore's own signer; what AWS checks around it is done here:
- the body is always hashed by us; a client's x-amz-content-sha256 must equal that hash (so a body swapped
  after signing fails), and UNSIGNED-PAYLOAD is refused (it is for S3 streaming, not a JSON API);
- the credential scope must name this endpoint's service (cloudtrail, or sts for GetCallerIdentity), a
  Region it answers for, and the day of x-amz-date;
- serve's credential is one long-term key pair (AKIA..., like an IAM user's): a request carrying a session
  token (x-amz-security-token) is refused as AWS refuses a token that does not belong to the key,
  UnrecognizedClientException "The security token included in the request is invalid." (STS:
  InvalidClientTokenId), rather than accepted with the token ignored;
- host and x-amz-date (or Date, which AWS reads without it) must be signed, and so must X-Amz-Target, Content-Type and x-amz-content-sha256
  when sent; any other header the client chose to sign (user-agent,
  x-amzn-trace-id, ...) is part of the signature too. botocore's signer leaves some headers out on its
  own (user-agent among them), so the header list is taken from the client's SignedHeaders instead.

The signature may come in the query string instead (a presigned request: X-Amz-Algorithm, X-Amz-Credential,
X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders, X-Amz-Signature), which the CloudTrail API Reference lists
among the parameters common to every action. AWS's services other than S3 take such a request for about 15
minutes after its X-Amz-Date whatever its X-Amz-Expires (the AWS SDK for Go says so of its presigner,
aws/aws-sdk-go#2167 and #2224); serve takes it for those 15 minutes, or for X-Amz-Expires seconds if fewer
(never longer than AWS would, and never longer than its signer asked).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit, urlunsplit

from trailtui.local.errors import _error

MissingAuthenticationToken = _error("MissingAuthenticationTokenException", 403)
UnrecognizedClient = _error("UnrecognizedClientException", 403)
InvalidSignature = _error("InvalidSignatureException", 403)
IncompleteSignature = _error("IncompleteSignatureException")
# A signature outside the clock window is InvalidSignatureException too, but with status 400, not 403 (as
# seen in AWS SDK logs of DynamoDB, Kinesis and ECR answers: "statusCode": 400).
SignatureExpired = _error("InvalidSignatureException")

MAX_SKEW = 15 * 60  # AWS rejects signatures more than 15 minutes from its clock
# Headers that must be covered by the signature whenever the request carries them.
MUST_SIGN_IF_SENT = ("x-amz-target", "content-type", "x-amz-content-sha256")
_INVALID_TOKEN = "The security token included in the request is invalid."
_CREDENTIAL_RE = re.compile(
    r"^(?P<akid>[^/\s]+)/(?P<date>[^/\s]+)/(?P<region>[^/\s]+)/(?P<service>[^/\s]+)/(?P<end>[^/\s]+)$"
)
_SIGNED_RE = re.compile(r"^[a-z0-9_.-]+(;[a-z0-9_.-]+)*$")
_SIGNATURE_RE = re.compile(r"^[0-9a-f]{64}$")
# The query-string parameters of a presigned request, and AWS's words when some are missing.
QUERY_AUTH = ("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date")
_QUERY_INCOMPLETE = (
    "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', "
    "'X-Amz-SignedHeaders', 'X-Amz-Date'. Re-examine the query-string parameters."
)
MAX_PRESIGNED_EXPIRES = 7 * 24 * 3600  # SigV4's longest X-Amz-Expires (S3's bound; a signing key's life)
_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. Check your AWS "
    "Secret Access Key and signing method. Consult the service documentation for details."
)


class Credentials:
    def __init__(self, access_key_id: str, secret_access_key: str) -> None:
        self.access_key_id = access_key_id
        self.secret_access_key = secret_access_key

    def __repr__(self) -> str:  # never show the secret, even in a traceback
        return f"Credentials({self.access_key_id!r}, <secret>)"


def _check_clock(amz_date: str, signed_at: float, now: float, expires: int = MAX_SKEW) -> None:
    """AWS's words for a request signed too long ago or too far ahead (a client's clock is off): the
    request's time, the bound it crossed, and the server's time, e.g. "Signature expired: 20140325T143453Z
    is now earlier than 20140325T143751Z (20140325T145251Z - 15 min.)" (quoted in aws/aws-sdk-js#254)."""

    def stamp(t: float) -> str:
        return datetime.fromtimestamp(t, UTC).strftime("%Y%m%dT%H%M%SZ")

    if signed_at < now - expires:
        span = "15 min." if expires == MAX_SKEW else f"{expires} sec."
        raise SignatureExpired(
            f"Signature expired: {amz_date} is now earlier than {stamp(now - expires)} ({stamp(now)} - {span})"
        )
    if signed_at > now + MAX_SKEW:
        raise SignatureExpired(
            f"Signature not yet current: {amz_date} is still later than {stamp(now + MAX_SKEW)} "
            f"({stamp(now)} + 15 min.)"
        )


def _basic_format(http_date: str) -> str:
    """A Date header's time in ISO 8601 basic format (itself if it is in that format, or not a date)."""
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(http_date)
    except (TypeError, ValueError, IndexError):
        return http_date  # refused below in AWS's words for a malformed date
    if when.tzinfo is None:  # "-0000", as botocore writes it (RFC 2822: UTC, source unknown)
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def joined(pairs: Iterable[tuple[str, str]], name: str) -> str | None:
    """A header's value as HTTP reads a repeated header (RFC 9110 5.3) and the SigV4 signer signs it: every
    value, in order, joined by ','. None if absent. Taking the first (or last) of several would act on a
    value other than the one signed, or let a second Authorization or X-Amz-Date header go unseen."""
    values = [v.strip() for k, v in pairs if k == name]
    return ",".join(values) if values else None


def parse_authorization(value: str) -> dict[str, str]:
    """Credential, SignedHeaders and Signature from an Authorization header, read as AWS reads it.

    AWS splits what follows the algorithm at commas and white space, and every part must be key=value. Two
    Authorization headers are one value joined by ',' (RFC 9110 5.3), which fails there: a request that
    carried two was answered IncompleteSignatureException "'AWS4-HMAC-SHA256' not a valid key=value pair
    (missing equal-sign) in Authorization header: '...'" (quoted from AWS Lambda's answer in
    envoyproxy/envoy#23702). A part named twice is refused too: which one was meant is ambiguous."""
    algorithm, _, rest = re.sub(r"\s", " ", value.strip()).partition(" ")  # a tab separates as a space does
    if algorithm != "AWS4-HMAC-SHA256":
        raise IncompleteSignature(f"Unsupported AWS 'algorithm': '{algorithm}'.")
    parts: dict[str, str] = {}
    for part in re.split(r"[,\s]+", rest.strip()):
        if not part:
            continue
        key, eq, val = part.partition("=")
        if not eq:
            raise IncompleteSignature(
                f"'{part}' not a valid key=value pair (missing equal-sign) in Authorization header: '{value}'."
            )
        if key in parts:
            raise IncompleteSignature(f"'{key}' is named more than once in Authorization header: '{value}'.")
        parts[key] = val
    missing = [k for k in ("Credential", "Signature", "SignedHeaders") if k not in parts]
    if missing:
        raise IncompleteSignature(
            " ".join(f"Authorization header requires '{k}' parameter." for k in missing)
            + f" Authorization={value}"
        )
    return parts


def query_auth(url: str) -> tuple[dict[str, str], int, str] | None:
    """A presigned request's Authorization parts, its X-Amz-Date and X-Amz-Expires (MAX_SKEW if not sent),
    and the URL it was signed as (without X-Amz-Signature); None if no signature parameter is in the URL."""
    try:
        parts = urlsplit(url)
    except ValueError:  # a Host no URL parser reads (`Host: [`): refused by the signature check
        return None
    pairs = [p.partition("=") for p in parts.query.split("&") if p]
    given: dict[str, str] = {}
    for key, _, value in pairs:
        name = unquote(key)
        if name.startswith("X-Amz-"):
            if name in given:  # which one was signed is ambiguous
                raise IncompleteSignature(f"The query-string parameter '{name}' is given more than once.")
            given[name] = unquote(value)
    if not any(name in given for name in QUERY_AUTH):
        return None
    if any(name not in given for name in QUERY_AUTH):
        raise IncompleteSignature(_QUERY_INCOMPLETE)
    if given["X-Amz-Algorithm"] != "AWS4-HMAC-SHA256":
        raise IncompleteSignature(f"Unsupported AWS 'algorithm': '{given['X-Amz-Algorithm']}'.")
    expires = MAX_SKEW
    if "X-Amz-Expires" in given:
        text = given["X-Amz-Expires"]
        if not (
            text.isascii() and text.isdigit() and len(text) <= 7 and 0 < int(text) <= MAX_PRESIGNED_EXPIRES
        ):
            raise IncompleteSignature(
                f"X-Amz-Expires must be a number of seconds from 1 to {MAX_PRESIGNED_EXPIRES}, not '{text}'."
            )
        expires = min(int(text), MAX_SKEW)
    signed_query = "&".join(k + "=" + v for k, _, v in pairs if unquote(k) != "X-Amz-Signature")
    auth = {
        "Credential": given["X-Amz-Credential"],
        "SignedHeaders": given["X-Amz-SignedHeaders"],
        "Signature": given["X-Amz-Signature"],
        "X-Amz-Date": given["X-Amz-Date"],
        "X-Amz-Security-Token": "sent" if "X-Amz-Security-Token" in given else "",
    }
    return auth, expires, urlunsplit(parts._replace(query=signed_query))


def verify_sigv4(
    method: str,
    url: str,
    headers: Iterable[tuple[str, str]],
    body: bytes,
    creds: Credentials,
    service: str,
    regions: Iterable[str],
    now: float | None = None,
) -> None:
    """Check a request's SigV4 signature for `service` in one of `regions`; raise a LakeError if wrong.

    `headers` are the request's (name, value) pairs as received, repeated names included.
    """
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest, HTTPHeaders
    from botocore.credentials import Credentials as BotoCredentials

    pairs = [(k.lower(), v) for k, v in headers]
    present = {k for k, _ in pairs}
    auth = joined(pairs, "authorization")
    presigned = query_auth(url)
    if presigned is not None:
        if auth is not None:  # AWS's words (S3's): one way of authenticating a request, not two
            raise IncompleteSignature(
                "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query "
                "string parameter or the Authorization header should be specified"
            )
        parts, expires, url = presigned
    elif not auth:
        raise MissingAuthenticationToken("Missing Authentication Token")
    else:
        parts, expires = parse_authorization(auth), MAX_SKEW
    m = _CREDENTIAL_RE.match(parts["Credential"])
    if not m:
        raise IncompleteSignature(
            f"Credential should be scoped to a valid scope, not '{parts['Credential']}'."
        )
    if m.group("akid") != creds.access_key_id:
        raise UnrecognizedClient(_INVALID_TOKEN)
    if "x-amz-security-token" in present or parts.get("X-Amz-Security-Token"):  # serve issues none
        raise UnrecognizedClient(_INVALID_TOKEN)
    if not _SIGNED_RE.match(parts["SignedHeaders"]) or not _SIGNATURE_RE.match(parts["Signature"]):
        raise IncompleteSignature("Authorization header's SignedHeaders or Signature is malformed.")
    amz_date = parts["X-Amz-Date"] if presigned else joined(pairs, "x-amz-date")
    # Without X-Amz-Date, AWS takes the Date header (IAM user guide, "Elements of an AWS API request
    # signature"); botocore's signer sends one (RFC 1123) instead of X-Amz-Date when the request has a Date.
    dated = "x-amz-date"
    if amz_date is None and not presigned and (http_date := joined(pairs, "date")) is not None:
        amz_date, dated = _basic_format(http_date), "date"
    if amz_date is None:
        raise IncompleteSignature(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
            f"Authorization={auth}"
        )
    try:
        stamp = datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    # AWS's words for a malformed date (a JSON-protocol service's answer, quoted in umegaya/lua-aws#18). Two
    # X-Amz-Date headers are one value joined by ',' (as two Authorization headers are): not a date either.
    except ValueError:
        raise IncompleteSignature(
            f"Date must be in ISO-8601 'basic format'. Got '{amz_date}'. See http://en.wikipedia.org/wiki/ISO_8601"
        ) from None
    _check_clock(amz_date, stamp.timestamp(), time.time() if now is None else now, expires)
    # AWS's words for each part of the scope, all at once ("Troubleshoot signed requests for AWS APIs", IAM
    # user guide; the date's with the values compared, as AWS answers it).
    wrong = []
    if m.group("region") not in set(regions):
        wrong.append(f"Credential should be scoped to a valid region, not '{m.group('region')}'.")
    if m.group("service") != service:
        wrong.append(f"Credential should be scoped to correct service: '{service}'.")
    if m.group("end") != "aws4_request":
        wrong.append(
            f"Credential should be scoped with a valid terminator: 'aws4_request', not '{m.group('end')}'."
        )
    if m.group("date") != amz_date[:8]:
        wrong.append(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
            f"'{m.group('date')}' != '{amz_date[:8]}', from '{amz_date}'."
        )
    if wrong:
        raise InvalidSignature(" ".join(wrong))
    signed = parts["SignedHeaders"].split(";")
    # A presigned request's date is in its query string, which is signed whole.
    for name in (
        "host",
        *(() if presigned else (dated,)),
        *(h for h in MUST_SIGN_IF_SENT if h in present),
    ):
        if name not in signed:
            # AWS's words for host (its JSON services', quoted in reimplementations such as
            # scratchstack-aws-signature); the others are ours in the same shape.
            shown = "'Host' or ':authority'" if name == "host" else f"'{name}'"
            raise InvalidSignature(f"{shown} must be a 'SignedHeader' in the AWS Authorization.")
    for name in signed:
        if name not in present:  # AWS's words (quoted in awslabs/aws-mobile-appsync-sdk-js#702)
            raise IncompleteSignature(
                f"'{name}' is named as a SignedHeader, but it does not exist in the HTTP request."
            )
    body_hash = hashlib.sha256(body).hexdigest()
    claimed = joined(pairs, "x-amz-content-sha256")
    if claimed is not None and claimed.strip() != body_hash:
        if claimed.strip() == "UNSIGNED-PAYLOAD":
            raise InvalidSignature("UNSIGNED-PAYLOAD is not accepted here: sign the request body.")
        raise InvalidSignature("The provided 'x-amz-content-sha256' header does not match what was computed.")

    class _AsSigned(SigV4Auth):
        def headers_to_sign(self, request: AWSRequest) -> HTTPHeaders:
            chosen = HTTPHeaders()
            for name in signed:
                for value in request.headers.get_all(name) or [""]:
                    chosen[name] = value  # HTTPHeaders keeps repeats; the signer joins them with ','
            return chosen

    request = AWSRequest(method=method, url=url, data=body)
    for k, v in pairs:
        if k in signed:
            request.headers[k] = v
    if claimed is None:  # the canonical request's payload line is always our own hash of the body
        request.headers["X-Amz-Content-SHA256"] = body_hash
    request.context["timestamp"] = amz_date
    signer = _AsSigned(
        BotoCredentials(creds.access_key_id, creds.secret_access_key), m.group("service"), m.group("region")
    )
    try:
        canonical = signer.canonical_request(request)
        expected = signer.signature(signer.string_to_sign(request, canonical), request)
    except ValueError:  # a Host or path no URL parser reads (`Host: [`): nothing anyone could have signed
        raise InvalidSignature(_MISMATCH) from None
    if not hmac.compare_digest(expected, parts["Signature"]):
        raise InvalidSignature(_MISMATCH)
