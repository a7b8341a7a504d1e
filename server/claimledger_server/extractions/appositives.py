"""The subject before a speech verb, read off the parts a sentence's commas cut ("Kizito Bin
Hangi, head of civil society, said"), and whether words can be a speaker at all: a part
that opens with a participle, cites a source, opens a relative clause or holds a verb of
being says what happened, not who speaks."""

import re
from typing import Final

from claimledger_server.extractions.names import looks_like_name
from claimledger_server.extractions.speaker_phrases import described_then_named, trim

PARTICIPLE = re.compile(
    r"\s*[a-z]+ing\b|\s*[A-Z][a-z]+ing\s+(?:next|first|last|later|earlier|again|also|after|"
    r"before|for|to|at|in|on)\b"
)
"""A part that opens with a participle ("…, wounding two women, said X", "Speaking next, the
delegate of X said") says what happened, not who speaks."""
CITING_PART = re.compile(r"\s*(?:citing|quoting)\s")
"""A part that cites a source: a name right after it is the cited one's apposition."""
_RELATIVE = re.compile(r"^\s*(?:which|who|whose|whom|where|when)\b", re.IGNORECASE)

_SAYING: Final = frozenset(
    {"saying", "adding", "telling", "claiming", "noting", "warning", "insisting", "arguing"}
)
"""A participle of saying: the words after it are what was said, not who says it."""
_PREPOSITIONS: Final = frozenset(
    {"in", "on", "at", "with", "from", "during", "after", "before", "by"}
)
"""Words no subject begins with: "In a video posted online, the leader said" has its
speaker after the comma, and "posted" there is no speech verb."""


def plausible_subject(words: str) -> bool:
    """Whether `words` can be who speaks: no relative or preposition first, no verb of
    being ("Seven were abducted"), no lone possessive."""
    lowered = words.lower().split()
    if (
        lowered[0] in ("which", "that", "there", "this", "what", "according")
        or words.split()[0] == "who"  # "WHO said": the World Health Organization
        or lowered[0] in _PREPOSITIONS
        or lowered[0] in _SAYING  # "…, saying allies had pledged two": what was said
    ):
        return False
    if any(w in ("is", "are", "was", "were", "been", "be", "not") for w in lowered):
        return False
    return not (lowered[0] in ("its", "his", "her", "their", "this", "these") and len(lowered) < 2)


_PARTITIVE: Final = re.compile(
    r"(?:[Oo]ne|[Aa]nother)(?:\s+of\s+(?:them|those|the\s+[\w-]+))?", re.IGNORECASE
)
"""One of a group already spoken of, whom an apposition goes on to name."""
_DASHES: Final = (" - ", " \u2013 ", " \u2014 ")


_OBJECT_RELATIVE: Final = re.compile(r"\bthat\s+(?=(?:the\s+)?[A-Z])")
"""Where an object relative clause's own subject begins: "the 90 people that the Youth
Network, a volunteer group, said had died" (the network speaks, of the people)."""


def appositive_subject(
    text: str, start: int, comma: int
) -> tuple[tuple[int, int], tuple[int, int] | None] | None:
    """ "Kizito Bin Hangi, head of civil society, said": the parts before the verb, split at
    commas; a part that is a person's name wins, else the first that is no relative clause."""
    parts: list[tuple[int, int]] = []
    end = comma
    while len(parts) < 3:
        cut = max(text.rfind(",", start, end), start - 1)
        piece_start = cut + 1
        boundary = max(text.rfind(q, piece_start, end) for q in '"\u201c\u201d;:')
        # a rubric or dateline before a dash ("THE MILITIAS - A commander, speaking…")
        dash = max(
            (found + 2 for d in _DASHES if (found := text.rfind(d, piece_start, end)) >= 0),
            default=-1,
        )
        if max(boundary, dash) >= piece_start:
            piece_start = max(boundary, dash) + 1
        if (relative := _OBJECT_RELATIVE.search(text, piece_start, end)) is not None:
            piece_start = relative.end()  # "the 90 people that the network, a group, said"
        parts.append((piece_start, end))
        if piece_start != cut + 1 or cut < start:
            break
        end = cut
    trimmed = [
        t
        for i, p in enumerate(parts)
        if not _RELATIVE.match(text[p[0] : p[1]])
        and not PARTICIPLE.match(text, p[0], p[1])
        # "X, citing the governor, Ana Ruiz, said": the name is the cited one's apposition
        and not (i + 1 < len(parts) and CITING_PART.match(text, *parts[i + 1]))
        and (t := trim(text, *p))
        and plausible_subject(text[t[0] : t[1]])  # "Seven were abducted, their employer, …"
    ]
    if len(trimmed) > 1:
        # "One of them, Witness 4, told": the apposition names whom "one of them" counts
        trimmed = [t for t in trimmed if not _PARTITIVE.fullmatch(text[t[0] : t[1]])] or trimmed
    for part in trimmed:
        if looks_like_name(text[part[0] : part[1]]):
            others = [p for p in trimmed if p != part]
            return part, others[0] if others else None
    for part in trimmed:
        # "their employer, the charity Open Hands, said": the part that names someone
        if len(trimmed) > 1 and described_then_named(text[part[0] : part[1]]):
            return part, next(p for p in trimmed if p != part)
    return (trimmed[-1], None) if trimmed else None


_PARTNER_BEFORE = re.compile(
    r"(?P<first>[A-Za-z][\w'-]*(?:\s+[a-z][\w'-]*){0,2})\s+and\s+(?:an?|the)\s+"
    r"(?P<second>[a-z][\w'-]*(?:\s+[a-z][\w'-]*){0,3})"
)


def partner_before(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Who shares a claim with the body an apposition names, when the description before
    the name joins two speakers ("Villagers and a local rescue group, the X, say": the
    villagers say it with X): the first of them; None for a description of one speaker."""
    joined = _PARTNER_BEFORE.fullmatch(text, start, end)
    if joined is None or trim(text, *joined.span("first")) is None:
        return None
    return joined.span("first")
