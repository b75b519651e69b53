"""Trino's URL functions (trino.io/docs/current/functions/url.html), expected values from Trino's
TestUrlFunctions.

Trino parses with java.net.URI: a string that is not a valid URI gives NULL from every extractor, and a
component the URI lacks gives the empty string (the port gives NULL). Python's urllib accepts almost
anything, so the few URI rules that decide validity are checked here (a small parser is cheaper than
reproducing java.net.URI's differences on top of urllib).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from trailtui.local.trino_functions.core import Rewriter, args_of, handles, udf

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_ILLEGAL = set(' "<>\\^`{|}')
_HEX = set("0123456789abcdefABCDEF")


class _Uri:
    __slots__ = ("fragment", "host", "path", "port", "query", "raw_query", "scheme")

    def __init__(self) -> None:
        self.scheme = ""
        self.host = ""
        self.port: int | None = None
        self.path = ""
        self.query = ""
        self.raw_query: str | None = None
        self.fragment = ""


def _legal(part: str, brackets: bool = False) -> bool:
    i = 0
    while i < len(part):
        c = part[i]
        if c in _ILLEGAL or ord(c) < 0x20 or ord(c) == 0x7F or (c in "[]" and not brackets) or c == "#":
            return False
        if c == "%":
            if part[i + 1 : i + 2] not in _HEX or part[i + 2 : i + 3] not in _HEX:
                return False
            i += 3
            continue
        i += 1
    return True


def _decode(text: str) -> str:
    return unquote(text, errors="replace")


def parse_uri(text: str) -> _Uri | None:
    """The parts of a URI as java.net.URI gives them, or None if Java would refuse it."""
    uri = _Uri()
    rest, sep, fragment = text.partition("#")
    if sep:
        if not _legal(fragment):
            return None
        uri.fragment = _decode(fragment)
    m = _SCHEME.match(rest)
    if m:
        uri.scheme = m.group(1)
        rest = rest[m.end() :]
        if not rest:
            return None
        if not rest.startswith("/"):  # opaque, such as mailto:someone@example.com
            return uri if _legal(rest) else None
    elif rest.startswith(":"):
        return None
    rest, qsep, query = rest.partition("?")
    if qsep:
        if not _legal(query, brackets=False):
            return None
        uri.raw_query = query
        uri.query = _decode(query)
    if rest.startswith("//"):
        rest = rest[2:]
        slash = rest.find("/")
        authority, path = (rest, "") if slash < 0 else (rest[:slash], rest[slash:])
        if not _legal(authority, brackets=True):
            return None
        hostport = authority.rpartition("@")[2]
        if hostport.startswith("["):
            end = hostport.find("]")
            if end < 0:
                return None
            uri.host, tail = hostport[: end + 1], hostport[end + 1 :]
        else:
            uri.host, colon, tail = hostport.partition(":")
            tail = colon + tail
        if tail:
            digits = tail[1:]
            if not tail.startswith(":") or (digits and not digits.isdigit()):
                return None
            if digits:
                uri.port = int(digits)
        rest = path
    elif m is None and not rest and not qsep and not sep:
        return uri
    if not _legal(rest):
        return None
    uri.path = _decode(rest)
    return uri


@udf("trino_url_extract_protocol", ("VARCHAR",), "VARCHAR")
def _protocol(url: str) -> str | None:
    u = parse_uri(url)
    return None if u is None else u.scheme


@udf("trino_url_extract_host", ("VARCHAR",), "VARCHAR")
def _host(url: str) -> str | None:
    u = parse_uri(url)
    return None if u is None else u.host


@udf("trino_url_extract_port", ("VARCHAR",), "BIGINT")
def _port(url: str) -> int | None:
    u = parse_uri(url)
    return None if u is None else u.port


@udf("trino_url_extract_path", ("VARCHAR",), "VARCHAR")
def _path(url: str) -> str | None:
    u = parse_uri(url)
    return None if u is None else u.path


@udf("trino_url_extract_query", ("VARCHAR",), "VARCHAR")
def _query(url: str) -> str | None:
    u = parse_uri(url)
    return None if u is None else u.query


@udf("trino_url_extract_fragment", ("VARCHAR",), "VARCHAR")
def _fragment(url: str) -> str | None:
    u = parse_uri(url)
    return None if u is None else u.fragment


@udf("trino_url_extract_parameter", ("VARCHAR", "VARCHAR"), "VARCHAR")
def _parameter(url: str, name: str) -> str | None:
    """The first value of a query parameter, form-decoded ('+' is a space); '' for a parameter without
    '=' (Trino's UrlFunctions: split the raw query on '&', then URLDecoder on the value)."""
    u = parse_uri(url)
    if u is None or not u.raw_query:
        return None
    for pair in u.raw_query.split("&"):
        if not pair:
            continue
        key, eq, value = pair.partition("=")
        if key == name:
            return _decode_form(value) if eq else ""
    return None


_FORM_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.*")


@udf("trino_url_encode", ("VARCHAR",), "VARCHAR")
def _encode(text: str) -> str:
    """Form encoding as Trino's url_encode: letters, digits and `-_.*` kept, space as `+`, the rest as
    `%XX` of its UTF-8 bytes."""
    out: list[str] = []
    for ch in text:
        if ch in _FORM_SAFE:
            out.append(ch)
        elif ch == " ":
            out.append("+")
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))
    return "".join(out)


@udf("trino_url_decode", ("VARCHAR",), "VARCHAR")
def _decode_form(text: str) -> str:
    data = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        if c == "+":
            data += b" "
            i += 1
        elif c == "%":
            pair = text[i + 1 : i + 3]
            if len(pair) != 2 or not all(x in _HEX for x in pair):
                raise ValueError(f"URLDecoder: Illegal hex characters in escape (%) pattern - {pair!r}")
            data.append(int(pair, 16))
            i += 3
        else:
            data += c.encode("utf-8")
            i += 1
    return data.decode("utf-8", errors="replace")


_FUNCTIONS = (
    "url_extract_protocol",
    "url_extract_host",
    "url_extract_port",
    "url_extract_path",
    "url_extract_query",
    "url_extract_fragment",
    "url_extract_parameter",
    "url_encode",
    "url_decode",
)


@handles(*_FUNCTIONS)
def _url(rw: Rewriter, node: Any) -> Any:
    return rw.call("trino_" + str(node.name).lower(), *args_of(node))
