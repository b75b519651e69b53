"""Serving a lake in this process as an AWS profile's CloudTrail endpoint. (`trailtui serve` as a process:
benchmarks/serving.py.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.awsenv import aws_files, endpoint_profile


def serve_in_thread(api: Any, key: str, secret: str, faults: str = "", **options: Any) -> Any:
    """`trailtui serve`'s HTTP server for `api` (a LocalLake's) on a free loopback port, in a daemon thread of
    this process; `faults` is a --faults plan. Returns the server: shut it down and close it after."""
    import threading

    from trailtui.local.faults import parse_faults
    from trailtui.local.server import Credentials, make_server

    plan = parse_faults(faults) if faults else None
    server = make_server(api, "127.0.0.1", 0, Credentials(key, secret), plan, **options)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


def serve_as_profile(lake: Any, folder: Path, monkeypatch: Any, key: str, secret: str) -> Any:
    """Serve `lake` (a LocalLake) over HTTP as the CloudTrail endpoint of an AWS profile `lake` (standing in
    for CloudTrail Lake), written to an AWS config in `folder`; returns the server (shut it down after)."""
    server = serve_in_thread(lake.api, key, secret, allow_paths=["s3://"])  # Lake delivers to any bucket
    aws_files(monkeypatch, folder, *endpoint_profile("lake", server.url, key, secret))
    return server
