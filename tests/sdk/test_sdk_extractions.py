"""`client.extractions` against a live server: draft from a text, review, publish, discard,
with the sync and the async client, typed end to end."""

import uuid

import claimledger
import msgspec
import pytest
from claimledger import models


def speaker() -> str:
    return "Kovalenko" + uuid.uuid4().hex[:10]


def test_draft_review_and_publish_sync(sdk: claimledger.Client) -> None:
    name = f"Oksana {speaker()}"
    known = sdk.actors.create(name=name, kind="person")
    text = f"{name} said 40 soldiers were killed overnight."
    draft = sdk.extractions.create(
        text=text, source={"kind": "news_article", "title": f"Night {uuid.uuid4().hex}"}
    )
    assert isinstance(draft, models.Extraction)
    assert (draft.status, draft.version) == ("draft", 1)
    claim = draft.claims[0]
    assert isinstance(claim, models.DraftClaim)
    claimant = next(a for a in draft.actors if a.ref == claim.claimant_ref)
    assert claimant.actor_id == known.id
    assert [text[s.start : s.end] for s in claim.spans] == [text]
    assert draft.id in [d.id for d in sdk.extractions.list(status="draft", limit=200)]

    start = text.index("40")
    figure = {
        "metric": "killed",
        "amount": 40,
        "qualifier": "exact",
        "span": {"start": start, "end": start + 2},
    }
    edited = sdk.extractions.update(
        draft, claims=[{**msgspec.to_builtins(claim), "figures": [figure]}]
    )
    assert edited.version == 2
    assert (edited.claims[0].figures[0].low, edited.claims[0].figures[0].high) == (40, 40)
    with pytest.raises(claimledger.PreconditionFailed):
        sdk.extractions.update(draft, source={"title": "stale"})  # If-Match of version 1
    unknown = {**msgspec.to_builtins(claim), "claimant_ref": "x"}
    with pytest.raises(claimledger.UnprocessableEntity) as refused:
        sdk.extractions.update(edited.id, claims=[unknown])
    assert [e.field for e in refused.value.errors] == ["claims[0].claimant_ref"]

    published = sdk.extractions.publish(edited, change_note="checked")
    assert published.status == "published"
    assert published.published is not None
    made = sdk.claims.get(published.published.claim_ids[claim.ref])
    assert made.claimant_id == known.id
    figures = list(sdk.figures.list(claim_id=made.id))
    assert [f.amount for f in figures] == [40]
    assert sdk.extractions.publish(edited.id) == published  # again: nothing new
    assert [v.version for v in sdk.extractions.versions(draft)] == [1, 2, 3]
    assert sdk.extractions.get(draft.id, as_of=edited.updated_at).version == 2
    with pytest.raises(claimledger.Conflict):
        sdk.extractions.discard(published)
    with pytest.raises(claimledger.PayloadTooLarge):
        sdk.extractions.create(text="x" * 100_001)


async def test_draft_and_discard_async(async_sdk: claimledger.AsyncClient) -> None:
    draft = await async_sdk.extractions.create(text=f"Major {speaker()} said it was quiet.")
    assert draft.claims[0].text.endswith("said it was quiet.")
    ended = await async_sdk.extractions.discard(draft, change_note="duplicate")
    assert (ended.status, ended.version) == ("discarded", 2)
    assert (await async_sdk.extractions.get(draft)).status == "discarded"
    with pytest.raises(claimledger.Conflict):
        await async_sdk.extractions.publish(draft.id)
    assert (await async_sdk.extractions.version(draft, 2)).change_note == "duplicate"
    ops = await async_sdk.extractions.diff(draft, 2)
    assert {"/status", "/version"} <= {op.path for op in ops}
    listed = [d.id async for d in async_sdk.extractions.list(status="discarded", limit=200)]
    assert draft.id in listed
