"""A real ClaimLedger server for the contract tests: uvicorn in a subprocess on a free
loopback port, on its own freshly migrated database.

The fuzzer writes thousands of resources — including the request examples of the OpenAPI
document, whose external_ids (`actor:john-kirby`…) are the seed's — so it gets a database of
its own on the same PostgreSQL server instead of sharing `database_url` with the other tests,
whose creates would then collide with its leftovers (409)."""

from collections.abc import AsyncIterator, Iterator

import asyncpg
import pytest
from claimledger_server.keys.store import find_active_key
from support.databases import fresh_database, make_key
from support.live_server import live_server as run_live_server


@pytest.fixture(scope="session")
async def contract_database_url(server_dsn: str) -> AsyncIterator[str]:
    async with fresh_database(server_dsn, "claimledger_contract") as dsn:
        yield dsn


@pytest.fixture(scope="session")
async def contract_admin_key(contract_database_url: str) -> str:
    return await make_key(contract_database_url, "contract-tests", ("admin",))


@pytest.fixture(scope="session")
async def contract_admin_key_id(contract_database_url: str, contract_admin_key: str) -> str:
    conn = await asyncpg.connect(contract_database_url)
    try:
        key = await find_active_key(conn, contract_admin_key)
    finally:
        await conn.close()
    assert key is not None
    return key.id


@pytest.fixture(scope="session")
def live_server(
    contract_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Base URL of a running server (`http://127.0.0.1:<port>`). Its log is in the pytest
    temporary directory and is shown if it does not come up."""
    log = tmp_path_factory.mktemp("live-server") / "uvicorn.log"
    # The fuzzer sends thousands of requests a minute with one key; it tests the contract,
    # not the rate limiter, so the limit must not turn its requests into 429s.
    env = {"CLAIMLEDGER_RATE_LIMIT_PER_MINUTE": "100000000"}
    with run_live_server(contract_database_url, log, env, fail_if_exited_early=True) as url:
        yield url


@pytest.fixture(autouse=True)
def _schemathesis_node_id_compat(request: pytest.FixtureRequest) -> None:
    """schemathesis 4.32's `from_fixture` reads `item._nodeid`, which pytest 9.2 renamed;
    give the item the attribute it reads (a no-op where it exists). Drop this once
    schemathesis supports pytest 9.2 (or pin `pytest<9.2`)."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid
