"""The AWS wire formats the local lake speaks: JSON 1.1 for CloudTrail, the query protocol for STS.

Both transports (boto3 in process, HTTP for `serve`) turn a request into (status, headers, body) here, so
what an SDK sees is the same either way.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from typing import Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from trailtui.local.api import CloudTrailLakeApi
from trailtui.local.errors import InternalFailure, LakeError, UnknownOperation, _error
from trailtui.local.querystore import EncodedRows

log = logging.getLogger("trailtui.local")

JSON_CONTENT_TYPE = "application/x-amz-json-1.1"
TARGET_PREFIX = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101."  # the model's targetPrefix
Reply = tuple[int, dict[str, str], bytes]
Serialization = _error("SerializationException")
# StartQuery translates its statement in the request's thread: up to ~0.7 s of CPU for 10,000 characters.
# With the GIL, 64 at once would share the interpreter with every other client's calls 65 ways; two at a time
# (as queries execute two at a time), the rest wait their turn, and other calls keep their share.
STATEMENTS_AT_ONCE = 2
_statements = threading.BoundedSemaphore(STATEMENTS_AT_ONCE)
# How STS words the errors of authentication (its query protocol has no "Exception" suffix).
STS_CODES = {
    "MissingAuthenticationTokenException": "MissingAuthenticationToken",
    "UnrecognizedClientException": "InvalidClientTokenId",
    "InvalidSignatureException": "SignatureDoesNotMatch",
    "IncompleteSignatureException": "IncompleteSignature",
    "SerializationException": "MalformedInput",
    "ServiceUnavailableException": "ServiceUnavailable",
    "ThrottlingException": "Throttling",
    "ExpiredTokenException": "ExpiredToken",
    "AccessDeniedException": "AccessDenied",
}


def _json_reply(status: int, body: dict[str, Any]) -> Reply:
    encoded = {k: v for k, v in body.items() if isinstance(v, EncodedRows)}
    if encoded:  # result rows stored as JSON already: spliced in, not decoded and encoded again
        rest = json.dumps({k: v for k, v in body.items() if k not in encoded}, separators=(",", ":"))
        members = [rest[1:-1]] if rest != "{}" else []
        members += [f"{json.dumps(k)}:[{','.join(v)}]" for k, v in encoded.items()]
        data = ("{" + ",".join(members) + "}").encode()
    else:
        data = json.dumps(body, separators=(",", ":")).encode()
    return status, {"Content-Type": JSON_CONTENT_TYPE, "x-amzn-RequestId": str(uuid.uuid4())}, data


def error_reply(exc: LakeError) -> Reply:
    status, headers, body = _json_reply(exc.status, exc.to_wire())
    headers["x-amzn-ErrorType"] = exc.code
    return status, headers, body


def operation_of(target: str) -> str:
    """`com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.StartQuery` -> `StartQuery`."""
    return target.rsplit(".", 1)[-1]


def serve_cloudtrail(api: CloudTrailLakeApi, target: str, body: bytes) -> Reply:
    try:
        params = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return error_reply(Serialization("The request body is not valid JSON."))
    except RecursionError:  # nesting deeper than the parser's stack: malformed for any AWS operation
        return error_reply(Serialization("The request body is nested too deeply."))
    if not isinstance(params, dict):
        return error_reply(Serialization("The request body must be a JSON object."))
    operation = operation_of(target)
    if not target.startswith(TARGET_PREFIX) or not operation.isalpha() or "," in target:
        # Another service's prefix, or two X-Amz-Target headers (joined by ','): not one CloudTrail operation.
        return error_reply(UnknownOperation("The X-Amz-Target header does not name a CloudTrail operation."))
    try:
        if operation == "GetQueryResults":
            # Reading, rendering and serialising a page is the costly part: a few at a time, the rest wait.
            with api.engine.result_reads:
                return _json_reply(200, api.handle(operation, params))
        if operation == "StartQuery":
            with _statements:
                return _json_reply(200, api.handle(operation, params))
        return _json_reply(200, api.handle(operation, params))
    except LakeError as exc:
        return error_reply(exc)
    except MemoryError:
        return error_reply(InternalFailure("The local lake ran out of memory for this request; try again."))
    except Exception:
        log.exception("internal error in %s", operation)
        return error_reply(InternalFailure("The local lake failed to process the request; see its log."))


def caller_identity_xml(account_id: str, arn: str, user_id: str) -> bytes:
    return (
        '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
        "<GetCallerIdentityResult>"
        f"<Arn>{escape(arn)}</Arn><UserId>{escape(user_id)}</UserId><Account>{escape(account_id)}</Account>"
        "</GetCallerIdentityResult>"
        f"<ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata>"
        "</GetCallerIdentityResponse>"
    ).encode()


def sts_error_xml(code: str, message: str) -> bytes:
    return (
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
        f"<Error><Type>Sender</Type><Code>{escape(code)}</Code><Message>{escape(message)}</Message></Error>"
        f"<RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>"
    ).encode()


def sts_error_reply(exc: LakeError) -> Reply:
    """An error as STS's query protocol answers it (XML, STS's own codes)."""
    code = STS_CODES.get(exc.code, exc.code)
    headers = {"Content-Type": "text/xml", "x-amzn-RequestId": str(uuid.uuid4())}
    return exc.status, headers, sts_error_xml(code, exc.message)


def serve_sts(account_id: str, principal: str, body: bytes) -> Reply:
    form = parse_qs(body.decode("utf-8", "replace"))
    action = (form.get("Action") or [""])[0]
    headers = {"Content-Type": "text/xml", "x-amzn-RequestId": str(uuid.uuid4())}
    if action != "GetCallerIdentity":
        return (
            400,
            headers,
            sts_error_xml("InvalidAction", f"{action or 'The action'} is not supported here."),
        )
    arn = f"arn:aws:iam::{account_id}:user/{principal}"
    return (
        200,
        headers,
        caller_identity_xml(account_id, arn, f"AIDA{uuid.uuid5(uuid.NAMESPACE_URL, arn).hex[:17].upper()}"),
    )
