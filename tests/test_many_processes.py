"""Two `serve` processes and two `claimledger worker` processes on one database, as an
operator scales out: per-key rate limits, idempotency keys, the changes feed's order and
webhook delivery hold across them (issue 13, point 2)."""

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from support.databases import fresh_database, make_key, wait_until_sequenced
from support.live_server import ROOT
from support.serve_process import serving
from webhooks.webhook_helpers import eventually
from webhooks.webhook_receiver import Receiver

pytestmark = pytest.mark.slow

LIMIT = 40
ENV = {"CLAIMLEDGER_WEBHOOKS_ALLOW_PRIVATE": "true", "CLAIMLEDGER_WEBHOOK_POLL_SECONDS": "0.2"}


@contextmanager
def workers(database_url: str, count: int) -> Iterator[list[subprocess.Popen[str]]]:
    """`claimledger worker` processes, stopped (SIGTERM) at the end."""
    env = {**os.environ, **ENV, "DATABASE_URL": database_url}
    command = [sys.executable, "-m", "claimledger_server.cli", "worker"]
    started = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for _ in range(count)
    ]
    try:
        yield started
    finally:
        for process in started:
            process.terminate()
        for process in started:
            process.communicate(timeout=30)


def not_near_the_minute_end() -> None:
    """Rate-limit windows are calendar minutes: a burst must not straddle two."""
    while datetime.now(UTC).second >= 50:
        time.sleep(0.5)


async def test_two_servers_and_two_workers_share_one_database(
    server_dsn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    receiver = Receiver().start()
    async with fresh_database(server_dsn, "claimledger_scaleout") as dsn:
        admin = await make_key(dsn, "admin", ("admin",))
        limited = await make_key(dsn, "limited", ("read",), rate_limit_per_minute=LIMIT)
        with ExitStack() as stack:
            servers = [stack.enter_context(serving(dsn, tmp_path / f"serve{i}")) for i in range(2)]
            stack.enter_context(workers(dsn, 2))
            stack.callback(receiver.stop)
            clients = [
                stack.enter_context(
                    httpx.Client(
                        base_url=s.url, headers={"Authorization": f"Bearer {admin}"}, timeout=30
                    )
                )
                for s in servers
            ]
            hook = clients[0].post("/v1/webhooks", json={"url": receiver.url})
            assert hook.status_code == 201, hook.text

            await rate_limit_is_one_budget(servers, limited)
            created = await idempotency_keys_hold_across_servers(servers, admin)
            await wait_until_sequenced(dsn)
            feed = feed_of(clients[1])
            written = writes_in_order(feed)
            assert set(created) <= written
            await every_event_delivered_once(receiver, feed)


async def rate_limit_is_one_budget(servers: list[Any], key: str) -> None:
    """LIMIT requests a minute for the key, whichever process answers them."""
    not_near_the_minute_end()
    headers = {"Authorization": f"Bearer {key}"}
    async with (
        httpx.AsyncClient(base_url=servers[0].url, headers=headers) as one,
        httpx.AsyncClient(base_url=servers[1].url, headers=headers) as other,
    ):
        answers = await asyncio.gather(
            *(client.get("/v1/actors?limit=1") for _ in range(LIMIT) for client in (one, other))
        )
    statuses = [answer.status_code for answer in answers]
    assert set(statuses) == {200, 429}
    assert statuses.count(200) == LIMIT
    refused = next(answer for answer in answers if answer.status_code == 429)
    assert refused.headers["RateLimit-Remaining"] == "0" or "Retry-After" in refused.headers


async def idempotency_keys_hold_across_servers(servers: list[Any], admin: str) -> list[str]:
    """The same Idempotency-Key sent to both servers at once creates one resource."""
    headers = {"Authorization": f"Bearer {admin}"}
    created = []
    async with (
        httpx.AsyncClient(base_url=servers[0].url, headers=headers, timeout=30) as one,
        httpx.AsyncClient(base_url=servers[1].url, headers=headers, timeout=30) as other,
    ):
        for n in range(20):
            body = {"name": f"scale-out {n}"}
            key = {"Idempotency-Key": f"scale-out-{n}"}
            first, second = await asyncio.gather(
                one.post("/v1/actors", json=body, headers=key),
                other.post("/v1/actors", json=body, headers=key),
            )
            # One creates; the other is either the replay or told the first is running.
            assert sorted([first.status_code, second.status_code]) in ([201, 201], [201, 409])
            ids = {r.json()["id"] for r in (first, second) if r.status_code == 201}
            assert len(ids) == 1, (first.text, second.text)
            again = await other.post("/v1/actors", json=body, headers=key)
            assert again.status_code == 201
            assert again.headers["Idempotent-Replayed"] == "true"
            assert again.json()["id"] in ids
            created.append(ids.pop())
    return created


def feed_of(client: httpx.Client) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": 100}
    while True:
        page = client.get("/v1/events", params=params)
        assert page.status_code == 200, page.text
        body = page.json()
        events += body["data"]
        if not body.get("next_cursor"):
            return events
        params = {"limit": 100, "cursor": body["next_cursor"]}


def writes_in_order(feed: list[dict[str, Any]]) -> set[str]:
    """The feed numbers events 1, 2, 3… without gaps, each resource's versions in order."""
    assert [event["seq"] for event in feed] == list(range(1, len(feed) + 1))
    versions: dict[str, int] = {}
    for event in feed:
        resource, version = event["resource_id"], event["version"]
        assert version == versions.get(resource, 0) + 1, event
        versions[resource] = version
    return set(versions)


async def every_event_delivered_once(receiver: Receiver, feed: list[dict[str, Any]]) -> None:
    """Each event reaches the endpoint, answered 2xx once; no event is sent twice at once
    and none again after a 2xx (the two workers claim disjoint deliveries)."""
    expected = {event["id"] for event in feed}
    await eventually(lambda: len(receiver.delivered()) >= len(expected), within=60)
    await asyncio.sleep(1)  # a duplicate send would arrive now
    received = [r.webhook_id for r in receiver.requests]
    assert len(received) == len(set(received)), "an event was delivered twice"
    assert receiver.overlaps == []
    assert set(received) == expected
