"""What the demo organization does: the API actions, their weights, and the details of each kind of call."""

from __future__ import annotations

import json
import random
import uuid
from typing import Any

from trailtui.local.demo.org import DEV, INCIDENT_BUCKET, MANAGEMENT, PROD, access_key

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


class DetailBuilder:
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
                    "accessKeyId": access_key(rng, "ASIA"),
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


def denied_message(ident: dict[str, Any], source: str, name: str) -> tuple[str, str]:
    service = source.split(".")[0]
    arn = ident.get("arn", "")
    if service == "ec2":
        return "Client.UnauthorizedOperation", "You are not authorized to perform this operation."
    return (
        "AccessDenied",
        f"User: {arn} is not authorized to perform: {service}:{name} because no "
        "identity-based policy allows the action",
    )
