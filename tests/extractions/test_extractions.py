"""/v1/extractions: drafting with the default extractor, review by merge patch, versions,
lists, scopes and limits."""

import copy
import uuid
from typing import Any

import factories
import pytest
from drafts import PATH, create_draft, patch_draft, span_of, surname
from factories import assert_problem, parse_time


async def test_a_draft_names_speakers_and_matches_the_registry(client: Any) -> None:
    name = f"Oksana {surname()}"
    known = await factories.actor(client, name=name, kind="person")
    stranger = surname()
    text = (
        f"Shelling went on overnight. {name} said the bridge was hit twice.\n\n"
        f'"We need more air defence," she said. According to Mykola {stranger}, the'
        f" river crossing held. {name.split()[1]} added that repairs had begun."
    )
    made = await create_draft(client, text, kind="news_article", title="Overnight shelling")
    assert made["id"].startswith("ext_")
    assert (made["status"], made["version"], made["published"]) == ("draft", 1, None)
    assert made["extractor"] == "claimledger_server.extractions.rules:RuleExtractor"
    assert made["text"] == text
    assert made["source"]["title"] == "Overnight shelling"
    by_ref = {actor["ref"]: actor for actor in made["actors"]}
    matched = [a for a in made["actors"] if a["actor_id"] == known["id"]]
    assert len(matched) == 1, made["actors"]
    speaker = matched[0]
    assert speaker["name"] == name
    assert speaker["kind"] == "person"
    for mention in speaker["mentions"]:
        assert text[mention["start"] : mention["end"]] in (name, name.split()[1])
    new = [a for a in made["actors"] if a["actor_id"] is None]
    assert [a["name"] for a in new] == [f"Mykola {stranger}"]
    claimants = [by_ref[claim["claimant_ref"]]["name"] for claim in made["claims"]]
    # "she said" is the last named speaker's; a lone surname is the actor already named.
    assert claimants == [name, name, f"Mykola {stranger}", name]
    first = made["claims"][0]
    assert first["text"] == f"{name} said the bridge was hit twice."
    assert [text[s["start"] : s["end"]] for s in first["spans"]] == [first["text"]]
    assert made["claims"][1]["quote"] == "We need more air defence"
    assert all(claim["figures"] == [] for claim in made["claims"])
    fetched = await client.get(f"{PATH}/{made['id']}")
    assert fetched.status_code == 200
    assert fetched.headers["etag"] == '"1"'
    assert fetched.json() == made


async def test_the_same_text_drafts_the_same_way(client: Any) -> None:
    text = f"Officer {surname()} told reporters the convoy had turned back."
    first = await create_draft(client, text)
    second = await create_draft(client, text)
    strip = ("id", "created_at", "updated_at")
    assert {k: v for k, v in first.items() if k not in strip} == {
        k: v for k, v in second.items() if k not in strip
    }


async def test_a_text_without_attributions_drafts_nothing(client: Any) -> None:
    made = await create_draft(client, "The weather was cold. Nobody spoke.")
    assert (made["actors"], made["claims"]) == ([], [])


async def test_an_existing_source_fills_the_draft_source(client: Any) -> None:
    stored = await factories.source(client, title="Evening address", published_on="2024-12-23")
    made = await create_draft(client, "Nothing attributed here.", id=stored["id"], language="uk")
    source = made["source"]
    assert (source["id"], source["title"], source["published_on"]) == (
        stored["id"],
        "Evening address",
        "2024-12-23",
    )
    assert (source["kind"], source["language"]) == ("news_article", "uk")
    missing = await client.post(
        PATH, json={"text": "x", "source": {"id": factories.UNKNOWN_ID["sources"]}}
    )
    assert_problem(missing, 422, "source.id")
    gone = await factories.deleted(client, "sources")
    assert_problem(await client.post(PATH, json={"text": "x", "source": {"id": gone}}), 422)


async def test_text_over_the_limit_is_413(client: Any) -> None:
    limit = client.app.state.settings.extraction_max_chars
    response = await client.post(PATH, json={"text": "é" * (limit + 1)})
    problem = assert_problem(response, 413, "text")
    assert f"{limit:,}" in problem["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "a\x00b"}, "text"),
        ({"text": "x", "source": {"kind": "rumour"}}, "source.kind"),
        ({"text": "x", "source": {"published_on": "2024-13-01"}}, "source.published_on"),
        ({"text": "x", "actors": []}, "actors"),
        # The caller's source is checked before anything is drafted: its fault, not the
        # extractor's.
        (
            {
                "text": "x",
                "source": {"published_at": "2000-01-01T00:00:00Z", "published_on": "2024-12-27"},
            },
            "source.published_on",
        ),
        ({"text": "x", "source": {"url": "http://[abc"}}, "source.url"),
        (
            {"text": "x", "source": {"publisher_id": factories.UNKNOWN_ID["actors"]}},
            "source.publisher_id",
        ),
    ],
)
async def test_invalid_create_bodies(client: Any, body: dict[str, Any], field: str) -> None:
    response = await client.post(PATH, json=body)
    assert response.status_code in (400, 422), response.text
    assert_problem(response, response.status_code, field)


async def test_list_filters_by_status_and_pages(client: Any) -> None:
    made = [await create_draft(client, f"Item {n}.") for n in range(3)]
    window = {"updated_since": made[0]["updated_at"]}
    discarded = await client.post(f"{PATH}/{made[1]['id']}/discard")
    assert discarded.status_code == 200, discarded.text
    drafts = await factories.ids(client, PATH, status="draft", **window)
    assert made[0]["id"] in drafts
    assert made[2]["id"] in drafts
    assert made[1]["id"] not in drafts
    assert made[1]["id"] in await factories.ids(client, PATH, status="discarded", **window)
    page = (await client.get(PATH, params={"limit": 1, **window})).json()
    assert len(page["data"]) == 1
    assert page["next_cursor"]
    walked = await factories.ids(client, PATH, limit=1, **window)
    assert walked == sorted(walked)
    assert {m["id"] for m in made} <= set(walked)
    assert_problem(await client.get(PATH, params={"status": "open"}), 400, "status")
    assert_problem(await client.get(PATH, params={"include_deleted": "true"}), 400)


async def test_versions_and_as_of(client: Any) -> None:
    made = await create_draft(client, f"Colonel {surname()} said the line held.")
    edited = await patch_draft(client, made, source={"title": "Front line"})
    assert edited["version"] == 2
    url = f"{PATH}/{made['id']}"
    history = (await client.get(f"{url}/versions")).json()["data"]
    assert [(v["version"], v["action"]) for v in history] == [(1, "created"), (2, "updated")]
    assert history[0]["data"] == made
    before = parse_time(edited["updated_at"]).isoformat()
    old = await client.get(url, params={"as_of": parse_time(made["updated_at"]).isoformat()})
    assert old.json() == made
    assert (await client.get(url, params={"as_of": before})).json() == edited
    diff = (await client.get(f"{url}/versions/2/diff")).json()
    assert {"op": "add", "path": "/source/title", "value": "Front line"} in diff or {
        "op": "replace",
        "path": "/source/title",
        "value": "Front line",
    } in diff
    assert_problem(await client.get(f"{PATH}/ext_{'0' * 26}"), 404)
    assert_problem(await client.get(f"{PATH}/clm_{'0' * 26}"), 400, "id")


async def test_patch_if_match_and_no_op(client: Any) -> None:
    made = await create_draft(client, f"Major {surname()} said the road was open.")
    url = f"{PATH}/{made['id']}"
    same = await client.patch(url, json={"claims": made["claims"]})
    assert same.status_code == 200, same.text
    assert same.headers["etag"] == '"1"'
    ok = await client.patch(url, json={"source": {"title": "Roads"}}, headers={"If-Match": '"1"'})
    assert ok.status_code == 200, ok.text
    stale = await client.patch(url, json={"source": {"title": "X"}}, headers={"If-Match": '"1"'})
    assert assert_problem(stale, 412)["current_version"] == 2
    cleared = await patch_draft(client, made, source=None, actors=None, claims=None)
    assert (cleared["actors"], cleared["claims"]) == ([], [])
    assert cleared["source"]["title"] is None


async def test_bounds_are_derived_as_for_figures(client: Any) -> None:
    name = f"Colonel {surname()}"
    text = f"{name} said about 4,000 were killed and nearly 1,000 captured."
    made = await create_draft(client, text)
    speaker = made["claims"][0]["claimant_ref"]
    figures = [
        {
            "metric": "killed",
            "amount": 4000,
            "qualifier": "approximately",
            "span": span_of(text, "about 4,000"),
            "low": 1,
            "high": 2,
        },
        {
            "metric": "captured",
            "amount": 1000,
            "qualifier": "nearly",
            "span": span_of(text, "nearly 1,000"),
        },
        {"metric": "other", "qualifier": "vague", "high": 9, "span": span_of(text, "were")},
    ]
    claims = [{**made["claims"][0], "figures": figures}]
    patched = await patch_draft(client, made, claims=claims)
    bounds = [(f["low"], f["high"]) for f in patched["claims"][0]["figures"]]
    # Sent bounds of a qualifier that owns them are replaced, not refused (arrays come back whole).
    assert bounds == [(3600, 4400), (900, 999), (0, 9)]
    assert patched["claims"][0]["claimant_ref"] == speaker


def _with(made: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """`made`'s source, actors and claims with one member changed (`claims.0.figures.0.x`)."""
    body = copy.deepcopy({key: made[key] for key in ("source", "actors", "claims")})
    *parents, last = path.split(".")
    target: Any = body
    for step in parents:
        target = target[int(step)] if step.isdigit() else target[step]
    target[int(last) if last.isdigit() else last] = value
    return {key: body[key] for key in ("actors", "claims")} | (
        {"source": body["source"]} if path.startswith("source") else {}
    )


INVALID_EDITS = [
    ("claims.0.figures.1.qualifier", "often", "claims[0].figures[1].qualifier"),
    ("claims.0.figures.1.amount", None, "claims[0].figures[1].amount"),
    ("claims.0.figures.0.amount_max", 1, "claims[0].figures[0].amount_max"),
    ("claims.0.figures.0.span", {"start": 5, "end": 5}, "claims[0].figures[0].span"),
    ("claims.0.figures.0.subject_ref", "nobody", "claims[0].figures[0].subject_ref"),
    (
        "claims.0.figures.0.period",
        {"start": "2024-12-27", "end": "2024-12-20"},
        "claims[0].figures[0].period.end",
    ),
    ("claims.0.claimant_ref", "nobody", "claims[0].claimant_ref"),
    ("claims.0.co_claimant_refs", ["a1"], "claims[0].co_claimant_refs[0]"),
    ("claims.0.relayed_by_ref", "nobody", "claims[0].relayed_by_ref"),
    ("claims.0.spans", [{"start": 0, "end": 10**6}], "claims[0].spans[0]"),
    ("claims.0.stated_on_precision", "month", "claims[0].stated_on"),
    ("claims.0.ref", "c 1", "claims[0].ref"),
    ("actors.0.mentions", [{"start": 3, "end": 1}], "actors[0].mentions[0]"),
    ("actors.0.kind", "celebrity", "actors[0].kind"),
    ("actors.0.actor_id", factories.UNKNOWN_ID["actors"], "actors[0].actor_id"),
    ("source.published_on_precision", "year", "source.published_on"),
    ("source.url", "ftp://example.org/a", "source.url"),
    ("source.id", factories.UNKNOWN_ID["sources"], "source.id"),
]


@pytest.mark.parametrize(
    ("path", "value", "field"), INVALID_EDITS, ids=[edit[2] for edit in INVALID_EDITS]
)
async def test_edits_are_checked_and_name_the_field(
    client: Any, path: str, value: Any, field: str
) -> None:
    name = f"Captain {surname()}"
    text = f"{name} said 12 were killed and 30 wounded on 2024-12-21."
    made = await create_draft(client, text, published_on="2024-12-22")
    claim = made["claims"][0]
    claim["stated_on"] = "2024-12-21"
    claim["figures"] = [
        {
            "metric": "killed",
            "amount": 12,
            "qualifier": "range",
            "amount_max": 15,
            "subject_ref": claim["claimant_ref"],
            "span": span_of(text, "12"),
        },
        {"metric": "wounded", "amount": 30, "span": span_of(text, "30")},
    ]
    made = await patch_draft(client, made, claims=made["claims"])
    assert made["actors"][0]["ref"] == "a1"
    body = _with(made, path, value)
    response = await client.patch(f"{PATH}/{made['id']}", json=body)
    assert_problem(response, 422, field)
    assert (await client.get(f"{PATH}/{made['id']}")).json() == made


async def test_read_only_members_cannot_be_patched(client: Any) -> None:
    made = await create_draft(client, "Nothing attributed.")
    for change in ({"status": "published"}, {"text": "other"}, {"published": None}, {"id": "x"}):
        response = await client.patch(f"{PATH}/{made['id']}", json=change)
        assert_problem(response, 400, next(iter(change)))
    assert (await client.get(f"{PATH}/{made['id']}")).json() == made


async def test_scopes(client: Any, api_keys: dict[str, str]) -> None:
    made = await create_draft(client, f"Sergeant {surname()} said it was quiet.")
    url = f"{PATH}/{made['id']}"
    read = {"Authorization": f"Bearer {api_keys['read']}"}
    assert (await client.get(url, headers=read)).status_code == 200
    assert (await client.get(PATH, headers=read)).status_code == 200
    assert (await client.get(f"{url}/versions", headers=read)).status_code == 200
    for method, target, body in (
        ("POST", PATH, {"text": "x"}),
        ("PATCH", url, {"source": {"title": "x"}}),
        ("POST", f"{url}/publish", None),
        ("POST", f"{url}/discard", None),
    ):
        response = await client.request(method, target, json=body, headers=read)
        assert_problem(response, 403)
    write = {"Authorization": f"Bearer {api_keys['write']}"}
    response = await client.post(PATH, json={"text": "Nothing said."}, headers=write)
    assert response.status_code == 201, response.text
    assert (await client.get(url)).json() == made


async def test_idempotency_key_replays_the_draft(client: Any) -> None:
    key = {"Idempotency-Key": uuid.uuid4().hex}
    body = {"text": f"Lieutenant {surname()} said nothing moved."}
    first = await client.post(PATH, json=body, headers=key)
    again = await client.post(PATH, json=body, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
