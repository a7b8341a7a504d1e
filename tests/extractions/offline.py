"""Drafting in process, as the rule tests do: the rule-based extractor over the seed
registry (`seed_registry.py`), for a text a newswire published on a Friday."""

from datetime import date

from claimledger_server.extractions.gazetteer import KnownActor
from claimledger_server.extractions.rules import RuleExtractor
from claimledger_server.extractions.schemas import DraftSource, ExtractedDraft

from tests.extractions.seed_registry import seed_gazetteer

PUBLISHED = date(2024, 12, 27)  # a Friday
PUBLISHER = KnownActor("act_publisher", "Meridian News", (), "media_outlet", False)


def draft(
    text: str, published: date = PUBLISHED, publisher: KnownActor = PUBLISHER
) -> ExtractedDraft:
    source = DraftSource(published_on=published, publisher_id=publisher.id)
    return RuleExtractor().extract(text, source, seed_gazetteer(publisher))


def actor_names(found: ExtractedDraft) -> dict[str, str]:
    """The drafted actors' names by their refs."""
    return {actor.ref: actor.name for actor in found.actors}


Said = tuple[str, str | None, date | None]
"""A drafted claim as (claimant's name, relaying outlet's name or None, stated_on)."""


def claims_said(text: str, publisher: KnownActor = PUBLISHER) -> list[Said]:
    """(claimant, relay, stated_on) of each claim drafted from `text`."""
    found = draft(text, publisher=publisher)
    names = actor_names(found)
    return [
        (
            names[c.claimant_ref],
            names[c.relayed_by_ref] if c.relayed_by_ref else None,
            c.stated_on,
        )
        for c in found.claims
    ]


Counted = tuple[str, str, int | None, str]
"""A drafted figure as (metric, qualifier, amount, unit)."""


def counted(text: str) -> list[Counted]:
    """The figures drafted from `text`, in order."""
    return [
        (f.metric, f.qualifier, f.amount, f.unit)
        for claim in draft(text).claims
        for f in claim.figures
    ]
