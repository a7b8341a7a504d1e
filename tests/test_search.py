"""Full-text `q` on claims, actors and sources: PostgreSQL text search, ranked, paginated."""

import uuid
from typing import Any


async def create(client: Any, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(path, json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def walk(client: Any, url: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = await client.get(url + (f"&cursor={cursor}" if cursor else ""))
        assert page.status_code == 200, page.text
        items += page.json()["data"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items


async def test_claims_are_ranked_and_page_without_repeats(client: Any) -> None:
    word = f"zq{uuid.uuid4().hex[:10]}"  # a token no other test uses
    actor = await create(client, "/v1/actors", {"name": "Search claimant"})
    weak = await create(
        client,
        "/v1/claims",
        {
            "claimant_id": actor["id"],
            "text": f"A long statement that mentions {word} once among many other words here",
        },
    )
    strong = await create(
        client,
        "/v1/claims",
        {"claimant_id": actor["id"], "text": f"{word} {word} {word}", "quote": f"{word}!"},
    )
    basis_only = await create(
        client,
        "/v1/claims",
        {"claimant_id": actor["id"], "text": "Unrelated words", "basis": f"citing {word} data"},
    )
    await create(client, "/v1/claims", {"claimant_id": actor["id"], "text": "Nothing to find"})
    ranked = (await client.get(f"/v1/claims?q={word}")).json()["data"]
    assert ranked[0]["id"] == strong["id"]
    assert {c["id"] for c in ranked} == {weak["id"], strong["id"], basis_only["id"]}
    paged = await walk(client, f"/v1/claims?q={word}&limit=1")
    assert [c["id"] for c in paged] == [c["id"] for c in ranked]


async def test_search_understands_words_not_substrings(client: Any) -> None:
    token = f"casualt{uuid.uuid4().hex[:6]}"
    actor = await create(client, "/v1/actors", {"name": "Stemming claimant"})
    claim = await create(
        client, "/v1/claims", {"claimant_id": actor["id"], "text": f"Heavy {token}s reported"}
    )
    hits = (await client.get(f'/v1/claims?q="{token}s" -nothingness')).json()["data"]
    assert [c["id"] for c in hits] == [claim["id"]]


async def test_actors_by_name_and_alias(client: Any) -> None:
    alias = f"Zel{uuid.uuid4().hex[:8]}"
    actor = await create(client, "/v1/actors", {"name": "Volodymyr Test", "aliases": [alias]})
    by_alias = (await client.get(f"/v1/actors?q={alias}")).json()["data"]
    assert [a["id"] for a in by_alias] == [actor["id"]]


async def test_sources_by_title(client: Any) -> None:
    word = f"addr{uuid.uuid4().hex[:8]}"
    source = await create(
        client, "/v1/sources", {"kind": "video_address", "title": f"Evening {word}"}
    )
    hits = (await client.get(f"/v1/sources?q={word}")).json()["data"]
    assert [s["id"] for s in hits] == [source["id"]]


async def test_sql_looking_search_is_just_text(client: Any) -> None:
    response = await client.get("/v1/claims?q=' OR 1=1; DROP TABLE claims; --")
    assert response.status_code == 200
    assert (await client.get("/v1/claims?limit=1")).status_code == 200
