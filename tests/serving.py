"""Serving a lake in this process as an AWS profile's CloudTrail endpoint. (`trailtui serve` as a process:
benchmarks/serving.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.awsenv import aws_files, endpoint_profile


def serve_in_thread(
    api: Any, key: str, secret: str, faults: str = "", host: str = "127.0.0.1", **options: Any
) -> Any:
    """`trailtui serve`'s HTTP server for `api` (a LocalLake's) on a free loopback port, in a daemon thread of
    this process (on `host`'s loopback); `faults` is a --faults plan. Returns the server: shut it down and close it after (or use
    `serving`, which does)."""
    import threading

    from trailtui.local.faults import parse_faults
    from trailtui.local.server import Credentials, make_server

    plan = parse_faults(faults) if faults else None
    server = make_server(api, host, 0, Credentials(key, secret), plan, **options)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


@contextmanager
def serving(key: str, secret: str, faults: str = "", lake: Any = None, **options: Any) -> Iterator[Any]:
    """`serve_in_thread` for `lake` (a LocalLake; by default a new one of the current TRAILTUI_HOME), with
    serve's own options (max_connections, allow_paths); after: the server shut down and closed, and the lake
    closed (so a test's next lake, or the next process, finds it consistent)."""
    from trailtui.local.service import LocalLake

    served = lake if lake is not None else LocalLake()
    try:
        server = serve_in_thread(served.api, key, secret, faults, **options)
        try:
            yield server
        finally:
            server.shutdown()
            server.server_close()
    finally:
        served.close()


@contextmanager
def serving_as_profile(lake: Any, folder: Path, monkeypatch: Any, key: str, secret: str) -> Iterator[Any]:
    """Serve `lake` (a LocalLake) over HTTP as the CloudTrail endpoint of an AWS profile `lake` (standing in
    for CloudTrail Lake), written to an AWS config in `folder`; the server, shut down after (the lake too)."""
    with serving(key, secret, lake=lake, allow_paths=["s3://"]) as server:  # Lake delivers to any bucket
        aws_files(monkeypatch, folder, *endpoint_profile("lake", server.url, key, secret))
        yield server
