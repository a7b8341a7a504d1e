"""Failed authentications have a budget per client address: past it, 429 without a key
lookup, until the minute ends."""

import ipaddress
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from claimledger_server.access import client_budget
from claimledger_server.app import create_app
from claimledger_server.auth import KeyCache
from claimledger_server.config import Settings
from factories import assert_problem
from litestar.testing import AsyncTestClient
from litestar.types import ASGIApp, Receive, Scope, Send

# Each counts a budget of one minute exactly.
pytestmark = pytest.mark.usefixtures("rate_window")


def unused_address() -> str:
    """An address no other test sends from, so their failures do not count against it."""
    return str(ipaddress.IPv4Address("198.18.0.0") + secrets.randbelow(2**17))


class FromAddress:
    """The app, as reached from `address` (the test client always says `testclient`)."""

    def __init__(self, app: ASGIApp, address: str) -> None:
        self.app, self.address = app, address

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope["client"] = (self.address, 40000)
        await self.app(scope, receive, send)


@asynccontextmanager
async def client_at(
    database_url: str, address: str, **settings: Any
) -> AsyncIterator[AsyncTestClient[Any]]:
    """A client of a new app, sending from `address`."""
    app = create_app(Settings(database_url=database_url, **settings))
    async with AsyncTestClient(app=FromAddress(app, address)) as client:
        yield client


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


async def test_past_the_budget_an_address_gets_429_without_key_lookups(
    database_url: str, api_keys: dict[str, str], monkeypatch: Any
) -> None:
    lookups = 0
    fetch = KeyCache.fetch

    async def counted_fetch(self: KeyCache, *args: Any) -> Any:
        nonlocal lookups
        lookups += 1
        return await fetch(self, *args)

    monkeypatch.setattr(KeyCache, "fetch", counted_fetch)
    address = unused_address()
    settings = {"auth_failures_per_minute": 3, "api_key_cache_seconds": 60}
    async with client_at(database_url, address, **settings) as client:
        verified = await client.get("/v1/actors?limit=1", headers=bearer(api_keys["read"]))
        assert verified.status_code == 200
        for secret in ("clk_guess1", "clk_guess2", api_keys["revoked"]):
            assert_problem(await client.get("/v1/actors", headers=bearer(secret)), 401)
        assert lookups == 4

        refused = await client.get("/v1/actors", headers=bearer("clk_guess3"))  # one too many
        problem = assert_problem(refused, 429)
        assert problem["type"].endswith(":too-many-failed-authentications")
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert lookups == 5
        for secret in ("clk_guess4", api_keys["write"]):
            # From now on, no lookup: a valid key this process has not verified lately
            # would cost one too.
            assert_problem(await client.get("/v1/actors", headers=bearer(secret)), 429)
        assert lookups == 5
        # One it has verified costs nothing, and keeps working.
        again = await client.get("/v1/actors?limit=1", headers=bearer(api_keys["read"]))
        assert again.status_code == 200

    async with client_at(database_url, unused_address(), **settings) as elsewhere:
        assert_problem(await elsewhere.get("/v1/actors", headers=bearer("clk_guess4")), 401)


async def test_the_budget_is_shared_by_processes(
    database_url: str, api_keys: dict[str, str]
) -> None:
    address = unused_address()
    settings = {"auth_failures_per_minute": 2}
    async with (
        client_at(database_url, address, **settings) as one,
        client_at(database_url, address, **settings) as other,
    ):
        assert (await one.get("/v1/actors", headers=bearer("clk_guess1"))).status_code == 401
        assert (await other.get("/v1/actors", headers=bearer("clk_guess2"))).status_code == 401
        assert (await one.get("/v1/actors", headers=bearer("clk_guess3"))).status_code == 429
        assert (await other.get("/v1/actors", headers=bearer("clk_guess4"))).status_code == 429


async def test_missing_credentials_spend_nothing_and_zero_turns_the_budget_off(
    database_url: str,
) -> None:
    async with client_at(database_url, unused_address(), auth_failures_per_minute=1) as client:
        for _ in range(3):  # no key, no lookup: nothing to throttle
            assert (await client.get("/v1/actors")).status_code == 401
        assert (await client.get("/v1/actors", headers=bearer("clk_1"))).status_code == 401
        assert (await client.get("/v1/actors", headers=bearer("clk_2"))).status_code == 429
    async with client_at(database_url, unused_address(), auth_failures_per_minute=0) as client:
        for i in range(5):
            assert (await client.get("/v1/actors", headers=bearer(f"clk_{i}"))).status_code == 401


def test_an_ipv6_client_is_counted_by_its_64() -> None:
    def budget(host: str) -> str:
        return client_budget({"client": (host, 1)})  # type: ignore[typeddict-item]

    assert budget("2001:db8:1:2::1") == budget("2001:db8:1:2:ffff::9") == "client:2001:db8:1:2::/64"
    assert budget("2001:db8:1:3::1") != budget("2001:db8:1:2::1")
    assert budget("::ffff:192.0.2.7") == budget("192.0.2.7") == "client:192.0.2.7"
