"""An incident's rank that states a count: "The attack is the 41st against the police in the
province this year" says 41 attacks so far this year (GUIDELINES.md: `other`, the
incidents counted, a running total). A rank without the span it counts in ("the 155th
Brigade", "the second day of talks", "the first aid convoy since") is no count, and
ordinals are no quantity to `text.quantities`, so they are read here."""

import re
from typing import Final

from claimledger_server.extractions.schemas import DraftFigure, Span
from claimledger_server.text.lexicon import plural

_INCIDENTS: Final = (
    r"attack|strike|air\s*strike|raid|bombing|ambush|assault|incident|massacre|killing|"
    r"abduction|kidnapping|explosion|shelling"
)
_RANK: Final = re.compile(
    # the incident named, or "it" with the kind after the rank ("it was the 9th raid …")
    r"(?:\b(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?P<subject>"
    + _INCIDENTS
    + r")|\b[Ii]t)\s+(?:is|was|marks|marked|"
    r"became|becomes)\s+(?P<phrase>the\s+(?P<rank>\d{1,4})(?:st|nd|rd|th)\s+"
    r"(?:(?P<noun>" + _INCIDENTS + r")\s+)?(?:(?:against|on|in|targeting)\s+[^.;,]{1,60}?\s+)?"
    r"(?:this\s+year|so\s+far(?:\s+this\s+year)?|to\s+date|since\s+[^.;,]{1,30}?(?=[.;,]|$)))"
)
"""An incident said to be the Nth of its kind within a span: "this year", "so far", "since
January"; "it was the 12th ambush in the province this year" names its kind after the rank."""


def ranked_counts(passage: str, offset: int) -> list[DraftFigure]:
    """The counts `passage` states as an incident's rank (spans into the text `passage`
    starts at `offset` of)."""
    found = []
    for rank in _RANK.finditer(passage):
        if rank.group("noun") is None and rank.group("subject") is None:
            continue  # "it was the 12th this year": of what, it does not say
        noun = re.sub(r"\s+", "", rank.group("noun") or rank.group("subject"))  # "airstrike"
        start, end = rank.span("phrase")
        found.append(
            DraftFigure(
                metric="other",
                amount=int(rank.group("rank")),
                qualifier="exact",
                unit=plural(noun),
                accumulation="cumulative",  # a rank within a span counts all of it so far
                text=passage[start:end],
                span=Span(start=offset + start, end=offset + end),
            )
        )
    return found
