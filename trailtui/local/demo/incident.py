"""The incident to find: a CI user's key used from an unusual address, data taken, a backdoor user made.

The CI user `deploy-bot` of the prod account has its access key used from an unusual address; the caller lists
and downloads S3 objects, creates an IAM user with AdministratorAccess and a key for it, and stops CloudTrail
logging. The new user then looks around.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from trailtui.local.demo.actions import BUCKETS
from trailtui.local.demo.org import (
    BACKDOOR_USER,
    INCIDENT_BUCKET,
    INCIDENT_IP,
    INCIDENT_TRAIL,
    INCIDENT_USER,
    PROD,
    REGIONS,
    Principal,
    stable_id,
)

if TYPE_CHECKING:
    from trailtui.local.demo.generator import DemoGenerator


def incident_events(gen: DemoGenerator) -> list[dict[str, Any]]:
    """The story to discover, four days before the anchor, starting 02:13 UTC."""
    bot = next(p for p in gen.principals if p.name == INCIDENT_USER)
    backdoor = Principal(
        "IAMUser",
        PROD,
        BACKDOOR_USER,
        (INCIDENT_IP,),
        ("incident",),
        human=False,
        key="AKIAWQK3EXAMPLEBKD01",
    )
    t = gen.end - timedelta(days=4) + timedelta(hours=2, minutes=13, seconds=7)
    out: list[dict[str, Any]] = []
    step = 0

    def act(
        p: Principal,
        source: str,
        name: str,
        read_only: bool,
        kind: str,
        category: str = "Management",
        req: dict[str, Any] | None = None,
        resp: dict[str, Any] | None = None,
        error: tuple[str, str] | None = None,
        gap: int = 9,
        region: str = "us-east-1",
    ) -> None:
        nonlocal step
        step += gap
        ev = gen.event(
            p,
            t + timedelta(seconds=step),
            (source, name, read_only, category, 0, kind),
            region,
            ip=INCIDENT_IP,
            agent="incident",
            error=error,
        )
        if req is not None:
            ev["requestParameters"] = req
        if resp is not None and not error:
            ev["responseElements"] = resp
        out.append(ev)

    act(bot, "sts.amazonaws.com", "GetCallerIdentity", True, "none")
    act(
        bot,
        "iam.amazonaws.com",
        "ListAttachedUserPolicies",
        True,
        "none",
        req={"userName": INCIDENT_USER},
    )
    act(
        bot,
        "organizations.amazonaws.com",
        "ListAccounts",
        True,
        "none",
        error=(
            "AccessDeniedException",
            f"User: arn:aws:iam::{PROD}:user/{INCIDENT_USER} is not authorized "
            "to perform: organizations:ListAccounts",
        ),
    )
    act(bot, "s3.amazonaws.com", "ListBuckets", True, "none")
    for bucket in BUCKETS[PROD]:
        act(bot, "s3.amazonaws.com", "GetBucketAcl", True, "bucket", req={"bucketName": bucket, "acl": ""})
    act(
        bot,
        "s3.amazonaws.com",
        "ListObjects",
        True,
        "bucket",
        "Data",
        req={"bucketName": INCIDENT_BUCKET, "prefix": "exports/", "max-keys": 1000},
    )
    for i in range(48):
        key = f"exports/customers-2026-{(i % 12) + 1:02d}-{i:03d}.csv"
        act(
            bot,
            "s3.amazonaws.com",
            "GetObject",
            True,
            "object",
            "Data",
            req={
                "bucketName": INCIDENT_BUCKET,
                "key": key,
                "Host": f"{INCIDENT_BUCKET}.s3.amazonaws.com",
            },
            gap=2,
        )
    act(bot, "iam.amazonaws.com", "ListUsers", True, "none", gap=40)
    act(
        bot,
        "iam.amazonaws.com",
        "CreateUser",
        False,
        "none",
        req={"userName": BACKDOOR_USER},
        resp={
            "user": {
                "userName": BACKDOOR_USER,
                "path": "/",
                "arn": f"arn:aws:iam::{PROD}:user/{BACKDOOR_USER}",
                "userId": stable_id("AIDA", PROD + BACKDOOR_USER),
                "createDate": "<redacted>",
            }
        },
    )
    act(
        bot,
        "iam.amazonaws.com",
        "AttachUserPolicy",
        False,
        "none",
        req={"userName": BACKDOOR_USER, "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"},
    )
    act(
        bot,
        "iam.amazonaws.com",
        "CreateAccessKey",
        False,
        "none",
        req={"userName": BACKDOOR_USER},
        resp={
            "accessKey": {
                "userName": BACKDOOR_USER,
                "accessKeyId": backdoor.key,
                "status": "Active",
                "createDate": "<redacted>",
            }
        },
    )
    act(
        bot,
        "iam.amazonaws.com",
        "CreateLoginProfile",
        False,
        "none",
        req={"userName": BACKDOOR_USER, "passwordResetRequired": False},
    )
    act(bot, "cloudtrail.amazonaws.com", "DescribeTrails", True, "none", gap=30)
    trail_arn = f"arn:aws:cloudtrail:us-east-1:{PROD}:trail/{INCIDENT_TRAIL}"
    act(bot, "cloudtrail.amazonaws.com", "StopLogging", False, "none", req={"name": trail_arn})
    act(
        bot,
        "cloudtrail.amazonaws.com",
        "DeleteTrail",
        False,
        "none",
        req={"name": trail_arn},
        error=(
            "AccessDenied",
            f"User: arn:aws:iam::{PROD}:user/{INCIDENT_USER} is not authorized to perform: "
            "cloudtrail:DeleteTrail",
        ),
    )
    for region in REGIONS:
        act(backdoor, "ec2.amazonaws.com", "DescribeInstances", True, "none", gap=60, region=region)
        act(backdoor, "ec2.amazonaws.com", "DescribeSecurityGroups", True, "none", gap=5, region=region)
    act(backdoor, "secretsmanager.amazonaws.com", "ListSecrets", True, "none", gap=20)
    return out
