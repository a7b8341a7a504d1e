"""`GET /v1/claims?q=…&sort=relevance`: every match ranked (claims/search.py), the best
ones kept per process, later pages ranked again by the database, and a search too broad to
rank in time answered 422 rather than left to hang."""

import json
import uuid
from typing import Any

import asyncpg
import factories
import pytest
from claimledger_server.app import create_app
from claimledger_server.claims.rankings import KEPT_MATCHES
from claimledger_server.config import Settings
from factories import assert_problem
from litestar.testing import AsyncTestClient

MATCHES = KEPT_MATCHES + 101
"""More matches than a ranking keeps, and than the 2,000 candidates searches once ranked."""


async def test_every_match_is_ranked_and_pages_past_the_kept_ones(
    client: Any, database_url: str
) -> None:
    word = f"zr{uuid.uuid4().hex[:10]}"
    actor = (await factories.actor(client))["id"]
    lines = [
        {
            "kind": "claim",
            "external_id": f"{word}-{n}",
            "data": {
                "claimant_id": actor,
                # The best match comes last: ranking only the first matches found missed it.
                "text": f"{word} {word} {word}"
                if n == MATCHES - 1
                else f"{word} {'words ' * (n % 7)}",
            },
        }
        for n in range(MATCHES)
    ]
    imported = await client.post(
        "/v1/import",
        content="\n".join(json.dumps(line) for line in lines) + "\n",
        headers={"Content-Type": "application/x-ndjson"},
    )
    assert imported.status_code == 200, imported.text
    best = (await client.get("/v1/claims", params={"q": word, "sort": "relevance"})).json()
    assert best["data"][0]["external_id"] == f"{word}-{MATCHES - 1}"

    found: list[str] = []
    cursor = None
    while True:
        params = {"q": word, "sort": "relevance", "limit": 200}
        if cursor is not None:
            params["cursor"] = cursor
        page = (await client.get("/v1/claims", params=params)).json()
        found += [claim["id"] for claim in page["data"]]
        if (cursor := page["next_cursor"]) is None:
            break
    assert len(found) == len(set(found)) == MATCHES
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch(
            "SELECT id, ts_rank_cd(search, websearch_to_tsquery('english', $1)) AS rank"
            " FROM claims WHERE id = ANY($2::text[])",
            word,
            found,
        )
    finally:
        await conn.close()
    rank = {row["id"]: row["rank"] for row in rows}
    assert found == sorted(found, key=lambda claim_id: (-rank[claim_id], claim_id))


async def test_a_ranking_past_its_time_is_a_422_naming_sort(
    database_url: str, api_keys: dict[str, str]
) -> None:
    hasty = create_app(
        Settings(
            database_url=database_url,
            api_key_cache_seconds=0,
            rate_limit_per_minute=100_000_000,
            relevance_timeout_seconds=1e-9,
        )
    )
    async with AsyncTestClient(app=hasty) as other:
        other.headers["Authorization"] = f"Bearer {api_keys['read']}"
        word = f"zt{uuid.uuid4().hex[:10]}"
        for params in (
            {"q": word, "sort": "relevance"},
            {"q": word, "sort": "relevance", "as_of": "2024-01-01T00:00:00Z"},
        ):
            problem = assert_problem(await other.get("/v1/claims", params=params), 422, "sort")
            assert problem["type"].endswith("search-too-broad"), problem
            assert "sort=newest" in problem["detail"]
        newest = await other.get("/v1/claims", params={"q": word})
        assert newest.status_code == 200, newest.text


def test_the_time_limit_is_a_setting() -> None:
    assert Settings().relevance_timeout_seconds == 5.0
    limit = Settings.from_env({"CLAIMLEDGER_RELEVANCE_TIMEOUT_SECONDS": "0.5"})
    assert limit.relevance_timeout_seconds == 0.5
    for wrong in ("-1", "soon", "inf"):
        with pytest.raises(SystemExit, match="CLAIMLEDGER_RELEVANCE_TIMEOUT_SECONDS"):
            Settings.from_env({"CLAIMLEDGER_RELEVANCE_TIMEOUT_SECONDS": wrong})
