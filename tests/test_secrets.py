"""No credential is ever written to history, logs, exports or the lake: every file trailtui wrote, and what
`serve --verbose` logged, is searched for the secret."""

from __future__ import annotations

import base64
import os
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest

from benchmarks.serving import read_banner, serve_command
from tests.awsenv import use_keys
from trailtui.cli import main
from trailtui.local.demo import DEMO_STORE_ID

SECRET = "sEcReT-Do-Not-Leak-7f3a9c0e2b4d6a8e"
KEY = "AKIASECRETSTEST00001"
SESSION_TOKEN = "TOKEN-do-not-leak-0a1b2c3d4e5f"


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_no_secret_in_anything_written(
    demo_lake: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = Path(os.environ["TRAILTUI_HOME"])
    serve_log = tmp_path / "serve.log"
    with open(serve_log, "w") as log:
        proc = subprocess.Popen(
            serve_command("--verbose", "--access-key-id", KEY),
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env=dict(os.environ, TRAILTUI_SERVE_SECRET_ACCESS_KEY=SECRET),
        )
        banner, url = read_banner(proc)
        try:
            use_keys(monkeypatch, KEY, SECRET)
            sql = f"SELECT eventName, count(*) FROM {DEMO_STORE_ID} GROUP BY 1"
            for fmt in ("json", "csv"):  # exports are files trailtui writes
                out = str(home / f"out.{fmt}")
                assert main(["query", "--endpoint-url", url, "--format", fmt, "--output", out, sql]) == 0
            assert (
                main(["query", "--endpoint-url", url, "SELECT nope FROM x"]) == 1
            )  # a failure is recorded too
            # A stale session token: refused (serve's key takes none), and logged without the token.
            monkeypatch.setenv("AWS_SESSION_TOKEN", SESSION_TOKEN)
            assert main(["query", "--endpoint-url", url, sql]) == 1
            monkeypatch.delenv("AWS_SESSION_TOKEN")
            monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wrong-" + SECRET)  # a rejected signature gets logged
            assert main(["query", "--endpoint-url", url, sql]) == 1
            assert main(["history", "--format", "json"]) == 0
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
    printed = capsys.readouterr()
    assert SECRET not in banner and SECRET not in printed.out and SECRET not in printed.err
    needles = [SECRET.encode(), base64.b64encode(SECRET.encode()), SESSION_TOKEN.encode()]
    written = [*_files(home), serve_log]
    assert len(written) > 5
    for path in written:
        data = path.read_bytes()
        for needle in needles:
            assert needle not in data, f"{path} contains the secret"
    logged = serve_log.read_text()
    assert "ListEventDataStores" in logged or "StartQuery" in logged
    assert "(not authenticated: UnrecognizedClientException, a session token was sent)" in logged
