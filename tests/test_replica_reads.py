"""Read-your-writes through a real streaming replica (`consistency.py`): the app reads from a
hot standby of its primary (`support/replica.py`), and a read that carries the token of a
write is never answered older than that write — served by the standby once it has replayed
it, by the primary when it has not within the wait. Without a token a read may be stale;
that is what the token is for."""

import asyncio
from typing import Any

import pytest
from claimledger_server.consistency import HEADER, ReadRouting, parse_token
from factories import assert_problem
from litestar import Litestar
from litestar.testing import AsyncTestClient
from prometheus_client.parser import text_string_to_metric_families
from support.replica import StreamingPair

ROUNDS = 2000
WRITERS = 8
"""Clients at once: each makes ROUNDS / WRITERS rounds of create → read → update → read."""

pytestmark = pytest.mark.slow


def routing(app: Litestar) -> ReadRouting:
    reads: ReadRouting = app.state.reads
    return reads


def token(response: Any) -> str:
    value: str = response.headers[HEADER]
    return value


async def served_by(client: AsyncTestClient[Litestar]) -> dict[str, float]:
    """`claimledger_replica_reads_total` by `served_by`, as `/metrics` answers it."""
    scraped = await client.get("/metrics")
    assert scraped.status_code == 200, scraped.text
    return {
        sample.labels["served_by"]: sample.value
        for family in text_string_to_metric_families(scraped.text)
        for sample in family.samples
        if sample.name == "claimledger_replica_reads_total"
    }


async def test_reads_with_the_token_never_miss_the_write_before(
    replica_client: AsyncTestClient[Litestar], replica_app: Litestar
) -> None:
    """Thousands of create → read → If-Match update → read rounds through the replica: no
    404, no 412, every read shows the version just written."""
    reads = routing(replica_app)
    replica_before, primary_before = reads.served_by_replica, reads.served_by_primary
    failures: list[str] = []

    async def writer(n: int) -> None:
        for i in range(ROUNDS // WRITERS):
            made = await replica_client.post(
                "/v1/sources", json={"kind": "news_article", "title": f"round {n}.{i}"}
            )
            assert made.status_code == 201, made.text
            url = f"/v1/sources/{made.json()['id']}"
            read = await replica_client.get(url, headers={HEADER: token(made)})
            if read.status_code != 200:
                failures.append(f"read after create: {read.status_code}")
                continue
            assert parse_token(token(read)) >= parse_token(token(made))
            changed = await replica_client.patch(
                url,
                json={"title": f"round {n}.{i}, revised"},
                headers={"If-Match": read.headers["etag"], HEADER: token(read)},
            )
            if changed.status_code != 200:
                failures.append(f"update with If-Match: {changed.status_code}")
                continue
            again = await replica_client.get(url, headers={HEADER: token(changed)})
            if again.status_code != 200 or again.json()["version"] != 2:
                failures.append(f"read after update: {again.status_code} {again.text[:80]}")

    await asyncio.gather(*(writer(n) for n in range(WRITERS)))
    assert failures == []
    by_replica = reads.served_by_replica - replica_before
    by_primary = reads.served_by_primary - primary_before
    assert by_replica + by_primary == 2 * ROUNDS
    # The standby keeps up within the wait nearly always: the reads did go through it.
    assert by_replica > ROUNDS, (by_replica, by_primary)


async def test_a_paused_replica_sends_token_reads_to_the_primary(
    replica_client: AsyncTestClient[Litestar],
    replica_app: Litestar,
    streaming_replica: StreamingPair,
) -> None:
    reads = routing(replica_app)
    made = await replica_client.post("/v1/sources", json={"kind": "other", "title": "before"})
    url = f"/v1/sources/{made.json()['id']}"
    await streaming_replica.caught_up()
    await streaming_replica.pause_replay()
    try:
        changed = await replica_client.patch(
            url, json={"title": "after"}, headers={"If-Match": '"1"'}
        )
        assert changed.status_code == 200, changed.text
        fresh = await replica_client.post("/v1/sources", json={"kind": "other", "title": "new"})
        fresh_url = f"/v1/sources/{fresh.json()['id']}"

        primary_before = reads.served_by_primary
        scraped_before = await served_by(replica_client)
        read = await replica_client.get(url, headers={HEADER: token(changed)})
        assert read.status_code == 200
        assert read.json()["version"] == 2, "never older than the write whose token it sent"
        assert read.json()["title"] == "after"
        assert token(read) == token(changed)
        created = await replica_client.get(fresh_url, headers={HEADER: token(fresh)})
        assert created.status_code == 200, created.text
        assert reads.served_by_primary == primary_before + 2

        # Without a token the replica answers, as far as it has replayed: stale here.
        stale = await replica_client.get(url)
        assert stale.status_code == 200
        assert stale.json()["version"] == 1
        assert parse_token(token(stale)) < parse_token(token(changed))
        missing = await replica_client.get(fresh_url)
        assert_problem(missing, 404)
        # A later read sending the stale answer's token may be stale alike, no older.
        chained = await replica_client.get(url, headers={HEADER: token(stale)})
        assert chained.json()["version"] == 1
        assert reads.served_by_primary == primary_before + 2
        scraped = await served_by(replica_client)
        assert scraped["primary"] == scraped_before["primary"] + 2
        assert scraped["replica"] == scraped_before["replica"] + 3  # stale, missing, chained
    finally:
        await streaming_replica.resume_replay()

    replica_before = reads.served_by_replica
    resumed = await replica_client.get(fresh_url, headers={HEADER: token(fresh)})
    assert resumed.status_code == 200
    assert reads.served_by_replica == replica_before + 1
    listed = await replica_client.get(
        "/v1/sources",
        params={"limit": 200, "updated_since": made.json()["created_at"]},
        headers={HEADER: token(fresh)},
    )
    assert fresh.json()["id"] in {s["id"] for s in listed.json()["data"]}
