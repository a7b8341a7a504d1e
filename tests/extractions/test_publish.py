"""Publishing a draft: one transaction through the one write path, idempotent, matched actors
referenced, events for everything created; and discarding one."""

import uuid
from typing import Any

import asyncpg
import factories
import pytest
from claimledger_server.figures.store import FIGURES
from claimledger_server.versioning import store as versioned
from drafts import PATH, create_draft, patch_draft, reviewed_draft, surname
from factories import assert_problem
from support.databases import wait_until_sequenced


async def publish(client: Any, draft: dict[str, Any], **headers: str) -> dict[str, Any]:
    response = await client.post(f"{PATH}/{draft['id']}/publish", headers=headers)
    assert response.status_code == 200, response.text
    published: dict[str, Any] = response.json()
    assert response.headers["etag"] == f'"{published["version"]}"'
    return published


async def count(database_url: str, sql: str, *args: Any) -> int:
    conn = await asyncpg.connect(database_url)
    try:
        found: int = await conn.fetchval(sql, *args)
        return found
    finally:
        await conn.close()


async def test_publish_writes_the_draft_to_the_ledger_once(client: Any, database_url: str) -> None:
    draft, known, claim_text = await reviewed_draft(client)
    same_name = await factories.ids(client, "/v1/actors", q=f'"{known["name"]}"')
    done = await publish(client, draft, **{"X-Change-Note": "reviewed by the desk"})
    assert (done["status"], done["version"]) == ("published", draft["version"] + 1)
    links = done["published"]
    speaker = next(a["ref"] for a in draft["actors"] if a["actor_id"] == known["id"])
    assert links["actor_ids"][speaker] == known["id"]  # referenced, not created again
    assert set(links["actor_ids"]) == {speaker, "outlet", "troops"}  # "unused" is left out
    assert await factories.ids(client, "/v1/actors", q=f'"{known["name"]}"') == same_name

    source = (await client.get(f"/v1/sources/{links['source_id']}")).json()
    assert (source["title"], source["kind"]) == (draft["source"]["title"], "news_article")
    assert (source["published_on"], source["published_on_precision"]) == ("2024-12-24", "day")
    outlet = (await client.get(f"/v1/actors/{links['actor_ids']['outlet']}")).json()
    assert (outlet["name"], outlet["kind"]) == (draft["actors"][1]["name"], "media_outlet")
    claim = (await client.get(f"/v1/claims/{links['claim_ids']['c1']}")).json()
    assert claim["text"] == claim_text
    assert claim["claimant_id"] == known["id"]
    assert (claim["stated_on"], claim["stated_on_precision"]) == ("2024-12-23", "day")
    assert claim["citations"] == [
        {
            "source_id": links["source_id"],
            "relayed_by_id": links["actor_ids"]["outlet"],
            "quote": "about 400 soldiers were killed",
            "via_ids": [],
        }
    ]
    assert claim["subject_ids"] == [links["actor_ids"]["troops"]]
    assert claim["location"]["name"] == "Kupiansk"
    assert claim["topics"] == ["casualties"]
    figures = [
        (await client.get(f"/v1/figures/{figure_id}")).json()
        for figure_id in links["figure_ids"]["c1"]
    ]
    assert [(f["metric"], f["qualifier"], f["low"], f["high"]) for f in figures] == [
        ("killed", "approximately", 360, 440),
        ("wounded", "vague", 300, 900),
    ]
    assert {f["claim_id"] for f in figures} == {claim["id"]}
    assert {f["subject_id"] for f in figures} == {links["actor_ids"]["troops"]}
    created = [
        links["source_id"],
        links["actor_ids"]["outlet"],
        links["actor_ids"]["troops"],
        claim["id"],
        *links["figure_ids"]["c1"],
    ]
    assert links["created_ids"] == created

    revision = (await client.get(f"/v1/claims/{claim['id']}/versions/1")).json()
    assert revision["change_note"] == (
        f"Published from extraction {draft['id']}: reviewed by the desk"
    )
    await wait_until_sequenced(database_url)
    events = await count(
        database_url,
        "SELECT count(*) FROM events WHERE resource_id = ANY($1::text[])"
        " AND type LIKE '%.created' AND position IS NOT NULL",
        created,
    )
    assert events == len(created)
    marked = await count(
        database_url,
        "SELECT count(*) FROM events WHERE resource_id = $1 AND type = 'extraction.updated'",
        draft["id"],
    )
    assert marked == draft["version"]  # each edit, and publish

    again = await client.post(f"{PATH}/{draft['id']}/publish")
    assert again.status_code == 200
    assert again.json() == done
    stale = await client.post(f"{PATH}/{draft['id']}/publish", headers={"If-Match": '"1"'})
    assert stale.json() == done  # a retry after success is not a conflict
    assert (
        await count(database_url, "SELECT count(*) FROM claims WHERE doc->>'text' = $1", claim_text)
        == 1
    )
    history = (await client.get(f"{PATH}/{draft['id']}/versions")).json()["data"]
    assert [v["version"] for v in history][-1] == done["version"]

    edit = await client.patch(f"{PATH}/{draft['id']}", json={"source": {"title": "x"}})
    assert_problem(edit, 409)
    assert_problem(await client.post(f"{PATH}/{draft['id']}/discard"), 409)
    assert (await client.get(f"{PATH}/{draft['id']}")).json() == done


async def test_publish_is_one_transaction(
    client: Any, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft, _, claim_text = await reviewed_draft(client)
    external_id = f"source-{uuid.uuid4().hex}"
    draft = await patch_draft(client, draft, source={"external_id": external_id})
    written = versioned.write_created
    kinds: list[str] = []

    async def fails_at_the_figures(conn: Any, kind: Any, versions: Any, author: Any) -> None:
        kinds.append(kind.name)
        if kind is FIGURES:
            raise RuntimeError("the disk is full")
        await written(conn, kind, versions, author)

    monkeypatch.setattr(versioned, "write_created", fails_at_the_figures)
    response = await client.post(f"{PATH}/{draft['id']}/publish")
    assert_problem(response, 500)
    assert kinds == ["source", "actor", "claim", "figure"]  # the first half was written
    monkeypatch.undo()
    assert await factories.ids(client, "/v1/sources", external_id=external_id) == []
    for sql, value in (
        ("SELECT count(*) FROM claims WHERE doc->>'text' = $1", claim_text),
        ("SELECT count(*) FROM actors WHERE doc->>'name' = $1", draft["actors"][1]["name"]),
        ("SELECT count(*) FROM sources WHERE external_id = $1", external_id),
    ):
        assert await count(database_url, sql, value) == 0, sql
    assert (await client.get(f"{PATH}/{draft['id']}")).json() == draft

    done = await publish(client, draft)  # nothing half-written stands in the way
    assert done["status"] == "published"
    assert await factories.ids(client, "/v1/sources", external_id=external_id) == [
        done["published"]["source_id"]
    ]


async def test_publish_refuses_what_only_publish_needs(client: Any, database_url: str) -> None:
    draft, known, claim_text = await reviewed_draft(client)
    await factories.delete(client, "/v1/actors", known["id"])
    speaker = next(i for i, a in enumerate(draft["actors"]) if a["actor_id"] == known["id"])
    response = await client.post(f"{PATH}/{draft['id']}/publish")
    assert known["id"] in assert_problem(response, 422, f"actors[{speaker}].actor_id")["detail"]
    assert (
        await count(database_url, "SELECT count(*) FROM claims WHERE doc->>'text' = $1", claim_text)
        == 0
    )

    untitled = await create_draft(client, f"Captain {surname()} said it was calm.")
    assert_problem(await client.post(f"{PATH}/{untitled['id']}/publish"), 422, "source.title")
    empty = await create_draft(client, "Nothing attributed.", title="Quiet day")
    assert_problem(await client.post(f"{PATH}/{empty['id']}/publish"), 422, "claims")
    for made in (untitled, empty):
        assert (await client.get(f"{PATH}/{made['id']}")).json()["status"] == "draft"


async def test_publish_cites_an_existing_source(client: Any) -> None:
    stored = await factories.source(client, title="Evening address", published_on="2024-12-23")
    text = f"Minister {surname()} said two drones were downed."
    draft = await create_draft(client, text, id=stored["id"])
    done = await publish(client, draft)
    links = done["published"]
    assert links["source_id"] == stored["id"]
    assert stored["id"] not in links["created_ids"]
    claim = (await client.get(f"/v1/claims/{links['claim_ids']['c1']}")).json()
    assert claim["citations"][0]["source_id"] == stored["id"]
    assert claim["citations"][0]["quote"] == text
    assert (await client.get(f"/v1/sources/{stored['id']}")).json() == stored
    # A new speaker (no actor_id) became an actor of the registry, named as drafted.
    actor = (await client.get(f"/v1/actors/{links['actor_ids']['a1']}")).json()
    assert actor["name"] == draft["actors"][0]["name"]


async def test_publish_honours_if_match(client: Any) -> None:
    draft, _, _ = await reviewed_draft(client)
    url = f"{PATH}/{draft['id']}/publish"
    stale = await client.post(url, headers={"If-Match": f'"{draft["version"] - 1}"'})
    assert assert_problem(stale, 412)["current_version"] == draft["version"]
    done = await client.post(url, headers={"If-Match": f'"{draft["version"]}"'})
    assert done.status_code == 200, done.text


async def test_discard_ends_a_draft(client: Any) -> None:
    made = await create_draft(client, f"Colonel {surname()} said the shelling stopped.")
    url = f"{PATH}/{made['id']}"
    stale = await client.post(f"{url}/discard", headers={"If-Match": '"7"'})
    assert_problem(stale, 412)
    response = await client.post(f"{url}/discard", headers={"X-Change-Note": "duplicate"})
    assert response.status_code == 200, response.text
    discarded = response.json()
    assert (discarded["status"], discarded["version"]) == ("discarded", 2)
    assert (await client.post(f"{url}/discard")).json() == discarded
    assert_problem(await client.post(f"{url}/publish"), 409)
    assert_problem(await client.patch(url, json={"source": {"title": "x"}}), 409)
    history = (await client.get(f"{url}/versions")).json()["data"]
    assert history[-1]["change_note"] == "duplicate"
    assert (await client.get(url)).json() == discarded
    unknown = f"{PATH}/ext_{'0' * 26}"
    assert_problem(await client.post(f"{unknown}/discard"), 404)
    assert_problem(await client.post(f"{unknown}/publish"), 404)


async def test_drafts_are_in_the_feed_under_their_own_types(client: Any, database_url: str) -> None:
    made = await create_draft(client, "Nothing attributed.")
    await client.post(f"{PATH}/{made['id']}/discard")
    await wait_until_sequenced(database_url)
    events = (await client.get("/v1/events", params={"types": "extraction.*", "limit": 200})).json()
    after = 0
    mine: list[dict[str, Any]] = []
    while events["data"]:
        mine += [e for e in events["data"] if e["resource_id"] == made["id"]]
        after = events["data"][-1]["seq"]
        events = (
            await client.get("/v1/events", params={"types": "extraction.*", "after": after})
        ).json()
    assert [(e["type"], e["version"], e["data"]["status"]) for e in mine] == [
        ("extraction.created", 1, "draft"),
        ("extraction.updated", 2, "discarded"),
    ]
    ledger = (await client.get("/v1/events", params={"types": "claim.*,figure.*"})).json()
    assert all(not e["type"].startswith("extraction.") for e in ledger["data"])
