"""Reading `trailtui serve`'s start-up banner, shared by the tests that run the server as a process."""

from __future__ import annotations

import subprocess


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
