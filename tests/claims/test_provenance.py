"""/v1/claims by provenance: claimants and co-claimants, dates known only to the month or
year, citations' sources and relaying actors, relations in either direction (as a filter
and in `?expand=relations`), now and `as_of`."""

import uuid
from typing import Any

import asyncpg
import factories
from factories import UNKNOWN_ID, ids


async def listed(client: Any, **params: Any) -> list[str]:
    return await ids(client, "/v1/claims", **params)


def topic() -> str:
    """A topic no other test uses: it scopes a list to this test's claims."""
    return f"t-{uuid.uuid4().hex[:12]}"


async def patch(client: Any, claim_id: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.patch(f"/v1/claims/{claim_id}", json=body)
    assert response.status_code == 200, response.text
    patched: dict[str, Any] = response.json()
    return patched


# --- claimant_id: the claimant or any co-claimant -------------------------------------------


async def test_claimant_matches_co_claimants(client: Any) -> None:
    us, ukraine, korea, other = [(await factories.actor(client))["id"] for _ in range(4)]
    own = await factories.claim(client, claimant_id=us)
    joint = await factories.claim(client, claimant_id=ukraine, co_claimant_ids=[us, korea])
    theirs = await factories.claim(client, claimant_id=ukraine)
    with_korea = await factories.claim(client, claimant_id=other, co_claimant_ids=[korea])
    own_later = await factories.claim(client, claimant_id=us, status="disputed")

    assert await listed(client, claimant_id=us) == [own["id"], joint["id"], own_later["id"]]
    assert await listed(client, claimant_id=ukraine) == [joint["id"], theirs["id"]]
    assert await listed(client, claimant_id=korea) == [joint["id"], with_korea["id"]]
    assert await listed(client, claimant_id=other) == [with_korea["id"]]
    # Other filters apply to both: as claimant and as co-claimant.
    assert await listed(client, claimant_id=us, status="disputed") == [own_later["id"]]
    assert await listed(client, claimant_id=korea, status="unverified") == [
        joint["id"],
        with_korea["id"],
    ]


async def test_claimant_pages_merge_claimant_and_co_claimant_in_id_order(client: Any) -> None:
    actor, partner = [(await factories.actor(client))["id"] for _ in range(2)]
    made = []
    for i in range(7):  # alternating: the actor's own claims and joint ones it is part of
        if i % 2:
            made.append(await factories.claim(client, claimant_id=partner, co_claimant_ids=[actor]))
        else:
            made.append(await factories.claim(client, claimant_id=actor))
    expected = [m["id"] for m in made]
    for limit in (1, 2, 3, 50):
        assert await listed(client, claimant_id=actor, limit=limit) == expected
    page = (await client.get("/v1/claims", params={"claimant_id": actor, "limit": 3})).json()
    assert [c["id"] for c in page["data"]] == expected[:3]
    assert page["next_cursor"] is not None


async def test_claimant_with_search_includes_co_claimants(client: Any) -> None:
    word = f"zc{uuid.uuid4().hex[:10]}"
    actor, partner = [(await factories.actor(client))["id"] for _ in range(2)]
    own = await factories.claim(client, claimant_id=actor, text=f"{word} alone")
    joint = await factories.claim(
        client, claimant_id=partner, co_claimant_ids=[actor], text=f"{word} {word} jointly"
    )
    await factories.claim(client, claimant_id=partner, text=word)
    found = await listed(client, claimant_id=actor, q=word)
    assert sorted(found) == sorted([own["id"], joint["id"]])


async def test_claimant_leaves_out_deleted_claims_unless_asked(client: Any) -> None:
    actor, partner = [(await factories.actor(client))["id"] for _ in range(2)]
    joint = await factories.claim(client, claimant_id=partner, co_claimant_ids=[actor])
    own = await factories.claim(client, claimant_id=actor)
    await factories.delete(client, "/v1/claims", joint["id"])
    assert await listed(client, claimant_id=actor) == [own["id"]]
    assert await listed(client, claimant_id=actor, include_deleted="true") == [
        joint["id"],
        own["id"],
    ]


async def test_claimant_as_of_reads_co_claimants_as_they_were(client: Any) -> None:
    actor, partner, newcomer = [(await factories.actor(client))["id"] for _ in range(3)]
    joint = await factories.claim(client, claimant_id=partner, co_claimant_ids=[actor])
    moment = joint["updated_at"]
    await patch(client, joint["id"], {"co_claimant_ids": [newcomer]})
    assert await listed(client, claimant_id=actor) == []
    assert await listed(client, claimant_id=newcomer) == [joint["id"]]
    assert await listed(client, claimant_id=actor, as_of=moment) == [joint["id"]]
    assert await listed(client, claimant_id=newcomer, as_of=moment) == []


# --- stated_from / stated_to: the whole span of a month or year date ------------------------


async def test_dates_filter_by_the_span_of_their_precision(client: Any) -> None:
    scope = topic()
    claimant = (await factories.actor(client))["id"]

    async def make(**fields: Any) -> str:
        made = await factories.claim(client, claimant_id=claimant, topics=[scope], **fields)
        return str(made["id"])

    year = await make(stated_on="2024-01-01", stated_on_precision="year")  # 2024-01-01..12-31
    month = await make(stated_on="2024-12-01", stated_on_precision="month")  # 12-01..12-31
    day = await make(stated_on="2024-12-15")
    next_day = await make(stated_on="2025-01-01")
    february = await make(stated_on="2024-02-01", stated_on_precision="month")  # leap year
    await make()  # undated: no date filter matches it

    cases: list[tuple[dict[str, str], list[str]]] = [
        # stated_from compares with the last day of the span, boundary included.
        ({"stated_from": "2024-12-15"}, [year, month, day, next_day]),
        ({"stated_from": "2024-12-16"}, [year, month, next_day]),
        ({"stated_from": "2024-12-31"}, [year, month, next_day]),
        ({"stated_from": "2025-01-01"}, [next_day]),
        ({"stated_from": "2024-02-29"}, [year, month, day, next_day, february]),
        ({"stated_from": "2024-03-01"}, [year, month, day, next_day]),
        # stated_to compares with its first day, boundary included.
        ({"stated_to": "2023-12-31"}, []),
        ({"stated_to": "2024-01-01"}, [year]),
        ({"stated_to": "2024-01-31"}, [year]),
        ({"stated_to": "2024-02-01"}, [year, february]),
        ({"stated_to": "2024-11-30"}, [year, february]),
        ({"stated_to": "2024-12-01"}, [year, month, february]),
        ({"stated_to": "2024-12-14"}, [year, month, february]),
        ({"stated_to": "2024-12-15"}, [year, month, day, february]),
        # A range matches the spans it overlaps.
        ({"stated_from": "2024-12-02", "stated_to": "2024-12-02"}, [year, month]),
        ({"stated_from": "2024-06-01", "stated_to": "2024-06-30"}, [year]),
        ({"stated_from": "2024-12-31", "stated_to": "2025-01-01"}, [year, month, next_day]),
        ({"stated_from": "2025-01-02", "stated_to": "2030-01-01"}, []),
    ]
    for bounds, expected in cases:
        # Both list paths: a date filter alone, and beside a claimant (the merged scans).
        assert await listed(client, topic=scope, **bounds) == expected, bounds
        assert await listed(client, claimant_id=claimant, **bounds) == expected, bounds


async def test_dates_of_joint_claims_filter_the_co_claimant_too(client: Any) -> None:
    actor, partner = [(await factories.actor(client))["id"] for _ in range(2)]
    month = await factories.claim(
        client,
        claimant_id=partner,
        co_claimant_ids=[actor],
        stated_on="2024-10-01",
        stated_on_precision="month",
    )
    own = await factories.claim(client, claimant_id=actor, stated_on="2024-10-20")
    assert await listed(client, claimant_id=actor, stated_from="2024-10-31") == [month["id"]]
    assert await listed(client, claimant_id=actor, stated_from="2024-10-20") == [
        month["id"],
        own["id"],
    ]
    assert await listed(client, claimant_id=actor, stated_from="2024-11-01") == []
    assert await listed(client, claimant_id=actor, stated_to="2024-10-01") == [month["id"]]


async def test_date_filters_follow_a_change_of_precision(client: Any) -> None:
    scope = topic()
    made = await factories.claim(client, topics=[scope], stated_on="2024-10-01")
    assert await listed(client, topic=scope, stated_from="2024-10-15") == []
    moment = made["updated_at"]
    await patch(client, made["id"], {"stated_on_precision": "month"})
    assert await listed(client, topic=scope, stated_from="2024-10-15") == [made["id"]]
    assert await listed(client, topic=scope, stated_from="2024-10-15", as_of=moment) == []


# --- source_id, relayed_by_id -----------------------------------------------------------------


async def test_source_id_matches_any_citation(client: Any) -> None:
    first, second, unused = [(await factories.source(client))["id"] for _ in range(3)]
    only_first = await factories.claim(client, citations=[{"source_id": first}])
    both = await factories.claim(
        client, citations=[{"source_id": second}, {"source_id": first, "quote": "as cited"}]
    )
    only_second = await factories.claim(client, citations=[{"source_id": second}])
    await factories.claim(client)
    assert await listed(client, source_id=first) == [only_first["id"], both["id"]]
    assert await listed(client, source_id=second) == [both["id"], only_second["id"]]
    assert await listed(client, source_id=unused) == []
    assert await listed(client, source_id=second, claimant_id=both["claimant_id"]) == [both["id"]]


async def test_relayed_by_id_matches_the_relaying_actor_of_any_citation(client: Any) -> None:
    outlet = (await factories.actor(client, kind="media_outlet"))["id"]
    lawmaker = (await factories.actor(client))["id"]
    report, article = [(await factories.source(client))["id"] for _ in range(2)]
    direct = await factories.claim(
        client, citations=[{"source_id": report, "relayed_by_id": outlet}]
    )
    second_citation = await factories.claim(
        client,
        citations=[
            {"source_id": report},
            {"source_id": article, "relayed_by_id": outlet, "via_ids": [lawmaker]},
        ],
    )
    # In the chain but not relaying: `via_ids` are not `relayed_by_id`.
    only_via = await factories.claim(
        client, citations=[{"source_id": article, "relayed_by_id": lawmaker, "via_ids": [outlet]}]
    )
    # The outlet's own claim: it is the claimant, not a relay.
    await factories.claim(client, claimant_id=outlet, citations=[{"source_id": report}])
    assert await listed(client, relayed_by_id=outlet) == [direct["id"], second_citation["id"]]
    assert await listed(client, relayed_by_id=lawmaker) == [only_via["id"]]
    assert await listed(client, relayed_by_id=outlet, source_id=article) == [second_citation["id"]]


async def test_citation_filters_as_of(client: Any) -> None:
    outlet = (await factories.actor(client, kind="media_outlet"))["id"]
    old, new = [(await factories.source(client))["id"] for _ in range(2)]
    made = await factories.claim(client, citations=[{"source_id": old, "relayed_by_id": outlet}])
    moment = made["updated_at"]
    await patch(client, made["id"], {"citations": [{"source_id": new}]})
    assert await listed(client, source_id=old) == []
    assert await listed(client, source_id=new) == [made["id"]]
    assert await listed(client, relayed_by_id=outlet) == []
    assert await listed(client, source_id=old, as_of=moment) == [made["id"]]
    assert await listed(client, source_id=new, as_of=moment) == []
    assert await listed(client, relayed_by_id=outlet, as_of=moment) == [made["id"]]


# --- related_to ------------------------------------------------------------------------------


async def test_related_to_finds_both_directions(client: Any) -> None:
    a = await factories.claim(client)
    b = await factories.claim(client, relations=[{"claim_id": a["id"], "relation": "contradicts"}])
    c = await factories.claim(client)
    d = await factories.claim(
        client,
        relations=[
            {"claim_id": b["id"], "relation": "corroborates"},
            {"claim_id": b["id"], "relation": "supersedes"},
        ],
    )
    before = (await patch(client, a["id"], {"status": "disputed"}))["updated_at"]
    await patch(client, a["id"], {"relations": [{"claim_id": c["id"], "relation": "supersedes"}]})

    assert await listed(client, related_to=a["id"]) == [b["id"], c["id"]]  # b names a; a names c
    assert await listed(client, related_to=b["id"]) == [a["id"], d["id"]]  # b names a; d names b
    assert await listed(client, related_to=c["id"]) == [a["id"]]
    assert await listed(client, related_to=d["id"]) == [b["id"]]
    assert await listed(client, related_to=UNKNOWN_ID["claims"]) == []
    assert await listed(client, related_to=b["id"], limit=1) == [a["id"], d["id"]]
    assert await listed(client, related_to=b["id"], status="disputed") == [a["id"]]

    # as_of: a named nothing yet.
    assert await listed(client, related_to=a["id"], as_of=before) == [b["id"]]
    assert await listed(client, related_to=c["id"], as_of=before) == []

    # A deleted claim relates to nothing any more, in either direction.
    await factories.delete(client, "/v1/claims", d["id"])
    assert await listed(client, related_to=b["id"]) == [a["id"]]
    assert await listed(client, related_to=d["id"]) == []
    assert await listed(client, related_to=b["id"], as_of=before) == [a["id"], d["id"]]


# --- ?expand=relations: both directions ------------------------------------------------------


async def expanded_relations(client: Any, claim_id: str, **params: Any) -> list[dict[str, Any]]:
    response = await client.get(f"/v1/claims/{claim_id}", params={"expand": "relations", **params})
    assert response.status_code == 200, response.text
    relations: list[dict[str, Any]] = response.json()["expanded"]["relations"]
    return relations


def summary(relations: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    for item in relations:
        assert set(item) == {"claim_id", "relation", "direction", "claim"}, item
        assert item["claim"]["id"] == item["claim_id"]
    return [(r["direction"], r["claim_id"], r["relation"]) for r in relations]


async def test_expand_relations_shows_outgoing_then_incoming(client: Any) -> None:
    rival = await factories.claim(client)
    made = await factories.claim(
        client, relations=[{"claim_id": rival["id"], "relation": "contradicts"}]
    )
    echo = await factories.claim(
        client,
        relations=[
            {"claim_id": made["id"], "relation": "corroborates"},
            {"claim_id": rival["id"], "relation": "contradicts"},
        ],
    )
    correction = await factories.claim(
        client, relations=[{"claim_id": made["id"], "relation": "supersedes"}]
    )
    relations = await expanded_relations(client, made["id"])
    assert summary(relations) == [
        ("outgoing", rival["id"], "contradicts"),
        ("incoming", echo["id"], "corroborates"),
        ("incoming", correction["id"], "supersedes"),
    ]
    assert relations[0]["claim"] == rival
    assert relations[1]["claim"] == echo
    assert relations[2]["claim"] == correction
    # The rival is named by both: two incoming relations, no outgoing one.
    assert summary(await expanded_relations(client, rival["id"])) == [
        ("incoming", made["id"], "contradicts"),
        ("incoming", echo["id"], "contradicts"),
    ]
    # A claim naming this one twice (two kinds of relation) appears once per relation.
    both = await factories.claim(
        client,
        relations=[
            {"claim_id": correction["id"], "relation": "corroborates"},
            {"claim_id": correction["id"], "relation": "contradicts"},
        ],
    )
    assert summary(await expanded_relations(client, correction["id"])) == [
        ("outgoing", made["id"], "supersedes"),
        ("incoming", both["id"], "corroborates"),
        ("incoming", both["id"], "contradicts"),
    ]


async def test_expand_relations_as_of_and_after_deletes(client: Any) -> None:
    made = await factories.claim(client)
    early = await factories.claim(
        client, relations=[{"claim_id": made["id"], "relation": "corroborates"}]
    )
    moment = early["updated_at"]
    late = await factories.claim(
        client, relations=[{"claim_id": made["id"], "relation": "contradicts"}]
    )
    assert summary(await expanded_relations(client, made["id"])) == [
        ("incoming", early["id"], "corroborates"),
        ("incoming", late["id"], "contradicts"),
    ]
    await factories.delete(client, "/v1/claims", early["id"])
    await patch(client, late["id"], {"relations": []})
    assert await expanded_relations(client, made["id"]) == []
    then = await expanded_relations(client, made["id"], as_of=moment)
    assert summary(then) == [("incoming", early["id"], "corroborates")]
    assert then[0]["claim"] == early


# --- parameter values ------------------------------------------------------------------------


async def test_unknown_ids_match_nothing(client: Any) -> None:
    for params in (
        {"source_id": UNKNOWN_ID["sources"]},
        {"relayed_by_id": UNKNOWN_ID["actors"]},
        {"related_to": UNKNOWN_ID["claims"]},
        {"claimant_id": UNKNOWN_ID["actors"]},
        {"related_to": UNKNOWN_ID["claims"], "as_of": "2024-01-01T00:00:00Z"},
    ):
        assert await listed(client, **params) == [], params


async def test_who_said_it_is_checked_like_every_reference(client: Any) -> None:
    """Joint claimants, the data cited and the relay chain name live actors, each once,
    and the chain runs from the claimants to the relaying actor without looping back."""
    kirby, nbc, aide, nis = [(await factories.actor(client))["id"] for _ in range(4)]
    source = (await factories.source(client))["id"]
    base = {"external_id": f"who-{uuid.uuid4().hex[:8]}", "claimant_id": kirby, "text": "x"}
    cases = [
        ({"co_claimant_ids": [nis, UNKNOWN_ID]}, "co_claimant_ids[1]"),
        ({"co_claimant_ids": [nis, nis]}, "co_claimant_ids[1]"),
        ({"co_claimant_ids": [kirby]}, "co_claimant_ids[0]"),
        (
            {"based_on": [{"actor_id": UNKNOWN_ID, "text": "citing the NIS"}]},
            "based_on[0].actor_id",
        ),
        ({"based_on": [{"actor_id": nis}]}, "based_on[0].text"),
        (
            {"citations": [{"source_id": source, "via_ids": [aide, UNKNOWN_ID]}]},
            "citations[0].via_ids[1]",
        ),
        (
            {"citations": [{"source_id": source, "via_ids": [aide, aide]}]},
            "citations[0].via_ids[1]",
        ),
        ({"citations": [{"source_id": source, "via_ids": [kirby]}]}, "citations[0].via_ids[0]"),
        (
            {"co_claimant_ids": [nis], "citations": [{"source_id": source, "via_ids": [nis]}]},
            "citations[0].via_ids[0]",
        ),
        (
            {"citations": [{"source_id": source, "relayed_by_id": nbc, "via_ids": [nbc]}]},
            "citations[0].via_ids[0]",
        ),
    ]
    for change, field in cases:
        response = await client.post("/v1/claims", json={**base, **change})
        factories.assert_problem(response, 422, field)
    assert await ids(client, "/v1/claims", external_id=base["external_id"]) == []

    made = await factories.claim(
        client,
        claimant_id=kirby,
        co_claimant_ids=[nis],
        based_on=[{"actor_id": nis, "text": "citing the NIS"}, {"text": "preliminary data"}],
        citations=[{"source_id": source, "relayed_by_id": nbc, "via_ids": [aide]}],
    )
    assert made["based_on"][1] == {"actor_id": None, "text": "preliminary data"}
    # Every actor the claim names is protected from deletion while it stands.
    for actor in (nis, aide, nbc):
        factories.assert_problem(await client.delete(f"/v1/actors/{actor}"), 409)


async def test_claimant_follows_edits_of_the_co_claimants(client: Any) -> None:
    """The pairs the live list reads (claim_co_claimants) follow every write of the claim."""
    first, second, third = [(await factories.actor(client))["id"] for _ in range(3)]
    joint = await factories.claim(client, co_claimant_ids=[first, second])
    assert await ids(client, "/v1/claims", claimant_id=first) == [joint["id"]]
    url = f"/v1/claims/{joint['id']}"
    response = await client.patch(url, json={"co_claimant_ids": [second, third]})
    assert response.status_code == 200, response.text
    assert await ids(client, "/v1/claims", claimant_id=first) == []
    assert await ids(client, "/v1/claims", claimant_id=second) == [joint["id"]]
    assert await ids(client, "/v1/claims", claimant_id=third) == [joint["id"]]
    response = await client.patch(url, json={"co_claimant_ids": []})
    assert response.status_code == 200, response.text
    assert await ids(client, "/v1/claims", claimant_id=third) == []


async def test_claim_refs_follow_every_write(client: Any, database_url: str) -> None:
    """claim_refs (migrations 0013, 0015), which the live co-claimant, relayer and source
    lists read, holds exactly the pairs the claims' documents name, after creates, edits and
    deletes."""
    outlet, lawmaker, a, b, c = [(await factories.actor(client))["id"] for _ in range(5)]
    report, article = [(await factories.source(client))["id"] for _ in range(2)]
    made = [
        await factories.claim(
            client,
            claimant_id=a,
            co_claimant_ids=[b],
            stated_on="2024-03-01",
            citations=[{"source_id": report, "relayed_by_id": outlet, "via_ids": [lawmaker]}],
        ),
        await factories.claim(client, claimant_id=b, citations=[{"source_id": article}]),
        await factories.claim(
            client, claimant_id=c, stated_on="2024-05-01", stated_on_precision="month"
        ),
    ]
    made[0] = await patch(
        client, made[0]["id"], {"co_claimant_ids": [c], "stated_on": "2024-04-02"}
    )
    made[1] = await patch(
        client,
        made[1]["id"],
        {"claimant_id": a, "citations": [{"source_id": report, "relayed_by_id": lawmaker}]},
    )
    response = await client.delete(f"/v1/claims/{made[2]['id']}")
    assert response.status_code == 200, response.text

    def pairs(claim: dict[str, Any]) -> set[tuple[str, str, str]]:
        refs = {(claim["claimant_id"], "claimant")}
        refs |= {(actor, "co_claimant") for actor in claim["co_claimant_ids"]}
        for citation in claim["citations"]:
            refs.add((citation["source_id"], "source"))
            if citation.get("relayed_by_id"):
                refs.add((citation["relayed_by_id"], "relayer"))
        return {(ref, role, claim["id"]) for ref, role in refs}

    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch(
            "SELECT ref_id, role, claim_id, stated_on FROM claim_refs WHERE claim_id = ANY($1)",
            [m["id"] for m in made],
        )
    finally:
        await conn.close()
    assert {(r["ref_id"], r["role"], r["claim_id"]) for r in rows} == set().union(*map(pairs, made))
    assert {r["claim_id"]: str(r["stated_on"]) for r in rows} == {
        made[0]["id"]: "2024-04-02",
        made[1]["id"]: "None",
        made[2]["id"]: "2024-05-01",
    }
    # A row removed directly (never by the API: it writes tombstones) takes its pairs along.
    # Rolled back: the suite's database must keep matching its changes feed.
    scratch = await factories.claim(client, claimant_id=a, citations=[{"source_id": report}])
    conn = await asyncpg.connect(database_url)
    try:
        transaction = conn.transaction()
        await transaction.start()
        await conn.execute("DELETE FROM claims WHERE id = $1", scratch["id"])
        left = await conn.fetchval(
            "SELECT count(*) FROM claim_refs WHERE claim_id = $1", scratch["id"]
        )
        await transaction.rollback()
    finally:
        await conn.close()
    assert left == 0
    # The lists read them, page by page (the cursor bounds the side table's scan too).
    assert await listed(client, claimant_id=a, limit=1) == [
        made[0]["id"],
        made[1]["id"],
        scratch["id"],
    ]
    assert await listed(client, claimant_id=a, stated_from="2024-04-01", limit=1) == [made[0]["id"]]
    assert await listed(client, relayed_by_id=lawmaker, limit=1) == [made[1]["id"]]
    assert await listed(client, source_id=report, limit=1) == [
        made[0]["id"],
        made[1]["id"],
        scratch["id"],
    ]
    assert await listed(client, claimant_id=c, limit=1) == [made[0]["id"]]
    assert await listed(client, claimant_id=c, include_deleted=True, limit=1) == [
        made[0]["id"],
        made[2]["id"],
    ]
