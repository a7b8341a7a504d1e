"""Delivery through a worker running in the test process, to a receiver on loopback."""

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import msgspec
import pytest
from claimledger_server.webhooks import safety, store
from claimledger_server.webhooks.schemas import WebhookEndpointCreate
from claimledger_server.webhooks.worker import Worker
from standardwebhooks.webhooks import Webhook
from webhook_helpers import FAST, eventually
from webhook_receiver import Receiver


@pytest.fixture(autouse=True)
async def no_other_endpoints(wh_pool: asyncpg.Pool) -> None:
    """Each test sees only the endpoints it makes."""
    await wh_pool.execute("DELETE FROM webhook_endpoints")


@asynccontextmanager
async def sending(
    pool: asyncpg.Pool, resolver: safety.Resolver | None = None, **overrides: Any
) -> AsyncIterator[Worker]:
    settings = msgspec.structs.replace(FAST, **overrides)
    worker = Worker(pool, settings, resolver=resolver or safety.system_resolver)
    task = asyncio.create_task(worker.run())
    try:
        yield worker
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await worker.aclose()


async def endpoint(client: Any, receiver: Receiver, **fields: Any) -> dict[str, Any]:
    response = await client.post("/v1/webhooks", json={"url": receiver.url, **fields})
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()
    return made


async def deliveries(client: Any, endpoint_id: str, **params: Any) -> list[dict[str, Any]]:
    response = await client.get(f"/v1/webhooks/{endpoint_id}/deliveries", params=params)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["data"]
    return found


async def attempts(client: Any, endpoint_id: str, delivery_id: str) -> list[dict[str, Any]]:
    path = f"/v1/webhooks/{endpoint_id}/deliveries/{delivery_id}/attempts"
    found: list[dict[str, Any]] = (await client.get(path)).json()["data"]
    return found


async def new_actor(client: Any, name: str = "Webhook actor") -> dict[str, Any]:
    made: dict[str, Any] = (await client.post("/v1/actors", json={"name": name})).json()
    return made


async def feed_of(client: Any, resource_id: str, types: str) -> list[dict[str, Any]]:
    """The positioned events of one resource (empty until the sequencer has run)."""
    found: list[dict[str, Any]] = []
    after = 0
    while page := (await client.get(f"/v1/events?types={types}&after={after}&limit=200")).json()[
        "data"
    ]:
        found += [e for e in page if e["resource_id"] == resource_id]
        after = page[-1]["seq"]
    return found


def bodies(receiver: Receiver, resource_id: str) -> list[dict[str, Any]]:
    found = [json.loads(r.body) for r in receiver.requests if 200 <= r.status < 300]
    return [b for b in found if b["data"].get("resource_id") == resource_id]


async def test_events_arrive_as_standard_webhooks(
    wh_client: Any, wh_pool: asyncpg.Pool, receiver: Receiver
) -> None:
    hook = await endpoint(wh_client, receiver, event_types=["actor.*"])
    actor = await new_actor(wh_client)
    await wh_client.patch(f"/v1/actors/{actor['id']}", json={"role": "spokesperson"})
    await wh_client.post("/v1/sources", json={"kind": "report", "title": "not subscribed"})
    async with sending(wh_pool):
        await eventually(lambda: len(bodies(receiver, actor["id"])) == 2)
    verifier = Webhook(hook["secret"])
    for request in receiver.requests:
        payload = verifier.verify(request.body, request.headers)
        assert set(payload) == {"type", "timestamp", "data"}
        assert payload["type"].startswith("actor.")
        event = (await wh_client.get(f"/v1/events/{request.headers['webhook-id']}")).json()
        assert payload["data"] == event  # the event as the feed shows it
        assert payload["timestamp"] == event["occurred_at"]
        assert request.headers["content-type"] == "application/json"
    mine = bodies(receiver, actor["id"])
    assert [b["type"] for b in mine] == ["actor.created", "actor.updated"]
    assert mine[1]["data"]["data"]["role"] == "spokesperson"
    assert mine[1]["data"]["version"] == 2
    log = await deliveries(wh_client, hook["id"])
    assert {d["status"] for d in log} == {"delivered"}
    assert {d["event_type"] for d in log} == {"actor.created", "actor.updated"}
    tried = await attempts(wh_client, hook["id"], log[0]["id"])
    assert len(tried) == 1
    assert tried[0]["status_code"] == 204
    assert tried[0]["succeeded"] is True
    assert tried[0]["latency_ms"] >= 0


async def test_a_test_event_goes_to_that_endpoint_only(
    wh_client: Any, wh_pool: asyncpg.Pool, receiver: Receiver
) -> None:
    other = Receiver().start()
    try:
        hook = await endpoint(wh_client, receiver)
        await endpoint(wh_client, other)
        queued = await wh_client.post(f"/v1/webhooks/{hook['id']}/test")
        assert queued.status_code == 202, queued.text
        assert queued.json()["event_type"] == "ping"
        async with sending(wh_pool):
            await eventually(lambda: receiver.delivered())
            await asyncio.sleep(0.2)
        assert not other.requests
        (request,) = receiver.requests
        payload = Webhook(hook["secret"]).verify(request.body, request.headers)
        assert payload["type"] == "ping"
        assert payload["data"]["endpoint_id"] == hook["id"]
        assert request.headers["webhook-id"] == queued.json()["event_id"]
    finally:
        other.stop()


async def test_after_rotation_both_secrets_sign(
    wh_client: Any, wh_pool: asyncpg.Pool, receiver: Receiver
) -> None:
    hook = await endpoint(wh_client, receiver, event_types=["actor.created"])
    rotated = (await wh_client.post(f"/v1/webhooks/{hook['id']}/rotate-secret")).json()
    actor = await new_actor(wh_client)
    async with sending(wh_pool):
        await eventually(lambda: bodies(receiver, actor["id"]))
    (request,) = [r for r in receiver.requests if actor["id"] in r.body.decode()]
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    Webhook(rotated["secret"]).verify(request.body, request.headers)
    Webhook(hook["secret"]).verify(request.body, request.headers)


async def test_failed_attempts_are_retried_and_logged(
    wh_client: Any, wh_pool: asyncpg.Pool, receiver: Receiver
) -> None:
    receiver.answer = lambda wid, seen: (500, {}, b"boom") if seen < 2 else (200, {}, b"ok")
    hook = await endpoint(wh_client, receiver, event_types=["actor.created"])
    actor = await new_actor(wh_client)
    async with sending(wh_pool):
        await eventually(lambda: bodies(receiver, actor["id"]))
        await eventually(lambda: deliveries(wh_client, hook["id"], status="delivered"))
    (delivery,) = await deliveries(wh_client, hook["id"])
    assert delivery["attempts"] == 3
    assert delivery["last_status_code"] == 200
    tried = await attempts(wh_client, hook["id"], delivery["id"])
    assert [(a["status_code"], a["response_body"], a["succeeded"]) for a in tried] == [
        (500, "boom", False),
        (500, "boom", False),
        (200, "ok", True),
    ]
    ids = {r.headers["webhook-id"] for r in receiver.requests}
    assert ids == {delivery["event_id"]}  # the same webhook-id on every attempt


async def test_exhausted_retries_fail_then_recover_and_retry_resend(
    wh_client: Any, wh_pool: asyncpg.Pool, receiver: Receiver
) -> None:
    receiver.answer = lambda wid, seen: (500, {}, b"down")
    hook = await endpoint(wh_client, receiver, event_types=["actor.created"])
    before = (await wh_client.get(f"/v1/webhooks/{hook['id']}")).json()["created_at"]
    actors = [await new_actor(wh_client) for _ in range(2)]
    async with sending(wh_pool, retry_schedule=(0, 0.01, 0.01)):
        failed = await eventually(
            lambda: _all(deliveries(wh_client, hook["id"], status="failed"), 2)
        )
    assert {d["attempts"] for d in failed} == {3}
    assert {d["next_attempt_at"] for d in failed} == {None}
    assert (await wh_client.get(f"/v1/webhooks/{hook['id']}")).json()["failing_since"]

    receiver.answer = lambda wid, seen: (200, {}, b"")
    one = await wh_client.post(f"/v1/webhooks/{hook['id']}/deliveries/{failed[0]['id']}/retry")
    assert one.status_code == 202, one.text
    assert one.json()["status"] == "pending"
    async with sending(wh_pool):
        await eventually(lambda: deliveries(wh_client, hook["id"], status="delivered"))
        recovered = await wh_client.post(
            f"/v1/webhooks/{hook['id']}/recover", json={"since": before}
        )
        assert recovered.json() == {"queued": 1}
        await eventually(lambda: _all(deliveries(wh_client, hook["id"], status="delivered"), 2))
    assert receiver.delivered() == {d["event_id"] for d in failed}
    assert {b["data"]["resource_id"] for a in actors for b in bodies(receiver, a["id"])} == {
        a["id"] for a in actors
    }
    assert (await wh_client.get(f"/v1/webhooks/{hook['id']}")).json()["failing_since"] is None


async def _all(found: Any, count: int) -> Any:
    items = await found
    return items if len(items) == count else None


async def test_410_disables_the_endpoint_and_announces_it(
    wh_client: Any, wh_pool: asyncpg.Pool, receiver: Receiver
) -> None:
    watcher = Receiver().start()
    try:
        receiver.answer = lambda wid, seen: (410, {}, b"gone")
        hook = await endpoint(wh_client, receiver, event_types=["actor.created"])
        ops = await endpoint(wh_client, watcher, event_types=["webhook_endpoint.*"])
        await new_actor(wh_client)
        async with sending(wh_pool):
            announced = await eventually(lambda: watcher.delivered())
        state = (await wh_client.get(f"/v1/webhooks/{hook['id']}")).json()
        assert (state["enabled"], state["disabled_reason"]) == (False, "gone")
        (delivery,) = await deliveries(wh_client, hook["id"])
        assert (delivery["status"], delivery["attempts"]) == ("failed", 1)
        (event,) = await feed_of(wh_client, hook["id"], "webhook_endpoint.disabled")
        assert event["resource"] == "webhook_endpoint"
        assert event["data"]["disabled_reason"] == "gone"
        assert announced == {event["id"]}
        (request,) = watcher.requests
        assert Webhook(ops["secret"]).verify(request.body, request.headers)["data"] == event
    finally:
        watcher.stop()


async def test_an_endpoint_failing_for_too_long_is_disabled(
    wh_client: Any, wh_pool: asyncpg.Pool, receiver: Receiver
) -> None:
    receiver.answer = lambda wid, seen: (503, {}, b"")
    hook = await endpoint(wh_client, receiver, event_types=["actor.created"])
    await new_actor(wh_client)
    async with sending(wh_pool, retry_schedule=(0,) + (0.05,) * 40, disable_after_seconds=0.3):
        await eventually(lambda: _disabled(wh_client, hook["id"]))
    state = (await wh_client.get(f"/v1/webhooks/{hook['id']}")).json()
    assert state["disabled_reason"] == "failing"
    announced = await eventually(lambda: feed_of(wh_client, hook["id"], "webhook_endpoint.*"))
    assert [e["type"] for e in announced] == ["webhook_endpoint.disabled"]
    # Nothing more is sent while disabled; enabling it sends what waited, with a clean record.
    sent = len(receiver.requests)
    receiver.answer = lambda wid, seen: (200, {}, b"")
    async with sending(wh_pool):
        await asyncio.sleep(0.3)
        assert len(receiver.requests) == sent
        enabled = await wh_client.patch(f"/v1/webhooks/{hook['id']}", json={"enabled": True})
        assert enabled.json()["failing_since"] is None
        await eventually(lambda: deliveries(wh_client, hook["id"], status="delivered"))


async def _disabled(client: Any, endpoint_id: str) -> bool:
    return not (await client.get(f"/v1/webhooks/{endpoint_id}")).json()["enabled"]


async def test_retry_after_is_honoured(
    wh_client: Any, wh_pool: asyncpg.Pool, receiver: Receiver
) -> None:
    receiver.answer = lambda wid, seen: (
        (429, {"Retry-After": "1"}, b"") if not seen else (200, {}, b"")
    )
    await endpoint(wh_client, receiver, event_types=["actor.created"])
    actor = await new_actor(wh_client)
    async with sending(wh_pool):
        await eventually(lambda: bodies(receiver, actor["id"]))
    first, second = receiver.requests
    assert second.at - first.at >= 0.95  # the schedule alone would have waited 0.05 s


async def test_order_is_kept_per_resource(
    wh_client: Any, wh_pool: asyncpg.Pool, receiver: Receiver
) -> None:
    # Version 2 fails twice; versions 3-6 must wait for it, while other resources flow.
    def answer(wid: str, seen: int) -> tuple[int, dict[str, str], bytes]:
        return (500, {}, b"") if wid in slow and seen < 2 else (200, {}, b"")

    slow: set[str] = set()
    hook = await endpoint(wh_client, receiver, event_types=["actor.*"])
    receiver.answer, receiver.delay = answer, 0.01
    actor = await new_actor(wh_client, "ordered")
    others = [await new_actor(wh_client, f"other {i}") for i in range(5)]
    for n in range(5):
        await wh_client.patch(f"/v1/actors/{actor['id']}", json={"role": f"r{n}"})
    slow.add(
        await wh_pool.fetchval(
            "SELECT id FROM events WHERE resource_id = $1 AND version = 2", actor["id"]
        )
    )
    async with sending(wh_pool, concurrency=8):
        await eventually(lambda: len(bodies(receiver, actor["id"])) == 6)
        await eventually(
            lambda: _all(deliveries(wh_client, hook["id"], status="delivered", limit=200), 11)
        )
    versions = [b["data"]["version"] for b in bodies(receiver, actor["id"])]
    assert versions == [1, 2, 3, 4, 5, 6]
    mine = [r for r in receiver.requests if actor["id"] in r.body.decode()]
    assert [json.loads(r.body)["data"]["version"] for r in mine] == [1, 2, 2, 2, 3, 4, 5, 6]
    assert all(bodies(receiver, other["id"]) for other in others)


async def test_redirects_are_not_followed_and_big_answers_are_cut(
    wh_client: Any, wh_pool: asyncpg.Pool, receiver: Receiver
) -> None:
    big = b"x" * 1_000_000
    receiver.answer = lambda wid, seen: (
        (302, {"Location": "http://127.0.0.1:1/elsewhere"}, b"") if not seen else (200, {}, big)
    )
    hook = await endpoint(wh_client, receiver, event_types=["actor.created"])
    await new_actor(wh_client)
    async with sending(wh_pool):
        await eventually(lambda: deliveries(wh_client, hook["id"], status="delivered"))
    (delivery,) = await deliveries(wh_client, hook["id"])
    redirect, success = await attempts(wh_client, hook["id"], delivery["id"])
    assert (redirect["status_code"], redirect["error"]) == (302, "redirects are not followed")
    assert success["succeeded"]
    assert success["response_body"] == "x" * 4096


async def test_a_slow_receiver_times_out(
    wh_client: Any, wh_pool: asyncpg.Pool, receiver: Receiver
) -> None:
    receiver.delay = 1.0
    hook = await endpoint(wh_client, receiver, event_types=["actor.created"])
    await new_actor(wh_client)
    async with sending(wh_pool, timeout_seconds=0.2, retry_schedule=(0,)):
        (failed,) = await eventually(lambda: deliveries(wh_client, hook["id"], status="failed"))
    (attempt,) = await attempts(wh_client, hook["id"], failed["id"])
    assert attempt["status_code"] is None
    assert "0.2 s" in attempt["error"]
    assert 150 <= attempt["latency_ms"] < 900


async def test_the_target_is_checked_again_at_send_time(
    wh_client: Any, wh_pool: asyncpg.Pool, receiver: Receiver
) -> None:
    # Created while `rebind.example` resolved to a public address; it now resolves to
    # loopback (DNS rebinding), and the worker must not send there.
    async with wh_pool.acquire() as conn:
        made = await store.create_endpoint(
            conn,
            WebhookEndpointCreate(
                url=f"https://rebind.example:{receiver.port}/x", event_types=["actor.*"]
            ),
        )

    async def rebound(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]

    await new_actor(wh_client)
    async with sending(wh_pool, resolver=rebound, allow_private=False, retry_schedule=(0,)):
        (failed,) = await eventually(lambda: deliveries(wh_client, made.id, status="failed"))
    (attempt,) = await attempts(wh_client, made.id, failed["id"])
    assert attempt["error"].startswith("target refused")
    assert "private" in attempt["error"]
    assert not receiver.requests


async def test_replay_sends_again_from_a_feed_position(
    wh_client: Any, wh_pool: asyncpg.Pool, receiver: Receiver
) -> None:
    actor = await new_actor(wh_client, "before the endpoint")
    (created,) = await eventually(lambda: feed_of(wh_client, actor["id"], "actor.created"))
    seq = created["seq"] - 1
    hook = await endpoint(wh_client, receiver, event_types=["actor.created"])
    queued = await wh_client.post(f"/v1/webhooks/{hook['id']}/replay", json={"after": seq})
    assert queued.status_code == 202, queued.text
    count = queued.json()["queued"]
    assert count >= 1
    async with sending(wh_pool):
        await eventually(lambda: _all(deliveries(wh_client, hook["id"], status="delivered"), count))
        assert len(bodies(receiver, actor["id"])) == 1
        again = await wh_client.post(f"/v1/webhooks/{hook['id']}/replay", json={"after": seq})
        assert again.json()["queued"] == count  # delivered ones go again
        await eventually(lambda: len(bodies(receiver, actor["id"])) == 2)


async def test_deliveries_filter_and_page(
    wh_client: Any, wh_pool: asyncpg.Pool, receiver: Receiver
) -> None:
    hook = await endpoint(wh_client, receiver, event_types=["actor.*", "source.created"])
    actor = await new_actor(wh_client)
    await wh_client.delete(f"/v1/actors/{actor['id']}")
    await wh_client.post("/v1/sources", json={"kind": "report", "title": "t"})
    await eventually(lambda: _all(deliveries(wh_client, hook["id"]), 3))
    assert {d["status"] for d in await deliveries(wh_client, hook["id"])} == {"pending"}
    async with sending(wh_pool):
        await eventually(lambda: _all(deliveries(wh_client, hook["id"], status="delivered"), 3))
    assert await deliveries(wh_client, hook["id"], status="failed") == []
    actors = await deliveries(wh_client, hook["id"], event_type="actor.*")
    assert sorted(d["event_type"] for d in actors) == ["actor.created", "actor.deleted"]
    assert len(await deliveries(wh_client, hook["id"], event_type="source.created")) == 1
    seen, cursor = [], None
    while True:
        page = (
            await wh_client.get(
                f"/v1/webhooks/{hook['id']}/deliveries",
                params={"limit": 1, **({"cursor": cursor} if cursor else {})},
            )
        ).json()
        seen += [d["id"] for d in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 3
    assert seen == sorted(seen, reverse=True)
