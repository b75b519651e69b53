"""The demo organization: its accounts, Regions, people and machines, and how they appear in events."""

from __future__ import annotations

import functools
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

DEMO_STORE_NAME = "org-events"
# Fixed, so documentation and saved queries can name the demo store.
DEMO_STORE_ID = "0d3a6f2e-7b1c-4e5a-9c8d-2f4b6a8c0e1d"
# The advanced event selectors of the demo store: what a store holding the demo's events would log on Lake
# (management events, and the data events of S3 objects, Lambda functions and DynamoDB tables).
DEMO_SELECTORS = [
    {"Name": "Management events", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]},
    *(
        {
            "Name": name,
            "FieldSelectors": [
                {"Field": "eventCategory", "Equals": ["Data"]},
                {"Field": "resources.type", "Equals": [kind]},
            ],
        }
        for name, kind in (
            ("S3 object data events", "AWS::S3::Object"),
            ("Lambda invocations", "AWS::Lambda::Function"),
            ("DynamoDB item reads", "AWS::DynamoDB::Table"),
        )
    ),
]
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
                "accessKeyId": access_key(rng, "ASIA"),
            }
        elif self.kind == "IAMUser":
            ident = {
                "type": "IAMUser",
                "principalId": stable_id("AIDA", acct + self.name),
                "arn": f"arn:aws:iam::{acct}:user/{self.name}",
                "accountId": acct,
                "accessKeyId": self.key if (self.key and not console) else access_key(rng, "ASIA"),
                "userName": self.name,
            }
        else:
            role_id = stable_id("AROA", acct + self.role)
            ident = {
                "type": "AssumedRole",
                "principalId": f"{role_id}:{self.name}",
                "arn": f"arn:aws:sts::{acct}:assumed-role/{self.role}/{self.name}",
                "accountId": acct,
                "accessKeyId": access_key(rng, "ASIA"),
                "sessionContext": {
                    "sessionIssuer": {
                        "type": "Role",
                        "principalId": role_id,
                        "arn": f"arn:aws:iam::{acct}:role/{self.role}",
                        "accountId": acct,
                        "userName": self.role,
                    },
                    "attributes": {
                        "creationDate": iso(when - timedelta(minutes=rng.randint(1, 55))),
                        "mfaAuthenticated": "true" if self.mfa else "false",
                    },
                },
            }
            return ident
        if console or self.kind == "Root":
            ident["sessionContext"] = {
                "attributes": {
                    "creationDate": iso(when - timedelta(minutes=rng.randint(1, 240))),
                    "mfaAuthenticated": "true" if self.mfa else "false",
                }
            }
        return ident


@functools.cache
def stable_id(prefix: str, seed: str) -> str:
    digest = uuid.uuid5(uuid.NAMESPACE_URL, seed).hex.upper()
    return prefix + digest[:17]


# Access key IDs use base32 letters; hex with 0, 1, 8, 9 swapped for letters looks the part, cheaply.
_KEY_DIGITS = str.maketrans("0189", "QRWX")


def access_key(rng: random.Random, prefix: str) -> str:
    return prefix + f"{rng.getrandbits(64):016X}".translate(_KEY_DIGITS)


def iso(when: datetime) -> str:
    return when.isoformat(timespec="seconds") + "Z"


def random_uuid(rng: random.Random) -> str:
    """A version-4 UUID from the seeded generator (uuid.UUID is several times slower to build)."""
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


def principals() -> list[Principal]:
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
