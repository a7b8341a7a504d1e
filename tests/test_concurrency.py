"""No lost updates: concurrent writers with If-Match on one claim, through the shared app and
its connection pool (asyncio.gather really interleaves the requests)."""

import asyncio
from typing import Any

import factories
from factories import assert_problem

WRITERS = 24
ROUNDS = 3


async def history(client: Any, url: str) -> list[dict[str, Any]]:
    return await factories.list_all(client, f"{url}/versions", limit=7)


async def test_one_writer_wins_per_version(client: Any) -> None:
    made = await factories.claim(client)
    url = f"/v1/claims/{made['id']}"
    winners: dict[int, str] = {}
    for round_ in range(ROUNDS):
        version = 1 + round_
        texts = [f"round {round_} writer {i}" for i in range(WRITERS)]
        responses = await asyncio.gather(
            *(
                client.patch(url, json={"text": text}, headers={"If-Match": f'"{version}"'})
                for text in texts
            )
        )
        won = [(text, r) for text, r in zip(texts, responses, strict=True) if r.status_code == 200]
        assert len(won) == 1, [r.status_code for r in responses]
        text, response = won[0]
        assert response.headers["etag"] == f'"{version + 1}"'
        assert response.json()["text"] == text
        winners[version + 1] = text
        for lost in responses:
            if lost is not response:
                assert assert_problem(lost, 412)["current_version"] == version + 1
    revisions = await history(client, url)
    assert [r["version"] for r in revisions] == list(range(1, ROUNDS + 2))
    for revision in revisions[1:]:
        assert revision["data"]["text"] == winners[revision["version"]]
        assert revision["data"]["version"] == revision["version"]
    current = await client.get(url)
    assert current.headers["etag"] == f'"{ROUNDS + 1}"'
    assert current.json()["text"] == winners[ROUNDS + 1]


async def test_retrying_writers_all_land(client: Any) -> None:
    made = await factories.claim(client)
    url = f"/v1/claims/{made['id']}"
    attempts: list[int] = []

    async def writer(n: int) -> int:
        version, tries = 1, 0
        while True:
            tries += 1
            response = await client.patch(
                url, json={"text": f"writer {n}"}, headers={"If-Match": f'"{version}"'}
            )
            if response.status_code == 200:
                attempts.append(tries)
                return int(response.json()["version"])
            version = assert_problem(response, 412)["current_version"]

    versions = await asyncio.gather(*(writer(n) for n in range(WRITERS)))
    assert sorted(versions) == list(range(2, WRITERS + 2))
    assert max(attempts) > 1  # they really did collide
    revisions = await history(client, url)
    assert [r["version"] for r in revisions] == list(range(1, WRITERS + 2))
    texts = [r["data"]["text"] for r in revisions[1:]]
    assert sorted(texts) == sorted(f"writer {n}" for n in range(WRITERS))
    assert all(r["action"] == "updated" for r in revisions[1:])


async def test_unconditional_writers_are_serialised(client: Any) -> None:
    made = await factories.claim(client)
    url = f"/v1/claims/{made['id']}"
    responses = await asyncio.gather(
        *(client.patch(url, json={"topics": [f"t{n}"]}) for n in range(WRITERS))
    )
    assert all(r.status_code == 200 for r in responses)
    assert sorted(r.json()["version"] for r in responses) == list(range(2, WRITERS + 2))
    revisions = await history(client, url)
    assert [r["version"] for r in revisions] == list(range(1, WRITERS + 2))


async def test_delete_races_a_new_reference(client: Any) -> None:
    """Either the figure lands and the claim's delete is refused, or the delete lands and
    the figure is refused: never a figure pointing at a deleted claim."""
    for _ in range(8):
        made = await factories.claim(client)
        body = {"claim_id": made["id"], "metric": "killed", "amount": 1}
        created, deleted = await asyncio.gather(
            client.post("/v1/figures", json=body), client.delete(f"/v1/claims/{made['id']}")
        )
        outcome = (created.status_code, deleted.status_code)
        assert outcome in {(201, 409), (422, 200)}, (outcome, created.text, deleted.text)
        if created.status_code == 201:
            assert (await client.get(f"/v1/claims/{made['id']}")).status_code == 200
        else:
            assert_problem(created, 422, "claim_id")
