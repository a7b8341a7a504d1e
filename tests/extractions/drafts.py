"""Helpers of the draft tests: unique speakers the rule-based extractor can find, drafts
made through the API, and claims with figures a reviewer adds."""

import uuid
from typing import Any

import factories

PATH = "/v1/extractions"


def surname() -> str:
    """A capitalised word no other test's actor has: the gazetteer is the whole registry."""
    return "Kovalenko" + uuid.uuid4().hex[:10]


def span_of(text: str, words: str, start: int = 0) -> dict[str, int]:
    found = text.index(words, start)
    return {"start": found, "end": found + len(words)}


async def create_draft(client: Any, text: str, **source: Any) -> dict[str, Any]:
    response = await client.post(PATH, json={"text": text, "source": source})
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()
    assert response.headers["location"] == f"{PATH}/{made['id']}"
    assert response.headers["etag"] == f'"{made["version"]}"'
    return made


async def patch_draft(client: Any, draft: dict[str, Any], **changes: Any) -> dict[str, Any]:
    response = await client.patch(f"{PATH}/{draft['id']}", json=changes)
    assert response.status_code == 200, response.text
    patched: dict[str, Any] = response.json()
    return patched


async def reviewed_draft(client: Any) -> tuple[dict[str, Any], dict[str, Any], str]:
    """A draft a reviewer completed: a matched speaker (an actor of the registry), a new
    outlet relaying them, a new counted subject, and a claim with two figures. Returns
    (the draft, the matched actor, the unique text of the claim)."""
    name = f"Oksana {surname()}"
    known = await factories.actor(client, name=name, kind="person")
    tag = uuid.uuid4().hex
    text = (
        f"{name} said on Monday that about 400 soldiers were killed and several hundred"
        f" wounded near Kupiansk, according to a report in the Daily {tag}."
    )
    made = await create_draft(
        client, text, title=f"Report {tag}", kind="news_article", published_on="2024-12-24"
    )
    speaker = next(a for a in made["actors"] if a["actor_id"] == known["id"])
    actors = [
        {**speaker},
        {
            "ref": "outlet",
            "name": f"Daily {tag}",
            "kind": "media_outlet",
            "mentions": [span_of(text, f"Daily {tag}")],
        },
        {"ref": "troops", "name": f"Troops {tag}", "kind": "armed_force"},
        {"ref": "unused", "name": f"Bystander {tag}"},
    ]
    claim_text = f"About 400 soldiers were killed near Kupiansk ({tag})."
    claims = [
        {
            "ref": "c1",
            "claimant_ref": speaker["ref"],
            "text": claim_text,
            "stated_on": "2024-12-23",
            "relayed_by_ref": "outlet",
            "spans": [span_of(text, "about 400 soldiers were killed")],
            "location": {"name": "Kupiansk", "country": "UKR"},
            "topics": ["casualties"],
            "figures": [
                {
                    "metric": "killed",
                    "subject_ref": "troops",
                    "amount": 400,
                    "qualifier": "approximately",
                    "accumulation": "cumulative",
                    "text": "about 400 soldiers were killed",
                    "span": span_of(text, "about 400"),
                },
                {
                    "metric": "wounded",
                    "subject_ref": "troops",
                    "qualifier": "vague",
                    "low": 300,
                    "high": 900,
                    "text": "several hundred wounded",
                    "span": span_of(text, "several hundred"),
                },
            ],
        }
    ]
    return await patch_draft(client, made, actors=actors, claims=claims), known, claim_text
