"""Which connections `serve` takes on: a bound on all of them, and a smaller one on each client.

Before authentication a connection is just an address, and every connection served holds a thread (its
stack), a head of up to 32 KiB and a body of up to 1 MiB. With only the total bounded, one client holding
every slot (a flood of connections that trickle their heads, each dropped at its deadline and opened again)
shut every other client out. A client is counted by its IP address, an IPv6 client by its /64 (one host's
usual allocation: an IPv6 attacker has 2^64 addresses of its own); past its share it is told to come back
later while other clients are still served.
"""

from __future__ import annotations

import ipaddress
import threading

SHARE = 4  # one client may hold at most a quarter of the connections (64: 16, more than an SDK pools: 10)


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


class Admission:
    """Counts the connections being served, in all and per client."""

    def __init__(self, total: int, per_client: int | None = None) -> None:
        self.total = total
        self.per_client = per_client or max(1, total // SHARE)
        self._lock = threading.Lock()
        self._open = 0
        self._by_client: dict[str, int] = {}

    def admit(self, address: str) -> bool:
        """Take a slot for a connection from `address`; False if all are taken or the client has its share."""
        client = client_of(address)
        with self._lock:
            held = self._by_client.get(client, 0)
            if self._open >= self.total or held >= self.per_client:
                return False
            self._open += 1
            self._by_client[client] = held + 1
            return True

    def release(self, address: str) -> None:
        client = client_of(address)
        with self._lock:
            self._open -= 1
            held = self._by_client.pop(client, 1) - 1
            if held > 0:
                self._by_client[client] = held

    def held(self, address: str) -> int:
        with self._lock:
            return self._by_client.get(client_of(address), 0)
