"""Reading `trailtui serve`'s start-up banner, shared by the tests that run the server as a process; serving
a lake in this process as an AWS profile's CloudTrail endpoint."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any


def read_banner(proc: subprocess.Popen[str]) -> tuple[str, str]:
    """The banner `serve` prints before it takes requests, and the URL it listens on."""
    assert proc.stdout is not None
    banner = ""
    for line in proc.stdout:
        banner += line
        if line.startswith("Press Ctrl-C"):
            break
    url = next(ln.split()[2] for ln in banner.splitlines() if ln.startswith("Listening on"))
    return banner, url


def serve_as_profile(lake: Any, folder: Path, monkeypatch: Any, key: str, secret: str) -> Any:
    """Serve `lake` (a LocalLake) over HTTP as the CloudTrail endpoint of an AWS profile `lake` (standing in
    for CloudTrail Lake), written to an AWS config in `folder`; returns the server (shut it down after)."""
    import threading

    from trailtui.local.server import Credentials, make_server

    server = make_server(lake.api, "127.0.0.1", 0, Credentials(key, secret))
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    config, creds = folder / "aws-config", folder / "aws-credentials"
    config.write_text(f"[profile lake]\nregion = us-east-1\nendpoint_url = {server.url}\n")
    creds.write_text(f"[lake]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(creds))
    return server
