"""POST /v1/figures/parse: the route (scopes, bad bodies, the size limit, off the event
loop), the seed article's figures found in its text, and parse and store agreeing on the
bounds of every count."""

import json
import threading
from pathlib import Path
from typing import Any

import factories
import pytest
from claimledger_server.figures import parsing
from claimledger_server.figures.parsing import MAX_PARSE_CHARS
from claimledger_server.text import quantities
from factories import assert_problem

SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds"
ARTICLE = (SEEDS / "000_62bc01ecef06bc27.txt").read_text()
PARSE = "/v1/figures/parse"


async def parse(client: Any, text: str, **kwargs: Any) -> list[dict[str, Any]]:
    response = await client.post(PARSE, json={"text": text}, **kwargs)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"figures"}
    figures: list[dict[str, Any]] = body["figures"]
    return figures


async def test_parse_reads_qualifiers_bounds_and_spans(client: Any) -> None:
    text = (
        "Zelenskyy said over 3,000 soldiers were killed or wounded; the 155th Brigade lost"
        " 15% of its men on December 23, and larger than twenty and less or equal than"
        " thirty five tanks."
    )
    found = await parse(client, text)
    assert found == [
        {
            "start": 15,
            "end": 34,
            "text": "over 3,000 soldiers",
            "kind": "count",
            "qualifier": "more_than",
            "amount": 3000,
            "amount_max": None,
            "low": 3001,
            "high": None,
            "unit": "people",
            "metric": "killed_or_wounded",
        },
        {
            "start": 82,
            "end": 85,
            "text": "15%",
            "kind": "percentage",
            "qualifier": "exact",
            "amount": 15,
            "amount_max": None,
            "low": None,
            "high": None,
            "unit": "percent",
            "metric": None,
        },
        {
            "start": 117,
            "end": 176,
            "text": "larger than twenty and less or equal than thirty five tanks",
            "kind": "count",
            "qualifier": "range",
            "amount": 21,
            "amount_max": 35,
            "low": 21,
            "high": 35,
            "unit": "tanks",
            "metric": None,
        },
    ]
    for item in found:
        assert text[item["start"] : item["end"]] == item["text"]


async def test_nothing_to_find_and_an_empty_text(client: Any) -> None:
    assert await parse(client, "") == []
    assert await parse(client, "No numbers here, only words; on December 23, 2024.") == []


async def test_a_read_key_may_parse_and_no_key_may_not(
    client: Any, api_keys: dict[str, str]
) -> None:
    read = {"Authorization": f"Bearer {api_keys['read']}"}
    assert len(await parse(client, "about 4,000 troops", headers=read)) == 1
    response = await client.post(PARSE, json={"text": "4,000"}, headers={"Authorization": ""})
    assert_problem(response, 401)
    revoked = {"Authorization": f"Bearer {api_keys['revoked']}"}
    assert_problem(await client.post(PARSE, json={"text": "4,000"}, headers=revoked), 401)


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({}, 422, "text"),
        ({"text": 3000}, 422, "text"),
        ({"text": None}, 422, "text"),
        ({"text": ["over 3,000"]}, 422, "text"),
        ({"text": "over 3,000", "lang": "en"}, 400, "lang"),
    ],
    ids=["missing", "number", "null", "list", "unknown-field"],
)
async def test_bad_bodies(client: Any, body: dict[str, Any], status: int, field: str) -> None:
    assert_problem(await client.post(PARSE, json=body), status, field)


async def test_malformed_empty_and_non_json_bodies(client: Any) -> None:
    json_type = {"Content-Type": "application/json"}
    assert_problem(await client.post(PARSE, content=b'{"text": ', headers=json_type), 400)
    assert_problem(await client.post(PARSE, content=b"", headers=json_type), 400)
    assert_problem(await client.post(PARSE, content=b"[]", headers=json_type), 422)
    text_type = {"Content-Type": "text/plain"}
    assert_problem(await client.post(PARSE, content=b"over 3,000", headers=text_type), 415)


async def test_texts_over_the_limit_are_413(client: Any) -> None:
    # Characters, not bytes: 100,000 four-byte characters are still within the limit.
    at_limit = "over 3,000 soldiers. " + "\U0001f1fa" * (MAX_PARSE_CHARS - 21)
    assert len(at_limit) == MAX_PARSE_CHARS
    assert [f["text"] for f in await parse(client, at_limit)] == ["over 3,000 soldiers"]
    problem = assert_problem(await client.post(PARSE, json={"text": at_limit + "x"}), 413, "text")
    assert "100,000" in problem["detail"]


async def test_parsing_runs_off_the_event_loop(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []

    def recording(text: str) -> list[quantities.Quantity]:
        threads.append(threading.current_thread())
        return quantities.find_quantities(text)

    monkeypatch.setattr(parsing, "find_quantities", recording)
    assert len(await parse(client, "at least 30 soldiers")) == 1
    assert threads
    assert threads[0] is not threading.main_thread()


def seed_figures() -> list[dict[str, Any]]:
    lines = (SEEDS / "000_62bc01ecef06bc27.ndjson").read_text().splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    return [r["data"] for r in records if r["kind"] == "figure"]


async def test_the_seed_article_parses_to_the_seeds_figures(client: Any) -> None:
    """Every figure of the seed is found inside the words it quotes, with the qualifier,
    amount, bounds and unit the seed stores (bounds derived as the server derives them),
    and a metric the seed gives that phrase; nothing else in the article is a count (not
    "December 23", not "Monday")."""
    found = [f for f in await parse(client, ARTICLE) if f["kind"] == "count"]
    matched: set[int] = set()
    for seeded in seed_figures():
        at = ARTICLE.index(seeded["text"])
        inside = [f for f in found if at <= f["start"] and f["end"] <= at + len(seeded["text"])]
        assert len(inside) == 1, (seeded["text"], inside)
        phrase = inside[0]
        matched.add(phrase["start"])
        created = await factories.figure(
            client,
            **{k: seeded[k] for k in ("metric", "qualifier", "unit")},
            amount=seeded.get("amount"),
            **{k: seeded[k] for k in ("low", "high") if k in seeded},
        )
        expected = [created[k] for k in ("qualifier", "amount", "amount_max", "low", "high")]
        assert [phrase[k] for k in ("qualifier", "amount", "amount_max", "low", "high")] == (
            expected
        )
        assert phrase["unit"] == seeded["unit"]
        same_words = [s["metric"] for s in seed_figures() if phrase["text"] in s["text"]]
        assert phrase["metric"] in same_words, (phrase, same_words)
    assert {f["start"] for f in found} == matched


async def test_every_parsed_count_stores_with_the_bounds_parsed(client: Any) -> None:
    text = (
        "About 300 North Korean soldiers were killed and about 2,700 wounded; up to a"
        " battalion was lost; several hundred casualties; close to 1,000 wounded; between"
        " 11,000 and 12,000 troops; at most 100 and at least 20; fewer than 500 people;"
        " some soldiers were executed; twenty-five tanks; more than 37,355 in total."
    )
    found = [f for f in await parse(client, text) if f["kind"] == "count"]
    assert len(found) == 11
    for phrase in found:
        fields = {k: phrase[k] for k in ("qualifier", "amount", "amount_max", "unit")}
        if phrase["qualifier"] == "vague":
            fields |= {"low": phrase["low"], "high": phrase["high"]}
        created = await factories.figure(
            client, metric=phrase["metric"] or "other", text=phrase["text"], **fields
        )
        assert (created["low"], created["high"]) == (phrase["low"], phrase["high"]), phrase
