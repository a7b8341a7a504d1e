"""GET /v1/figures/summary: competing figures grouped by (subject, metric, unit), with the
envelope of their bounds and each claimant's latest figure, its claim and its sources."""

from pathlib import Path
from typing import Any

import factories
import msgspec
import pytest
from factories import assert_problem, uid

SUMMARY = "/v1/figures/summary"
SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_62bc01ecef06bc27.ndjson"


async def summary(client: Any, **params: Any) -> list[dict[str, Any]]:
    response = await client.get(SUMMARY, params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"data", "next_cursor"}
    groups: list[dict[str, Any]] = body["data"]
    return groups


async def load_seed_copy(client: Any) -> dict[str, dict[str, Any]]:
    """The seed article posted through the API under fresh external_ids (other tests may
    have loaded the seed itself into this database): seed external_id → stored resource."""
    suffix = uid("seed")
    ids: dict[str, str] = {}
    stored: dict[str, dict[str, Any]] = {}

    def resolve(data: Any) -> Any:
        if isinstance(data, dict):
            return {key: resolve(value) for key, value in data.items()}
        if isinstance(data, list):
            return [resolve(value) for value in data]
        if isinstance(data, str) and data.startswith("ext:"):
            return ids[data.removeprefix("ext:")]
        return data

    for raw in SEED.read_bytes().splitlines():
        if not raw.strip():
            continue
        line = msgspec.json.decode(raw)
        body = {**resolve(line["data"]), "external_id": f"{line['external_id']}:{suffix}"}
        made = await factories.create(client, f"/v1/{line['kind']}s", body)
        ids[line["external_id"]] = made["id"]
        stored[line["external_id"]] = made
    return stored


async def test_the_seed_shows_the_competing_casualty_figures(client: Any) -> None:
    seed = await load_seed_copy(client)
    troops = seed["actor:north-korean-troops-in-russia"]["id"]
    kirby, zelenskyy = seed["actor:john-kirby"], seed["actor:volodymyr-zelenskyy"]

    # Kirby's 1,000 counts one week ("in the last week alone"); Zelenskyy's "over 3,000"
    # is the toll so far: two quantities, two groups, never one envelope.
    groups = await summary(client, subject_id=troops, metric="killed_or_wounded")
    assert [(g["subject_id"], g["metric"], g["unit"], g["accumulation"]) for g in groups] == [
        (troops, "killed_or_wounded", "people", "cumulative"),
        (troops, "killed_or_wounded", "people", "incremental"),
    ]
    total, week = groups
    assert (total["low"], total["high"]) == (3001, None)
    assert (week["low"], week["high"]) == (1000, 1000)
    for group in groups:
        counts = ("figure_count", "derived_count", "claimant_count", "unspecified_count")
        assert tuple(group[name] for name in counts) == (1, 0, 1, 0)

    [first] = week["claimants"]
    assert first["claimant_id"] == kirby["id"]
    assert first["claimant"] == {"id": kirby["id"], "name": "John Kirby", "kind": "person"}
    assert first["figure"] == seed["figure:kirby-1000-killed-or-injured-last-week"]
    assert first["derived"] is None
    assert (first["figure"]["qualifier"], first["figure"]["amount"]) == ("exact", 1000)
    assert first["figure"]["period"] == {
        "start": "2024-12-20",
        "start_precision": "day",
        "end": "2024-12-27",
        "end_precision": "day",
        "text": "in the last week",
    }
    kirby_claim = seed["claim:kirby-1000-killed-or-injured-last-week"]
    assert first["claim"] == {
        "id": kirby_claim["id"],
        "text": kirby_claim["text"],
        "stated_on": "2024-12-27",
        "stated_on_precision": "day",
        "claimant_id": kirby["id"],
        "co_claimant_ids": [],
    }
    nbc = seed["source:nbc-news-report"]
    assert [c["source_id"] for c in first["citations"]] == [
        c["source_id"] for c in kirby_claim["citations"]
    ]
    by_source = {c["source_id"]: c for c in first["citations"]}
    assert by_source[nbc["id"]]["source"] == {
        key: nbc[key]
        for key in (
            *("id", "kind", "title", "url", "publisher_id", "published_at"),
            *("published_on", "published_on_precision", "republished_from_id"),
        )
    }
    assert by_source[nbc["id"]]["relayed_by_id"] == seed["actor:nbc-news"]["id"]
    assert [c["via_ids"] for c in first["citations"]] == [
        c["via_ids"] for c in kirby_claim["citations"]
    ]

    [second] = total["claimants"]
    assert second["claimant_id"] == zelenskyy["id"]
    assert second["figure"] == seed["figure:zelenskyy-over-3000-killed-or-wounded-kursk"]
    assert (second["figure"]["low"], second["figure"]["high"]) == (3001, None)
    assert second["claim"]["stated_on"] == "2024-12-23"
    address = seed["source:zelenskyy-video-address-2024-12-23"]
    cited = {c["source_id"]: c["source"] for c in second["citations"]}
    assert cited[address["id"]]["kind"] == "video_address"

    # Every group about the troops: the unspecified ones count but bound nothing; "a few"
    # is vague, 2 to 5.
    everything = await summary(client, subject_id=troops)
    by_key = {(g["metric"], g["accumulation"]): g for g in everything}
    assert by_key[("killed_or_wounded", "cumulative")] == total
    assert by_key[("killed_or_wounded", "incremental")] == week
    for metric in ("executed", "suicides"):
        vague = by_key[(metric, "unknown")]
        assert (vague["low"], vague["high"]) == (None, None)
        assert vague["figure_count"] == vague["unspecified_count"] == 1
    for metric in ("captured", "killed"):
        few = by_key[(metric, "unknown")]
        assert (few["low"], few["high"], few["figure_count"], few["unspecified_count"]) == (
            2,
            5,
            1,
            0,
        )
    assert len(everything) == 6


async def make_claim(client: Any, claimant: dict[str, Any], **fields: Any) -> dict[str, Any]:
    source = await factories.source(client, title=f"Report of {uid('r')}")
    citations = [{"source_id": source["id"], "quote": "as reported"}]
    return await factories.claim(client, claimant_id=claimant["id"], citations=citations, **fields)


@pytest.fixture
async def world(client: Any) -> dict[str, Any]:
    """One subject, three claimants, figures on it from claims stated on several days."""
    subject = await factories.actor(client, name="Counted troops", kind="armed_force")
    a, b, c = [await factories.actor(client, name=name) for name in ("A", "B", "C")]
    a_old = await make_claim(client, a, stated_on="2024-11-01", location={"country": "UKR"})
    a_new = await make_claim(client, a, stated_on="2024-12-01", location={"country": "UKR"})
    b_claim = await make_claim(client, b, stated_on="2024-12-15")
    c_claim = await make_claim(client, c, stated_on="2024-10-01")
    on = {"subject_id": subject["id"], "metric": "killed"}
    figures = {
        "a_old": await factories.figure(client, claim_id=a_old["id"], amount=100, **on),
        "a_new": await factories.figure(
            client, claim_id=a_new["id"], qualifier="range", amount=200, amount_max=400, **on
        ),
        "b": await factories.figure(
            client,
            claim_id=b_claim["id"],
            qualifier="at_most",
            amount=900,
            location={"country": "RUS"},
            **on,
        ),
        "c": await factories.figure(
            client, claim_id=c_claim["id"], qualifier="unspecified", amount=None, **on
        ),
    }
    return {"subject": subject, "actors": (a, b, c), "figures": figures}


async def test_envelope_counts_and_latest_per_claimant(client: Any, world: dict[str, Any]) -> None:
    (a, b, c), figures = world["actors"], world["figures"]
    [group] = await summary(client, subject_id=world["subject"]["id"])
    # Lows: 100, 200, 0 (at most 900); highs: 100, 400, 900; "unspecified" widens nothing.
    assert (group["low"], group["high"]) == (0, 900)
    assert (group["figure_count"], group["claimant_count"], group["unspecified_count"]) == (
        4,
        3,
        1,
    )
    latest = {entry["claimant_id"]: entry for entry in group["claimants"]}
    assert latest[a["id"]]["figure"]["id"] == figures["a_new"]["id"]
    assert latest[a["id"]]["figure_count"] == 2
    assert latest[b["id"]]["figure"]["id"] == figures["b"]["id"]
    assert latest[c["id"]]["figure"]["id"] == figures["c"]["id"]
    assert [entry["claimant_id"] for entry in group["claimants"]] == [b["id"], a["id"], c["id"]]
    assert latest[a["id"]]["citations"][0]["quote"] == "as reported"
    assert latest[a["id"]]["citations"][0]["source"]["title"].startswith("Report of")


async def test_one_figure_unbounded_above_opens_the_envelope(
    client: Any, world: dict[str, Any]
) -> None:
    a = world["actors"][0]
    claim = await make_claim(client, a, stated_on="2024-12-31")
    await factories.figure(
        client,
        claim_id=claim["id"],
        subject_id=world["subject"]["id"],
        qualifier="at_least",
        amount=50,
    )
    [group] = await summary(client, subject_id=world["subject"]["id"])
    assert (group["low"], group["high"]) == (0, None)
    latest = {entry["claimant_id"]: entry for entry in group["claimants"]}
    assert latest[a["id"]]["figure"]["qualifier"] == "at_least"
    assert latest[a["id"]]["figure_count"] == 3


async def test_only_unspecified_figures(client: Any) -> None:
    subject = await factories.actor(client)
    await factories.figure(client, subject_id=subject["id"], qualifier="unspecified", amount=None)
    [group] = await summary(client, subject_id=subject["id"])
    assert (group["low"], group["high"], group["unspecified_count"]) == (None, None, 1)


async def test_groups_split_by_metric_and_unit(client: Any, world: dict[str, Any]) -> None:
    subject = world["subject"]["id"]
    claim = await make_claim(client, world["actors"][1], stated_on="2024-12-20")
    on = {"claim_id": claim["id"], "subject_id": subject}
    await factories.figure(client, **on, metric="captured", amount=3)
    await factories.figure(client, **on, metric="killed", unit="soldiers", amount=7)
    groups = await summary(client, subject_id=subject)
    keys = [(g["metric"], g["unit"]) for g in groups]
    assert keys == [("captured", "people"), ("killed", "people"), ("killed", "soldiers")]
    assert await summary(client, subject_id=subject, metric="captured") == [groups[0]]


async def test_filters(client: Any, world: dict[str, Any]) -> None:
    subject = world["subject"]["id"]
    (a, b, _), figures = world["actors"], world["figures"]

    async def figure_ids(**params: Any) -> set[str]:
        groups = await summary(client, subject_id=subject, **params)
        return {entry["figure"]["id"] for g in groups for entry in g["claimants"]}

    assert await figure_ids(claimant_id=b["id"]) == {figures["b"]["id"]}
    # The figure's own location wins over its claim's; the claim's counts otherwise.
    assert await figure_ids(country="RUS") == {figures["b"]["id"]}
    assert await figure_ids(country="UKR") == {figures["a_new"]["id"]}
    assert await figure_ids(country="USA") == set()
    # A stated-date window picks each claimant's latest figure inside it.
    assert await figure_ids(stated_to="2024-11-30") == {figures["a_old"]["id"], figures["c"]["id"]}
    assert await figure_ids(stated_from="2024-12-01", stated_to="2024-12-01") == {
        figures["a_new"]["id"]
    }
    [group] = await summary(client, subject_id=subject, claimant_id=a["id"])
    assert (group["low"], group["high"], group["figure_count"]) == (100, 400, 2)


async def test_deleted_figures_and_claims_are_left_out(client: Any, world: dict[str, Any]) -> None:
    subject = world["subject"]["id"]
    await factories.delete(client, "/v1/figures", world["figures"]["b"]["id"])
    [group] = await summary(client, subject_id=subject)
    assert (group["low"], group["high"], group["claimant_count"]) == (100, 400, 2)


async def test_as_of(client: Any, world: dict[str, Any]) -> None:
    subject = world["subject"]["id"]
    figures = world["figures"]
    before = await summary(client, subject_id=subject)
    moment = figures["c"]["updated_at"]  # the last write of the fixture, on the server's clock
    patched = await client.patch(f"/v1/figures/{figures['a_new']['id']}", json={"amount": 250})
    assert patched.status_code == 200, patched.text
    await factories.delete(client, "/v1/figures", figures["b"]["id"])
    claim = await make_claim(client, world["actors"][2], stated_on="2025-01-05")
    await factories.figure(client, claim_id=claim["id"], subject_id=subject, amount=5000)

    [now] = await summary(client, subject_id=subject)
    assert (now["low"], now["high"], now["figure_count"]) == (100, 5000, 4)
    assert await summary(client, subject_id=subject, as_of=moment) == before
    assert await summary(client, subject_id=subject, as_of="2000-01-01T00:00:00Z") == []


async def test_pagination(client: Any) -> None:
    claimant = await factories.actor(client)
    claim = await make_claim(client, claimant, stated_on="2024-12-01")
    subjects = sorted([(await factories.actor(client))["id"] for _ in range(3)])
    for subject in subjects:
        for metric in ("killed", "wounded"):
            await factories.figure(client, claim_id=claim["id"], subject_id=subject, metric=metric)
    # and one figure about nobody in particular
    await factories.figure(client, claim_id=claim["id"], metric="missing")
    seen: list[tuple[str | None, str]] = []
    cursor = None
    for _ in range(10):
        params = {
            "claimant_id": claimant["id"],
            "limit": 3,
            **({"cursor": cursor} if cursor else {}),
        }
        response = await client.get(SUMMARY, params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["data"]) <= 3
        seen += [(g["subject_id"], g["metric"]) for g in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    # The claim states killed and wounded of each subject: each also has its derived
    # killed_or_wounded group, listed in its place.
    expected = [(None, "missing")] + [
        (s, m) for s in subjects for m in ("killed", "killed_or_wounded", "wounded")
    ]
    assert seen == expected


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cursor": "garbage"}, "cursor"),
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"metric": "injured"}, "metric"),
        ({"stated_from": "2024-13-01"}, "stated_from"),
        ({"as_of": "yesterday"}, "as_of"),
        ({"as_of": "2024-02-30T00:00:00Z"}, "as_of"),
        ({"country": "RU"}, "country"),
        ({"accumulation": "weekly"}, "accumulation"),
        ({"period_from": "2024-02-30"}, "period_from"),
        ({"period_to": "soon"}, "period_to"),
        ({"stated_to": "2024-12"}, "stated_to"),
        ({"claimant_id": "clm_01jfzq6m3b8n0c2k4d5e6f7g8k"}, "claimant_id"),
        # A cursor of the groups before `accumulation` split them: version 1, three parts.
        ({"cursor": "WzEsIiIsImtpbGxlZCIsInBlb3BsZSJd"}, "cursor"),
        # Version 2 with the right parts, but a NUL in one.
        ({"cursor": "WzIsIlx1MDAwMCIsImtpbGxlZCIsInBlb3BsZSIsInVua25vd24iXQ"}, "cursor"),
    ],
)
async def test_bad_parameters_are_400(client: Any, params: dict[str, Any], field: str) -> None:
    assert_problem(await client.get(SUMMARY, params=params), 400, field)


async def test_needs_read_scope_only(client: Any, api_keys: dict[str, str]) -> None:
    response = await client.get(
        SUMMARY, headers={"Authorization": f"Bearer {api_keys['read']}"}, params={"limit": 1}
    )
    assert response.status_code == 200, response.text
    assert_problem(await client.get(SUMMARY, headers={"Authorization": "Bearer nope"}), 401)


# ------------------------------------------------------------------------------- v2


async def entries_of(group: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["claimant_id"]: entry for entry in group["claimants"]}


def numbers(group: dict[str, Any]) -> tuple[Any, ...]:
    """(low, high, figure_count, derived_count, claimant_count, unspecified_count)"""
    names = ("low", "high", "figure_count", "derived_count", "claimant_count")
    return (*(group[name] for name in names), group["unspecified_count"])


async def test_groups_split_by_accumulation(client: Any) -> None:
    subject = (await factories.actor(client, kind="armed_force"))["id"]
    claimant = await factories.actor(client)
    claim = await make_claim(client, claimant, stated_on="2024-12-01")
    on = {"claim_id": claim["id"], "subject_id": subject, "metric": "killed"}
    total = await factories.figure(client, **on, amount=5000, accumulation="cumulative")
    week = await factories.figure(client, **on, amount=50, accumulation="incremental")
    day = await factories.figure(
        client, **on, qualifier="range", amount=5, amount_max=9, accumulation="incremental"
    )
    other = await factories.figure(client, **on, amount=7)  # accumulation "unknown"

    groups = await summary(client, subject_id=subject)
    assert [(g["accumulation"], numbers(g)) for g in groups] == [
        ("cumulative", (5000, 5000, 1, 0, 1, 0)),
        ("incremental", (5, 50, 2, 0, 1, 0)),
        ("unknown", (7, 7, 1, 0, 1, 0)),
    ]
    assert [g["claimants"][0]["figure"]["id"] for g in groups] == [
        total["id"],
        # same claim, same stated_on: the one changed last
        day["id"],
        other["id"],
    ]
    assert groups[1]["claimants"][0]["figure_count"] == 2
    assert await summary(client, subject_id=subject, accumulation="incremental") == [groups[1]]
    [only] = await summary(client, subject_id=subject, accumulation="cumulative")
    assert only == groups[0]
    assert week["id"] not in {g["claimants"][0]["figure"]["id"] for g in groups}


async def test_co_claimants_are_claimants(client: Any) -> None:
    subject = (await factories.actor(client, kind="armed_force"))["id"]
    a, b, c, d = [await factories.actor(client, name=name) for name in "ABCD"]
    joint = await make_claim(client, a, stated_on="2024-12-10", co_claimant_ids=[b["id"], c["id"]])
    b_alone = await make_claim(client, b, stated_on="2024-11-01")
    d_claim = await make_claim(client, d, stated_on="2024-12-20")
    on = {"subject_id": subject, "metric": "deployed"}
    joint_figure = await factories.figure(client, claim_id=joint["id"], amount=300, **on)
    b_figure = await factories.figure(client, claim_id=b_alone["id"], amount=100, **on)
    d_figure = await factories.figure(client, claim_id=d_claim["id"], amount=800, **on)

    [group] = await summary(client, subject_id=subject)
    # Three figures, four claimants: A, B and C all stated the joint 300.
    assert numbers(group) == (100, 800, 3, 0, 4, 0)
    order = [entry["claimant_id"] for entry in group["claimants"]]
    assert order == [d["id"], *sorted([a["id"], b["id"], c["id"]])]
    latest = await entries_of(group)
    assert latest[d["id"]]["figure"]["id"] == d_figure["id"]
    for who in (a, b, c):
        assert latest[who["id"]]["figure"]["id"] == joint_figure["id"]
        assert latest[who["id"]]["claim"]["claimant_id"] == a["id"]
        assert latest[who["id"]]["claim"]["co_claimant_ids"] == [b["id"], c["id"]]
    assert [latest[x["id"]]["figure_count"] for x in (a, b, c, d)] == [1, 2, 1, 1]

    # `claimant_id` keeps that claimant's entries, as claimant or as co-claimant.
    [by_c] = await summary(client, subject_id=subject, claimant_id=c["id"])
    assert numbers(by_c) == (300, 300, 1, 0, 1, 0)
    assert [e["claimant_id"] for e in by_c["claimants"]] == [c["id"]]
    [by_b] = await summary(client, subject_id=subject, claimant_id=b["id"])
    assert numbers(by_b) == (100, 300, 2, 0, 1, 0)
    assert by_b["claimants"][0]["figure"]["id"] == joint_figure["id"]
    assert by_b["claimants"][0]["figure_count"] == 2
    [by_a] = await summary(client, subject_id=subject, claimant_id=a["id"])
    assert numbers(by_a) == (300, 300, 1, 0, 1, 0)
    assert b_figure["id"] not in {e["figure"]["id"] for e in by_a["claimants"]}


async def test_latest_is_by_stated_on_then_version_time(client: Any) -> None:
    subject = (await factories.actor(client))["id"]
    who = await factories.actor(client)
    first = await make_claim(client, who, stated_on="2024-12-01")
    second = await make_claim(client, who, stated_on="2024-12-01")
    undated = await make_claim(client, who)
    on = {"subject_id": subject, "metric": "missing"}
    x = await factories.figure(client, claim_id=first["id"], amount=1, **on)
    y = await factories.figure(client, claim_id=second["id"], amount=2, **on)
    # Written last, but its claim has no date: a dated claim is later than no date.
    await factories.figure(client, claim_id=undated["id"], amount=3, **on)

    async def latest() -> tuple[str, int]:
        [group] = await summary(client, subject_id=subject)
        [entry] = group["claimants"]
        return entry["figure"]["id"], entry["figure_count"]

    assert await latest() == (y["id"], 3)
    # Same stated_on: the figure changed last wins.
    patched = await client.patch(f"/v1/figures/{x['id']}", json={"amount": 4})
    assert patched.status_code == 200, patched.text
    assert await latest() == (x["id"], 3)
    # A later stated_on beats any version time.
    later = await client.patch(f"/v1/claims/{second['id']}", json={"stated_on": "2024-12-02"})
    assert later.status_code == 200, later.text
    assert await latest() == (y["id"], 3)


@pytest.fixture
async def composites(client: Any) -> dict[str, Any]:
    """Claimants stating killed and wounded apart (or not quite), about one subject."""
    subject = (await factories.actor(client, kind="armed_force"))["id"]
    p, q, r, t, u, v = [await factories.actor(client, name=name) for name in "PQRTUV"]
    week = {"start": "2024-12-01", "end": "2024-12-07", "text": "in the first week"}
    made: dict[str, Any] = {"subject": subject, "actors": {}}
    for key, actor in zip("PQRTUV", (p, q, r, t, u, v), strict=True):
        made["actors"][key] = actor

    async def fig(claim: dict[str, Any], name: str, metric: str, **fields: Any) -> None:
        body = {"claim_id": claim["id"], "subject_id": subject, "metric": metric, **fields}
        made[name] = await factories.figure(client, **body)

    # P: 100 killed, at least 300 wounded, no period → derived 400..null.
    claim = await make_claim(client, p, stated_on="2024-12-01")
    await fig(claim, "pk", "killed", amount=100)
    await fig(claim, "pw", "wounded", qualifier="at_least", amount=300)
    # Q: earlier a direct total of 50; then 10 killed and 20-40 wounded in one week.
    claim = await make_claim(client, q, stated_on="2024-11-01")
    await fig(claim, "q_total", "killed_or_wounded", amount=50)
    claim = await make_claim(client, q, stated_on="2024-12-10")
    await fig(claim, "qk", "killed", amount=10, period=week)
    await fig(claim, "qw", "wounded", qualifier="range", amount=20, amount_max=40, period=week)
    # R: 5 killed, 6 wounded and a stated total of 11: the stated total wins.
    claim = await make_claim(client, r, stated_on="2024-12-05")
    await fig(claim, "rk", "killed", amount=5)
    await fig(claim, "rw", "wounded", amount=6)
    await fig(claim, "r_total", "killed_or_wounded", amount=11)
    # T: "some" killed and 7 wounded: an unspecified part makes no sum.
    claim = await make_claim(client, t, stated_on="2024-12-06")
    await fig(claim, "tk", "killed", qualifier="unspecified", amount=None)
    await fig(claim, "tw", "wounded", amount=7)
    # U: parts of different periods (the wounded one runs a day longer).
    claim = await make_claim(client, u, stated_on="2024-12-07")
    await fig(claim, "uk", "killed", amount=1, period=week)
    await fig(claim, "uw", "wounded", amount=2, period={**week, "end": "2024-12-08"})
    # V: two killed figures ("some" and 1) and one wounded: which pair? None.
    claim = await make_claim(client, v, stated_on="2024-12-08")
    await fig(claim, "vk1", "killed", amount=1)
    await fig(claim, "vk2", "killed", qualifier="unspecified", amount=None)
    await fig(claim, "vw", "wounded", amount=3)
    return made


async def test_killed_and_wounded_add_up_to_a_derived_entry(
    client: Any, composites: dict[str, Any]
) -> None:
    w = composites
    p, q, r = (w["actors"][key]["id"] for key in "PQR")
    [group] = await summary(client, subject_id=w["subject"], metric="killed_or_wounded")
    assert (group["metric"], group["unit"], group["accumulation"]) == (
        "killed_or_wounded",
        "people",
        "unknown",
    )
    # Entries: P 400..null (derived), Q 30..50 (derived) and 50 (stated), R 11 (stated).
    assert numbers(group) == (11, None, 2, 2, 3, 0)
    assert [e["claimant_id"] for e in group["claimants"]] == [q, r, p]
    q_entry, r_entry, p_entry = group["claimants"]

    assert q_entry["figure"] is None
    assert q_entry["derived"] == {
        "derived_from": [w["qk"]["id"], w["qw"]["id"]],
        "low": 30,
        "high": 50,
        "period": {
            "start": "2024-12-01",
            "start_precision": "day",
            "end": "2024-12-07",
            "end_precision": "day",
            "text": "in the first week",
        },
    }
    assert (q_entry["figure_count"], q_entry["derived_count"]) == (1, 1)
    assert q_entry["claim"]["id"] == w["qk"]["claim_id"]
    assert q_entry["claim"]["stated_on"] == "2024-12-10"
    assert q_entry["citations"][0]["quote"] == "as reported"

    assert r_entry["derived"] is None
    assert r_entry["figure"] == w["r_total"]
    assert (r_entry["figure_count"], r_entry["derived_count"]) == (1, 0)

    assert p_entry["derived"] == {
        "derived_from": [w["pk"]["id"], w["pw"]["id"]],
        "low": 400,
        "high": None,
        "period": None,
    }
    assert (p_entry["figure_count"], p_entry["derived_count"]) == (0, 1)

    # Without a metric the same group, beside the parts' own groups, which hold stated
    # figures only: killed 100, 10, 5, "some", 1, 1, "some".
    groups = {g["metric"]: g for g in await summary(client, subject_id=w["subject"])}
    assert set(groups) == {"killed", "killed_or_wounded", "wounded"}
    assert groups["killed_or_wounded"] == group
    assert numbers(groups["killed"]) == (1, 100, 7, 0, 6, 2)
    assert all(e["derived"] is None for e in groups["killed"]["claimants"])
    [killed] = await summary(client, subject_id=w["subject"], metric="killed")
    assert killed == groups["killed"]
    # wounded: 300.., 20..40, 6, 7, 2, 3
    assert numbers(groups["wounded"]) == (2, None, 6, 0, 6, 0)


async def test_derived_entries_follow_the_filters_of_their_parts(
    client: Any, composites: dict[str, Any]
) -> None:
    w = composites
    p, q = (w["actors"][key]["id"] for key in "PQ")
    subject, metric = w["subject"], "killed_or_wounded"

    # Only Q's parts have a period: the first week keeps its derived entry alone.
    [week] = await summary(
        client, subject_id=subject, metric=metric, period_from="2024-12-07", period_to="2024-12-31"
    )
    assert numbers(week) == (30, 50, 0, 1, 1, 0)
    assert week["claimants"][0]["derived"]["derived_from"] == [w["qk"]["id"], w["qw"]["id"]]
    # From the 8th only U's wounded part overlaps, and U has no derived entry.
    assert await summary(client, subject_id=subject, metric=metric, period_from="2024-12-08") == []

    # P's view: its derived entry only.
    [mine] = await summary(client, subject_id=subject, metric=metric, claimant_id=p)
    assert numbers(mine) == (400, None, 0, 1, 1, 0)
    # Q before December: its stated 50; its derived entry was stated on the 10th.
    [before] = await summary(
        client, subject_id=subject, metric=metric, claimant_id=q, stated_to="2024-11-30"
    )
    assert numbers(before) == (50, 50, 1, 0, 1, 0)
    assert before["claimants"][0]["figure"]["id"] == w["q_total"]["id"]
    # Another accumulation: none of these figures.
    assert await summary(client, subject_id=subject, accumulation="cumulative") == []


async def test_derived_entries_come_and_go_with_their_parts(client: Any) -> None:
    subject = (await factories.actor(client))["id"]
    who = await factories.actor(client)
    claim = await make_claim(client, who, stated_on="2024-12-01")
    on = {"claim_id": claim["id"], "subject_id": subject, "accumulation": "cumulative"}
    killed = await factories.figure(client, **on, metric="killed", amount=100)
    alone = killed["updated_at"]
    wounded = await factories.figure(
        client, **on, metric="wounded", qualifier="approximately", amount=1000
    )
    paired = wounded["updated_at"]
    kow = {"subject_id": subject, "metric": "killed_or_wounded"}

    [group] = await summary(client, **kow)
    assert numbers(group) == (1000, 1200, 0, 1, 1, 0)  # 100 + 900..1100
    assert await summary(client, **kow, as_of=alone) == []
    # Stating the total directly replaces the sum.
    total = await factories.figure(client, **on, metric="killed_or_wounded", amount=1050)
    [group] = await summary(client, **kow)
    assert numbers(group) == (1050, 1050, 1, 0, 1, 0)
    assert group["claimants"][0]["figure"]["id"] == total["id"]
    await factories.delete(client, "/v1/figures", total["id"])
    [group] = await summary(client, **kow)
    assert numbers(group) == (1000, 1200, 0, 1, 1, 0)
    # A part that goes takes the sum with it; as of before, it is still there.
    await factories.delete(client, "/v1/figures", wounded["id"])
    assert await summary(client, **kow) == []
    [then] = await summary(client, **kow, as_of=paired)
    assert then["claimants"][0]["derived"]["derived_from"] == [killed["id"], wounded["id"]]
    # A part in another accumulation pairs with nothing.
    await factories.figure(client, **{**on, "accumulation": "incremental"}, metric="wounded")
    assert await summary(client, **kow) == []


async def test_period_filters_overlap_the_period_span(client: Any) -> None:
    subject = (await factories.actor(client))["id"]
    periods: dict[str, dict[str, Any] | None] = {
        # 20-27 December, to the day
        "week": {"start": "2024-12-20", "end": "2024-12-27"},
        # October to November, known to the month: the end stands for 30 November
        "autumn": {
            "start": "2024-10-01",
            "start_precision": "month",
            "end": "2024-11-01",
            "end_precision": "month",
        },
        # "until the end of June": the start is not known
        "until_june": {"end": "2024-06-30"},
        # "since January": the end is not known
        "since_january": {"start": "2025-01-01", "start_precision": "month"},
        # the year 2023
        "year": {
            "start": "2023-01-01",
            "start_precision": "year",
            "end": "2023-01-01",
            "end_precision": "year",
        },
        # words without dates, and no period at all: nowhere in time
        "words": {"text": "recently"},
        "none": None,
    }
    names: dict[str, str] = {}
    for name, period in periods.items():
        # One claimant each, so each figure is its claimant's latest entry.
        claim = await make_claim(client, await factories.actor(client), stated_on="2025-01-10")
        extra = {} if period is None else {"period": period}
        made = await factories.figure(
            client, claim_id=claim["id"], subject_id=subject, metric="displaced", **extra
        )
        names[made["id"]] = name

    async def matching(**params: Any) -> set[str]:
        groups = await summary(client, subject_id=subject, **params)
        if not groups:
            return set()
        [group] = groups
        found = {names[entry["figure"]["id"]] for entry in group["claimants"]}
        assert group["figure_count"] == len(found)
        return found

    assert len(await matching()) == 7
    assert await matching(period_from="2024-11-15") == {"week", "autumn", "since_january"}
    assert await matching(period_to="2024-10-15") == {"autumn", "until_june", "year"}
    assert await matching(period_from="2024-12-27", period_to="2024-12-27") == {"week"}
    assert await matching(period_from="2024-12-28", period_to="2024-12-31") == set()
    assert await matching(period_from="2023-12-31", period_to="2023-12-31") == {
        "until_june",
        "year",
    }
    assert await matching(period_from="2030-01-01") == {"since_january"}


async def test_stated_filters_overlap_the_stated_span(client: Any) -> None:
    subject = (await factories.actor(client))["id"]
    stated = {
        "december": ("2024-12-01", "month"),
        "year_2023": ("2023-01-01", "year"),
        "november_30": ("2024-11-30", "day"),
        "undated": (None, None),
    }
    names: dict[str, str] = {}
    for name, (day, precision) in stated.items():
        fields = {} if day is None else {"stated_on": day, "stated_on_precision": precision}
        claim = await make_claim(client, await factories.actor(client), **fields)
        made = await factories.figure(client, claim_id=claim["id"], subject_id=subject)
        names[made["id"]] = name

    async def matching(**params: Any) -> list[str]:
        groups = await summary(client, subject_id=subject, **params)
        return [names[e["figure"]["id"]] for g in groups for e in g["claimants"]]

    # Most recently stated first (a month or year sorts on its first day), undated last.
    assert await matching() == ["december", "november_30", "year_2023", "undated"]
    assert await matching(stated_from="2024-12-15") == ["december"]
    assert await matching(stated_from="2024-12-31", stated_to="2024-12-31") == ["december"]
    assert await matching(stated_to="2024-11-30") == ["november_30", "year_2023"]
    assert await matching(stated_from="2023-06-01", stated_to="2023-06-30") == ["year_2023"]
    assert await matching(stated_to="2024-12-01") == ["december", "november_30", "year_2023"]
    [entry] = (await summary(client, subject_id=subject, stated_from="2024-12-15"))[0]["claimants"]
    assert (entry["claim"]["stated_on"], entry["claim"]["stated_on_precision"]) == (
        "2024-12-01",
        "month",
    )


async def test_the_pairing_is_the_claims_whatever_the_filters(client: Any) -> None:
    """A filter on the figure itself (period, country) may leave out the claim's stated
    total or a third part; the claim still has them, so still no derived entry."""
    subject = (await factories.actor(client))["id"]
    week = {"start": "2024-12-01", "end": "2024-12-07"}
    kow = {"subject_id": subject, "metric": "killed_or_wounded"}

    async def claim_with(*figures: dict[str, Any]) -> list[str]:
        claim = await make_claim(client, await factories.actor(client), stated_on="2024-12-08")
        on = {"claim_id": claim["id"], "subject_id": subject}
        return [(await factories.figure(client, **on, **fields))["id"] for fields in figures]

    # 1: parts in the first week, the total for the whole war (no period).
    await claim_with(
        {"metric": "killed", "amount": 1, "period": week},
        {"metric": "wounded", "amount": 2, "period": week},
        {"metric": "killed_or_wounded", "amount": 100},
    )
    # 2: two killed figures of that week, one of them located elsewhere.
    await claim_with(
        {"metric": "killed", "amount": 10, "period": week, "location": {"country": "UKR"}},
        {"metric": "killed", "amount": 20, "period": week, "location": {"country": "RUS"}},
        {"metric": "wounded", "amount": 30, "period": week, "location": {"country": "UKR"}},
    )
    # 3: a clean pair, for contrast.
    k3, w3 = await claim_with(
        {"metric": "killed", "amount": 5, "period": week, "location": {"country": "UKR"}},
        {"metric": "wounded", "amount": 6, "period": week, "location": {"country": "UKR"}},
    )
    in_week = {"period_from": "2024-12-01", "period_to": "2024-12-07"}
    for params in ({}, in_week, {"country": "UKR"}, {**in_week, "country": "UKR"}):
        [group] = await summary(client, **kow, **params)
        derived = [e["derived"] for e in group["claimants"] if e["derived"]]
        assert [d["derived_from"] for d in derived] == [[k3, w3]], params
        assert (derived[0]["low"], derived[0]["high"]) == (11, 11)
        assert group["derived_count"] == 1
    # Only claim 1's total is a stated killed_or_wounded figure.
    [everything] = await summary(client, **kow)
    assert (everything["figure_count"], everything["low"], everything["high"]) == (1, 11, 100)
