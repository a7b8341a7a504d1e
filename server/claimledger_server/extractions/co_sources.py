"""Who shares a claim with its speaker, or stands behind it: the partners of a joint
statement ("X said in a joint statement with Y and Z on Friday": Y and Z are co-claimants)
and the source an outlet cites ("Radio Sol reported, citing a nurse briefed by the hospital
director": the director, whom the nurse passed on)."""

import re
from typing import Final

MAX_PARTNERS: Final = 20
"""Partners of one joint statement a draft names (a claim holds 50 co-claimants)."""
_JOINT_WITH: Final = re.compile(
    r"\s*,?\s*(?:(?:on|in|at)\s+[^,;]{0,30}?\s+)?in\s+a\s+joint\s+(?:statement|communiqu\w+|"
    r"declaration|letter|appeal)\s+with\s+(?P<with>[^,;:.]+?)"
    r"(?=\s+(?:on|in|that|last|this|earlier|yesterday|saying)\b|[,;:.]|$)"
)
_PARTNER: Final = re.compile(r"(?:the\s+)?(?P<name>[A-Z][^,]*?)(?=\s*,\s*(?:and\s+)?|\s+and\s+|$)")
_ARTICLE: Final = re.compile(r"(?:the|an?)\s+", re.IGNORECASE)
_BRIEFED_BY: Final = re.compile(r"\bbriefed\s+by\s+(?:the\s+)?")


def joint_with(text: str, after: int, end: int) -> list[tuple[int, int]]:
    """The spans of the partners named right after a speech verb that ends at `after`:
    " in a joint statement with the A, B and the C"; none when the words say no such thing."""
    joint = _JOINT_WITH.match(text, after, end)
    if joint is None:
        return []
    return [
        partner.span("name")
        for partner in _PARTNER.finditer(text, joint.start("with"), joint.end("with"))
        if partner.group("name")
    ][:MAX_PARTNERS]


def cited_source(text: str, basis: tuple[int, int]) -> tuple[int, int] | None:
    """ "citing a local official": the phrase cited, without "citing" and its article; the
    one a cited person was "briefed by", when the words say so."""
    words = text[basis[0] : basis[1]]
    head = words.find(" ")
    if head < 0:
        return None
    start = basis[0] + head + 1
    if (briefed := _BRIEFED_BY.search(text, start, basis[1])) is not None:
        start = briefed.end()  # "citing a relief worker briefed by the local authorities"
    if (article := _ARTICLE.match(text, start, basis[1])) is not None:
        start = article.end()
    return (start, basis[1]) if basis[1] > start else None


_BOTH: Final = re.compile(
    r"(?:both|the\s+two)\s+(?:governments|sides|countries|parties|capitals|armies)", re.IGNORECASE
)
"""Two parties named together by what they are: "both governments said"."""
_TWO_ACTING: Final = re.compile(
    r"\s*(?:[A-Z][^\n]{0,80}?\s[-\u2013\u2014]\s)?"  # a dateline: "CITY, Dec. 1 (Agency) - "
    r"(?P<first>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)\s+[a-z]+(?:ed|ght|ew|ave|ook)\b"
    r"[^;:\"\u201c]*?\s+and\s+(?P<second>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)\s+"
    r"[a-z]+(?:ed|ght|ew|ave|ook)\b"
)
"""What the two did, each the subject of its own verb: "Serbia released 9 detainees and
Kosovo freed three policemen"."""


def both_parties(text: str, start: int, phrase: tuple[int, int]) -> list[tuple[int, int]]:
    """The parties "both governments" (the phrase at `phrase`) names: the two subjects the
    sentence from `start` opens on, when it sets them side by side; none otherwise."""
    if not _BOTH.fullmatch(text, *phrase):
        return []
    acting = _TWO_ACTING.match(text, start, phrase[0])
    return [] if acting is None else [acting.span("first"), acting.span("second")]
