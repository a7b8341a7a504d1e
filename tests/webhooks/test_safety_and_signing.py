"""Target checks (SSRF) and signatures, without a database."""

import asyncio
import base64
import socket
from datetime import UTC, datetime

import pytest
from claimledger_server.webhooks import safety, signing
from claimledger_server.webhooks.sender import parse_retry_after
from standardwebhooks.webhooks import Webhook, WebhookVerificationError


def resolving_to(*addresses: str) -> safety.Resolver:
    async def resolve(host: str, port: int) -> list[str]:
        return list(addresses)

    return resolve


async def refused(url: str, *, allow_private: bool = False, resolver: safety.Resolver) -> str:
    with pytest.raises(safety.UnsafeTarget) as caught:
        await safety.check(url, allow_private=allow_private, resolver=resolver)
    return str(caught.value)


async def refused_within(url: str, *, resolver: safety.Resolver, seconds: float) -> str:
    with pytest.raises(safety.UnsafeTarget) as caught:
        await safety.check(url, allow_private=False, resolver=resolver, resolve_seconds=seconds)
    return str(caught.value)


NOT_PUBLIC = (
    "{host} does not resolve to a public address: names that do not resolve and private,"
    " loopback, link-local or reserved addresses are refused (SSRF protection)"
)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",  # noqa: S104
        "224.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",  # IPv4-mapped loopback
        "2002:7f00:1::1",  # 6to4 around 127.0.0.1
        # IPv4 inside IPv6, which a translator or the host's stack sends as IPv4:
        "64:ff9b::169.254.169.254",  # NAT64 (well-known prefix) to cloud metadata
        "64:ff9b::10.0.0.1",
        "64:ff9b:1::a00:1",  # NAT64, local-use prefix, to 10.0.0.1
        "64:ff9b:1:ab00::808:808",  # local-use prefix, other layout: cannot be read
        "::127.0.0.1",  # IPv4-compatible
        "::10.0.0.1",
        "::ffff:0:127.0.0.1",  # IPv4-translated
        "::ffff:0:a9fe:a9fe",
        "fec0::1",  # site-local
        "3fff::1",  # documentation
    ],
)
async def test_names_resolving_to_private_addresses_are_refused(address: str) -> None:
    # The resolver path: a name whose A or AAAA record is the address.
    message = await refused("https://hooks.example.com/x", resolver=resolving_to(address))
    assert message == NOT_PUBLIC.format(host="hooks.example.com")
    assert not safety.is_public(address)
    # and the address written literally
    literal = f"[{address}]" if ":" in address else address
    await refused(f"https://{literal}/x", resolver=resolving_to())


@pytest.mark.parametrize(
    ("address", "embedded"),
    [
        ("64:ff9b::93.184.216.34", "93.184.216.34"),
        ("64:ff9b:1::93.184.216.34", "93.184.216.34"),
        ("::ffff:0:93.184.216.34", "93.184.216.34"),
    ],
)
async def test_ipv4_inside_ipv6_is_judged_by_the_ipv4_address(address: str, embedded: str) -> None:
    assert safety.is_public(address) == safety.is_public(embedded)
    pinned = await safety.check(
        "https://hooks.example.com/", allow_private=False, resolver=resolving_to(address)
    )
    assert pinned.address == address


async def test_unresolvable_and_private_names_get_the_same_answer() -> None:
    """So an admin cannot tell from the answer which internal names exist."""

    async def nxdomain(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    async def never(host: str, port: int) -> list[str]:
        await asyncio.sleep(10)
        return ["93.184.216.34"]

    url = "https://intranet.example.com/x"
    answers = {
        await refused(url, resolver=nxdomain),
        await refused(url, resolver=resolving_to()),
        await refused(url, resolver=resolving_to("10.0.0.7")),
        await refused(url, resolver=resolving_to("64:ff9b::10.0.0.7")),
        await refused_within(url, resolver=never, seconds=0.05),
    }
    assert answers == {NOT_PUBLIC.format(host="intranet.example.com")}


async def test_one_private_answer_among_public_ones_is_enough_to_refuse() -> None:
    await refused("https://a.example.com/", resolver=resolving_to("93.184.216.34", "10.0.0.1"))


async def test_https_to_public_addresses_is_pinned_to_the_checked_address() -> None:
    pinned = await safety.check(
        "https://hooks.example.com:8443/in?x=1",
        allow_private=False,
        resolver=resolving_to("93.184.216.34"),
    )
    assert pinned.url == "https://93.184.216.34:8443/in?x=1"
    assert pinned.host_header == "hooks.example.com:8443"
    assert pinned.sni_hostname == "hooks.example.com"
    v6 = await safety.check(
        "https://h.example.com", allow_private=False, resolver=resolving_to("2606:4700::1")
    )
    assert v6.url == "https://[2606:4700::1]:443/"


async def test_plain_http_and_odd_urls_are_refused() -> None:
    public = resolving_to("93.184.216.34")
    assert "https" in await refused("http://hooks.example.com/", resolver=public)
    await refused("ftp://hooks.example.com/", resolver=public)
    await refused("https://user:pw@hooks.example.com/", resolver=public)
    await refused("https:///nohost", resolver=public)
    await refused("https://hooks.example.com:99999/", resolver=public)
    assert "resolve" in await refused("https://nowhere.invalid/", resolver=resolving_to())


async def test_allow_private_opens_loopback_and_private_ranges_only() -> None:
    loopback = resolving_to("127.0.0.1")
    pinned = await safety.check("http://localhost:9/x", allow_private=True, resolver=loopback)
    assert pinned.url == "http://127.0.0.1:9/x"
    assert pinned.sni_hostname is None
    await safety.check("https://10.0.0.8/", allow_private=True, resolver=resolving_to())
    # plain http still may not leave the private network
    message = await refused(
        "http://hooks.example.com/", allow_private=True, resolver=resolving_to("93.184.216.34")
    )
    assert "https" in message


def test_signatures_verify_with_the_standard_webhooks_library() -> None:
    secret = signing.new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    body = b'{"type":"claim.created","timestamp":"2024-12-27T00:00:00Z","data":{}}'
    now = int(datetime.now(UTC).timestamp())
    headers = signing.headers([secret], "evt_1", now, body)
    assert Webhook(secret).verify(body, headers) == {
        "type": "claim.created",
        "timestamp": "2024-12-27T00:00:00Z",
        "data": {},
    }
    with pytest.raises(WebhookVerificationError):
        Webhook(signing.new_secret()).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body + b" ", headers)


def test_during_rotation_both_secrets_verify() -> None:
    new, old = signing.new_secret(), signing.new_secret()
    body = b"{}"
    headers = signing.headers([new, old], "evt_2", int(datetime.now(UTC).timestamp()), body)
    signatures = headers["webhook-signature"].split(" ")
    assert len(signatures) == 2
    assert all(s.startswith("v1,") for s in signatures)
    Webhook(new).verify(body, headers)
    Webhook(old).verify(body, headers)


def test_retry_after_in_seconds_or_as_a_date() -> None:
    assert parse_retry_after("120") == 120
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0
    later = parse_retry_after("Fri, 01 Jan 2100 00:00:00 GMT")
    assert later is not None
    assert later > 1e9
