"""Which connections `serve` takes on: a bound on all of them, shared fairly between clients when full.

Before authentication a connection is just an address, and every connection served holds a thread (its
stack), a socket, a head of up to 32 KiB and a body of up to 1 MiB. With only the total bounded, one client
holding every slot (a flood of connections that trickle their heads, each dropped at its deadline and opened
again) shut every other client out. A fixed share per client would turn away a legitimate SDK that pools
many connections while the server is idle, so the share applies only when every slot is taken: then a new
connection from a client holding fewer connections than some other client takes a slot from the busiest,
by closing one of its connections still reading a request (an idle keep-alive connection, or a head or body
still trickling in: a legitimate client sends its head and body at once; never one being answered). Which
one: a connection that has not yet carried an authenticated request first, then the busiest client's, then
the one reading longest. So a flood from one address, or from many holding a connection or two each, leaves
room for the next client, its own next connection is refused, and an honest client's idle keep-alive
connection is never taken while any connection without the key is there to take (by age alone, a flood from
many addresses churned through its own connections and soon reached the honest client's oldest one). Only
a client holding more than the newcomer's client gives way, so a client keeps at least its fair share. A client is counted by its IP address,
an IPv6 client by its /64 (one host's usual allocation: an IPv6 attacker has 2^64 addresses of its own).
"""

from __future__ import annotations

import contextlib
import ipaddress
import resource
import socket
import threading
import time
from dataclasses import dataclass, field

MAX_GIVING_UP = 8


def client_of(address: str) -> str:
    """The unit a client is counted by: its IPv4 address, or its IPv6 /64."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:  # not an IP address (a Unix socket, say): itself
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


@dataclass(eq=False)
class Slot:
    """One connection being served."""

    client: str
    sock: socket.socket
    reading: bool = (
        True  # no whole request in hand (idle, or head or body coming in): closing it loses nothing
    )
    evicted: bool = False
    authenticated: bool = False  # it carried a request signed with serve's key: its client holds the key
    since: float = field(default_factory=time.monotonic)  # when it last began reading a request


class Admission:
    """The connections being served, by client; admits, refuses or makes room for a new one."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.evictions = 0
        self._lock = threading.Lock()
        self._by_client: dict[str, list[Slot]] = {}
        self._open = 0
        self._giving_up = 0  # connections given up to another client whose handlers have not ended yet

    def admit(self, address: str, sock: socket.socket) -> Slot | None:
        """A slot for a new connection from `address`, or None: every slot is taken and no client holds more
        connections than this one (or theirs are all being answered)."""
        client = client_of(address)
        victim: Slot | None = None
        with self._lock:
            if self._open >= self.total:
                held = {c: sum(not s.evicted for s in slots) for c, slots in self._by_client.items()}
                mine = held.get(client, 0)
                # Never one that carried a signed request while one without the key is there to take; then
                # the busiest client's, reading longest: a flood's trickling head, never a legitimate request
                # that arrived whole a moment ago.
                victim = min(
                    (
                        s
                        for c, slots in self._by_client.items()
                        if held[c] > mine
                        for s in slots
                        if s.reading and not s.evicted
                    ),
                    key=lambda s: (s.authenticated, -held[s.client], s.since),
                    default=None,
                )
                # Each given-up connection holds its thread until it has read end-of-stream (at once):
                # a few at a time, so a flood of newcomers cannot push the threads past the bound.
                if victim is None or self._giving_up >= MAX_GIVING_UP:
                    return None
                victim.evicted = True
                self.evictions += 1
                self._giving_up += 1
            slot = Slot(client, sock)
            self._by_client.setdefault(client, []).append(slot)
            self._open += 1
        if victim is not None:
            # Its handler, blocked reading a head or a body, reads end-of-stream and ends, releasing the slot.
            with contextlib.suppress(OSError):
                victim.sock.shutdown(socket.SHUT_RDWR)
        return slot

    def release(self, slot: Slot) -> None:
        with self._lock:
            slots = self._by_client.get(slot.client, [])
            if slot in slots:
                slots.remove(slot)
                self._open -= 1
                self._giving_up -= slot.evicted
            if not slots:
                self._by_client.pop(slot.client, None)

    def set_reading(self, slot: Slot, reading: bool) -> bool:
        """Mark the connection as reading a request (True: idle, head or body coming in) or answering one
        (False); False if it was given up to another client meanwhile (then it must not answer)."""
        with self._lock:
            slot.reading = reading
            slot.since = time.monotonic()
            return not slot.evicted

    def authenticated(self, slot: Slot) -> None:
        """The connection carried a request signed with serve's key: it gives way last."""
        with self._lock:
            slot.authenticated = True

    def held(self, address: str) -> int:
        with self._lock:
            return sum(not s.evicted for s in self._by_client.get(client_of(address), []))


def connection_threads_reserve(max_connections: int) -> int:
    """The address space the connection threads reserve for their stacks, which the kernel counts in
    RLIMIT_DATA (`--max-memory`): 8 MiB each by default, 8.2 MiB measured. Added to the cap, so queries may
    use what `--max-memory` says and the connection threads come on top (reserved, hardly resident)."""
    stack = threading.stack_size()
    if not stack:
        soft = resource.getrlimit(resource.RLIMIT_STACK)[0]
        stack = soft if 0 < soft < resource.RLIM_INFINITY else 8 * 1024 * 1024
    # Every slot, the connections being given up meanwhile, and a few threads of serve's own (shutdown).
    threads = max_connections + MAX_GIVING_UP + 4
    return threads * (stack + 256 * 1024)  # a thread's own bookkeeping beyond its stack: 8.2 MiB measured
