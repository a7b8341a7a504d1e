"""GET /v1/figures/timeline: every cumulative figure about one subject, metric and unit, one
entry per (figure, claimant), ordered by the claim's stated_on, then claimant, then figure;
undated claims last."""

from typing import Any

import factories
import pytest
from factories import assert_problem

TIMELINE = "/v1/figures/timeline"


async def page(client: Any, **params: Any) -> dict[str, Any]:
    response = await client.get(TIMELINE, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"data", "next_cursor"}
    return body


async def everything(client: Any, **params: Any) -> list[dict[str, Any]]:
    """Every entry, page by page."""
    entries: list[dict[str, Any]] = []
    cursor = None
    for _ in range(100):
        body = await page(client, **params, **({"cursor": cursor} if cursor else {}))
        entries += body["data"]
        cursor = body["next_cursor"]
        if cursor is None:
            return entries
    raise AssertionError("the cursor never ended")


@pytest.fixture
async def world(client: Any) -> dict[str, Any]:
    """Running totals of one subject's killed, and what the timeline must leave out."""
    subject = (await factories.actor(client, name="Counted", kind="armed_force"))["id"]
    a, b, c, d = [await factories.actor(client, name=name) for name in "ABCD"]
    # Ids are time-sortable but two made in the same millisecond may not be in creation
    # order: name the co-claimants by their order.
    first, second = sorted([a["id"], c["id"]])
    made: dict[str, Any] = {"subject": subject, "a": a, "b": b, "c": c, "d": d}
    made["joint_order"] = [first, second]

    async def claim(who: dict[str, Any], **fields: Any) -> dict[str, Any]:
        return await factories.claim(client, claimant_id=who["id"], **fields)

    async def fig(name: str, on: dict[str, Any], **fields: Any) -> None:
        body = {
            "claim_id": on["id"],
            "subject_id": subject,
            "metric": "killed",
            "accumulation": "cumulative",
            **fields,
        }
        made[name] = await factories.figure(client, **body)

    await fig("a_nov", await claim(a, stated_on="2024-11-01"), amount=100)
    # Said "in December": its point sits on 1 December, with its precision.
    await fig(
        "b_dec",
        await claim(b, stated_on="2024-12-01", stated_on_precision="month"),
        qualifier="vague",
        amount=None,
        low=300,
        high=900,
    )
    await fig("b_oct", await claim(b, stated_on="2024-10-01"), qualifier="unspecified", amount=None)
    joint = await claim(a, stated_on="2024-12-10", co_claimant_ids=[c["id"]])
    await fig("joint", joint, qualifier="at_least", amount=500)
    await fig("d_undated", await claim(d), amount=50)
    await fig("c_undated", await claim(c), amount=60)
    # Left out: not cumulative, another unit, another metric, another subject, deleted.
    dec5 = await claim(a, stated_on="2024-12-05")
    await fig("weekly", dec5, accumulation="incremental", amount=7)
    await fig("unknown", dec5, accumulation="unknown", amount=8)
    await fig("battalions", dec5, unit="battalion", amount=2)
    await fig("wounded", dec5, metric="wounded", amount=9)
    await fig("elsewhere", dec5, subject_id=(await factories.actor(client))["id"], amount=10)
    await fig("deleted", dec5, amount=11)
    tombstone = await factories.delete(client, "/v1/figures", made["deleted"]["id"])
    made["last_write"] = tombstone["updated_at"]
    return made


def points(world: dict[str, Any], entries: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(claimant name, figure name) of each entry."""
    names = {world[n]["id"]: n for n in "abcd"}
    figures = {v["id"]: k for k, v in world.items() if isinstance(v, dict) and "metric" in v}
    return [(names[e["claimant_id"]], figures[e["figure"]["id"]]) for e in entries]


async def test_cumulative_figures_in_stated_order_one_entry_per_claimant(
    client: Any, world: dict[str, Any]
) -> None:
    entries = await everything(client, subject_id=world["subject"], metric="killed")
    first, second = ("a" if i == world["a"]["id"] else "c" for i in world["joint_order"])
    undated = sorted([(world["c"]["id"], "c_undated"), (world["d"]["id"], "d_undated")])
    names = {world["c"]["id"]: "c", world["d"]["id"]: "d"}
    assert points(world, entries) == [
        ("b", "b_oct"),
        ("a", "a_nov"),
        ("b", "b_dec"),
        (first, "joint"),
        (second, "joint"),
        *((names[who], name) for who, name in undated),
    ]
    assert [(e["stated_on"], e["stated_on_precision"]) for e in entries] == [
        ("2024-10-01", "day"),
        ("2024-11-01", "day"),
        ("2024-12-01", "month"),
        ("2024-12-10", "day"),
        ("2024-12-10", "day"),
        (None, None),
        (None, None),
    ]
    # Bounds as stated: none for "some", the caller's for a vague figure, open above.
    assert [(e["figure"]["low"], e["figure"]["high"]) for e in entries[:4]] == [
        (None, None),
        (100, 100),
        (300, 900),
        (500, None),
    ]
    # The joint statement: each claimant's entry carries the same figure and claim.
    joint = world["joint"]
    c_entry = next(e for e in entries if e["claimant_id"] == world["c"]["id"])
    assert c_entry == {
        "claimant_id": world["c"]["id"],
        "claimant": {"id": world["c"]["id"], "name": "C", "kind": "person"},
        "stated_on": "2024-12-10",
        "stated_on_precision": "day",
        "figure": joint,
        "claim": {
            "id": joint["claim_id"],
            "text": "Something was said.",
            "stated_on": "2024-12-10",
            "stated_on_precision": "day",
            "claimant_id": world["a"]["id"],
            "co_claimant_ids": [world["c"]["id"]],
        },
    }


async def test_pages_cut_anywhere_give_the_same_timeline(
    client: Any, world: dict[str, Any]
) -> None:
    on = {"subject_id": world["subject"], "metric": "killed"}
    whole = await page(client, **on, limit=200)
    assert whole["next_cursor"] is None
    assert len(whole["data"]) == 7
    for limit in (1, 2, 3):
        assert await everything(client, **on, limit=limit) == whole["data"]
    # The cursor after the first undated entry still finds the second one.
    six = await page(client, **on, limit=6)
    rest = await page(client, **on, limit=6, cursor=six["next_cursor"])
    assert rest == {"data": whole["data"][6:], "next_cursor": None}


async def test_unit_and_filters(client: Any, world: dict[str, Any]) -> None:
    on = {"subject_id": world["subject"], "metric": "killed"}

    async def timeline(**params: Any) -> list[tuple[str, str]]:
        return points(world, await everything(client, **{**on, **params}))

    assert await timeline(unit="battalion") == [("a", "battalions")]
    assert await timeline(unit="vehicles") == []
    assert await timeline(metric="wounded") == [("a", "wounded")]
    # A co-claimant's filter finds the joint figure; its own undated figure comes last.
    assert await timeline(claimant_id=world["c"]["id"]) == [("c", "joint"), ("c", "c_undated")]
    assert await timeline(claimant_id=world["b"]["id"]) == [("b", "b_oct"), ("b", "b_dec")]
    # "In December" spans the month: it meets a window from the 15th, and one ending the
    # 5th. Undated claims meet no date window.
    assert await timeline(stated_from="2024-12-15") == [("b", "b_dec")]
    assert await timeline(stated_to="2024-12-05") == [
        ("b", "b_oct"),
        ("a", "a_nov"),
        ("b", "b_dec"),
    ]
    assert await timeline(stated_from="2024-11-02", stated_to="2024-11-30") == []


async def test_as_of(client: Any, world: dict[str, Any]) -> None:
    on = {"subject_id": world["subject"], "metric": "killed"}
    moment = world["last_write"]  # the fixture's last write, on the server's clock
    before = await everything(client, **on)
    patched = await client.patch(f"/v1/figures/{world['a_nov']['id']}", json={"amount": 150})
    assert patched.status_code == 200, patched.text
    await factories.delete(client, "/v1/figures", world["b_dec"]["id"])
    now = await everything(client, **on)
    assert [e["figure"]["amount"] for e in now[:2]] == [None, 150]
    assert ("b", "b_dec") not in points(world, now)
    assert await everything(client, **on, as_of=moment) == before
    # Before the deleted figure was deleted, it was on the timeline, in its place.
    then = points(world, await everything(client, **on, as_of=world["deleted"]["updated_at"]))
    assert then[2:4] == [("b", "b_dec"), ("a", "deleted")]  # 1 December (month), 5th
    assert await everything(client, **on, as_of="2000-01-01T00:00:00Z") == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"subject_id": "clm_0000", "metric": "killed"}, "subject_id"),
        ({"subject_id": "act_0000", "metric": "injured"}, "metric"),
        ({"subject_id": "act_0000", "metric": "killed", "unit": "Battalions"}, "unit"),
        ({"subject_id": "act_0000", "metric": "killed", "claimant_id": "x"}, "claimant_id"),
        (
            {"subject_id": "act_0000", "metric": "killed", "stated_from": "2024-13-01"},
            "stated_from",
        ),
        ({"subject_id": "act_0000", "metric": "killed", "as_of": "yesterday"}, "as_of"),
        ({"subject_id": "act_0000", "metric": "killed", "limit": 0}, "limit"),
        ({"subject_id": "act_0000", "metric": "killed", "cursor": "garbage"}, "cursor"),
        # A summary cursor is no timeline cursor.
        (
            {
                "subject_id": "act_0000",
                "metric": "killed",
                "cursor": "WzIsIiIsImtpbGxlZCIsInBlb3BsZSIsInVua25vd24iXQ",
            },
            "cursor",
        ),
        # The right shape with a date that is none.
        (
            {
                "subject_id": "act_0000",
                "metric": "killed",
                "cursor": "WzEsIjIwMjQtMDItMzAiLCJhY3RfMCIsImZpZ18wIl0",
            },
            "cursor",
        ),
    ],
)
async def test_bad_parameters_are_400(client: Any, params: dict[str, Any], field: str) -> None:
    assert_problem(await client.get(TIMELINE, params=params), 400, field)


@pytest.mark.parametrize(
    ("params", "missing"),
    [({"metric": "killed"}, "subject_id"), ({"subject_id": "act_0"}, "metric")],
)
async def test_subject_and_metric_are_required(
    client: Any, params: dict[str, Any], missing: str
) -> None:
    problem = assert_problem(await client.get(TIMELINE, params=params), 400)
    assert f"'{missing}'" in problem["detail"]
    # With neither, the answer names one of them.
    problem = assert_problem(await client.get(TIMELINE), 400)
    assert "'subject_id'" in problem["detail"] or "'metric'" in problem["detail"]


async def test_needs_read_scope_only(client: Any, api_keys: dict[str, str]) -> None:
    response = await client.get(
        TIMELINE,
        headers={"Authorization": f"Bearer {api_keys['read']}"},
        params={"subject_id": "act_0000", "metric": "killed"},
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"data": [], "next_cursor": None}
