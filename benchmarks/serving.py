"""A `trailtui serve` process on a benchmark lake, for the benchmarks that talk HTTP to it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

KEY, SECRET = "AKIABENCHSERVE", "bench-secret"


@contextmanager
def serving(home: Path, faults: str | None = None) -> Iterator[str]:
    """Start `trailtui serve` on a free port for the lake at `home`; yields its URL, stops it on exit."""
    command = [sys.executable, "-m", "trailtui", "serve", "--port", "0"]
    command += ["--access-key-id", KEY, "--secret-access-key", SECRET]
    if faults:
        command += ["--faults", faults]
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, env=dict(os.environ, TRAILTUI_HOME=str(home))
    )
    try:
        assert proc.stdout is not None
        yield next(line.split()[2] for line in proc.stdout if line.startswith("Listening on"))
    finally:
        proc.terminate()
        proc.wait()


def cloudtrail_client(url: str, config: Any = None) -> Any:
    """A boto3 CloudTrail client signed with the server's key, for `url`."""
    import boto3

    return boto3.session.Session(
        aws_access_key_id=KEY, aws_secret_access_key=SECRET, region_name="us-east-1"
    ).client("cloudtrail", endpoint_url=url, config=config)
