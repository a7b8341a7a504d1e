"""/v1/actors: the shared contract, plus list filters and parent chains."""

import uuid
from typing import Any

import factories
from factories import assert_problem, ids, uid
from resource_tests import DROP, ResourceContract


class TestActors(ResourceContract):
    table = "actors"
    prefix = "act"
    patch = {"name": "John F. Kirby", "role": "national security spokesperson"}
    optional_field = "description"
    nested = (
        "external_ids",
        {"viaf": "12345", "wikidata": None},
        {"isni": "0000000123", "viaf": "12345"},
    )
    reference_fields = {"parent_id": "actors"}
    invalid_bodies = [
        ("name-missing", {"name": DROP}, 422, "name"),
        ("name-empty", {"name": ""}, 422, "name"),
        ("name-too-long", {"name": "x" * 301}, 422, "name"),
        ("name-nul", {"name": "Kir\x00by"}, 422, "name"),
        ("name-number", {"name": 7}, 422, "name"),
        ("kind-unknown", {"kind": "alien"}, 422, "kind"),
        ("country-alpha2", {"country": "US"}, 422, "country"),
        ("country-unassigned", {"country": "XXX"}, 422, "country"),
        ("country-lowercase", {"country": "usa"}, 422, "country"),
        ("aliases-duplicate", {"aliases": ["Kirby", "Kirby"]}, 422, "aliases"),
        ("aliases-not-list", {"aliases": "Kirby"}, 422, "aliases"),
        ("aliases-empty-item", {"aliases": [""]}, 422, "aliases[0]"),
        ("parent-id-other-kind", {"parent_id": "clm_01jfzq6m3b8n0c2k4d5e6f7g8h"}, 422, "parent_id"),
        ("external-ids-not-object", {"external_ids": ["Q1"]}, 422, "external_ids"),
        ("external-ids-empty-value", {"external_ids": {"wikidata": ""}}, 422, "external_ids[...]"),
    ]
    invalid_patches = [
        ("name-null", {"name": None}, 422, "name"),
        ("name-empty", {"name": ""}, 422, "name"),
        ("kind-number", {"kind": 3}, 422, "kind"),
        ("country-unknown", {"country": "ZZZ"}, 422, "country"),
        ("external-ids-bad-value", {"external_ids": {"wikidata": 5}}, 422, "external_ids[...]"),
    ]

    async def make_body(self, client: Any) -> dict[str, Any]:
        parent = await factories.actor(client, name="National Security Council")
        return {
            "external_id": uid("actor"),
            "name": "John Kirby",
            "kind": "person",
            "aliases": ["Kirby", "Admiral Kirby"],
            "country": "USA",
            "parent_id": parent["id"],
            "role": "spokesperson",
            "description": "White House national security communications adviser",
            "external_ids": {"wikidata": "Q6246529", "isni": "0000000123"},
        }

    async def make_referrer(self, client: Any, resource_id: str) -> tuple[str, str] | None:
        child = await factories.actor(client, parent_id=resource_id)
        return "/v1/actors", child["id"]


async def test_filters_kind_country_and_q(client: Any) -> None:
    token = uuid.uuid4().hex
    person = await factories.actor(client, name=f"Person {token}", kind="person", country="USA")
    group = await factories.actor(
        client, name=f"Troops {token}", kind="armed_group", country="PRK", aliases=["KPA"]
    )
    other = await factories.actor(client, name=f"Other {token}", kind="state", country="UKR")
    assert await ids(client, "/v1/actors", q=token) == [person["id"], group["id"], other["id"]]
    assert await ids(client, "/v1/actors", q=token, kind="armed_group") == [group["id"]]
    assert await ids(client, "/v1/actors", q=token, country="USA") == [person["id"]]
    assert await ids(client, "/v1/actors", q=token, kind="state", country="USA") == []
    assert await ids(client, "/v1/actors", q=f"troops {token}") == [group["id"]]
    by_kind = await ids(client, "/v1/actors", kind="armed_group")
    assert group["id"] in by_kind
    assert person["id"] not in by_kind
    by_country = await ids(client, "/v1/actors", country="UKR")
    assert other["id"] in by_country
    assert group["id"] not in by_country


async def test_q_searches_aliases(client: Any) -> None:
    token = uuid.uuid4().hex
    made = await factories.actor(client, name="Volodymyr Zelenskyy", aliases=[f"alias{token}"])
    assert await ids(client, "/v1/actors", q=f"alias{token}") == [made["id"]]


async def test_list_filter_values_are_validated(client: Any) -> None:
    assert_problem(await client.get("/v1/actors", params={"kind": "alien"}), 400, "kind")
    assert_problem(await client.get("/v1/actors", params={"country": "XX"}), 400, "country")


async def test_parent_cannot_be_self(client: Any) -> None:
    made = await factories.actor(client)
    response = await client.patch(f"/v1/actors/{made['id']}", json={"parent_id": made["id"]})
    assert_problem(response, 422, "parent_id")


async def test_parent_cycles_are_422(client: Any) -> None:
    a = await factories.actor(client, name="A")
    b = await factories.actor(client, name="B", parent_id=a["id"])
    c = await factories.actor(client, name="C", parent_id=b["id"])
    # A → B → A
    response = await client.patch(f"/v1/actors/{a['id']}", json={"parent_id": b["id"]})
    assert_problem(response, 422, "parent_id")
    # A → C → B → A
    response = await client.patch(f"/v1/actors/{a['id']}", json={"parent_id": c["id"]})
    assert_problem(response, 422, "parent_id")
    assert (await client.get(f"/v1/actors/{a['id']}")).json()["version"] == 1
    # Re-parenting without a cycle is fine: C moves from B to A.
    response = await client.patch(f"/v1/actors/{c['id']}", json={"parent_id": a["id"]})
    assert response.status_code == 200, response.text
    assert response.json()["parent_id"] == a["id"]
    # Now B → A is a leaf edge and A → B would still be a cycle.
    response = await client.patch(f"/v1/actors/{a['id']}", json={"parent_id": b["id"]})
    assert_problem(response, 422, "parent_id")


async def test_chain_of_parents(client: Any) -> None:
    state = await factories.actor(client, name="United States", kind="state", country="USA")
    council = await factories.actor(
        client, name="National Security Council", kind="government_body", parent_id=state["id"]
    )
    kirby = await factories.actor(client, name="John Kirby", parent_id=council["id"])
    assert kirby["parent_id"] == council["id"]
    assert_problem(await client.delete(f"/v1/actors/{council['id']}"), 409)
    await factories.delete(client, "/v1/actors", kirby["id"])
    await factories.delete(client, "/v1/actors", council["id"])
    assert (await client.get(f"/v1/actors/{state['id']}")).status_code == 200


async def test_defaults(client: Any) -> None:
    made = await factories.create(client, "/v1/actors", {"name": "Only a name"})
    assert made["aliases"] == []
    assert made["external_ids"] == {}
    assert made["external_id"] is None
    assert made["kind"] is None


async def test_filter_parent_id_lists_direct_members(client: Any) -> None:
    state = await factories.actor(client, kind="state")
    council = await factories.actor(client, kind="government_body", parent_id=state["id"])
    ministry = await factories.actor(client, kind="government_body", parent_id=state["id"])
    kirby = await factories.actor(client, parent_id=council["id"])
    assert await ids(client, "/v1/actors", parent_id=state["id"]) == [council["id"], ministry["id"]]
    assert await ids(client, "/v1/actors", parent_id=council["id"]) == [kirby["id"]]
    assert await ids(client, "/v1/actors", parent_id=kirby["id"]) == []
    moment = kirby["updated_at"]
    moved = await client.patch(f"/v1/actors/{kirby['id']}", json={"parent_id": ministry["id"]})
    assert moved.status_code == 200, moved.text
    assert await ids(client, "/v1/actors", parent_id=council["id"]) == []
    assert await ids(client, "/v1/actors", parent_id=ministry["id"]) == [kirby["id"]]
    assert await ids(client, "/v1/actors", parent_id=council["id"], as_of=moment) == [kirby["id"]]


async def test_filter_anonymous(client: Any) -> None:
    body = await factories.actor(client, kind="government_body")
    officials = await factories.actor(
        client, name="Western officials", anonymous=True, parent_id=body["id"]
    )
    named = await factories.actor(client, name="John Kirby", parent_id=body["id"])
    lawmaker = await factories.actor(
        client, name="a South Korean lawmaker", anonymous=True, parent_id=body["id"]
    )
    members = {"parent_id": body["id"]}
    assert await ids(client, "/v1/actors", anonymous="true", **members) == [
        officials["id"],
        lawmaker["id"],
    ]
    assert await ids(client, "/v1/actors", anonymous="false", **members) == [named["id"]]
    everyone = await ids(client, "/v1/actors", anonymous="true")
    assert {officials["id"], lawmaker["id"]} <= set(everyone)
    assert named["id"] not in everyone
    assert body["id"] not in everyone


async def test_filter_external_ids(client: Any) -> None:
    token = uuid.uuid4().hex[:12].upper()
    both = await factories.actor(
        client, external_ids={"wikidata": f"Q{token}", "viaf": f"V{token}"}
    )
    other = await factories.actor(client, external_ids={"wikidata": f"Q{token}0"})
    same_value = await factories.actor(client, external_ids={"isni": f"Q{token}"})
    await factories.actor(client)

    async def by(**pairs: str) -> list[str]:
        params = {f"external_ids.{scheme}": value for scheme, value in pairs.items()}
        return await ids(client, "/v1/actors", **params)

    assert await by(wikidata=f"Q{token}") == [both["id"]]
    assert await by(wikidata=f"Q{token}0") == [other["id"]]
    assert await by(isni=f"Q{token}") == [same_value["id"]]  # the scheme counts, not the value
    assert await by(wikidata=f"Q{token}", viaf=f"V{token}") == [both["id"]]  # all must match
    assert await by(wikidata=f"Q{token}", viaf=f"V{token}0") == []
    assert await by(wikidata=f"Q{token}", isni=f"Q{token}") == []
    assert await by(wikidata=f"q{token}") == []  # exact, case included
    assert await by(wikidata=token) == []  # not a substring match
    # With other filters, and as of a time.
    assert await ids(
        client, "/v1/actors", kind="person", **{"external_ids.wikidata": f"Q{token}"}
    ) == [both["id"]]
    moment = other["updated_at"]
    changed = await client.patch(
        f"/v1/actors/{other['id']}", json={"external_ids": {"wikidata": f"Q{token}1"}}
    )
    assert changed.status_code == 200, changed.text
    assert await by(wikidata=f"Q{token}0") == []
    assert await by(wikidata=f"Q{token}1") == [other["id"]]
    as_of = {"external_ids.wikidata": f"Q{token}0", "as_of": moment}
    assert await ids(client, "/v1/actors", **as_of) == [other["id"]]


async def test_external_ids_values_with_json_and_sql_characters(client: Any) -> None:
    value = f"""a"b\\c'd %_{uuid.uuid4().hex}"""
    made = await factories.actor(client, external_ids={"local_id": value})
    assert await ids(client, "/v1/actors", **{"external_ids.local_id": value}) == [made["id"]]


async def test_external_ids_parameters_are_validated(client: Any) -> None:
    for params, field in (
        ({"external_ids.WikiData": "Q1"}, "external_ids.WikiData"),
        ({"external_ids.": "Q1"}, "external_ids."),
        ({"external_ids.1st": "Q1"}, "external_ids.1st"),
        ({"external_ids.wiki-data": "Q1"}, "external_ids.wiki-data"),
        ({"external_ids." + "a" * 41: "Q1"}, "external_ids." + "a" * 41),
        ({"external_ids.wikidata": ""}, "external_ids.wikidata"),
        ({"external_ids.wikidata": "Q" * 201}, "external_ids.wikidata"),
    ):
        assert_problem(await client.get("/v1/actors", params=params), 400, field)
    twice = await client.get("/v1/actors?external_ids.wikidata=Q1&external_ids.wikidata=Q2")
    assert_problem(twice, 400, "external_ids.wikidata")
    longest = {"external_ids." + "a" * 40: "Q" * 200}
    assert (await client.get("/v1/actors", params=longest)).status_code == 200
    # Only the lists of actors take them.
    assert_problem(
        await client.get("/v1/claims", params={"external_ids.wikidata": "Q1"}),
        400,
        "external_ids.wikidata",
    )


async def test_anonymous_value_is_validated(client: Any) -> None:
    assert_problem(await client.get("/v1/actors", params={"anonymous": "maybe"}), 400, "anonymous")


async def test_external_ids_family_is_documented(client: Any) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    operation = document["paths"]["/v1/actors"]["get"]
    assert "external_ids.<scheme>=<value>" in operation["description"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"parent_id", "anonymous"} <= names
