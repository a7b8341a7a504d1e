"""Rate limits are per API key, carried on every response, and shared by every process."""

import asyncio
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from claimledger_server.app import EXPLORE_PATHS, OPEN_PATHS, create_app
from claimledger_server.config import Settings
from claimledger_server.rate_limits import MAX_LEASE, RateLimiter
from litestar import Litestar
from litestar.testing import AsyncTestClient
from support.databases import make_key

# Each counts a budget of one minute exactly.
pytestmark = pytest.mark.usefixtures("rate_window")


async def limited_key(database_url: str, per_minute: int) -> str:
    return await make_key(database_url, f"limited-{uuid.uuid4()}", ("read",), per_minute)


@pytest.fixture
async def second_process(database_url: str) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """Another app instance with its own pool, as a second API process would be."""
    app = create_app(Settings(database_url=database_url, api_key_cache_seconds=0))
    async with AsyncTestClient(app=app) as other:
        yield other


async def test_headers_on_every_authenticated_response(client: Any) -> None:
    ok = await client.get("/v1/actors?limit=1")
    missing = await client.get("/v1/actors/act_doesnotexist")
    for response in (ok, missing):
        assert int(response.headers["RateLimit-Limit"]) >= 1
        assert (
            0
            <= int(response.headers["RateLimit-Remaining"])
            < int(response.headers["RateLimit-Limit"])
        )
        assert 1 <= int(response.headers["RateLimit-Reset"]) <= 60
    open_endpoint = await client.get("/healthz")
    assert "RateLimit-Limit" not in open_endpoint.headers


async def test_past_the_limit_is_429_with_retry_after(client: Any, database_url: str) -> None:
    key = await limited_key(database_url, 3)
    auth = {"Authorization": f"Bearer {key}"}
    remaining = [
        int((await client.get("/v1/actors?limit=1", headers=auth)).headers["RateLimit-Remaining"])
        for _ in range(3)
    ]
    assert remaining == [2, 1, 0]
    refused = await client.get("/v1/actors?limit=1", headers=auth)
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["status"] == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["RateLimit-Remaining"] == "0"
    other_key = await client.get("/v1/actors?limit=1")  # the admin key has its own budget
    assert other_key.status_code == 200


async def test_refusals_after_authentication_spend_budget_and_carry_the_headers(
    client: Any, database_url: str
) -> None:
    """A key cannot probe routes beyond its scope for free: the 403 spends a request, and it
    and the 429 that follows carry the same headers as a success."""
    key = await limited_key(database_url, 2)
    auth = {"Authorization": f"Bearer {key}", "X-Request-ID": "probe-1"}
    forbidden = await client.post("/v1/actors", json={"name": "x"}, headers=auth)
    assert forbidden.status_code == 403
    assert forbidden.headers["RateLimit-Remaining"] == "1"
    assert forbidden.headers["X-Request-ID"] == "probe-1"
    assert (await client.get("/v1/actors?limit=1", headers=auth)).status_code == 200
    refused = await client.post("/v1/actors", json={"name": "x"}, headers=auth)
    assert refused.status_code == 429  # the budget is checked before the scope
    assert refused.json()["type"].endswith(":rate-limited")
    assert refused.json()["request_id"] == "probe-1"
    assert refused.headers["X-Request-ID"] == "probe-1"
    assert refused.headers["RateLimit-Limit"] == "2"


async def test_the_budget_is_shared_across_processes(
    client: Any, second_process: AsyncTestClient[Litestar], database_url: str
) -> None:
    key = await limited_key(database_url, 4)
    auth = {"Authorization": f"Bearer {key}"}
    statuses = []
    for i in range(6):
        process = client if i % 2 == 0 else second_process
        statuses.append((await process.get("/v1/actors?limit=1", headers=auth)).status_code)
    assert statuses == [200, 200, 200, 200, 429, 429]


async def test_busy_keys_lease_their_budget_without_ever_exceeding_it(
    client: Any, second_process: AsyncTestClient[Litestar], database_url: str
) -> None:
    """A process reserves a lease of requests per round trip, yet two processes together
    never get more than the limit, and lose at most a lease each to rounding."""
    key = await limited_key(database_url, 60)
    auth = {"Authorization": f"Bearer {key}"}
    statuses = []
    for i in range(80):
        process = client if i % 2 == 0 else second_process
        statuses.append((await process.get("/v1/actors?limit=1", headers=auth)).status_code)
    allowed = statuses.count(200)
    assert 60 - 2 * 3 <= allowed <= 60
    assert statuses.count(429) == 80 - allowed
    conn = await asyncpg.connect(database_url)
    try:
        reservations = await conn.fetchval(
            "SELECT sum(count) FROM rate_limit_windows w JOIN api_keys k ON k.id = w.api_key_id"
            " WHERE k.secret_hash = sha256($1::text::bytea)",
            key,
        )
    finally:
        await conn.close()
    assert reservations >= 60  # every grant was counted in the shared table


async def test_a_busy_key_renews_its_lease_before_it_runs_out(database_url: str) -> None:
    """With a quarter of a lease left, the next one is reserved in the background, so no
    request waits for that round trip; the grants still add up to the shared count."""
    key = await limited_key(database_url, 100_000)
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    assert pool is not None
    conn = await pool.acquire()
    try:
        key_id = await conn.fetchval(
            "SELECT id FROM api_keys WHERE secret_hash = sha256($1::text::bytea)", key
        )
        limiter = RateLimiter()
        waits = 0
        original = limiter._reserve

        async def counting_reserve(*args: Any, **kwargs: Any) -> Any:
            nonlocal waits
            waits += "renewing" not in kwargs  # a request waited for this one
            return await original(*args, **kwargs)

        limiter._reserve = counting_reserve  # type: ignore[method-assign]
        for _ in range(3 * MAX_LEASE):
            allowed, _, _ = await limiter.take(pool, key_id, 100_000)
            assert allowed
            await asyncio.sleep(0)  # let a renewal in flight run, as other requests would
        await asyncio.gather(*limiter._refills)
        counted = await conn.fetchval(
            "SELECT sum(count) FROM rate_limit_windows WHERE api_key_id = $1", key_id
        )
    finally:
        await pool.release(conn)
        await pool.close()
    assert waits == 1  # only the very first request asked the database itself
    assert counted >= 3 * MAX_LEASE  # every request spent was reserved in the shared table
    assert counted <= 4 * MAX_LEASE  # at most one lease ahead


async def window_minute(database_url: str) -> Any:
    """The rate-limit window now: the database's minute."""
    conn = await asyncpg.connect(database_url)
    try:
        return await conn.fetchval("SELECT date_trunc('minute', now())")
    finally:
        await conn.close()


def every_gated_operation(app: Litestar) -> list[tuple[str, str]]:
    """(method, path) of every operation behind the access gate, path parameters filled in."""
    filled = {"int": "1", "str": "x"}
    operations = []
    for route in app.routes:
        if any(re.match(pattern, route.path) for pattern in [*OPEN_PATHS, EXPLORE_PATHS]):
            continue
        path = re.sub(r"\{\w+:(\w+)\}", lambda m: filled[m[1]], route.path)
        operations += [(method, path) for method in sorted(route.methods) if method != "OPTIONS"]
    return operations


async def test_the_budget_is_the_keys_whatever_the_route(
    app: Litestar, client: Any, database_url: str
) -> None:
    """Spread over every route, a key gets exactly its limit, and `RateLimit-Remaining`
    counts down by one a request (each route once held its own lease of the budget: 429 at
    the 21st request of a 200-a-minute key, and the header jumped between routes)."""
    operations = every_gated_operation(app)
    assert len(operations) > 40
    for _ in range(2):  # again, once, if the window's minute ended half way (a slow machine)
        minute = await window_minute(database_url)
        key = await make_key(database_url, f"spread-{uuid.uuid4()}", ("admin",), 200)
        auth = {"Authorization": f"Bearer {key}"}
        remaining = []
        for i in range(200):
            method, path = operations[i % len(operations)]
            response = await client.request(method, path, headers=auth)
            assert response.status_code != 429, (i, method, path, response.text)
            remaining.append(int(response.headers["RateLimit-Remaining"]))
        if await window_minute(database_url) == minute:
            break
    assert remaining == list(range(199, -1, -1))
    for method, path in operations:
        refused = await client.request(method, path, headers=auth)
        assert refused.status_code == 429, (method, path)
        assert refused.headers["RateLimit-Remaining"] == "0"
