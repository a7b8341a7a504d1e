"""The default extractor under evaluation: the server's own `POST /v1/extractions`, called
in-process (Litestar's test client) on a fresh, migrated database that holds `seeds/` (the
actor registry a new deployment starts with), as the deployment's settings configure it."""

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import msgspec
from claimledger_server.app import create_app
from claimledger_server.bulk.lines import import_records, ndjson_records
from claimledger_server.config import Settings
from claimledger_server.db.migrate import migrate
from claimledger_server.keys.store import create_key
from claimledger_server.versioning.writes import Author
from litestar import Litestar
from litestar.testing import AsyncTestClient

EXTRACTIONS: Final = "/v1/extractions"
SEEDS: Final = Path(__file__).resolve().parents[2] / "seeds"

AsyncExtract = Callable[[str, dict[str, Any]], Awaitable[dict[str, Any]]]


class ExtractorUnavailable(RuntimeError):
    """There is no extractor to score: nothing is measured."""


class ExtractionFailed(RuntimeError):
    """The server refused or failed a draft."""


@asynccontextmanager
async def _fresh_database(server_dsn: str) -> AsyncIterator[str]:
    """A new migrated database on `server_dsn`'s server, dropped on exit."""
    name = f"claimledger_eval_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        dsn = urlunsplit(urlsplit(server_dsn)._replace(path="/" + name))
        conn = await asyncpg.connect(dsn)
        try:
            await migrate(conn)
            for path in sorted(SEEDS.glob("*.ndjson")):
                content = path.read_bytes()
                await import_records(
                    conn, partial(ndjson_records, content), Author(None, f"seed {path.name}")
                )
        finally:
            await conn.close()
        yield dsn
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def has_route(app: Litestar, method: str, path: str) -> bool:
    return method in app.route_handler_method_map.get(path, {})


@asynccontextmanager
async def server_extractor(server_dsn: str) -> AsyncIterator[AsyncExtract]:
    """`extract(text, source)` through `POST /v1/extractions`; `ExtractorUnavailable` when
    the server has no such route."""
    settings = msgspec.structs.replace(
        Settings.from_env(),
        database_url=server_dsn,
        database_read_url=None,
        rate_limit_per_minute=1_000_000_000,
    )
    # Asked of an app that is never started, before any database is made for it.
    if not has_route(create_app(settings), "POST", EXTRACTIONS):
        raise ExtractorUnavailable(
            f"POST {EXTRACTIONS} does not exist in this server (issue 12, point 2): there"
            " is no extractor to score, so no result is reported."
        )
    async with _fresh_database(server_dsn) as dsn:
        conn = await asyncpg.connect(dsn)
        try:
            key = await create_key(conn, "extraction-eval", ("write",))
        finally:
            await conn.close()
        app = create_app(msgspec.structs.replace(settings, database_url=dsn))
        async with AsyncTestClient(app=app) as client:
            client.headers["Authorization"] = f"Bearer {key}"
            publishers: dict[str, str] = {}
            yield partial(_extract, client, publishers)


async def _extract(
    client: AsyncTestClient[Litestar],
    publishers: dict[str, str],
    text: str,
    source: dict[str, Any],
) -> dict[str, Any]:
    body = {"text": text, "source": await _source_fields(client, publishers, source)}
    response = await client.post(EXTRACTIONS, json=body)
    if response.status_code not in (200, 201):
        raise ExtractionFailed(
            f"POST {EXTRACTIONS} answered {response.status_code}: {response.text[:500]}"
        )
    draft: dict[str, Any] = response.json()
    return draft


async def _source_fields(
    client: AsyncTestClient[Litestar], publishers: dict[str, str], source: dict[str, Any]
) -> dict[str, Any]:
    """The corpus source as the fields of a source: the publisher becomes an actor of the
    registry (as an analyst would pick it), found by name or created once."""
    fields = {
        name: source[name]
        for name in ("kind", "title", "language", "published_on", "published_on_precision")
        if source.get(name) is not None
    }
    publisher = source.get("publisher")
    if publisher:
        if publisher not in publishers:
            publishers[publisher] = await _publisher_id(client, publisher)
        fields["publisher_id"] = publishers[publisher]
    return fields


async def _publisher_id(client: AsyncTestClient[Litestar], name: str) -> str:
    found = await client.get("/v1/actors", params={"q": name, "limit": 100})
    if found.status_code == 200:
        for actor in found.json()["data"]:
            if actor["name"].casefold() == name.casefold():
                return str(actor["id"])
    created = await client.post("/v1/actors", json={"name": name, "kind": "media_outlet"})
    if created.status_code != 201:
        raise ExtractionFailed(f"could not create publisher {name!r}: {created.text[:500]}")
    return str(created.json()["id"])
