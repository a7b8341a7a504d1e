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

from claimledger_server import urls

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


# IPv6 forms that carry an IPv4 address in their last 32 bits: a translator or the host's
# own stack turns them into IPv4 traffic, so they are judged by that IPv4 address.
_IPV4_IN_LAST_32_BITS = [
    ipaddress.IPv6Network("64:ff9b::/96"),  # NAT64, well-known prefix (RFC 6052)
    ipaddress.IPv6Network("64:ff9b:1::/96"),  # NAT64, local-use prefix (RFC 8215) as a /96
    ipaddress.IPv6Network("::/96"),  # IPv4-compatible (RFC 4291, deprecated)
    ipaddress.IPv6Network("::ffff:0:0:0/96"),  # IPv4-translated (RFC 2765)
]
_NEVER_PUBLIC = [
    # The rest of the local-use NAT64 prefix: where it holds the IPv4 address depends on the
    # translator's prefix length, which cannot be known here.
    ipaddress.IPv6Network("64:ff9b:1::/48"),
    ipaddress.IPv6Network("fec0::/10"),  # site-local (deprecated, RFC 3879): still internal
    ipaddress.IPv6Network("3fff::/20"),  # documentation (RFC 9637)
    ipaddress.IPv6Network("5f00::/16"),  # SRv6 SIDs (RFC 9602)
]


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and any(ip in network for network in _IPV4_IN_LAST_32_BITS):
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFF_FFFF)
        if embedded is not None:
            ip = embedded
        elif any(ip in network for network in _NEVER_PUBLIC):
            return False
    return ip.is_global and not ip.is_multicast


def _not_public(host: str) -> UnsafeTarget:
    # One answer whether the name does not resolve or resolves to an internal address, so
    # that creating endpoints cannot be used to find out which internal names exist.
    return UnsafeTarget(
        f"{host} does not resolve to a public address: names that do not resolve and"
        " private, loopback, link-local or reserved addresses are refused (SSRF protection)"
    )


def _unresolvable(host: str, why: str, *, allow_private: bool) -> UnsafeTarget:
    # Where private targets are allowed, there is nothing to hide: say what went wrong.
    return UnsafeTarget(f"{host} does not resolve{why}") if allow_private else _not_public(host)


def _literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


async def check(
    url: str,
    *,
    allow_private: bool,
    resolver: Resolver = system_resolver,
    resolve_seconds: float | None = None,
) -> Pinned:
    """Resolve and check `url`; raise UnsafeTarget, or return where to send. A name that
    takes longer than `resolve_seconds` to resolve is one that does not resolve."""
    try:
        parts = urls.parse(url)
    except urls.InvalidUrl as exc:
        raise UnsafeTarget(str(exc)) from None
    port = parts.port
    scheme, host = parts.scheme.lower(), (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeTarget("must name a host")
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
            async with asyncio.timeout(resolve_seconds):
                addresses = await resolver(host, port)
        except (OSError, UnicodeError, TimeoutError) as exc:
            why = " in time" if isinstance(exc, TimeoutError) else f" ({exc})"
            raise _unresolvable(host, why, allow_private=allow_private) from None
        if not addresses:
            raise _unresolvable(host, "", allow_private=allow_private)
    public = [is_public(address) for address in addresses]
    if not allow_private and not all(public):
        raise _not_public(host)
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
