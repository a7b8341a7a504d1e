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

    groups = await summary(client, subject_id=troops, metric="killed_or_wounded")
    assert len(groups) == 1
    group = groups[0]
    assert (group["subject_id"], group["metric"], group["unit"]) == (
        troops,
        "killed_or_wounded",
        "people",
    )
    assert (group["low"], group["high"]) == (1000, None)
    assert (group["figure_count"], group["claimant_count"], group["unspecified_count"]) == (
        2,
        2,
        0,
    )
    # Side by side, the most recently stated first: Kirby (27 Dec), then Zelenskyy (23 Dec).
    first, second = group["claimants"]
    assert first["claimant_id"] == kirby["id"]
    assert first["claimant"] == {"id": kirby["id"], "name": "John Kirby", "kind": "person"}
    assert first["figure"] == seed["figure:kirby-1000-killed-or-injured-last-week"]
    assert (first["figure"]["qualifier"], first["figure"]["amount"]) == ("exact", 1000)
    kirby_claim = seed["claim:kirby-1000-killed-or-injured-last-week"]
    assert first["claim"] == {
        "id": kirby_claim["id"],
        "text": kirby_claim["text"],
        "stated_on": "2024-12-27",
        "stated_on_precision": "day",
    }
    nbc = seed["source:nbc-news-report"]
    assert [c["source_id"] for c in first["citations"]] == [
        c["source_id"] for c in kirby_claim["citations"]
    ]
    by_source = {c["source_id"]: c for c in first["citations"]}
    assert by_source[nbc["id"]]["source"] == {
        key: nbc[key] for key in ("id", "kind", "title", "url", "publisher_id", "published_at")
    }
    assert any(c["relayed_by_id"] == seed["actor:nbc-news"]["id"] for c in first["citations"])

    assert second["claimant_id"] == zelenskyy["id"]
    assert second["figure"] == seed["figure:zelenskyy-over-3000-killed-or-wounded-kursk"]
    assert (second["figure"]["low"], second["figure"]["high"]) == (3001, None)
    assert second["claim"]["stated_on"] == "2024-12-23"
    address = seed["source:zelenskyy-video-address-2024-12-23"]
    cited = {c["source_id"]: c["source"] for c in second["citations"]}
    assert cited[address["id"]]["kind"] == "video_address"

    # Every group about the troops: the unspecified ones count but bound nothing.
    everything = await summary(client, subject_id=troops)
    by_metric = {g["metric"]: g for g in everything}
    assert by_metric["killed_or_wounded"] == group
    for metric in ("executed", "captured", "suicides"):
        vague = by_metric[metric]
        assert (vague["low"], vague["high"]) == (None, None)
        assert vague["figure_count"] == vague["unspecified_count"] == 1


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
    expected = [(None, "missing")] + [(s, m) for s in subjects for m in ("killed", "wounded")]
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
