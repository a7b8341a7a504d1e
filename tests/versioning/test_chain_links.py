"""A chain link (an actor's `parent_id`, a source's `republished_from_id`) never closes a
cycle: not at the end of a chain of any length, and not by two writes that race, each closing
half of one. (A cycle leaves no parent or no original, and an export of it no longer imports.)"""

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import factories
import httpx
import pytest
from factories import assert_problem
from support.live_server import live_server

Make = Callable[..., Awaitable[dict[str, Any]]]
CHAINS: dict[str, tuple[str, Make]] = {
    "actors": ("parent_id", factories.actor),
    "sources": ("republished_from_id", factories.source),
}
LONG_CHAIN = 150
ROUNDS = 20


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server on the session's database: racing requests arrive on connections of
    their own and run in its event loop and its connection pool, as clients' requests do."""
    log = tmp_path_factory.mktemp("chain-server") / "uvicorn.log"
    env = {"CLAIMLEDGER_WEBHOOK_WORKER": "0", "CLAIMLEDGER_API_KEY_CACHE_SECONDS": "0"}
    with live_server(database_url, log, env) as url:
        yield url


@pytest.mark.parametrize("table", CHAINS)
async def test_a_chain_of_any_length_cannot_be_closed(client: Any, table: str) -> None:
    link, make = CHAINS[table]
    chain = [await make(client)]
    for _ in range(LONG_CHAIN - 1):
        chain.append(await make(client, **{link: chain[-1]["id"]}))
    first, middle, last = chain[0]["id"], chain[LONG_CHAIN // 2]["id"], chain[-1]["id"]
    for target in (last, middle):  # last → … → middle → … → first
        response = await client.patch(f"/v1/{table}/{first}", json={link: target})
        problem = assert_problem(response, 422, link)
        assert f"{target} already leads back to {first}" in problem["detail"]
    # Moving the end of the chain under its start is no cycle.
    response = await client.patch(f"/v1/{table}/{last}", json={link: first})
    assert response.status_code == 200, response.text


async def _patch_at_once(
    http: httpx.AsyncClient, *changes: tuple[str, dict[str, Any]]
) -> list[httpx.Response]:
    """Send the patches (url, body) together: each waits at a barrier until all are ready."""
    barrier = asyncio.Barrier(len(changes))

    async def send(url: str, body: dict[str, Any]) -> httpx.Response:
        await barrier.wait()
        return await http.patch(url, json=body)

    return list(await asyncio.gather(*(send(url, body) for url, body in changes)))


async def _chain_from(http: httpx.AsyncClient, table: str, link: str, start: str) -> list[str]:
    """The ids met following `link` from `start`, stopping at the end or where one repeats."""
    seen = [start]
    while True:
        response = await http.get(f"/v1/{table}/{seen[-1]}")
        assert response.status_code == 200, response.text
        target = response.json()[link]
        if target is None or target in seen:
            return [*seen, target] if target else seen
        seen.append(target)


@pytest.mark.parametrize("table", CHAINS)
async def test_racing_links_never_close_a_cycle(
    server: str, api_keys: dict[str, str], client: Any, table: str
) -> None:
    """With B → C stored, `A → B` and `C → A` each pass a check that cannot see the other;
    together they make A → B → C → A. Exactly one of them may land."""
    link, make = CHAINS[table]
    outcomes: Counter[str] = Counter()
    headers = {"Authorization": f"Bearer {api_keys['admin']}"}
    async with httpx.AsyncClient(base_url=server, headers=headers, timeout=30) as http:
        for _ in range(ROUNDS):
            c = await make(client)
            b = await make(client, **{link: c["id"]})
            a = await make(client)
            a_to_b, c_to_a = await _patch_at_once(
                http,
                (f"/v1/{table}/{a['id']}", {link: b["id"]}),
                (f"/v1/{table}/{c['id']}", {link: a["id"]}),
            )
            landed = [r for r in (a_to_b, c_to_a) if r.status_code == 200]
            assert len(landed) == 1, (a_to_b.text, c_to_a.text)
            refused = c_to_a if landed[0] is a_to_b else a_to_b
            assert_problem(refused, 422, link)
            outcomes["A → B" if landed[0] is a_to_b else "C → A"] += 1
            chain = await _chain_from(http, table, link, a["id"])
            assert len(chain) == len(set(chain)), f"a cycle: {' → '.join(chain)}"
    assert sum(outcomes.values()) == ROUNDS, outcomes
