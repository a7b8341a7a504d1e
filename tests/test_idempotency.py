"""Idempotency-Key: a retried create never makes a duplicate."""

import asyncio
import uuid
from typing import Any

import asyncpg
import pytest


def actor_body() -> dict[str, Any]:
    return {"name": "Idempotent actor", "external_id": f"idem-{uuid.uuid4()}"}


async def count_actors(database_url: str, external_id: str) -> int:
    conn = await asyncpg.connect(database_url)
    try:
        return int(
            await conn.fetchval("SELECT count(*) FROM actors WHERE external_id = $1", external_id)
        )
    finally:
        await conn.close()


async def test_a_retry_replays_the_first_response(client: Any, database_url: str) -> None:
    body, key = actor_body(), str(uuid.uuid4())
    first = await client.post("/v1/actors", json=body, headers={"Idempotency-Key": key})
    again = await client.post("/v1/actors", json=body, headers={"Idempotency-Key": key})
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["ETag"] == first.headers["ETag"]
    assert await count_actors(database_url, body["external_id"]) == 1


async def test_the_same_key_with_another_body_is_422(client: Any) -> None:
    key = str(uuid.uuid4())
    first = await client.post("/v1/actors", json=actor_body(), headers={"Idempotency-Key": key})
    other = await client.post("/v1/actors", json=actor_body(), headers={"Idempotency-Key": key})
    assert first.status_code == 201
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"


async def test_keys_belong_to_the_api_key_that_sent_them(
    client: Any, api_keys: dict[str, str]
) -> None:
    key = str(uuid.uuid4())
    mine = await client.post("/v1/actors", json=actor_body(), headers={"Idempotency-Key": key})
    theirs = await client.post(
        "/v1/actors",
        json=actor_body(),
        headers={"Idempotency-Key": key, "Authorization": f"Bearer {api_keys['write']}"},
    )
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"]


async def test_concurrent_requests_with_one_key_create_once(client: Any, database_url: str) -> None:
    body, key = actor_body(), str(uuid.uuid4())
    responses = await asyncio.gather(
        *(client.post("/v1/actors", json=body, headers={"Idempotency-Key": key}) for _ in range(10))
    )
    statuses = sorted(r.status_code for r in responses)
    # Exactly one request creates; the others either replay it or are told it is in flight.
    assert set(statuses) <= {201, 409}
    created_ids = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(created_ids) == 1
    assert await count_actors(database_url, body["external_id"]) == 1
    retry = await client.post("/v1/actors", json=body, headers={"Idempotency-Key": key})
    assert retry.status_code == 201
    assert retry.json()["id"] in created_ids
    assert retry.headers["Idempotent-Replayed"] == "true"


async def test_a_failed_request_stores_nothing(client: Any) -> None:
    key = str(uuid.uuid4())
    bad = await client.post("/v1/actors", json={"name": ""}, headers={"Idempotency-Key": key})
    assert bad.status_code == 422
    fixed = await client.post("/v1/actors", json=actor_body(), headers={"Idempotency-Key": key})
    assert fixed.status_code == 201
    assert "Idempotent-Replayed" not in fixed.headers


@pytest.mark.parametrize("key", [b"", b"x" * 256, "naïve".encode(), b"two words"])
async def test_malformed_keys_are_400(client: Any, key: bytes) -> None:
    response = await client.post("/v1/actors", json=actor_body(), headers={"Idempotency-Key": key})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_expired_keys_are_purged_and_reusable(client: Any, database_url: str) -> None:
    from claimledger_server.housekeeping import sweep

    body, key = actor_body(), str(uuid.uuid4())
    first = await client.post("/v1/actors", json=body, headers={"Idempotency-Key": key})
    assert first.status_code == 201
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=1)
    try:
        await pool.execute(
            "UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = $1",
            key,
        )
        await sweep(pool)
        assert await pool.fetchval("SELECT count(*) FROM idempotency_keys WHERE key = $1", key) == 0
    finally:
        await pool.close()
    body["external_id"] = f"idem-{uuid.uuid4()}"
    second = await client.post("/v1/actors", json=body, headers={"Idempotency-Key": key})
    assert second.status_code == 201
    assert second.json()["id"] != first.json()["id"]
