"""/v1/claims: the shared contract, plus list filters, date precision and relations."""

import uuid
from typing import Any

import factories
from factories import UNKNOWN_ID, assert_problem, ids, uid
from resource_tests import DROP, ResourceContract

OTHER_CLAIM = UNKNOWN_ID["claims"]


class TestClaims(ResourceContract):
    table = "claims"
    prefix = "clm"
    patch = {"status": "disputed", "text": "Over 3,000 were killed or wounded."}
    optional_field = "quote"
    nested = (
        "location",
        {"admin1": "Kursk Oblast", "name": None},
        {"country": "RUS", "admin1": "Kursk Oblast"},
    )
    reference_fields = {
        "claimant_id": "actors",
        "subject_ids[1]": "actors",
        "citations[0].source_id": "sources",
        "citations[0].relayed_by_id": "actors",
        "relations[0].claim_id": "claims",
    }
    invalid_bodies = [
        ("claimant-missing", {"claimant_id": DROP}, 422, "claimant_id"),
        ("claimant-other-kind", {"claimant_id": "src_0123"}, 422, "claimant_id"),
        ("text-missing", {"text": DROP}, 422, "text"),
        ("text-empty", {"text": ""}, 422, "text"),
        ("text-too-long", {"text": "x" * 20_001}, 422, "text"),
        ("stated-on-invalid", {"stated_on": "2024-13-01"}, 422, "stated_on"),
        ("stated-on-datetime", {"stated_on": "2024-12-23T10:00:00Z"}, 422, "stated_on"),
        ("stated-on-year-10000", {"stated_on": "10000-01-01"}, 422, "stated_on"),
        (
            "month-precision-mid-month",
            {"stated_on": "2024-12-23", "stated_on_precision": "month"},
            422,
            "stated_on",
        ),
        (
            "year-precision-not-january-first",
            {"stated_on": "2024-12-01", "stated_on_precision": "year"},
            422,
            "stated_on",
        ),
        (
            "precision-without-date",
            {"stated_on": DROP, "stated_on_precision": "day"},
            422,
            "stated_on_precision",
        ),
        ("precision-unknown", {"stated_on_precision": "week"}, 422, "stated_on_precision"),
        ("status-unknown", {"status": "true"}, 422, "status"),
        ("topic-not-slug", {"topics": ["Casualties"]}, 422, "topics[0]"),
        ("topic-duplicate", {"topics": ["casualties", "casualties"]}, 422, "topics[1]"),
        ("lat-out-of-range", {"location": {"lat": 91}}, 422, "location.lat"),
        ("location-country", {"location": {"country": "RU"}}, 422, "location.country"),
        ("location-unknown-field", {"location": {"city": "Kursk"}}, 400, "location.city"),
        ("citation-without-source", {"citations": [{"quote": "x"}]}, 422, "citations[0].source_id"),
        (
            "relation-kind-unknown",
            {"relations": [{"claim_id": OTHER_CLAIM, "relation": "likes"}]},
            422,
            "relations[0].relation",
        ),
    ]
    invalid_patches = [
        ("claimant-null", {"claimant_id": None}, 422, "claimant_id"),
        ("text-null", {"text": None}, 422, "text"),
        ("month-precision-mid-month", {"stated_on_precision": "month"}, 422, "stated_on"),
        ("subjects-not-list", {"subject_ids": "act_1"}, 422, "subject_ids"),
        (
            "citation-unknown-field",
            {"citations": [{"url": "https://x.org"}]},
            400,
            "citations[0].url",
        ),
    ]

    async def make_body(self, client: Any) -> dict[str, Any]:
        kirby = await factories.actor(client, name="John Kirby")
        nbc = await factories.actor(client, name="NBC News", kind="media_outlet")
        troops = await factories.actor(client, name="North Korean troops", kind="armed_force")
        north_korea = await factories.actor(client, name="North Korea", kind="state")
        report = await factories.source(client, publisher_id=nbc["id"])
        earlier = await factories.claim(client)
        return {
            "external_id": uid("claim"),
            "claimant_id": kirby["id"],
            "text": "About 1,000 North Korean troops were killed or injured in the last week.",
            "quote": "Our estimate is they've suffered about 1,000 killed or injured.",
            "stated_on": "2024-12-27",
            "stated_on_precision": "day",
            "basis": "US intelligence estimate",
            "citations": [
                {"source_id": report["id"], "relayed_by_id": nbc["id"], "quote": "Kirby said"}
            ],
            "subject_ids": [troops["id"], north_korea["id"]],
            "location": {"name": "Kursk", "country": "RUS"},
            "topics": ["casualties", "north-korea"],
            "status": "unverified",
            "relations": [{"claim_id": earlier["id"], "relation": "corroborates"}],
        }

    async def make_referrer(self, client: Any, resource_id: str) -> tuple[str, str] | None:
        made = await factories.figure(client, claim_id=resource_id)
        return "/v1/figures", made["id"]


async def test_precision_defaults_and_rules(client: Any) -> None:
    day = await factories.claim(client, stated_on="2024-12-23")
    assert day["stated_on_precision"] == "day"
    month = await factories.claim(client, stated_on="2024-12-01", stated_on_precision="month")
    assert (month["stated_on"], month["stated_on_precision"]) == ("2024-12-01", "month")
    year = await factories.claim(client, stated_on="2024-01-01", stated_on_precision="year")
    assert (year["stated_on"], year["stated_on_precision"]) == ("2024-01-01", "year")
    undated = await factories.claim(client)
    assert (undated["stated_on"], undated["stated_on_precision"]) == (None, None)
    url = f"/v1/claims/{day['id']}"
    assert_problem(await client.patch(url, json={"stated_on_precision": "year"}), 422, "stated_on")
    coarser = await client.patch(
        url, json={"stated_on": "2024-12-01", "stated_on_precision": "month"}
    )
    assert coarser.status_code == 200, coarser.text
    cleared = await client.patch(url, json={"stated_on": None, "stated_on_precision": None})
    assert cleared.status_code == 200, cleared.text
    assert (cleared.json()["stated_on"], cleared.json()["stated_on_precision"]) == (None, None)


async def test_self_relation_is_422(client: Any) -> None:
    made = await factories.claim(client)
    relation = {"relations": [{"claim_id": made["id"], "relation": "supersedes"}]}
    response = await client.patch(f"/v1/claims/{made['id']}", json=relation)
    assert_problem(response, 422, "relations[0].claim_id")


async def test_relations_between_claims(client: Any) -> None:
    a = await factories.claim(client)
    b = await factories.claim(client, relations=[{"claim_id": a["id"], "relation": "contradicts"}])
    assert b["relations"] == [{"claim_id": a["id"], "relation": "contradicts"}]
    twice = [{"claim_id": a["id"], "relation": "contradicts"}] * 2
    response = await client.patch(f"/v1/claims/{b['id']}", json={"relations": twice})
    assert_problem(response, 422, "relations[1]")
    assert_problem(await client.delete(f"/v1/claims/{a['id']}"), 409)
    assert (await client.patch(f"/v1/claims/{b['id']}", json={"relations": []})).status_code == 200
    await factories.delete(client, "/v1/claims", a["id"])


async def test_duplicate_subjects_are_422(client: Any) -> None:
    subject = await factories.actor(client)
    response = await client.post(
        "/v1/claims",
        json={
            "claimant_id": subject["id"],
            "text": "x",
            "subject_ids": [subject["id"], subject["id"]],
        },
    )
    assert_problem(response, 422, "subject_ids[1]")


async def test_filters(client: Any) -> None:
    token = f"zq{uuid.uuid4().hex}"
    topic = f"t-{uuid.uuid4().hex[:12]}"
    claimant = await factories.actor(client)
    subject = await factories.actor(client)
    early = await factories.claim(
        client, claimant_id=claimant["id"], stated_on="2024-12-01", status="disputed",
        text=f"Early {token}", location={"country": "UKR"},
    )  # fmt: skip
    middle = await factories.claim(
        client, claimant_id=claimant["id"], stated_on="2024-12-23", subject_ids=[subject["id"]],
        topics=[topic], quote=f"said {token}", location={"country": "RUS", "name": "Kursk"},
    )  # fmt: skip
    late = await factories.claim(
        client, claimant_id=claimant["id"], stated_on="2025-01-05", topics=[topic, "casualties"],
        basis="citing preliminary data",
    )  # fmt: skip
    other = await factories.claim(
        client, stated_on="2024-12-23", subject_ids=[subject["id"]], status="disputed",
        text=f"Other {token}",
    )  # fmt: skip
    everything = [early["id"], middle["id"], late["id"]]

    async def listed(**params: Any) -> list[str]:
        return await ids(client, "/v1/claims", **params)

    assert await listed(claimant_id=claimant["id"]) == everything
    assert await listed(subject_id=subject["id"]) == [middle["id"], other["id"]]
    assert await listed(claimant_id=claimant["id"], status="disputed") == [early["id"]]
    assert await listed(claimant_id=claimant["id"], status="unverified") == everything[1:]
    assert await listed(topic=topic) == [middle["id"], late["id"]]
    assert await listed(claimant_id=claimant["id"], stated_from="2024-12-23") == everything[1:]
    assert await listed(claimant_id=claimant["id"], stated_to="2024-12-23") == everything[:2]
    window = {"stated_from": "2024-12-02", "stated_to": "2025-01-04"}
    assert await listed(claimant_id=claimant["id"], **window) == [middle["id"]]
    assert await listed(claimant_id=claimant["id"], country="RUS") == [middle["id"]]
    assert await listed(claimant_id=claimant["id"], country="UKR") == [early["id"]]
    assert await listed(q=token) == [other["id"], middle["id"], early["id"]]  # newest first
    assert await listed(q=token, claimant_id=claimant["id"]) == everything[1::-1]
    preliminary = await listed(claimant_id=claimant["id"], q="preliminary")
    assert preliminary == [late["id"]]
    disputed = await listed(status="disputed")
    assert {early["id"], other["id"]} <= set(disputed)
    assert middle["id"] not in disputed


async def test_filters_follow_updates(client: Any) -> None:
    claimant = await factories.actor(client)
    made = await factories.claim(client, claimant_id=claimant["id"], status="unverified")
    await client.patch(f"/v1/claims/{made['id']}", json={"status": "refuted"})
    mine = {"claimant_id": claimant["id"]}
    assert await ids(client, "/v1/claims", status="unverified", **mine) == []
    assert await ids(client, "/v1/claims", status="refuted", **mine) == [made["id"]]


async def test_list_filter_values_are_validated(client: Any) -> None:
    for params, field in (
        ({"status": "true"}, "status"),
        ({"stated_from": "2024-13-01"}, "stated_from"),
        ({"stated_to": "soon"}, "stated_to"),
        ({"country": "RU"}, "country"),
    ):
        assert_problem(await client.get("/v1/claims", params=params), 400, field)
