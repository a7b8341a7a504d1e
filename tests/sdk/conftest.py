"""Fixtures for the SDK tests: a live server (uvicorn in a subprocess on a free loopback port,
on the session's test database) and SDK clients pointed at it with an admin key.

That server runs no webhook delivery worker, so it never takes deliveries other tests queue
in the shared database; `webhook_server` is a second one, with a worker, on a database of
its own, for the end-to-end delivery test."""

from collections.abc import AsyncIterator, Iterator

import claimledger
import pytest
from support.databases import fresh_database, make_key
from support.live_server import live_server

SERVER_ENV = {
    "CLAIMLEDGER_API_KEY_CACHE_SECONDS": "0",
    "CLAIMLEDGER_WEBHOOKS_ALLOW_PRIVATE": "1",  # receivers in tests are on loopback
}


@pytest.fixture(scope="session")
def sdk_server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a live server on the session's test database."""
    log = tmp_path_factory.mktemp("sdk-server") / "uvicorn.log"
    env = {"CLAIMLEDGER_WEBHOOK_WORKER": "0", **SERVER_ENV}
    with live_server(database_url, log, env) as url:
        yield url


@pytest.fixture(scope="session")
async def webhook_database_url(server_dsn: str) -> AsyncIterator[str]:
    """A database of its own for the server whose worker delivers webhooks."""
    async with fresh_database(server_dsn, "claimledger_sdk_hooks") as dsn:
        yield dsn


@pytest.fixture(scope="session")
async def webhook_admin_key(webhook_database_url: str) -> str:
    return await make_key(webhook_database_url, "sdk-webhook-tests", ("admin",))


@pytest.fixture(scope="session")
def webhook_server(
    webhook_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Base URL of a live server whose worker delivers webhooks promptly."""
    log = tmp_path_factory.mktemp("sdk-webhook-server") / "uvicorn.log"
    env = {
        "CLAIMLEDGER_WEBHOOK_WORKER": "1",
        "CLAIMLEDGER_WEBHOOK_POLL_SECONDS": "0.2",
        **SERVER_ENV,
    }
    with live_server(webhook_database_url, log, env) as url:
        yield url


@pytest.fixture(scope="session")
def admin_key(api_keys: dict[str, str]) -> str:
    return api_keys["admin"]


@pytest.fixture
def sdk(sdk_server: str, admin_key: str) -> Iterator[claimledger.Client]:
    """A sync SDK client on the live server."""
    with claimledger.Client(sdk_server, admin_key, max_retries=0) as client:
        yield client


@pytest.fixture
async def async_sdk(sdk_server: str, admin_key: str) -> AsyncIterator[claimledger.AsyncClient]:
    """An async SDK client on the live server."""
    async with claimledger.AsyncClient(sdk_server, admin_key, max_retries=0) as client:
        yield client
