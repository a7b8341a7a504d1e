"""What an extractor returns: a draft shaped like the answer of `POST /v1/extractions`
(DESIGN.md, "Drafts from text"), as plain JSON-like data. The scorer reads only what it
scores and ignores the rest; every reference it follows must resolve."""

from datetime import date
from typing import Any

import msgspec

from eval.extraction.corpus_schema import Article
from eval.extraction.text import span_of


class DraftError(ValueError):
    """The extractor's answer is not a draft the scorer can read."""


class Span(msgspec.Struct, kw_only=True):
    start: int
    end: int


class DraftActor(msgspec.Struct, kw_only=True):
    ref: str
    name: str
    kind: str | None = None
    actor_id: str | None = None


class DraftPeriod(msgspec.Struct, kw_only=True):
    start: date | None = None
    start_precision: str | None = None
    end: date | None = None
    end_precision: str | None = None
    text: str | None = None


class DraftFigure(msgspec.Struct, kw_only=True):
    metric: str
    qualifier: str
    amount: int | None = None
    amount_max: int | None = None
    low: int | None = None
    high: int | None = None
    unit: str = "people"
    accumulation: str = "unknown"
    subject_ref: str | None = None
    period: DraftPeriod | None = None
    text: str | None = None
    span: Span


class DraftClaim(msgspec.Struct, kw_only=True):
    ref: str
    claimant_ref: str | None
    co_claimant_refs: list[str] = []
    stated_on: date | None = None
    stated_on_precision: str | None = None
    relayed_by_ref: str | None = None
    spans: list[Span] = []
    figures: list[DraftFigure] = []


class Draft(msgspec.Struct, kw_only=True):
    actors: list[DraftActor] = []
    claims: list[DraftClaim] = []


def read_draft(data: Any) -> Draft:
    """The draft in `data` (decoded JSON), or `DraftError` saying what is wrong with it."""
    try:
        draft = msgspec.convert(data, Draft)
    except msgspec.ValidationError as error:
        raise DraftError(f"not a draft: {error}") from None
    refs = {actor.ref for actor in draft.actors}
    for i, claim in enumerate(draft.claims):
        named: dict[str, list[str | None]] = {
            "claimant_ref": [claim.claimant_ref],
            "co_claimant_refs": list(claim.co_claimant_refs),
            "relayed_by_ref": [claim.relayed_by_ref],
        }
        for j, figure in enumerate(claim.figures):
            named[f"figures[{j}].subject_ref"] = [figure.subject_ref]
        for field, values in named.items():
            for ref in values:
                if ref is not None and ref not in refs:
                    raise DraftError(f"claims[{i}].{field} {ref!r} is not an actor's ref")
        for span in [*claim.spans, *(figure.span for figure in claim.figures)]:
            if not 0 <= span.start <= span.end:
                raise DraftError(f"claims[{i}] has a span from {span.start} to {span.end}")
    return draft


def gold_draft(article: Article) -> dict[str, Any]:
    """The draft a perfect extractor would return for `article`: its gold, in the shape of
    `POST /v1/extractions`. Scoring it must give full marks."""
    refs = {actor.name: f"actor-{i}" for i, actor in enumerate(article.gold.actors)}

    def ref(name: str | None) -> str | None:
        return None if name is None else refs[name]

    def span(phrase: str) -> dict[str, int]:
        found = span_of(article.text, phrase)
        if found is None:
            raise DraftError(f"{article.id}: {phrase!r} is not in the text")
        return {"start": found[0], "end": found[1]}

    claims = []
    for i, claim in enumerate(article.gold.claims):
        figures = [
            {
                "metric": figure.metric,
                "subject_ref": ref(figure.subject),
                "amount": figure.amount,
                "qualifier": figure.qualifier,
                "amount_max": figure.amount_max,
                "low": figure.low,
                "high": figure.high,
                "unit": figure.unit,
                "accumulation": figure.accumulation,
                "period": msgspec.to_builtins(figure.period),
                "text": figure.text,
                "span": span(figure.text),
            }
            for figure in claim.figures
        ]
        claims.append(
            {
                "ref": f"claim-{i}",
                "claimant_ref": ref(claim.claimant),
                "co_claimant_refs": [ref(name) for name in claim.co_claimants],
                "text": claim.evidence,
                "quote": None,
                "stated_on": msgspec.to_builtins(claim.stated_on),
                "stated_on_precision": claim.stated_on_precision,
                "basis": claim.basis,
                "relayed_by_ref": ref(claim.relayed_by),
                "location": None,
                "spans": [span(claim.evidence)],
                "figures": figures,
            }
        )
    actors: list[dict[str, Any]] = [
        {
            "ref": refs[actor.name],
            "name": actor.name,
            "kind": actor.kind,
            "actor_id": None,
            "mentions": [],
        }
        for actor in article.gold.actors
    ]
    return {"status": "draft", "text": article.text, "actors": actors, "claims": claims}
