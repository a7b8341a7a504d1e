"""Where a webhook may be sent (SSRF protection).

A target must be `https` on public addresses. With `allow_private` (development, tests,
private deployments) `https` may go anywhere and plain `http` only to loopback or private
addresses. The rule is checked when an endpoint is created or changed and again at every
send, on the addresses the name resolves to then; the request then goes to the very address
that was checked (the `Host` header and TLS server name keep the name), so a DNS answer that
changes between the check and the connection (DNS rebinding) cannot redirect it."""

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from typing import NamedTuple
from urllib.parse import urlsplit

Resolver = Callable[[str, int], Awaitable[list[str]]]


class UnsafeTarget(Exception):
    """The URL is not one the server may send to; the message says why."""


class Pinned(NamedTuple):
    """A request target bound to a checked address."""

    url: str
    """The URL with the host replaced by the address."""
    host_header: str
    sni_hostname: str | None
    """The name the TLS certificate must carry: None for plain http and literal addresses."""
    scheme: str
    address: str
    """The checked address the request must go to."""
    port: int
    target: str
    """Path and query, as the request line carries them."""


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            ip = embedded
    return ip.is_global and not ip.is_multicast


def _literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


async def check(url: str, *, allow_private: bool, resolver: Resolver = system_resolver) -> Pinned:
    """Resolve and check `url`; raise UnsafeTarget, or return where to send."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeTarget(f"not a valid URL: {exc}") from None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").rstrip(".")
    if scheme not in ("http", "https") or not host:
        raise UnsafeTarget("must be an absolute http(s) URL")
    if parts.username is not None or parts.password is not None:
        raise UnsafeTarget("must not hold credentials")
    if scheme == "http" and not allow_private:
        raise UnsafeTarget("must use https")
    port = port or (443 if scheme == "https" else 80)
    literal = _literal(host)
    if literal is not None:
        addresses = [literal]
    else:
        try:
            addresses = await resolver(host, port)
        except (OSError, UnicodeError) as exc:
            raise UnsafeTarget(f"{host} does not resolve: {exc}") from None
        if not addresses:
            raise UnsafeTarget(f"{host} does not resolve")
    public = [is_public(address) for address in addresses]
    if not allow_private and not all(public):
        raise UnsafeTarget(
            f"{host} resolves to a private, loopback, link-local or reserved address;"
            " such targets are refused (SSRF protection)"
        )
    if scheme == "http" and any(public):
        raise UnsafeTarget("must use https (plain http is allowed to private addresses only)")
    address = addresses[0]
    netloc = f"[{address}]" if ":" in address else address
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    return Pinned(
        f"{scheme}://{netloc}:{port}{path}{query}",
        parts.netloc,
        host if scheme == "https" and literal is None else None,
        scheme,
        address,
        port,
        path + query,
    )
