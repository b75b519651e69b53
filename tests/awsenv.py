"""The AWS set-up a test runs under: none of the machine's (conftest.py applies `no_aws` to every test), then
only what the test gives: keys from the environment, or config and credentials files of its own; and moto's
server standing in for AWS's S3, Athena and Glue."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pytest


def no_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    """No AWS set-up at all: no AWS_* variable of whoever runs the tests (profile, keys, Region, endpoints),
    no ~/.aws files, no instance metadata (which botocore would otherwise wait for)."""
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def use_keys(
    monkeypatch: pytest.MonkeyPatch,
    key: str = "testing",
    secret: str = "testing",
    region: str | None = "us-east-1",
    **more: str,
) -> None:
    """Keys (and a Region) from the environment, as botocore's default chain finds them: moto's fake account,
    or the key pair of a lake served in the test. `more`: other variables, e.g. AWS_ENDPOINT_URL_S3."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    if region is not None:
        monkeypatch.setenv("AWS_DEFAULT_REGION", region)
    for name, value in more.items():
        monkeypatch.setenv(name, value)


def child_env(**variables: str) -> dict[str, str]:
    """The environment of a child process (the AWS CLI, `trailtui serve`, `trailtui query`): this process's
    without its AWS_* variables, no AWS files and no instance metadata, then `variables`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull, AWS_EC2_METADATA_DISABLED="true"
    )
    env.update(variables)
    return env


def keys_env(key: str, secret: str, region: str | None = "us-east-1", **more: str) -> dict[str, str]:
    """child_env with these keys (and Region) from the environment; `more` may replace any of them."""
    keys = {"AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret}
    if region is not None:
        keys["AWS_DEFAULT_REGION"] = region
    return child_env(**{**keys, **more})


def aws_files(monkeypatch: pytest.MonkeyPatch, folder: Path, config: str, credentials: str = "") -> None:
    """This test's own AWS config and credentials files, written in `folder` and named by AWS_CONFIG_FILE and
    AWS_SHARED_CREDENTIALS_FILE."""
    config_file, credentials_file = folder / "aws-config", folder / "aws-credentials"
    config_file.write_text(config)
    credentials_file.write_text(credentials)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config_file))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials_file))


def endpoint_profile(
    name: str, url: str, key: str, secret: str, region: str = "us-east-1"
) -> tuple[str, str]:
    """A named profile whose endpoint is `url` (a lake served in the test), with its keys: the profile's
    config section and its credentials section, for aws_files."""
    config = f"[profile {name}]\nregion = {region}\nendpoint_url = {url}\n"
    credentials = f"[{name}]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n"
    return config, credentials


@contextmanager
def running_moto() -> Iterator[str]:
    """moto's server (S3, Athena, Glue, ... as one endpoint) on a free loopback port, in a thread of this
    process: its URL, for AWS_ENDPOINT_URL(_S3) or a client's endpoint_url."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server._server.server_address  # type: ignore[union-attr]  # port 0: the one it was given
        yield f"http://{host}:{port}"
    finally:
        server.stop()
