"""Trino's IPADDRESS type and IP functions (trino.io/docs/current/functions/ipaddress.html,
language/types.html#ipaddress), without a DuckDB extension.

An IPADDRESS travels through DuckDB as its canonical text, the text Trino prints: IPv4 (also for IPv4-mapped
IPv6 addresses) in dotted form, IPv6 in RFC 5952 form (TestIpAddressOperators.testVarcharToIpAddressCast).
Equal addresses therefore have equal text; order comparisons between addresses use a 16-byte key, as
Trino orders them. (Presto's IPPREFIX type is not Trino's: translate/grammar.py refuses it.)
"""

from __future__ import annotations

import ipaddress
from typing import Any

from sqlglot import exp

from trailtui.local.trino_functions.core import Rewriter, handles, udf

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(text: str) -> IpAddress:
    if "%" in text:
        raise ValueError
    ip = ipaddress.ip_address(text)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def canonical(text: str) -> str:
    try:
        return str(_address(text.strip()))
    except ValueError:
        raise ValueError(f"Cannot cast value to IPADDRESS: {text}") from None


def _sixteen(ip: IpAddress) -> bytes:
    if isinstance(ip, ipaddress.IPv4Address):
        return b"\0" * 10 + b"\xff\xff" + ip.packed
    return ip.packed


def _network(text: str, what: str = "CIDR") -> IpNetwork:
    try:
        address, slash, length = text.strip().partition("/")
        if not slash:
            raise ValueError
        ip = _address(address)
        return ipaddress.ip_network(f"{ip}/{int(length)}", strict=False)
    except ValueError:
        raise ValueError(f"Cannot cast value to {what}: {text}") from None


@udf("trino_ipaddress", ("VARCHAR",), "VARCHAR")
def _cast(text: str) -> str:
    return canonical(text)


@udf("trino_try_ipaddress", ("VARCHAR",), "VARCHAR")
def _try_cast(text: str) -> str | None:
    try:
        return canonical(text)
    except ValueError:
        return None


@udf("trino_ipaddress_from_bytes", ("BLOB",), "VARCHAR")
def _from_bytes(data: bytes) -> str:
    if len(data) == 4:
        return str(ipaddress.IPv4Address(data))
    if len(data) == 16:
        return str(_address(str(ipaddress.IPv6Address(data))))
    raise ValueError(f"Invalid IP address binary length: {len(data)}")


@udf("trino_ipaddress_bytes", ("VARCHAR",), "BLOB")
def _to_bytes(text: str) -> bytes:
    return _sixteen(_address(text))


@udf("trino_ip_contains", ("VARCHAR", "VARCHAR"), "BOOLEAN")
def _contains(network: str, address: str) -> bool:
    """contains(network, address): whether a CIDR network holds an address."""
    net = _network(network, "CIDR")
    ip = _address(address)
    return net.version == ip.version and ip in net


# -- rewrites ------------------------------------------------------------------------------------------

_IP_CALLS = {"trino_ipaddress", "trino_try_ipaddress", "trino_ipaddress_from_bytes"}


def is_ip(node: Any) -> bool:
    return isinstance(node, exp.Anonymous) and str(node.name) in _IP_CALLS


def _is_type(dt: Any, kind: str) -> bool:
    return isinstance(dt, exp.DataType) and dt.this == getattr(exp.DataType.Type, kind, None)


@handles(exp.Cast, exp.TryCast)
def _cast_rewrite(rw: Rewriter, node: Any) -> Any:
    to = node.args.get("to")
    value = node.this
    if _is_type(to, "IPADDRESS"):
        if is_ip(value):
            return value
        if isinstance(value, exp.HexString):
            return rw.call(
                "trino_ipaddress_from_bytes",
                exp.Anonymous(this="unhex", expressions=[exp.Literal.string(value.this)]),
            )
        return rw.call("trino_try_ipaddress" if isinstance(node, exp.TryCast) else "trino_ipaddress", value)
    if is_ip(value) and (_is_type(to, "VARBINARY") or _is_type(to, "BINARY")):
        return rw.call("trino_ipaddress_bytes", value)
    return None


def is_network_contains(node: Any) -> bool:
    """contains(network, address) rather than contains(array, element)."""
    network, address = node.this, node.expression
    return is_ip(address) or (isinstance(network, exp.Literal) and network.is_string and "/" in network.this)


@handles(exp.ArrayContains)
def _contains_rewrite(rw: Rewriter, node: Any) -> Any:
    if is_network_contains(node):
        return rw.call("trino_ip_contains", node.this, node.expression)
    return None


@handles(exp.LT, exp.LTE, exp.GT, exp.GTE)
def _order(rw: Rewriter, node: Any) -> Any:
    if not (is_ip(node.this) or is_ip(node.expression)):
        return None
    node.set("this", rw.call("trino_ipaddress_bytes", node.this))
    node.set("expression", rw.call("trino_ipaddress_bytes", node.expression))
    return node


@handles(exp.Between)
def _between(rw: Rewriter, node: Any) -> Any:
    parts = [node.this, node.args.get("low"), node.args.get("high")]
    if not any(is_ip(p) for p in parts):
        return None
    for key in ("this", "low", "high"):
        node.set(key, rw.call("trino_ipaddress_bytes", node.args.get(key)))
    return node
