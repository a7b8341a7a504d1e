"""GET /v1/claims/{id}?expand=…: the claim's own fields unchanged, and its neighbours inline
under `expanded`, now or as of a time."""

from typing import Any

import factories
import pytest
from factories import assert_problem

ALL = "claimant,figures,relations,citations.source"


@pytest.fixture
async def claim(client: Any) -> dict[str, Any]:
    """A claim with a claimant, two citations, two relations and two live figures (and one
    deleted figure)."""
    claimant = await factories.actor(client, name="John Kirby")
    nbc = await factories.actor(client, name="NBC News", kind="media_outlet")
    report = await factories.source(client, title="NBC report", publisher_id=nbc["id"])
    article = await factories.source(client, title="The article")
    earlier = await factories.claim(client, text="An earlier count.")
    rival = await factories.claim(client, text="A rival count.")
    made = await factories.claim(
        client,
        claimant_id=claimant["id"],
        citations=[
            {"source_id": report["id"]},
            {"source_id": article["id"], "relayed_by_id": nbc["id"], "quote": "1,000"},
        ],
        relations=[
            {"claim_id": rival["id"], "relation": "contradicts"},
            {"claim_id": earlier["id"], "relation": "supersedes"},
        ],
    )
    figures = [
        await factories.figure(client, claim_id=made["id"], amount=amount) for amount in (1, 2, 3)
    ]
    await factories.delete(client, "/v1/figures", figures[1]["id"])
    return {
        "claim": made,
        "claimant": claimant,
        "sources": [report, article],
        "related": [rival, earlier],
        "figures": [figures[0], figures[2]],
    }


async def get(client: Any, claim_id: str, **params: Any) -> dict[str, Any]:
    response = await client.get(f"/v1/claims/{claim_id}", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_every_expansion(client: Any, claim: dict[str, Any]) -> None:
    made = claim["claim"]
    response = await client.get(f"/v1/claims/{made['id']}", params={"expand": ALL})
    assert response.status_code == 200, response.text
    # Compressed (an expansion runs to kilobytes), the tag is the weak form of the same one.
    compressed = "content-encoding" in response.headers
    assert response.headers["etag"] == ('W/"1"' if compressed else '"1"')
    body = response.json()
    expanded = body.pop("expanded")
    assert body == made  # the claim's own fields, unchanged
    assert list(expanded) == ["claimant", "figures", "relations", "citations"]
    assert expanded["claimant"] == claim["claimant"]
    assert expanded["figures"] == claim["figures"]
    rival, earlier = claim["related"]
    assert expanded["relations"] == [
        {
            "claim_id": rival["id"],
            "relation": "contradicts",
            "direction": "outgoing",
            "claim": rival,
        },
        {
            "claim_id": earlier["id"],
            "relation": "supersedes",
            "direction": "outgoing",
            "claim": earlier,
        },
    ]
    report, article = claim["sources"]
    assert expanded["citations"] == [
        {"source_id": report["id"], "source": report},
        {"source_id": article["id"], "source": article},
    ]


@pytest.mark.parametrize(
    ("expand", "members"),
    [
        ("figures", ["figures"]),
        ("citations.source,claimant", ["claimant", "citations"]),
        ("relations,relations", ["relations"]),
    ],
)
async def test_only_what_is_asked(
    client: Any, claim: dict[str, Any], expand: str, members: list[str]
) -> None:
    body = await get(client, claim["claim"]["id"], expand=expand)
    assert list(body["expanded"]) == members


async def test_without_expand_nothing_changes(client: Any, claim: dict[str, Any]) -> None:
    made = claim["claim"]
    assert await get(client, made["id"]) == made


async def test_empty_neighbourhoods(client: Any) -> None:
    lonely = await factories.claim(client)
    expanded = (await get(client, lonely["id"], expand=ALL))["expanded"]
    assert expanded["figures"] == expanded["relations"] == expanded["citations"] == []
    assert expanded["claimant"]["id"] == lonely["claimant_id"]


@pytest.mark.parametrize(
    "expand",
    [
        *("sources", "citations", "relations.claim.claimant", "claimant.parent", "FIGURES", "*"),
        # What the published pattern does not allow either: nothing, spaces, empty items.
        *("", " relations", "relations,", ",figures", "figures,,claimant", "null"),
    ],
)
async def test_unknown_expansion_is_400(client: Any, claim: dict[str, Any], expand: str) -> None:
    response = await client.get(f"/v1/claims/{claim['claim']['id']}", params={"expand": expand})
    problem = assert_problem(response, 400, "expand")
    assert "matching regex" in problem["detail"], problem


async def test_expand_on_missing_or_deleted_claims(client: Any) -> None:
    unknown = factories.UNKNOWN_ID["claims"]
    assert_problem(await client.get(f"/v1/claims/{unknown}", params={"expand": ALL}), 404)
    gone = await factories.deleted(client, "claims")
    assert_problem(await client.get(f"/v1/claims/{gone}", params={"expand": ALL}), 410)


async def test_expanded_is_never_not_modified(client: Any, claim: dict[str, Any]) -> None:
    url = f"/v1/claims/{claim['claim']['id']}"
    plain = await client.get(url, headers={"If-None-Match": '"1"'})
    assert plain.status_code == 304
    expanded = await client.get(url, params={"expand": "figures"}, headers={"If-None-Match": '"1"'})
    assert expanded.status_code == 200
    assert len(expanded.json()["expanded"]["figures"]) == 2


async def test_as_of_expands_neighbours_as_they_were(client: Any, claim: dict[str, Any]) -> None:
    made, claimant = claim["claim"], claim["claimant"]
    url = f"/v1/claims/{made['id']}"
    # When the third figure was made: the middle one was deleted later, so three were live.
    moment = claim["figures"][-1]["updated_at"]
    renamed = await client.patch(f"/v1/actors/{claimant['id']}", json={"name": "J. Kirby"})
    assert renamed.status_code == 200, renamed.text
    await factories.figure(client, claim_id=made["id"], amount=99)
    relations = {"relations": [{"claim_id": claim["related"][0]["id"], "relation": "contradicts"}]}
    assert (await client.patch(url, json=relations)).status_code == 200

    now = await get(client, made["id"], expand=ALL)
    assert now["version"] == 2
    assert now["expanded"]["claimant"]["name"] == "J. Kirby"
    assert len(now["expanded"]["figures"]) == 3
    assert len(now["expanded"]["relations"]) == 1

    then = await get(client, made["id"], expand=ALL, as_of=moment)
    assert then["version"] == 1
    assert then["expanded"]["claimant"] == claimant
    assert [f["amount"] for f in then["expanded"]["figures"]] == [1, 2, 3]
    assert len(then["expanded"]["relations"]) == 2
    assert then["expanded"]["citations"][0]["source"] == claim["sources"][0]


async def test_operation_is_still_get_claim(client: Any) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    operation = document["paths"]["/v1/claims/{id}"]["get"]
    assert operation["operationId"] == "getClaim"
    assert "expand" in {parameter["name"] for parameter in operation["parameters"]}
