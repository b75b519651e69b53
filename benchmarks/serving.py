"""`trailtui serve` as a process, for the benchmarks and the tests that talk HTTP to it: its command line and
its start-up banner are spelled here once (benchmarks.serve_attacks, tests/test_serve*.py and the other tests
of serve use them)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

KEY, SECRET = "AKIABENCHSERVE", "bench-secret"


def serve_command(*options: str, python: str = sys.executable) -> list[str]:
    """`trailtui serve` on a free loopback port (read it from the banner) with these options."""
    return [python, "-m", "trailtui", "serve", "--port", "0", *options]


def read_banner(proc: subprocess.Popen[str]) -> tuple[str, str]:
    """The banner `serve` prints before it takes requests, and the URL it listens on."""
    assert proc.stdout is not None
    banner = ""
    for line in proc.stdout:
        banner += line
        if line.startswith("Press Ctrl-C"):
            break
    url = next((ln.split()[2] for ln in banner.splitlines() if ln.startswith("Listening on")), None)
    if url is None:  # serve stopped before listening: its exit status and stderr say why
        raise RuntimeError(f"trailtui serve did not start (exit status {proc.wait()}):\n{banner}")
    return banner, url


@contextmanager
def serving(home: Path, faults: str | None = None) -> Iterator[str]:
    """Start `trailtui serve` on a free port for the lake at `home`; yields its URL, stops it on exit."""
    options = ["--access-key-id", KEY, "--secret-access-key", SECRET]
    if faults:
        options += ["--faults", faults]
    proc = subprocess.Popen(
        serve_command(*options),
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ, TRAILTUI_HOME=str(home)),
    )
    try:
        yield read_banner(proc)[1]
    finally:
        proc.terminate()
        proc.wait()


def cloudtrail_client(url: str, config: Any = None) -> Any:
    """A boto3 CloudTrail client signed with the server's key, for `url`."""
    import boto3

    return boto3.session.Session(
        aws_access_key_id=KEY, aws_secret_access_key=SECRET, region_name="us-east-1"
    ).client("cloudtrail", endpoint_url=url, config=config)
