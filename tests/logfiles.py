"""Building trail log files for tests: records in each of the shapes the importer accepts."""

from __future__ import annotations

import gzip
import json
import uuid
from pathlib import Path
from typing import Any


def record(n: int = 0, **overrides: Any) -> dict[str, Any]:
    """A realistic management event; `n` varies its eventID and time."""
    base: dict[str, Any] = {
        "eventVersion": "1.11",
        "userIdentity": {
            "type": "IAMUser",
            "principalId": "AIDAEXAMPLEPRINCIPAL",
            "arn": "arn:aws:iam::123456789012:user/alice",
            "accountId": "123456789012",
            "accessKeyId": "AKIAEXAMPLEKEY000001",
            "userName": "alice",
        },
        "eventTime": f"2024-03-0{1 + n % 9}T10:{n % 60:02d}:00Z",
        "eventSource": "s3.amazonaws.com",
        "eventName": "GetBucketAcl",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "203.0.113.7",
        "userAgent": "aws-cli/2.15.0",
        "requestParameters": {"bucketName": f"bucket-{n}", "Host": "s3.amazonaws.com", "acl": ""},
        "responseElements": None,
        "requestID": f"REQ{n:08d}",
        "eventID": str(uuid.UUID(int=n + 1)),
        "readOnly": True,
        "resources": [
            {"accountId": "123456789012", "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::bucket-{n}"}
        ],
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": "123456789012",
        "eventCategory": "Management",
        "tlsDetails": {
            "tlsVersion": "TLSv1.3",
            "cipherSuite": "TLS_AES_128_GCM_SHA256",
            "clientProvidedHostHeader": "s3.amazonaws.com",
        },
    }
    base.update(overrides)
    return base


def write_log(
    path: Path, records: list[dict[str, Any]], shape: str = "records", gz: bool | None = None
) -> Path:
    """Write records as CloudTrail does ('records'), as a bare array ('array') or as JSON Lines ('lines')."""
    if shape == "records":
        text = json.dumps({"Records": records})
    elif shape == "array":
        text = json.dumps(records, indent=2)
    elif shape == "lines":
        text = "\n".join(json.dumps(r) for r in records) + "\n"
    else:
        raise ValueError(shape)
    gz = path.name.endswith(".gz") if gz is None else gz
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def trail_key(account: str, region: str, day: str, org: str | None = None, digest: bool = False) -> str:
    """The S3 key layout of a trail (reference section 7)."""
    y, m, d = day.split("-")
    kind = "CloudTrail-Digest" if digest else "CloudTrail"
    prefix = f"AWSLogs/{org}/{account}" if org else f"AWSLogs/{account}"
    name = f"{account}_{kind}_{region}_{y}{m}{d}T1005Z_{uuid.uuid5(uuid.NAMESPACE_URL, account + region + day).hex[:16]}"
    return f"{prefix}/{kind}/{region}/{y}/{m}/{d}/{name}.json.gz"
