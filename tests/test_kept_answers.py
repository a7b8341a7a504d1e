"""Summaries and timelines kept per process (kept_answers.py): sent again only while the
dataset has not changed, shared by concurrent requests, never older than a write the
request could see."""

import asyncio
from typing import Any

import asyncpg
import factories
import pytest
from claimledger_server.figures import routes
from claimledger_server.kept_answers import KeptAnswers, kept_answers
from support.databases import wait_until_sequenced


async def subject_with_a_figure(client: Any) -> tuple[str, dict[str, Any], dict[str, Any]]:
    subject = (await factories.actor(client, kind="armed_force"))["id"]
    made = await factories.claim(client, subject_ids=[subject], stated_on="2024-10-01")
    figure = await factories.figure(
        client, claim_id=made["id"], subject_id=subject, accumulation="cumulative"
    )
    return subject, made, figure


async def get_json(client: Any, path: str, **params: Any) -> Any:
    response = await client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_repeated_answer_is_sent_again_until_a_write(client: Any) -> None:
    subject, made, figure = await subject_with_a_figure(client)
    kept = kept_answers(client.app.state)
    params = {"subject_id": subject, "metric": "killed"}
    first = await get_json(client, "/v1/figures/summary", **params)
    hits = kept.cache.hits
    assert await get_json(client, "/v1/figures/summary", **params) == first
    assert kept.cache.hits == hits + 1
    assert first["data"][0]["high"] == 10

    # Each kind an answer shows is a change: the figure, its claim's claimant, a new figure.
    response = await client.patch(f"/v1/figures/{figure['id']}", json={"amount": 12})
    assert response.status_code == 200, response.text
    assert (await get_json(client, "/v1/figures/summary", **params))["data"][0]["high"] == 12
    response = await client.patch(f"/v1/actors/{made['claimant_id']}", json={"name": "Renamed"})
    assert response.status_code == 200, response.text
    group = (await get_json(client, "/v1/figures/summary", **params))["data"][0]
    assert group["claimants"][0]["claimant"]["name"] == "Renamed"
    await factories.figure(
        client, claim_id=made["id"], subject_id=subject, metric="wounded", amount=5
    )
    groups = (await get_json(client, "/v1/figures/summary", subject_id=subject))["data"]
    assert [g["metric"] for g in groups] == ["killed", "wounded"]

    timeline = {"subject_id": subject, "metric": "killed"}
    entries = (await get_json(client, "/v1/figures/timeline", **timeline))["data"]
    assert [e["figure"]["high"] for e in entries] == [12]
    await factories.figure(
        client, claim_id=made["id"], subject_id=subject, amount=30, accumulation="cumulative"
    )
    entries = (await get_json(client, "/v1/figures/timeline", **timeline))["data"]
    assert sorted(e["figure"]["high"] for e in entries) == [12, 30]


async def test_concurrent_requests_share_one_reading(
    client: Any, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    subject, _, _ = await subject_with_a_figure(client)
    read = routes.summarize
    readings = 0

    async def counted(conn: Any, query: Any) -> Any:
        nonlocal readings
        readings += 1
        await asyncio.sleep(0.05)  # long enough for all requests to arrive meanwhile
        return await read(conn, query)

    monkeypatch.setattr(routes, "summarize", counted)
    await wait_until_sequenced(database_url)
    answers = await asyncio.gather(
        *(get_json(client, "/v1/figures/summary", subject_id=subject) for _ in range(8))
    )
    assert readings == 1
    assert all(answer == answers[0] for answer in answers)


async def test_a_request_arriving_after_a_write_does_not_share_an_older_reading(
    client: Any, database_url: str
) -> None:
    """A reading started before a write is not the answer for a request that arrived after
    it, though they ask the same question at the same time."""
    kept = KeptAnswers()
    release = asyncio.Event()
    pool = await asyncpg.create_pool(database_url, min_size=2, max_size=4)
    first_read = asyncio.Event()

    async def count_actors(conn: asyncpg.Connection) -> bytes:
        count = await conn.fetchval("SELECT count(*) FROM actors")
        if not first_read.is_set():
            first_read.set()
            await release.wait()
        return str(count).encode()

    try:
        before = kept.answer(pool, "actors", count_actors)
        early = asyncio.create_task(before)
        await first_read.wait()  # the first reading has its snapshot
        await factories.actor(client)
        late = asyncio.create_task(kept.answer(pool, "actors", count_actors))
        await asyncio.sleep(0.05)  # the late request waits on the early reading
        release.set()
        assert int(await late) == int(await early) + 1
    finally:
        await pool.close()
