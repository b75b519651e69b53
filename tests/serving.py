"""Serving a lake in this process as an AWS profile's CloudTrail endpoint. (`trailtui serve` as a process:
benchmarks/serving.py.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any


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
