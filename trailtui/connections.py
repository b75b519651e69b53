"""A connection: the CloudTrail (and STS) clients trailtui uses, for the local lake or an AWS profile.

Both kinds are boto3 clients; only how they were made differs. The TUI and the CLI hold a Connection and
never ask which kind it is to run a query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LOCAL = "local"


@dataclass
class Connection:
    name: str  # "local", or the AWS profile name ("default" for the default chain)
    region: str
    cloudtrail: Any
    sts: Any
    profile: str | None = None
    endpoint_url: str | None = None
    local: Any = None  # the LocalLake, for a local connection
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_local(self) -> bool:
        return self.local is not None


def open_local(local_lake: Any | None = None) -> Connection:
    from trailtui.local.service import LocalLake

    lake = local_lake or LocalLake()
    return Connection(LOCAL, lake.api.region, lake.client("cloudtrail"), lake.client("sts"), local=lake)


def open_aws(
    profile: str | None = None,
    region: str | None = None,
    endpoint_url: str | None = None,
    session: Any = None,
) -> Connection:
    """Clients for an AWS profile and Region (`session`, if given, is the boto3 session already made for them)."""
    from trailtui.aws.session import aws_client, aws_session

    session = session or aws_session(profile, region)
    ct = aws_client(session, "cloudtrail", endpoint_url)
    sts = aws_client(session, "sts", endpoint_url if endpoint_url else None)
    return Connection(
        profile or session.profile_name or "default",
        ct.meta.region_name,
        ct,
        sts,
        profile=profile,
        endpoint_url=endpoint_url,
        extra={"session": session},
    )
