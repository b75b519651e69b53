"""`trailtui serve`: run the local lake's CloudTrail API over HTTP until interrupted."""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import secrets
import signal
import sys
import threading
from typing import Any

ACCESS_KEY_ENV = "TRAILTUI_SERVE_ACCESS_KEY_ID"
SECRET_KEY_ENV = "TRAILTUI_SERVE_SECRET_ACCESS_KEY"


def _is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _credentials(access_key_id: str | None, secret: str | None) -> tuple[str, str, str]:
    """(key id, secret, the banner's line that sets AWS_SECRET_ACCESS_KEY).

    A generated secret is shown once, there. A secret the user gave is never shown: the line reads it from
    $TRAILTUI_SERVE_SECRET_ACCESS_KEY when it came from there, else it is a comment for the user to fill in
    (a placeholder like `<secret>` after `export` would be a shell syntax error when the block is pasted).
    """
    key = access_key_id or os.environ.get(ACCESS_KEY_ENV)
    if secret:
        line = "# export AWS_SECRET_ACCESS_KEY=...  (the secret given with --secret-access-key)"
    elif os.environ.get(SECRET_KEY_ENV):
        secret = os.environ[SECRET_KEY_ENV]
        line = f'export AWS_SECRET_ACCESS_KEY="${SECRET_KEY_ENV}"'
    else:
        secret = secrets.token_urlsafe(30)
        line = f"export AWS_SECRET_ACCESS_KEY={secret}"
    if key is None:
        key = "AKIATRAILTUI" + secrets.token_hex(4).upper()
    return key, secret, line


_UNITS = {
    "": 1,
    "B": 1,
    "KB": 10**3,
    "MB": 10**6,
    "GB": 10**9,
    "TB": 10**12,
    "KIB": 2**10,
    "MIB": 2**20,
    "GIB": 2**30,
    "TIB": 2**40,
}


def parse_size(text: str) -> int | None:
    """'4GB', '512MiB', '1000000' -> bytes; 'none' -> None (no cap)."""
    if text.strip().lower() in ("none", "0", "off"):
        return None
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", text)
    if not m or m.group(2).upper() not in _UNITS:
        raise ValueError(f"{text!r} is not a size (say 4GB or 512MB)")
    return int(float(m.group(1)) * _UNITS[m.group(2).upper()])


def cap_memory(limit: int | None) -> None:
    """Cap the process's data memory (RLIMIT_DATA): every allocation past it fails, in DuckDB as in Python.

    DuckDB's memory_limit governs its buffer manager, not every allocation (building a 2 GB string with
    repeat() passes it), and results are rendered in Python outside it. The kernel's limit holds for all
    of them: DuckDB raises 'Out of Memory' (the query ends FAILED), Python raises MemoryError (the request
    gets a 500), and the server goes on serving.
    """
    if limit is None:
        return
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def run_serve(args: Any) -> int:
    from trailtui.commands.common import open_lake
    from trailtui.local.faults import FaultSpecError, parse_faults
    from trailtui.local.server import Credentials, make_server
    from trailtui.local.service import LocalLake

    if not re.fullmatch(r"\d{12}", args.account_id):
        print("trailtui serve: --account-id must be 12 digits", file=sys.stderr)
        return 2
    try:
        faults = parse_faults(args.faults) if args.faults else None
    except FaultSpecError as exc:
        print(f"trailtui serve: --faults: {exc}", file=sys.stderr)
        return 2
    try:
        memory_cap = parse_size(args.max_memory)
    except ValueError as exc:
        print(f"trailtui serve: --max-memory: {exc}", file=sys.stderr)
        return 2
    if args.max_connections < 1:
        print("trailtui serve: --max-connections must be at least 1", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        stream=sys.stderr,
        format="%(asctime)s %(name)s %(message)s",
    )
    open_lake(build_demo_if_empty=not args.no_demo)  # a fresh lake gets the demo, unless asked not to
    from trailtui.local.server import connection_threads_reserve

    # serve3: connection threads' stacks come on top, so held connections take nothing from queries.
    cap_memory(None if memory_cap is None else memory_cap + connection_threads_reserve(args.max_connections))
    lake = LocalLake(account_id=args.account_id, region=args.region)
    key, secret, secret_line = _credentials(args.access_key_id, args.secret_access_key)
    try:
        server = make_server(
            lake.api,
            args.host,
            args.port,
            Credentials(key, secret),
            faults,
            args.max_connections,
            allow_paths=args.allow_path,
        )
    except OSError as exc:
        import errno

        advice = ""
        if exc.errno == errno.EADDRINUSE:
            advice = " (another trailtui serve, or another program, has it): choose another with --port N, or --port 0 for a free one"
        elif exc.errno == errno.EADDRNOTAVAIL:
            advice = ": --host must be an address of this machine (127.0.0.1 by default)"
        print(
            f"trailtui serve: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}{advice}",
            file=sys.stderr,
        )
        lake.close()
        return 1
    if not _is_loopback(args.host):
        print(
            f"warning: serving on {args.host}, reachable from other machines; anyone with the credential "
            "pair can query your logs",
            file=sys.stderr,
        )
    print(
        f"trailtui serve: CloudTrail Lake API of the local lake at {server.url} "
        f"(account {args.account_id}, {args.region})\n"
        f"Listening on {server.url}\n"
        "Use it from the AWS CLI or any SDK:\n"
        f"  export AWS_ENDPOINT_URL={server.url}\n"
        f"  export AWS_ACCESS_KEY_ID={key}\n"
        f"  {secret_line}\n"
        "  unset AWS_SESSION_TOKEN AWS_SECURITY_TOKEN\n"
        f"  export AWS_REGION={args.region} AWS_DEFAULT_REGION={args.region}\n"
        "  aws cloudtrail list-event-data-stores\n"
        + (f"Fault injection: {args.faults}\n" if faults and faults.active else "")
        + "Press Ctrl-C to stop.",
        flush=True,
    )

    def stop(signum: int, _frame: Any) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        lake.close()  # cancels running queries; the lake file is only ever read by queries
        print(
            f"trailtui serve: stopped after {server.requests_served:,} requests", file=sys.stderr, flush=True
        )
    return 0
