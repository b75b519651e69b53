"""boto3 sessions and clients for a profile and region, with botocore's own resolution and retries."""

from __future__ import annotations

from typing import Any

# botocore's standard retry mode: exponential backoff with jitter, retrying throttling and transient
# errors, with a client-side retry quota. Three attempts in all (botocore's `max_attempts` would count
# retries, not attempts) keep a UI responsive.
RETRIES = {"mode": "standard", "total_max_attempts": 3}


def aws_session(profile: str | None = None, region: str | None = None) -> Any:
    import boto3

    from trailtui.aws.parsing import botocore_session

    return boto3.session.Session(
        profile_name=profile, region_name=region, botocore_session=botocore_session()
    )


def aws_client(session: Any, service: str, endpoint_url: str | None = None, read_timeout: float = 30) -> Any:
    from botocore.config import Config

    config = Config(retries=RETRIES, connect_timeout=5, read_timeout=read_timeout)
    kwargs: dict[str, Any] = {"config": config}
    if endpoint_url:
        kwargs["endpoint_url"] = endpoint_url
    return session.client(service, **kwargs)
