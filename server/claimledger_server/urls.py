"""Whether a URL the API stores parses: an absolute http(s) URL with a host (RFC 3986).

The schemas' patterns only keep out control characters and spaces; the authority is checked
here, because `urlsplit` accepts what RFC 3986 does not (`http://[abc`, `http://:80/`), and
how strictly depends on the Python version. Host names may hold non-ASCII letters, as IRIs
(RFC 3987) do; an IP literal in brackets must be an IPv6 address."""

import ipaddress
import re
from urllib.parse import SplitResult, urlsplit

# RFC 3986 reg-name: unreserved, sub-delims and percent-encodings, plus non-ASCII (IRI).
_REG_NAME = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=\u0080-\U0010ffff]|%[0-9A-Fa-f]{2})+$")
_USERINFO = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:\u0080-\U0010ffff]|%[0-9A-Fa-f]{2})*$")
_PORT = re.compile(r"^[0-9]*$")


class InvalidUrl(ValueError):
    """The URL does not parse; the message says why."""


def parse(url: str) -> SplitResult:
    """`url` split into its parts, or InvalidUrl."""
    scheme, colon, rest = url.partition(":")
    if not colon or scheme.lower() not in ("http", "https") or not rest.startswith("//"):
        raise InvalidUrl("must be an absolute http(s) URL")
    authority = re.split(r"[/?#]", rest[2:], maxsplit=1)[0]
    userinfo, at, host_port = authority.rpartition("@")
    if at and not _USERINFO.match(userinfo):
        raise InvalidUrl("its user information holds characters a URL may not")
    if host_port.startswith("["):
        literal, bracket, port = host_port[1:].partition("]")
        if not bracket or (port and not port.startswith(":")):
            raise InvalidUrl("its host has an unclosed or misplaced `[`")
        try:
            ipaddress.IPv6Address(literal)
        except ValueError:
            raise InvalidUrl(f"its host [{literal}] is not an IPv6 address") from None
        port = port[1:]
    else:
        host, _, port = host_port.partition(":")
        if not host:
            raise InvalidUrl("must name a host")
        if not _REG_NAME.match(host):
            raise InvalidUrl(f"its host {host!r} holds characters a host name may not")
    if not _PORT.match(port) or (port and int(port) > 65535):
        raise InvalidUrl(f"its port {port!r} is not a number from 0 to 65535")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- reading it checks it
    except ValueError as exc:
        raise InvalidUrl(f"is not a valid URL ({exc})") from None
    return parts


def problem(url: str) -> str | None:
    """Why `url` does not parse, or None when it does."""
    try:
        parse(url)
    except InvalidUrl as exc:
        return str(exc)
    return None
