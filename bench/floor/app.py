"""The framework floor: a bare Litestar endpoint that selects one claim by id with asyncpg and
returns a msgspec Struct. No auth, no rate limit, no middleware: what Litestar + asyncpg +
msgspec cost on their own, for the same row the API serves. Benchmark reference only.

Run: BENCH_DSN=postgresql://... uvicorn floor.app:app  (or granian --interface asgi)."""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import msgspec
from litestar import Litestar, get
from litestar.datastructures import State
from litestar.exceptions import NotFoundException


class Claim(msgspec.Struct):
    id: str
    version: int
    deleted: bool
    doc: msgspec.Raw


@asynccontextmanager
async def pool(app: Litestar) -> AsyncIterator[None]:
    app.state.pool = await asyncpg.create_pool(
        os.environ["BENCH_DSN"], min_size=2, max_size=10, statement_cache_size=512
    )
    try:
        yield
    finally:
        await app.state.pool.close()


@get("/claims/{claim_id:str}")
async def get_claim(state: State, claim_id: str) -> Claim:
    row = await state.pool.fetchrow(
        "SELECT version, deleted, doc::text AS doc FROM claims WHERE id = $1", claim_id
    )
    if row is None:
        raise NotFoundException()
    return Claim(claim_id, row["version"], row["deleted"], msgspec.Raw(row["doc"].encode()))


@get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


app = Litestar([get_claim, healthz], lifespan=[pool], debug=False, openapi_config=None)
