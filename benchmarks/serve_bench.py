"""`trailtui serve` under load: 50 concurrent SDK clients making 200 calls each (DescribeQuery and
GetQueryResults), requests per second. Reference, same run, same clients: a bare http.server endpoint that
answers every call with a fixed DescribeQuery response (no signature check, no lake), the floor of the HTTP
stack trailtui's server is built on."""

from __future__ import annotations

import json
import multiprocessing
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from benchmarks.lake1m import lake_home
from benchmarks.serving import cloudtrail_client, serving

CLIENTS, CALLS, PROCESSES = 50, 200, 5


def _client(url: str) -> Any:
    from botocore.config import Config

    return cloudtrail_client(
        url, Config(retries={"mode": "standard", "max_attempts": 1}, max_pool_connections=CLIENTS)
    )


def _process(url: str, qid: str, threads: int, fixed: bool, out: Any) -> None:
    errors = 0

    def work() -> None:
        nonlocal errors
        c = _client(url)
        for i in range(CALLS):
            try:
                if i % 2 or fixed:
                    c.describe_query(QueryId=qid)
                else:
                    c.get_query_results(QueryId=qid, MaxQueryResults=10)
            except Exception:
                errors += 1

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    out.put(errors)


def load(url: str, qid: str, fixed: bool = False) -> tuple[float, int]:
    """Requests per second and errors for CLIENTS clients spread over PROCESSES processes."""
    queue: Any = multiprocessing.Queue()
    procs = [
        multiprocessing.Process(target=_process, args=(url, qid, CLIENTS // PROCESSES, fixed, queue))
        for _ in range(PROCESSES)
    ]
    start = time.perf_counter()
    for p in procs:
        p.start()
    errors = sum(queue.get() for _ in procs)
    for p in procs:
        p.join()
    return CLIENTS * CALLS / (time.perf_counter() - start), errors


class _Fixed(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    body = b""

    def log_message(self, *_: Any) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)


def run() -> list[tuple[str, float, float]]:
    home, _ = lake_home(200_000)
    with serving(home) as url:
        ct = _client(url)
        store = ct.list_event_data_stores()["EventDataStores"][0]["EventDataStoreArn"].rsplit("/", 1)[1]
        qid = ct.start_query(QueryStatement=f"SELECT eventName, count(*) FROM {store} GROUP BY 1")["QueryId"]
        while ct.describe_query(QueryId=qid)["QueryStatus"] in ("QUEUED", "RUNNING"):
            time.sleep(0.05)
        _Fixed.body = json.dumps(ct.describe_query(QueryId=qid), default=str).encode()
        rps, errors = load(url, qid)
        assert errors == 0, f"{errors} calls failed"
    fixed = ThreadingHTTPServer(("127.0.0.1", 0), _Fixed)
    fixed.daemon_threads = True
    threading.Thread(target=fixed.serve_forever, daemon=True).start()
    ref, _ = load(f"http://127.0.0.1:{fixed.server_address[1]}", qid, fixed=True)
    fixed.shutdown()
    return [("serve requests/s, 50 clients x 200 calls", rps, ref)]


def main() -> None:
    for name, value, ref in run():
        print(f"{name:44} {value:10,.0f} {ref:10,.0f} {value / ref:6.2f}x")


if __name__ == "__main__":
    main()
