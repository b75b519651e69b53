"""Importing from S3: objects/s and events/s against a local S3 server (moto, server mode) holding over 2,000
log objects and their digests in the organization-trail layout; and the list calls trailtui makes beside a
naive full listing of the bucket (what a tool that lists everything, then filters, would need)."""

from __future__ import annotations

import gzip
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from typing import Any

from trailtui.local.demo import ORG_ID, DemoGenerator
from trailtui.local.lakefile import LakeFile
from trailtui.local.s3import import S3Plan, import_s3
from trailtui.paths import locations

BUCKET = "bench-trail"
EVENTS = 108_000


def _objects() -> dict[str, bytes]:
    """The demo organization's events, one object per account, Region, day and 3-hour window."""
    groups: dict[tuple[str, str, str, int], list[dict[str, Any]]] = {}
    for ev in DemoGenerator(datetime(2026, 11, 1), EVENTS).events():
        t = ev["eventTime"]
        groups.setdefault((ev["recipientAccountId"], ev["awsRegion"], t[:10], int(t[11:13]) // 3), []).append(
            ev
        )
    out = {}
    for (acct, region, day, window), evs in groups.items():
        y, m, d = day.split("-")
        base = f"AWSLogs/{ORG_ID}/{acct}"
        name = f"{acct}_CloudTrail_{region}_{y}{m}{d}T{window * 3:02d}00Z_{window:016x}.json.gz"
        out[f"{base}/CloudTrail/{region}/{y}/{m}/{d}/{name}"] = gzip.compress(
            json.dumps({"Records": evs}).encode(), 1
        )
        out[
            f"{base}/CloudTrail-Digest/{region}/{y}/{m}/{d}/{name.replace('CloudTrail_', 'CloudTrail-Digest_')}"
        ] = gzip.compress(b'{"digestStartTime": "x"}')
    return out


def run() -> list[tuple[str, float, float]]:
    import boto3

    os.environ.update(
        AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1"
    )
    # The S3 server runs in its own process: in this one it would compete with the import for the GIL.
    import socket
    import subprocess

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    moto = os.path.join(os.path.dirname(sys.executable), "moto_server")
    server = subprocess.Popen([moto, "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    import urllib.request

    for _ in range(100):
        try:
            urllib.request.urlopen(endpoint, timeout=1)
            break
        except Exception:
            time.sleep(0.1)
    from botocore.config import Config

    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        config=Config(max_pool_connections=16, retries={"mode": "standard"}),
    )
    try:
        s3.create_bucket(Bucket=BUCKET)
        objects = _objects()
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(lambda kv: s3.put_object(Bucket=BUCKET, Key=kv[0], Body=kv[1]), objects.items()))
        logs = sum(1 for k in objects if "/CloudTrail/" in k)
        print(
            f"s3: {logs:,} log objects (+{len(objects) - logs:,} digests), {EVENTS:,} events", file=sys.stderr
        )

        naive = 0
        token = None
        while True:  # a naive full listing, page by page
            page = s3.list_objects_v2(Bucket=BUCKET, **({"ContinuationToken": token} if token else {}))
            naive += 1
            token = page.get("NextContinuationToken")
            if not page.get("IsTruncated"):
                break

        with tempfile.TemporaryDirectory() as home:
            lake = LakeFile(locations(home).ensure())
            plan = S3Plan(BUCKET, "")
            start = time.perf_counter()
            report = import_s3(lake, s3, plan, "bench")
            seconds = time.perf_counter() - start
            assert report.ok and report.events_added == EVENTS, report.rejected[:3]
            week = S3Plan(
                BUCKET,
                "",
                since=date(2026, 10, 20),
                until=date(2026, 10, 26),
                accounts={"444455556666"},
                regions={"eu-west-1"},
            )
            import_s3(lake, s3, week, "bench-week")
        # The reference: by hand, `aws s3 sync` the logs down, then import the folder.
        with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as home2:
            aws = os.path.join(os.path.dirname(sys.executable), "aws")
            start = time.perf_counter()
            subprocess.run(
                [
                    aws,
                    "s3",
                    "sync",
                    f"s3://{BUCKET}/AWSLogs",
                    folder,
                    "--endpoint-url",
                    endpoint,
                    "--exclude",
                    "*CloudTrail-Digest*",
                    "--only-show-errors",
                ],
                check=True,
            )
            from trailtui.local.importer import import_paths

            by_hand = import_paths(LakeFile(locations(home2).ensure()), [folder], "bench")
            manual = time.perf_counter() - start
            assert by_hand.events_added == EVENTS
    finally:
        server.terminate()
        server.wait()
    return [
        ("S3 import objects/s (vs aws s3 sync + import)", logs / seconds, logs / manual),
        ("S3 import events/s (vs aws s3 sync + import)", EVENTS / seconds, EVENTS / manual),
        ("list calls, whole trail (vs naive full listing)", plan.list_calls, naive),
        ("list calls, 1 week x 1 account x 1 Region (vs naive)", week.list_calls, naive),
    ]


def main() -> None:
    for name, value, ref in run():
        if "list calls" in name:
            ratio = f"{ref / value:6.2f}x as many for the naive listing" if value else ""
        else:
            ratio = f"{value / ref:6.2f}x"
        print(f"{name:56} {value:10,.0f} {ref:10,.0f} {ratio}")


if __name__ == "__main__":
    main()
