"""Peak memory (RSS) of `trailtui serve` under the attacks of issue 19, on loopback.

    python -m benchmarks.serve_attacks [--python PY] [--source DIR] [--home HOME] [--serve-arg ARG ...]

Each attack gets a fresh server (so each peak is its own): the server's VmHWM (peak resident set) is read
from /proc after the attack. `--source` runs another checkout's trailtui (for a before/after comparison
from the same interpreter and lake). Every loop is bounded in count and time; sizes are modest so the
script runs on a shared 2-core machine in a couple of minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.serving import read_banner, serve_command

KEY, SECRET = "AKIAATTACKMEASURE001", "attack-measure-secret"
LIST = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.ListEventDataStores"
MB = 1024 * 1024


class Server:
    def __init__(self, python: str, source: str | None, home: Path, extra: list[str]) -> None:
        env = dict(os.environ, TRAILTUI_HOME=str(home))
        if source:
            env["PYTHONPATH"] = source
        self.proc = subprocess.Popen(
            serve_command(
                "--no-demo", "--access-key-id", KEY, "--secret-access-key", SECRET, *extra, python=python
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
            cwd=source,  # `python -m` puts the working folder first: run from the checkout measured
        )
        _, url = read_banner(self.proc)
        self.url = url
        host, port = url.removeprefix("http://").rsplit(":", 1)
        self.address = (host, int(port))

    def peak_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def client(server: Server, service: str = "cloudtrail") -> Any:
    import boto3
    from botocore.config import Config

    return boto3.session.Session(
        aws_access_key_id=KEY, aws_secret_access_key=SECRET, region_name="us-east-1"
    ).client(
        service,
        endpoint_url=server.url,
        config=Config(retries={"total_max_attempts": 1}, read_timeout=300, max_pool_connections=20),
    )


def attack_negative_length(server: Server) -> str:
    """Content-Length: -1 and 200 MB sent, without a signature."""
    sent = 0
    with socket.create_connection(server.address, timeout=5) as s:
        s.sendall(
            f"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: {LIST}\r\nContent-Length: -1\r\n\r\n".encode()
        )
        block = b"x" * MB
        deadline = time.monotonic() + 30
        try:
            while sent < 200 * MB and time.monotonic() < deadline:
                s.sendall(block)
                sent += len(block)
        except OSError:
            pass
        time.sleep(0.5)
    return f"{sent // MB} MB accepted before the server stopped reading"


def attack_half_sent(server: Server) -> str:
    """300 connections, each sending headers and 900 KB of a 1 MB body, then holding still."""
    socks = []
    refused = 0
    body = b"x" * (900 * 1024)
    head = f"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: {LIST}\r\nContent-Length: {MB}\r\n\r\n".encode()
    deadline = time.monotonic() + 60
    for _ in range(300):
        if time.monotonic() > deadline:
            break
        try:
            s = socket.create_connection(server.address, timeout=2)
            s.sendall(head + body)
            socks.append(s)
        except OSError:
            refused += 1
    time.sleep(2)
    for s in socks:
        s.close()
    return f"{len(socks)} connections opened, {refused} refused"


def attack_big_heads(server: Server) -> str:
    """64 connections, each sending 99 headers of 64 KB (6.4 MB of head, no end), then holding still."""
    line = b"X-Pad: " + b"a" * 65000 + b"\r\n"
    socks, cut = [], 0
    for _ in range(64):
        s = socket.create_connection(server.address, timeout=5)
        socks.append(s)
        try:
            s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n" + line * 99)
        except OSError:
            cut += 1  # the server answered and closed before the head was all sent
    time.sleep(2)
    for s in socks:
        s.close()
    return f"{cut} of 64 cut off while sending"


def attack_dripped_heads(server: Server) -> str:
    """64 connections dripping their heads a byte every 2 s (never idle 20 s); then a signed request."""
    socks = [socket.create_connection(server.address, timeout=5) for _ in range(64)]
    for s in socks:
        s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    started = time.monotonic()
    open_ = socks
    while open_ and time.monotonic() - started < 60:
        still = []
        for s in open_:
            try:
                s.sendall(b"a")
                still.append(s)
            except OSError:
                s.close()
        open_ = still
        time.sleep(2)
    held = len(open_)
    try:
        client(server).list_event_data_stores()
        served = "a signed request served"
    except Exception as exc:  # every slot taken: what is measured
        served = f"a signed request failed ({type(exc).__name__})"
    for s in open_:
        s.close()
    return f"{held} of 64 still held after {time.monotonic() - started:.0f}s; {served}"


def _run(ct: Any, sql: str) -> tuple[str, dict[str, Any]]:
    qid = ct.start_query(QueryStatement=sql)["QueryId"]
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        d = ct.describe_query(QueryId=qid)
        if d["QueryStatus"] not in ("QUEUED", "RUNNING"):
            return qid, d
        time.sleep(0.5)
    return qid, d


def attack_repeat(server: Server, store: str) -> str:
    """A query building a 1.5 GB string (against a 1 GB per-query DuckDB limit)."""
    _, d = _run(client(server), f"SELECT length(rpad('x', 1500000000, 'x')) AS n FROM {store} LIMIT 1")
    return f"{d['QueryStatus']} {d.get('ErrorMessage', '')}".strip()


def attack_big_row_reads(server: Server, store: str) -> str:
    """One 200 MB row, then 4 GetQueryResults on it at once."""
    ct = client(server)
    qid, d = _run(ct, f"SELECT rpad('x', 200000000, 'x') AS s FROM {store} LIMIT 1")
    outcomes: list[str] = []

    def read() -> None:
        try:
            r = ct.get_query_results(QueryId=qid)
            outcomes.append(f"{len(r['QueryResultRows'])} row")
        except Exception as exc:  # the server may refuse or run out: that is what is measured
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return f"query {d['QueryStatus']}; reads: {', '.join(outcomes)}"


def attack_ten_queries(server: Server, store: str) -> str:
    """10 queries at once, each building 20 strings of 7 MB and sorting them."""
    ct = client(server)
    sql = f"SELECT rpad(eventid, 7200000, eventid) AS s FROM (SELECT eventid FROM {store} LIMIT 20) ORDER BY s LIMIT 2"
    ids = [ct.start_query(QueryStatement=sql)["QueryId"] for _ in range(10)]
    deadline = time.monotonic() + 240
    states: dict[str, str] = {}
    while time.monotonic() < deadline:
        states = {q: ct.describe_query(QueryId=q)["QueryStatus"] for q in ids}
        if all(s not in ("QUEUED", "RUNNING") for s in states.values()):
            break
        time.sleep(1)
    for q, s in states.items():
        if s in ("QUEUED", "RUNNING"):
            ct.cancel_query(QueryId=q)
    counts: dict[str, int] = {}
    for s in states.values():
        counts[s] = counts.get(s, 0) + 1
    return ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))


def import_peak(python: str, source: str | None, home: Path) -> tuple[float, str]:
    """`trailtui import` of a 1 MB gzip JSON Lines file with one bad line (the line-by-line path)."""
    import gzip

    with tempfile.TemporaryDirectory() as tmp:
        lines = [
            json.dumps({"eventID": f"id-{i}", "eventTime": "2026-01-01T00:00:00Z", "eventName": "x" * 200})
            for i in range(400_000)
        ]
        lines.insert(3, "{broken")
        path = Path(tmp) / "lines.jsonl.gz"
        path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
        env = dict(os.environ, TRAILTUI_HOME=str(home))
        if source:
            env["PYTHONPATH"] = source
        code = (
            "import resource, sys; from trailtui.cli import main; rc = main(['import', '--store', "
            "'attack-lines', sys.argv[1]]); print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
        )
        out = subprocess.run(
            [python, "-c", code, str(path)], capture_output=True, text=True, env=env, timeout=600
        )
        peak = next(
            (int(ln.split()[1]) / 1024 for ln in out.stdout.splitlines() if ln.startswith("PEAK")), 0.0
        )
        return peak, f"{path.stat().st_size // 1024} KB gzip"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--source", help="a checkout whose trailtui to run (PYTHONPATH)")
    ap.add_argument("--home", type=Path, required=True, help="a TRAILTUI_HOME holding a lake with a store")
    ap.add_argument("--store", required=True, help="a store ID to query")
    ap.add_argument("--serve-arg", action="append", default=[])
    ap.add_argument("--only", help="comma-separated attack names")
    args = ap.parse_args()
    attacks: dict[str, Callable[[Server], str]] = {
        "idle": lambda s: "no requests",
        "content-length -1 (200 MB)": attack_negative_length,
        "300 half-sent bodies": attack_half_sent,
        "64 heads of 6.4 MB": attack_big_heads,
        "64 dripped heads": attack_dripped_heads,
        "repeat('x', 1.5e9)": lambda s: attack_repeat(s, args.store),
        "4 reads of a 200 MB row": lambda s: attack_big_row_reads(s, args.store),
        "10 wide queries at once": lambda s: attack_ten_queries(s, args.store),
    }
    only = set(args.only.split(",")) if args.only else None
    for name, attack in attacks.items():
        if only and not any(o in name for o in only):
            continue
        server = Server(args.python, args.source, args.home, args.serve_arg)
        try:
            started = time.monotonic()
            outcome = attack(server)
            alive = "alive" if server.alive() else "DEAD"
            print(
                f"{name:32} peak {server.peak_mb():7.0f} MB  {time.monotonic() - started:5.1f}s  {alive}; {outcome}",
                flush=True,
            )
        finally:
            server.stop()
    if not only or "import" in only:
        peak, what = import_peak(args.python, args.source, args.home)
        print(f"{'import JSON Lines (' + what + ')':32} peak {peak:7.0f} MB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
