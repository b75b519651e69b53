"""A generated demo organization: three accounts, three regions, thirty days of CloudTrail, one incident.

The demo is written as real gzipped trail log files in the organization-trail S3 layout and imported like
any other logs, so it exercises the same path as a user's own data. Everything is drawn from a seeded
random generator and anchored to a day, so the same anchor always gives the same events.

The incident (for people to find, and for tests to find): the CI user `deploy-bot` of the prod account has
its access key used from an unusual address; the caller lists and downloads S3 objects, creates an IAM user
with AdministratorAccess and a key for it, and stops CloudTrail logging. The new user then looks around.
"""

from __future__ import annotations

import bisect
import functools
import gzip
import itertools
import json
import random
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from trailtui.local.catalog import StoreNotFoundError, create_store, find_store
from trailtui.local.importer import ImportReport, ProgressFn, import_paths
from trailtui.local.lakefile import LakeFile

DEMO_STORE_NAME = "org-events"
# Fixed, so documentation and saved queries can name the demo store.
DEMO_STORE_ID = "0d3a6f2e-7b1c-4e5a-9c8d-2f4b6a8c0e1d"
MANAGEMENT = "111122223333"
PROD = "444455556666"
DEV = "777788889999"
ACCOUNTS = (MANAGEMENT, PROD, DEV)
ORG_ID = "o-a1b2c3d4e5"
REGIONS = ("us-east-1", "eu-west-1", "ap-northeast-1")
REGION_WEIGHTS = (0.55, 0.27, 0.18)
DAYS = 30
DEFAULT_EVENTS = 105_000
SEED = 20260531

INCIDENT_IP = "185.220.101.47"
INCIDENT_USER = "deploy-bot"
INCIDENT_KEY = "AKIAWQK3EXAMPLEBOT01"
BACKDOOR_USER = "backup-svc"
INCIDENT_BUCKET = "prod-customer-exports"
INCIDENT_TRAIL = "prod-audit-trail"

OFFICE_IPS = tuple(f"203.0.113.{n}" for n in range(10, 40))
VPN_IPS = tuple(f"198.51.100.{n}" for n in range(20, 30))
CI_IP = "52.94.133.131"

AGENTS = {
    "cli": "aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.9 "
    "md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe prompt/off",
    "console": "console.amazonaws.com",
    "boto3": "Boto3/1.34.140 md/Botocore#1.34.140 ua/2.0 os/linux#5.10.219 md/arch#x86_64 "
    "lang/python#3.12.4 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.140",
    "go": "aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/s3#1.58.2",
    "terraform": "APN/1.0 HashiCorp/1.0 Terraform/1.9.2 (+https://www.terraform.io) "
    "terraform-provider-aws/5.59.0 aws-sdk-go-v2/1.30.3",
    "internal": "AWS Internal",
    "incident": "aws-cli/1.16.312 Python/2.7.18 Linux/4.14.281 botocore/1.13.48",
}


@dataclass(frozen=True)
class Principal:
    kind: str  # IAMUser, AssumedRole, Root, AWSService
    account: str
    name: str
    ip: tuple[str, ...]
    agents: tuple[str, ...]
    mfa: bool = False
    key: str = ""
    human: bool = True
    role: str = ""

    def identity(self, rng: random.Random, when: datetime, console: bool = False) -> dict[str, Any]:
        acct = self.account
        if self.kind == "AWSService":
            return {"type": "AWSService", "invokedBy": self.name}
        if self.kind == "Root":
            ident: dict[str, Any] = {
                "type": "Root",
                "principalId": acct,
                "arn": f"arn:aws:iam::{acct}:root",
                "accountId": acct,
                "accessKeyId": _key(rng, "ASIA"),
            }
        elif self.kind == "IAMUser":
            ident = {
                "type": "IAMUser",
                "principalId": _stable_id("AIDA", acct + self.name),
                "arn": f"arn:aws:iam::{acct}:user/{self.name}",
                "accountId": acct,
                "accessKeyId": self.key if (self.key and not console) else _key(rng, "ASIA"),
                "userName": self.name,
            }
        else:
            role_id = _stable_id("AROA", acct + self.role)
            ident = {
                "type": "AssumedRole",
                "principalId": f"{role_id}:{self.name}",
                "arn": f"arn:aws:sts::{acct}:assumed-role/{self.role}/{self.name}",
                "accountId": acct,
                "accessKeyId": _key(rng, "ASIA"),
                "sessionContext": {
                    "sessionIssuer": {
                        "type": "Role",
                        "principalId": role_id,
                        "arn": f"arn:aws:iam::{acct}:role/{self.role}",
                        "accountId": acct,
                        "userName": self.role,
                    },
                    "attributes": {
                        "creationDate": _iso(when - timedelta(minutes=rng.randint(1, 55))),
                        "mfaAuthenticated": "true" if self.mfa else "false",
                    },
                },
            }
            return ident
        if console or self.kind == "Root":
            ident["sessionContext"] = {
                "attributes": {
                    "creationDate": _iso(when - timedelta(minutes=rng.randint(1, 240))),
                    "mfaAuthenticated": "true" if self.mfa else "false",
                }
            }
        return ident


@functools.cache
def _stable_id(prefix: str, seed: str) -> str:
    digest = uuid.uuid5(uuid.NAMESPACE_URL, seed).hex.upper()
    return prefix + digest[:17]


# Access key IDs use base32 letters; hex with 0, 1, 8, 9 swapped for letters looks the part, cheaply.
_KEY_DIGITS = str.maketrans("0189", "QRWX")


def _key(rng: random.Random, prefix: str) -> str:
    return prefix + f"{rng.getrandbits(64):016X}".translate(_KEY_DIGITS)


def _iso(when: datetime) -> str:
    return when.isoformat(timespec="seconds") + "Z"


def _uuid(rng: random.Random) -> str:
    """A version-4 UUID from the seeded generator (uuid.UUID is several times slower to build)."""
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


def _principals() -> list[Principal]:
    office, cli, console, boto, go, tf = OFFICE_IPS, "cli", "console", "boto3", "go", "terraform"
    p = [
        # Management account: administrators and the security team.
        Principal("IAMUser", MANAGEMENT, "alice", office, (cli, console), mfa=True),
        Principal("IAMUser", MANAGEMENT, "bob", VPN_IPS, (cli, console, boto), mfa=True),
        Principal(
            "AssumedRole",
            MANAGEMENT,
            "alice@example.com",
            office,
            (console, cli),
            mfa=True,
            role="AWSReservedSSO_AdministratorAccess_5f2a1c9d8e7b6a43",
        ),
        Principal(
            "AssumedRole",
            MANAGEMENT,
            "security-audit",
            (CI_IP,),
            (boto,),
            human=False,
            role="SecurityAuditRole",
        ),
        Principal("Root", MANAGEMENT, "root", office, (console,), mfa=True),
        # Prod: workloads, CI, and the people who operate it.
        Principal(
            "AssumedRole",
            PROD,
            "i-0a1b2c3d4e5f60718",
            ("54.239.28.85", "54.239.28.86"),
            (boto, go),
            human=False,
            role="prod-api-role",
        ),
        Principal(
            "AssumedRole",
            PROD,
            "order-processor",
            ("54.240.197.233",),
            (boto,),
            human=False,
            role="order-processor-lambda-role",
        ),
        Principal("IAMUser", PROD, INCIDENT_USER, (CI_IP,), (cli, tf), human=False, key=INCIDENT_KEY),
        Principal(
            "AssumedRole",
            PROD,
            "bob@example.com",
            VPN_IPS,
            (console, cli),
            mfa=True,
            role="AWSReservedSSO_PowerUserAccess_0c4d2e8f1a3b5c79",
        ),
        Principal(
            "AssumedRole",
            PROD,
            "OrganizationAccountAccessRole",
            office,
            (console,),
            mfa=False,
            role="OrganizationAccountAccessRole",
        ),
        # Dev: developers, one without MFA, and their CI.
        Principal("IAMUser", DEV, "carol", office, (console, cli), mfa=False),
        Principal("IAMUser", DEV, "dave", office + VPN_IPS, (cli, boto, console), mfa=True),
        Principal("AssumedRole", DEV, "dev-ci", (CI_IP,), (tf, cli), human=False, role="dev-ci-role"),
    ]
    return p


# Actions: (eventSource, eventName, readOnly, category, weight, builder-name)
# builder-name picks the request/response/resource shape below.
ACTIONS: tuple[tuple[str, str, bool, str, float, str], ...] = (
    ("sts.amazonaws.com", "GetCallerIdentity", True, "Management", 6, "none"),
    ("sts.amazonaws.com", "AssumeRole", True, "Management", 5, "assume"),
    ("s3.amazonaws.com", "ListBuckets", True, "Management", 3, "none"),
    ("s3.amazonaws.com", "GetBucketAcl", True, "Management", 2, "bucket"),
    ("s3.amazonaws.com", "GetBucketPolicy", True, "Management", 1.5, "bucket"),
    ("s3.amazonaws.com", "PutBucketPolicy", False, "Management", 0.15, "bucket_policy"),
    ("s3.amazonaws.com", "PutBucketAcl", False, "Management", 0.08, "bucket_acl"),
    ("s3.amazonaws.com", "GetObject", True, "Data", 14, "object"),
    ("s3.amazonaws.com", "PutObject", False, "Data", 7, "object"),
    ("s3.amazonaws.com", "ListObjects", True, "Data", 3, "bucket"),
    ("ec2.amazonaws.com", "DescribeInstances", True, "Management", 8, "none"),
    ("ec2.amazonaws.com", "DescribeSecurityGroups", True, "Management", 3, "none"),
    ("ec2.amazonaws.com", "RunInstances", False, "Management", 0.4, "run"),
    ("ec2.amazonaws.com", "TerminateInstances", False, "Management", 0.3, "instance"),
    ("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", False, "Management", 0.25, "sg_ingress"),
    ("ec2.amazonaws.com", "CreateSnapshot", False, "Management", 0.3, "snapshot"),
    ("iam.amazonaws.com", "ListUsers", True, "Management", 1.5, "none"),
    ("iam.amazonaws.com", "GetUser", True, "Management", 1.5, "user"),
    ("iam.amazonaws.com", "ListRoles", True, "Management", 1.5, "none"),
    ("iam.amazonaws.com", "CreateAccessKey", False, "Management", 0.05, "user"),
    ("iam.amazonaws.com", "PutRolePolicy", False, "Management", 0.1, "role_policy"),
    ("iam.amazonaws.com", "AttachRolePolicy", False, "Management", 0.08, "role_attach"),
    ("lambda.amazonaws.com", "Invoke", False, "Data", 6, "invoke"),
    ("lambda.amazonaws.com", "ListFunctions20150331", True, "Management", 1.5, "none"),
    ("lambda.amazonaws.com", "UpdateFunctionCode20150331v2", False, "Management", 0.2, "function"),
    ("kms.amazonaws.com", "Decrypt", True, "Management", 8, "kms"),
    ("kms.amazonaws.com", "GenerateDataKey", True, "Management", 4, "kms"),
    ("kms.amazonaws.com", "CreateAlias", False, "Management", 0.05, "alias"),
    ("dynamodb.amazonaws.com", "GetItem", True, "Data", 5, "table"),
    ("dynamodb.amazonaws.com", "DescribeTable", True, "Management", 2, "table"),
    ("cloudtrail.amazonaws.com", "DescribeTrails", True, "Management", 1, "none"),
    ("cloudtrail.amazonaws.com", "LookupEvents", True, "Management", 0.6, "none"),
    ("rds.amazonaws.com", "DescribeDBInstances", True, "Management", 1.5, "none"),
    ("logs.amazonaws.com", "CreateLogStream", False, "Management", 2, "logstream"),
    ("secretsmanager.amazonaws.com", "GetSecretValue", True, "Management", 2.5, "secret"),
    ("ssm.amazonaws.com", "GetParameter", True, "Management", 2.5, "parameter"),
)

BUCKETS = {
    MANAGEMENT: ("org-cloudtrail-logs-111122223333", "org-billing-reports"),
    PROD: (INCIDENT_BUCKET, "prod-app-assets", "prod-backups-444455556666"),
    DEV: ("dev-scratch-777788889999", "dev-app-assets"),
}
TABLES = ("orders", "customers", "sessions")
FUNCTIONS = ("order-processor", "thumbnail-maker", "nightly-report")


class _Builder:
    """Fills in the action-specific parts of one event."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def build(
        self, kind: str, acct: str, region: str
    ) -> tuple[dict | None, dict | None, list | None, dict | None]:
        rng = self.rng
        req: dict[str, Any] | None = None
        resp: dict[str, Any] | None = None
        res: list[dict[str, Any]] | None = None
        extra: dict[str, Any] | None = None
        if kind == "assume":
            role = rng.choice(("deploy-role", "read-only", "OrganizationAccountAccessRole"))
            req = {
                "roleArn": f"arn:aws:iam::{acct}:role/{role}",
                "roleSessionName": f"s-{rng.randint(1000, 9999)}",
                "durationSeconds": 3600,
            }
            resp = {
                "credentials": {
                    "accessKeyId": _key(rng, "ASIA"),
                    "sessionToken": "<redacted>",
                    "expiration": "<redacted>",
                }
            }
            res = [{"accountId": acct, "type": "AWS::IAM::Role", "ARN": f"arn:aws:iam::{acct}:role/{role}"}]
        elif kind in ("bucket", "bucket_policy", "bucket_acl", "object"):
            bucket = rng.choice(BUCKETS[acct])
            req = {"bucketName": bucket, "Host": f"{bucket}.s3.{region}.amazonaws.com"}
            res = [{"accountId": acct, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}]
            if kind == "bucket_policy":
                req["bucketPolicy"] = {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"AWS": f"arn:aws:iam::{acct}:root"},
                            "Action": "s3:GetObject",
                            "Resource": f"arn:aws:s3:::{bucket}/*",
                        }
                    ],
                }
                req["policy"] = ""
            elif kind == "bucket_acl":
                req["acl"] = ""
                req["AccessControlPolicy"] = {
                    "AccessControlList": {
                        "Grant": [
                            {
                                "Grantee": {
                                    "xsi:type": "CanonicalUser",
                                    "ID": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",
                                },
                                "Permission": "FULL_CONTROL",
                            }
                        ]
                    }
                }
            elif kind == "object":
                key = f"{rng.choice(('exports', 'img', 'data', 'tmp'))}/{rng.randint(1, 5000):05d}.{rng.choice(('csv', 'json', 'png'))}"
                req["key"] = key
                res.insert(0, {"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{key}"})
                extra = {
                    "bytesTransferredOut": rng.randint(200, 4_000_000),
                    "CipherSuite": "TLS_AES_128_GCM_SHA256",
                    "x-amz-id-2": uuid.UUID(int=rng.getrandbits(128)).hex,
                    "SignatureVersion": "SigV4",
                    "AuthenticationMethod": "AuthHeader",
                }
        elif kind == "run":
            image = f"ami-0{rng.getrandbits(60):015x}"
            req = {
                "instancesSet": {"items": [{"imageId": image, "minCount": 1, "maxCount": 1}]},
                "instanceType": rng.choice(("t3.micro", "m7g.large", "c7i.xlarge")),
            }
            iid = f"i-0{rng.getrandbits(64):016x}"
            resp = {
                "instancesSet": {
                    "items": [
                        {"instanceId": iid, "imageId": image, "instanceState": {"code": 0, "name": "pending"}}
                    ]
                }
            }
        elif kind == "instance":
            req = {"instancesSet": {"items": [{"instanceId": f"i-0{rng.getrandbits(64):016x}"}]}}
        elif kind == "sg_ingress":
            cidr = rng.choice(("10.0.0.0/16", "10.20.0.0/16", "0.0.0.0/0", "192.0.2.0/24"))
            port = rng.choice((22, 443, 5432, 3389))
            gid = f"sg-0{rng.getrandbits(56):014x}"
            req = {
                "groupId": gid,
                "ipPermissions": {
                    "items": [
                        {
                            "ipProtocol": "tcp",
                            "fromPort": port,
                            "toPort": port,
                            "ipRanges": {"items": [{"cidrIp": cidr}]},
                        }
                    ]
                },
            }
            resp = {"_return": True}
        elif kind == "snapshot":
            req = {"volumeId": f"vol-0{rng.getrandbits(56):014x}"}
            resp = {"snapshotId": f"snap-0{rng.getrandbits(56):014x}", "encrypted": rng.random() < 0.8}
        elif kind == "user":
            req = {"userName": rng.choice(("alice", "bob", "carol", "dave", "deploy-bot"))}
        elif kind in ("role_policy", "role_attach"):
            role = rng.choice(("prod-api-role", "dev-ci-role", "order-processor-lambda-role"))
            req = {"roleName": role}
            if kind == "role_policy":
                req["policyName"] = "inline-access"
                req["policyDocument"] = json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}],
                    }
                )
            else:
                req["policyArn"] = rng.choice(
                    (
                        "arn:aws:iam::aws:policy/ReadOnlyAccess",
                        "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
                    )
                )
        elif kind in ("invoke", "function"):
            fn = rng.choice(FUNCTIONS)
            req = {"functionName": f"arn:aws:lambda:{region}:{acct}:function:{fn}"}
            res = [
                {
                    "accountId": acct,
                    "type": "AWS::Lambda::Function",
                    "ARN": f"arn:aws:lambda:{region}:{acct}:function:{fn}",
                }
            ]
        elif kind in ("kms", "alias"):
            key_id = str(uuid.UUID(int=rng.getrandbits(128) & ((1 << 128) - 1), version=4))
            arn = f"arn:aws:kms:{region}:{acct}:key/{key_id}"
            req = (
                {"encryptionAlgorithm": "SYMMETRIC_DEFAULT"}
                if kind == "kms"
                else {"aliasName": f"alias/app-{rng.randint(1, 9)}", "targetKeyId": key_id}
            )
            res = [{"accountId": acct, "type": "AWS::KMS::Key", "ARN": arn}]
        elif kind == "table":
            table = rng.choice(TABLES)
            req = {"tableName": table, "key": {"pk": {"S": f"id-{rng.randint(1, 99999)}"}}}
            res = [
                {
                    "accountId": acct,
                    "type": "AWS::DynamoDB::Table",
                    "ARN": f"arn:aws:dynamodb:{region}:{acct}:table/{table}",
                }
            ]
        elif kind == "logstream":
            req = {
                "logGroupName": f"/aws/lambda/{rng.choice(FUNCTIONS)}",
                "logStreamName": f"2026/11/{rng.randint(1, 28):02d}/[$LATEST]{rng.getrandbits(64):016x}",
            }
        elif kind == "secret":
            req = {"secretId": f"arn:aws:secretsmanager:{region}:{acct}:secret:app/db-{rng.randint(1, 4)}"}
        elif kind == "parameter":
            req = {
                "name": f"/app/config/{rng.choice(('db_host', 'feature_flags', 'api_url'))}",
                "withDecryption": rng.random() < 0.3,
            }
        return req, resp, res, extra


def _denied_message(ident: dict[str, Any], source: str, name: str) -> tuple[str, str]:
    service = source.split(".")[0]
    arn = ident.get("arn", "")
    if service == "ec2":
        return "Client.UnauthorizedOperation", "You are not authorized to perform this operation."
    return (
        "AccessDenied",
        f"User: {arn} is not authorized to perform: {service}:{name} because no "
        "identity-based policy allows the action",
    )


# Office hours (UTC 7..18) carry most human activity.
_HOUR_CUM = list(
    itertools.accumulate([1, 1, 1, 1, 1, 1, 2, 6, 9, 10, 10, 9, 8, 9, 10, 10, 9, 7, 4, 2, 2, 1, 1, 1])
)
_REGION_CUM = list(itertools.accumulate(REGION_WEIGHTS))


def _diurnal_hour(rng: random.Random, human: bool) -> int:
    if not human:
        return int(rng.random() * 24)
    return bisect.bisect(_HOUR_CUM, rng.random() * _HOUR_CUM[-1])


class DemoGenerator:
    """Deterministic events of the demo organization for the thirty days before `anchor`."""

    def __init__(self, anchor: datetime, count: int = DEFAULT_EVENTS, seed: int = SEED) -> None:
        self.end = anchor.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
        self.start = self.end - timedelta(days=DAYS)
        self.count = count
        self.rng = random.Random(seed)
        self.builder = _Builder(self.rng)
        self.principals = _principals()

    def _event(
        self,
        p: Principal,
        when: datetime,
        action: tuple[str, str, bool, str, float, str],
        region: str,
        ip: str | None = None,
        agent: str | None = None,
        error: tuple[str, str] | None = None,
    ) -> dict[str, Any]:
        rng = self.rng
        source, name, read_only, category, _, kind = action
        console = (
            p.human and "console" in p.agents and rng.random() < 0.3 if agent is None else agent == "console"
        )
        ident = p.identity(rng, when, console=console)
        req, resp, res, extra = self.builder.build(kind, p.account, region)
        if p.kind == "AWSService":
            src_ip = ua = p.name
        else:
            src_ip = ip or rng.choice(p.ip)
            ua = AGENTS[
                agent
                or ("console" if console else rng.choice([a for a in p.agents if a != "console"] or ["cli"]))
            ]
        ev: dict[str, Any] = {
            "eventVersion": "1.11" if category == "Management" else "1.10",
            "userIdentity": ident,
            "eventTime": _iso(when),
            "eventSource": source,
            "eventName": name,
            "awsRegion": region,
            "sourceIPAddress": src_ip,
            "userAgent": ua,
        }
        if error is None and p.human and rng.random() < 0.012:
            error = _denied_message(ident, source, name)
        if error:
            ev["errorCode"], ev["errorMessage"] = error
            resp = None
        ev["requestParameters"] = req
        ev["responseElements"] = resp
        if extra:
            ev["additionalEventData"] = extra
        ev["requestID"] = _uuid(rng) if source != "s3.amazonaws.com" else f"{rng.getrandbits(64):016X}"
        ev["eventID"] = _uuid(rng)
        ev["readOnly"] = read_only
        if res:
            ev["resources"] = res
        ev["eventType"] = "AwsApiCall"
        ev["managementEvent"] = category == "Management"
        ev["recipientAccountId"] = p.account
        ev["eventCategory"] = category
        if p.kind != "AWSService":
            ev["tlsDetails"] = {
                "tlsVersion": "TLSv1.3",
                "cipherSuite": "TLS_AES_128_GCM_SHA256",
                "clientProvidedHostHeader": f"{source.split('.')[0]}.{region}.amazonaws.com",
            }
        if console and p.kind != "AWSService":
            ev["sessionCredentialFromConsole"] = "true"
        return ev

    def _sign_in(
        self, p: Principal, when: datetime, ip: str | None = None, failed: bool = False
    ) -> dict[str, Any]:
        rng = self.rng
        ident = p.identity(rng, when, console=True)
        ident.pop("accessKeyId", None)
        ident.pop("sessionContext", None)
        ev = {
            "eventVersion": "1.09",
            "userIdentity": ident,
            "eventTime": _iso(when),
            "eventSource": "signin.amazonaws.com",
            "eventName": "ConsoleLogin",
            "awsRegion": "us-east-1",
            "sourceIPAddress": ip or rng.choice(p.ip),
            "userAgent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/130.0.0.0 Safari/537.36",
            "requestParameters": None,
            "responseElements": {"ConsoleLogin": "Failure" if failed else "Success"},
            "additionalEventData": {
                "LoginTo": "https://console.aws.amazon.com/console/home",
                "MobileVersion": "No",
                "MFAUsed": "Yes" if p.mfa else "No",
            },
            "eventID": _uuid(rng),
            "readOnly": False,
            "eventType": "AwsConsoleSignIn",
            "managementEvent": True,
            "recipientAccountId": p.account,
            "eventCategory": "Management",
            "tlsDetails": {
                "tlsVersion": "TLSv1.3",
                "cipherSuite": "TLS_AES_128_GCM_SHA256",
                "clientProvidedHostHeader": "signin.aws.amazon.com",
            },
        }
        if failed:
            ev["errorMessage"] = "Failed authentication"
        return ev

    def _service_event(self, acct: str, when: datetime, region: str) -> dict[str, Any]:
        rng = self.rng
        key_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        return {
            "eventVersion": "1.11",
            "userIdentity": {"accountId": acct, "invokedBy": "kms.amazonaws.com"},
            "eventTime": _iso(when),
            "eventSource": "kms.amazonaws.com",
            "eventName": "RotateKey",
            "awsRegion": region,
            "sourceIPAddress": "kms.amazonaws.com",
            "userAgent": "kms.amazonaws.com",
            "requestParameters": None,
            "responseElements": None,
            "additionalEventData": {"keyId": f"arn:aws:kms:{region}:{acct}:key/{key_id}"},
            "eventID": _uuid(rng),
            "readOnly": False,
            "resources": [
                {
                    "accountId": acct,
                    "type": "AWS::KMS::Key",
                    "ARN": f"arn:aws:kms:{region}:{acct}:key/{key_id}",
                }
            ],
            "eventType": "AwsServiceEvent",
            "managementEvent": True,
            "recipientAccountId": acct,
            "eventCategory": "Management",
            "serviceEventDetails": {"keyRotationStatus": "Completed"},
        }

    def _service_call(self, acct: str, when: datetime, region: str) -> dict[str, Any]:
        svc = Principal(
            "AWSService",
            acct,
            self.rng.choice(("lambda.amazonaws.com", "ec2.amazonaws.com", "cloudformation.amazonaws.com")),
            (),
            (),
        )
        ev = self._event(svc, when, ACTIONS[1], region)
        ev["userIdentity"] = {"type": "AWSService", "invokedBy": svc.name}
        ev.pop("tlsDetails", None)
        ev["sharedEventID"] = _uuid(self.rng)
        return ev

    def _when(self, human: bool) -> datetime:
        rng = self.rng
        day = int(rng.random() * DAYS)
        return self.start + timedelta(
            days=day, hours=_diurnal_hour(rng, human), seconds=int(rng.random() * 3600)
        )

    def _region(self) -> str:
        return REGIONS[bisect.bisect(_REGION_CUM, self.rng.random() * _REGION_CUM[-1])]

    def incident(self) -> list[dict[str, Any]]:
        """The story to discover, four days before the anchor, starting 02:13 UTC."""
        bot = next(p for p in self.principals if p.name == INCIDENT_USER)
        backdoor = Principal(
            "IAMUser",
            PROD,
            BACKDOOR_USER,
            (INCIDENT_IP,),
            ("incident",),
            human=False,
            key="AKIAWQK3EXAMPLEBKD01",
        )
        t = self.end - timedelta(days=4) + timedelta(hours=2, minutes=13, seconds=7)
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
            ev = self._event(
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
            act(
                bot, "s3.amazonaws.com", "GetBucketAcl", True, "bucket", req={"bucketName": bucket, "acl": ""}
            )
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
                    "userId": _stable_id("AIDA", PROD + BACKDOOR_USER),
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

    def events(self) -> list[dict[str, Any]]:
        rng = self.rng
        people = self.principals
        out: list[dict[str, Any]] = []
        # Sign-ins: humans sign in most working days; a few failures; carol never uses MFA.
        for day in range(DAYS):
            base = self.start + timedelta(days=day)
            for p in people:
                if p.human and p.kind != "Root" and "console" in p.agents and rng.random() < 0.8:
                    hour = timedelta(hours=_diurnal_hour(rng, True), minutes=rng.randrange(60))
                    if rng.random() < 0.05:
                        out.append(self._sign_in(p, base + hour - timedelta(minutes=2), failed=True))
                    out.append(self._sign_in(p, base + hour))
        root = next(p for p in people if p.kind == "Root")
        for day in (3, 17):
            out.append(self._sign_in(root, self.start + timedelta(days=day, hours=10, minutes=4)))
            out.append(
                self._event(
                    root,
                    self.start + timedelta(days=day, hours=10, minutes=9),
                    ("iam.amazonaws.com", "ListUsers", True, "Management", 0, "none"),
                    "us-east-1",
                    agent="console",
                )
            )
        # Service events and AWS services acting on the accounts' behalf.
        for _ in range(DAYS * 6):
            out.append(self._service_event(rng.choice(ACCOUNTS), self._when(False), self._region()))
        for _ in range(DAYS * 40):
            out.append(self._service_call(rng.choice(ACCOUNTS), self._when(False), self._region()))
        incident = self.incident()
        # API calls fill the rest.
        weights = [a[4] * (3.0 if not p.human else 1.0) for p in people for a in ACTIONS]
        pairs = [(p, a) for p in people for a in ACTIONS]
        remaining = max(0, self.count - len(out) - len(incident))
        for p, a in rng.choices(pairs, weights=weights, k=remaining):
            if p.kind == "Root":
                p = people[0]
            out.append(self._event(p, self._when(p.human), a, self._region()))
        out.extend(incident)
        return out


def _log_groups(events: list[dict[str, Any]]) -> list[tuple[tuple[str, str, str], list[dict[str, Any]]]]:
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for ev in events:
        groups.setdefault((ev["recipientAccountId"], ev["awsRegion"], ev["eventTime"][:10]), []).append(ev)
    return sorted(groups.items())


def write_trail_logs(events: list[dict[str, Any]], root: Path, compresslevel: int = 1) -> list[Path]:
    """Write events as an organization trail would: one gzipped file per account, region and day."""
    return _write_groups(_log_groups(events), root, compresslevel)


def _write_groups(
    groups: list[tuple[tuple[str, str, str], list[dict[str, Any]]]], root: Path, compresslevel: int | None
) -> list[Path]:
    """Write each group as one log file; `compresslevel` None writes plain JSON (for files nobody keeps)."""
    paths: list[Path] = []
    for (acct, region, day), evs in groups:
        evs.sort(key=lambda e: e["eventTime"])
        y, m, d = day.split("-")
        stamp = evs[-1]["eventTime"][:16].replace("-", "").replace(":", "")
        suffix = uuid.uuid5(uuid.NAMESPACE_URL, f"{acct}{region}{day}").hex[:16]
        folder = root / "AWSLogs" / ORG_ID / acct / "CloudTrail" / region / y / m / d
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{acct}_CloudTrail_{region}_{stamp}Z_{suffix}.json"
        body = json.dumps({"Records": evs}, separators=(",", ":")).encode()
        if compresslevel is None:
            path = folder / name
            path.write_bytes(body)
        else:
            path = folder / (name + ".gz")
            with (
                open(path, "wb") as fh,
                gzip.GzipFile(fileobj=fh, mode="wb", compresslevel=compresslevel, mtime=0) as gz,
            ):
                gz.write(body)
        paths.append(path)
    return paths


def demo_anchor(now: datetime | None = None) -> datetime:
    """The demo ends at the start of the current UTC day."""
    return (now or datetime.now(UTC)).replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)


def build_demo(
    lake: LakeFile,
    anchor: datetime | None = None,
    count: int = DEFAULT_EVENTS,
    keep_logs: Path | None = None,
    progress: ProgressFn | None = None,
) -> ImportReport:
    """Create (or complete) the demo store from freshly generated trail logs."""
    gen = DemoGenerator(demo_anchor(anchor), count)
    with lake.writer() as con:
        try:
            find_store(con, DEMO_STORE_NAME)
        except StoreNotFoundError:
            create_store(
                con,
                DEMO_STORE_NAME,
                store_id=DEMO_STORE_ID,
                organization_enabled=True,
                multi_region_enabled=True,
                now=gen.end,
            )
    events = gen.events()
    if keep_logs is not None:
        write_trail_logs(events, keep_logs)
        return import_paths(lake, [keep_logs], DEMO_STORE_NAME, progress)
    # Plain JSON in a temporary folder: nobody keeps these files, so gzip would only cost time. (Writing and
    # importing in overlapping parts was tried: no faster, because the import is most of the time and smaller
    # batches commit through DuckDB's WAL.)
    with tempfile.TemporaryDirectory(prefix="trailtui-demo-") as tmp:
        _write_groups(_log_groups(events), Path(tmp), None)
        return import_paths(lake, [Path(tmp)], DEMO_STORE_NAME, progress)


def lake_is_empty(lake: LakeFile) -> bool:
    if not lake.exists():
        return True
    with lake.reader() as con:
        row = con.execute("SELECT count(*) FROM lake.trailtui_stores").fetchone()
    return not row or row[0] == 0


OnDemo = Callable[[str], None]


def ensure_demo(lake: LakeFile, notify: OnDemo | None = None) -> ImportReport | None:
    """On a fresh lake, build the demo so there is something to explore; otherwise do nothing."""
    if not lake_is_empty(lake):
        return None
    if notify:
        notify("Building the demo organization (first run)...")
    return build_demo(lake)
