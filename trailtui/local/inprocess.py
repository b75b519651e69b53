"""boto3 clients served by the local lake inside this process: no socket, the same botocore code path.

botocore still validates every parameter, serialises the JSON 1.1 request, signs it, applies its retry
mode, and parses the response into Python objects and `ClientError`s; only the network send is replaced,
by botocore's documented `before-send` event, whose handler may return the response itself.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from functools import partial
from typing import Any

from trailtui.local.api import CloudTrailLakeApi
from trailtui.local.wire import serve_cloudtrail, serve_sts

LOCAL_ENDPOINT = "https://local.trailtui.invalid"  # never resolved: requests stop at before-send
LOCAL_PRINCIPAL = "trailtui-local"


class _Body(io.BytesIO):
    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.getvalue()


def _response(request: Any, status: int, headers: dict[str, str], body: bytes) -> Any:
    from botocore.awsrequest import AWSResponse

    return AWSResponse(request.url, status, headers, _Body(body))


def _body(request: Any) -> bytes:
    body = request.body
    if body is None:
        return b""
    if hasattr(body, "read"):
        data = body.read()
        return data if isinstance(data, bytes) else data.encode()
    return body if isinstance(body, bytes) else body.encode()


def _send_cloudtrail(api: CloudTrailLakeApi, request: Any, **_: Any) -> Any:
    target = request.headers.get("X-Amz-Target", b"")
    target = target.decode() if isinstance(target, bytes) else target
    return _response(request, *serve_cloudtrail(api, target, _body(request)))


def _send_sts(api: CloudTrailLakeApi, request: Any, **_: Any) -> Any:
    return _response(request, *serve_sts(api.account_id, LOCAL_PRINCIPAL, _body(request)))


def local_session(api: CloudTrailLakeApi) -> Any:
    """A boto3 session whose CloudTrail and STS clients talk to this local lake."""
    import boto3

    from trailtui.aws.parsing import botocore_session

    session = boto3.session.Session(
        aws_access_key_id="LOCALLAKEACCESSKEY",
        aws_secret_access_key="local-lake",
        region_name=api.region,
        botocore_session=botocore_session(),
    )
    session.events.register("before-send.cloudtrail", partial(_send_cloudtrail, api))
    session.events.register("before-send.sts", partial(_send_sts, api))
    return session


def local_client(api: CloudTrailLakeApi, service: str = "cloudtrail") -> Any:
    from botocore.config import Config

    session = local_session(api)
    return session.client(
        service,
        endpoint_url=LOCAL_ENDPOINT,
        config=Config(retries={"mode": "standard", "total_max_attempts": 3}),
    )
