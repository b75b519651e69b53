"""The first run, as a new user has it: the explorer launched on a fresh TRAILTUI_HOME, in a pseudo-terminal.

Measured from exec, for the first start (the demo's newest day built before the stores are listed, the rest
left to a background build) and, as the reference in the same run, a second start on the same home (the demo
already built):
- stores listed: the demo store's name drawn in the stores pane;
- the welcome query's rows: ctrl+j typed as soon as the store is listed (the editor holds the welcome query),
  until the status line says how many rows are loaded;
- the whole demo built in the background (first start only): until the "ready" notice.
Then `trailtui demo` on a fresh home, in its own process: the whole build's wall time and peak memory.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from trailtui.tui import events

Row = tuple[str, float, float]

STORE_LISTED = b"org-events"
ROWS_LOADED = b"rows loaded"
# The explorer's own words (a toast since 955ddf8; the benchmark waited for the old ones until it timed out).
DEMO_READY = events.DEMO_READY.encode()
CTRL_J, CTRL_Q = b"\n", b"\x11"


def _env(home: Path) -> dict[str, str]:
    return dict(
        os.environ,
        TRAILTUI_HOME=str(home),
        TERM="xterm-256color",
        # No AWS profile: the stores pane's AWS half says so at once, without any network call.
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )


class _Terminal:
    """The explorer in a 120x40 pseudo-terminal, read until markers appear in what it draws."""

    def __init__(self, home: Path) -> None:
        self.start = time.perf_counter()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the explorer
            argv = [sys.executable, "-m", "trailtui"]
            os.execvpe(argv[0], argv, _env(home))
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.seen = b""

    def until(self, marker: bytes, timeout: float) -> float:
        """Seconds from exec until `marker` has been drawn (what was read before it is dropped)."""
        deadline = time.monotonic() + timeout
        while marker not in self.seen:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.fd], [], [], max(left, 0))
            if not ready:
                raise TimeoutError(f"the explorer drew no {marker!r} in {timeout:.0f} s")
            self.seen = (self.seen + os.read(self.fd, 1 << 16))[-(1 << 20) :]
        at = time.perf_counter() - self.start
        self.seen = self.seen[self.seen.index(marker) + len(marker) :]
        return at

    def type(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def close(self) -> None:
        self.type(CTRL_Q)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if os.waitpid(self.pid, os.WNOHANG)[0]:
                break
            with_data, _, _ = select.select([self.fd], [], [], 0.1)
            if with_data:
                with contextlib.suppress(OSError):
                    os.read(self.fd, 1 << 16)
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def start(home: Path, wait_for_demo: bool) -> dict[str, float]:
    term = _Terminal(home)
    try:
        listed = term.until(STORE_LISTED, 120)
        term.type(CTRL_J)
        ready = term.until(ROWS_LOADED, 120)
        built = term.until(DEMO_READY, 600) if wait_for_demo else float("nan")
    finally:
        term.close()
    return {"listed": listed, "ready": ready, "built": built}


_BUILD = """
import json, sys, time
from trailtui.local.demo import build_demo
from trailtui.local.lakefile import LakeFile
from trailtui.paths import locations
start = time.perf_counter()
report = build_demo(LakeFile(locations(sys.argv[1]).ensure()))
assert report.ok
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent through fork and exec, so a build
# started by a benchmark process that had grown (the volume suite's references) reported that process's size.
try:
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
except OSError:  # not Linux
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": time.perf_counter() - start, "peak_mb": peak, "events": report.store.event_count}))
"""


def build_demo_home(home: Path) -> dict[str, float]:
    """`trailtui demo` into `home`, in its own process: its seconds, peak memory and events."""
    out = subprocess.run(
        [sys.executable, "-c", _BUILD, str(home)], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (5 min {five:.1f}) on {os.cpu_count()} cores"


def run(repeats: int = 3) -> list[Row]:
    firsts, seconds = [], []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="trailtui-firstrun-") as tmp:
            print(f"first run: {_load()}", file=sys.stderr, flush=True)
            firsts.append(start(Path(tmp), wait_for_demo=True))
            seconds.append(start(Path(tmp), wait_for_demo=False))
    with tempfile.TemporaryDirectory(prefix="trailtui-demo-build-") as tmp:
        build = build_demo_home(Path(tmp))
    print(f"first run: done, {_load()}", file=sys.stderr, flush=True)

    def median(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    return [
        (
            "first run: stores listed, s vs a second start",
            median(firsts, "listed"),
            median(seconds, "listed"),
        ),
        (
            "first run: welcome query's rows, s vs a second start",
            median(firsts, "ready"),
            median(seconds, "ready"),
        ),
        ("first run: whole demo built in the background, s", median(firsts, "built"), float("nan")),
        ("demo build (trailtui demo, 105,000 events), s", build["seconds"], float("nan")),
        ("demo build peak RSS, MB", build["peak_mb"], float("nan")),
    ]


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    for name, value, ref in run(repeats):
        print(f"{name:56} {value:10.2f} {ref:10.2f}")


if __name__ == "__main__":
    main()
