"""/v1/figures: the shared contract, the DESIGN.md bounds table through the API, consistency
rules and the list filters over derived bounds."""

from typing import Any

import factories
import pytest
from factories import assert_problem, ids, uid
from figure_table import DESIGN_TABLE, MAX_AMOUNT, ROW_IDS
from resource_tests import DROP, ResourceContract


class TestFigures(ResourceContract):
    table = "figures"
    prefix = "fig"
    patch = {"amount": 4000, "metric": "killed"}
    optional_field = "text"
    nested = (
        "period",
        {"text": "this week", "start": None},
        # Clearing a date clears its precision; the end keeps its own.
        {"end": "2024-12-27", "end_precision": "day", "text": "this week"},
    )
    reference_fields = {"claim_id": "claims", "subject_id": "actors"}
    invalid_bodies = [
        ("claim-missing", {"claim_id": DROP}, 422, "claim_id"),
        ("metric-missing", {"metric": DROP}, 422, "metric"),
        ("metric-unknown", {"metric": "injured"}, 422, "metric"),
        (
            "range-max-below",
            {"qualifier": "range", "amount": 300, "amount_max": 200},
            422,
            "amount_max",
        ),
        ("range-without-max", {"qualifier": "range"}, 422, "amount_max"),
        ("negative", {"amount": -1}, 422, "amount"),
        ("exact-without-amount", {"qualifier": "exact", "amount": DROP}, 422, "amount"),
        ("beyond-2-53", {"amount": 2**53}, 422, "amount"),
        ("huge", {"amount": 10**40}, 422, "amount"),
        ("fraction", {"amount": 1000.5}, 422, "amount"),
        ("numeric-string", {"amount": "1000"}, 422, "amount"),
        ("max-without-range", {"qualifier": "exact", "amount_max": 5000}, 422, "amount_max"),
        ("unspecified-with-amount", {"qualifier": "unspecified"}, 422, "amount"),
        ("fewer-than-zero", {"qualifier": "fewer_than", "amount": 0}, 422, "amount"),
        ("qualifier-unknown", {"qualifier": "roughly"}, 422, "qualifier"),
        (
            "period-reversed",
            {"period": {"start": "2024-12-27", "end": "2024-12-20"}},
            422,
            "period.end",
        ),
        ("period-unknown-field", {"period": {"days": 7}}, 400, "period.days"),
        ("unit-not-slug", {"unit": "People"}, 422, "unit"),
        ("accumulation-unknown", {"accumulation": "total"}, 422, "accumulation"),
        ("low-is-derived", {"low": 5}, 422, "low"),
        ("high-is-derived", {"high": 5}, 422, "high"),
        ("vague-with-amount", {"qualifier": "vague", "low": 300, "high": 900}, 422, "amount"),
        ("vague-without-bounds", {"qualifier": "vague", "amount": None}, 422, "low"),
        (
            "vague-reversed",
            {"qualifier": "vague", "amount": None, "low": 900, "high": 300},
            422,
            "high",
        ),
        ("nearly-zero", {"qualifier": "nearly", "amount": 0}, 422, "amount"),
        (
            "period-month-not-first",
            {"period": {"start": "2024-10-13", "start_precision": "month"}},
            422,
            "period.start",
        ),
        (
            "period-precision-without-date",
            {"period": {"end_precision": "year"}},
            422,
            "period.end_precision",
        ),
    ]
    invalid_patches = [
        ("claim-null", {"claim_id": None}, 422, "claim_id"),
        ("metric-null", {"metric": None}, 422, "metric"),
        ("amount-null", {"amount": None}, 422, "amount"),
        ("to-range-without-max", {"qualifier": "range"}, 422, "amount_max"),
        ("max-below", {"qualifier": "range", "amount_max": 2999}, 422, "amount_max"),
        ("low-is-derived", {"low": 1}, 422, "low"),
        ("to-vague-keeping-amount", {"qualifier": "vague", "low": 1}, 422, "amount"),
    ]

    async def make_body(self, client: Any) -> dict[str, Any]:
        made = await factories.claim(client)
        troops = await factories.actor(client, name="North Korean troops", kind="armed_force")
        return {
            "external_id": uid("figure"),
            "claim_id": made["id"],
            "metric": "killed_or_wounded",
            "subject_id": troops["id"],
            "amount": 3000,
            "qualifier": "more_than",
            "unit": "people",
            "text": "over 3,000 soldiers killed or wounded",
            "period": {"start": "2024-12-20", "end": "2024-12-27", "text": "in the last week"},
            "accumulation": "cumulative",
            "location": {"name": "Kursk", "country": "RUS"},
        }


@pytest.mark.parametrize(
    ("qualifier", "amount", "amount_max", "low", "high"), DESIGN_TABLE, ids=ROW_IDS
)
async def test_design_table_through_the_api(
    client: Any,
    qualifier: str,
    amount: int | None,
    amount_max: int | None,
    low: int | None,
    high: int | None,
) -> None:
    given = {"low": low, "high": high} if qualifier == "vague" else {}
    made = await factories.figure(
        client, qualifier=qualifier, amount=amount, amount_max=amount_max, **given
    )
    assert (made["low"], made["high"]) == (low, high)
    assert (made["amount"], made["amount_max"]) == (amount, amount_max)
    fetched = (await client.get(f"/v1/figures/{made['id']}")).json()
    assert (fetched["low"], fetched["high"]) == (low, high)
    snapshot = (await client.get(f"/v1/figures/{made['id']}/versions/1")).json()["data"]
    assert (snapshot["low"], snapshot["high"]) == (low, high)


async def test_bounds_follow_patches(client: Any) -> None:
    made = await factories.figure(client, qualifier="more_than", amount=3000)
    assert (made["low"], made["high"]) == (3001, None)
    url = f"/v1/figures/{made['id']}"
    ranged = await client.patch(url, json={"qualifier": "range", "amount_max": 5000})
    assert ranged.status_code == 200, ranged.text
    assert (ranged.json()["low"], ranged.json()["high"]) == (3000, 5000)
    vague = await client.patch(
        url, json={"qualifier": "unspecified", "amount": None, "amount_max": None}
    )
    assert vague.status_code == 200, vague.text
    assert (vague.json()["low"], vague.json()["high"]) == (None, None)
    old = (await client.get(f"{url}/versions/2")).json()["data"]
    assert (old["low"], old["high"]) == (3000, 5000)


async def test_largest_amount(client: Any) -> None:
    made = await factories.figure(client, qualifier="more_than", amount=MAX_AMOUNT)
    assert (made["amount"], made["low"], made["high"]) == (MAX_AMOUNT, MAX_AMOUNT + 1, None)
    listed = await ids(client, "/v1/figures", claim_id=made["claim_id"], min_low=MAX_AMOUNT + 1)
    assert listed == [made["id"]]


async def test_defaults_and_period_words(client: Any) -> None:
    made = await factories.figure(
        client, qualifier="unspecified", amount=None, text="a few", period={"text": "recently"}
    )
    assert made["unit"] == "people"
    assert made["accumulation"] == "unknown"
    assert made["period"] == {
        "start": None,
        "start_precision": None,
        "end": None,
        "end_precision": None,
        "text": "recently",
    }
    assert made["subject_id"] is None


async def test_filters(client: Any) -> None:
    claim = await factories.claim(client)
    troops = await factories.actor(client)
    on_claim = {"claim_id": claim["id"]}
    exact = await factories.figure(client, **on_claim, qualifier="exact", amount=1000)
    over = await factories.figure(
        client, **on_claim, metric="killed_or_wounded", subject_id=troops["id"],
        qualifier="more_than", amount=3000,
    )  # fmt: skip
    under = await factories.figure(
        client, **on_claim, subject_id=troops["id"], qualifier="fewer_than", amount=500
    )
    some = await factories.figure(client, **on_claim, qualifier="unspecified", amount=None)
    elsewhere = await factories.figure(client, subject_id=troops["id"], amount=7)
    everything = [exact["id"], over["id"], under["id"], some["id"]]

    async def listed(**params: Any) -> list[str]:
        return await ids(client, "/v1/figures", **params)

    assert await listed(**on_claim) == everything
    assert await listed(subject_id=troops["id"]) == [over["id"], under["id"], elsewhere["id"]]
    assert await listed(**on_claim, metric="killed") == [exact["id"], under["id"], some["id"]]
    assert await listed(**on_claim, metric="killed_or_wounded") == [over["id"]]
    assert await listed(**on_claim, min_low=1000) == [exact["id"], over["id"]]
    assert await listed(**on_claim, min_low=1001) == [over["id"]]
    assert await listed(**on_claim, max_high=999) == [under["id"]]
    assert await listed(**on_claim, max_high=1000) == [exact["id"], under["id"]]
    assert await listed(**on_claim, min_low=0, max_high=499) == [under["id"]]
    assert await listed(**on_claim, min_low=1, max_high=10**6) == [exact["id"]]


async def test_list_filter_values_are_validated(client: Any) -> None:
    for params, field in (
        ({"min_low": -1}, "min_low"),
        ({"max_high": "many"}, "max_high"),
        ({"min_low": 2**63}, "min_low"),
        ({"metric": "injured"}, "metric"),
    ):
        assert_problem(await client.get("/v1/figures", params=params), 400, field)


async def test_figure_of_deleted_claim_cannot_be_created(client: Any) -> None:
    made = await factories.claim(client)
    await factories.delete(client, "/v1/claims", made["id"])
    body = {"claim_id": made["id"], "metric": "killed", "amount": 1}
    problem = assert_problem(await client.post("/v1/figures", json=body), 422, "claim_id")
    assert made["id"] in problem["detail"]
