"""Two more ways news English names who said something, read by structure:

- an outlet that quotes someone: "Interfax quoted the governor as saying 12 people died" is
  the governor's claim, relayed by Interfax ("X was quoted by Y as saying" is `speakers.py`'s
  passive, whose relay is the outlet after "by");
- a source's data as the subject: "Figures released by UNICEF show …", "Data from the
  ministry shows …", "UNICEF data show that …" are the claim of whoever the data are."""

import re
from typing import Final

from claimledger_server.extractions.speaker_phrases import phrase_until_boundary, trim
from claimledger_server.extractions.speakers import Found

_QUOTED_AS: Final = re.compile(
    r"\b(?:quoted|quotes|quoting|cited|cites|citing)\s+(?!by\s)(?P<who>[^,;:\"\u201c\u201d]{2,120}?)"
    r"\s+as\s+(?:saying|telling|having\s+said|stating|warning|adding)\b"
)
_BEFORE_QUOTED: Final = re.compile(
    r"(?:^|[,;:]\s*|\s)(?P<outlet>(?:the\s+)?[A-Z][^,;:\"\u201c\u201d]{1,80}?)"
    r"(?:\s*,\s+which)?\s+(?:also\s+)?(?:quoted|quotes|quoting|cited|cites|citing)\s+"
    r"(?:(?:its|their|his|her|the|an?)\s+[\w\s'-]{1,40}?,\s+)?"
    # the speaker's own article: "Interfax quoted the governor as saying"
    r"(?:(?:the|an?)\s+)?$"
)
_SOURCE_DATA: Final = (
    r"(?:figures|data|statistics|numbers|tallies|tally|counts?|estimates|records|reports?|"
    r"surveys?|assessments?|analys[ie]s|lists?|database|toll)"
)
_SHOWN: Final = re.compile(
    r"\s*(?P<subject>(?:[\w'.\u2019-]+\s+){0,8}?" + _SOURCE_DATA + r"(?:\s+[\w'.\u2019-]+){0,6}?)"
    r"\s+(?:show|shows|showed|shown|indicate|indicates|indicated|reveal|reveals|revealed|"
    r"suggest|suggests|put|puts|list|lists|listed|count|counted)\b",
    re.IGNORECASE,
)
_SOURCE_NOUN: Final = re.compile(r"\b" + _SOURCE_DATA + r"\b", re.IGNORECASE)


def quoted_speaker(text: str, start: int, end: int) -> Found | None:
    """ "Interfax quoted Amina Yusuf as saying …": the one quoted speaks."""
    match = _QUOTED_AS.search(text, start, end)
    if match is None:
        return None
    pronoun = _OBJECT_PRONOUNS.get(match.group("who").lower())
    if pronoun is not None:  # "Tasnim quoted him as saying": whom "he" names
        return Found(*match.span("who"), pronoun, match.end())
    phrase = trim(text, *match.span("who"))
    return None if phrase is None else Found(*phrase, None, match.end())


_OBJECT_PRONOUNS: Final = {"him": "he", "her": "she", "them": "they", "it": "it"}


_OUTLETS_PEOPLE: Final = re.compile(
    r"\b(?:reporters?|correspondents?|journalists?|anchors?|presenters?|hosts?|editors?)\b"
)
"""An outlet's people ("the channel's reporter in X quoted …"): not the outlet itself, whose
relay the text names elsewhere."""


def quoting_outlet(text: str, start: int, speaker_start: int) -> tuple[int, int] | None:
    """The outlet that quoted the speaker at `speaker_start` ("Interfax quoted …", "Radio Y,
    which quoted its manager, Z, …")."""
    match = _BEFORE_QUOTED.search(text[start:speaker_start])
    if match is None or _OUTLETS_PEOPLE.search(match.group("outlet")):
        return None
    return trim(text, *(start + i for i in match.span("outlet")))


def shown_by(text: str, start: int, end: int) -> Found | None:
    """ "Figures released by UNICEF show …": the owner of the data a sentence opens on."""
    match = _SHOWN.match(text, start, end)
    if match is None or not _SOURCE_NOUN.search(match.group("subject")):
        return None
    phrase = trim(text, *match.span("subject"))
    if phrase is None or _SOURCE_NOUN.search(text[phrase[0] : phrase[1]]):
        return None  # "The figures show", "hospital records show": whose, no one says
    return Found(*phrase, None, match.end())


_BRACKETED_SOURCE: Final = re.compile(
    r"\(\s*(?P<source>[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,4})\s*\)\s*[.;]?\s*$"
)
_NAME_BEFORE: Final = re.compile(
    r"(?:[A-Z][\w'-]*(?:\s+(?:of|and|for|the|on))*\s+)*[A-Z][\w'-]*\s*$"
)


def source_in_brackets(text: str, start: int, end: int) -> tuple[int, int] | None:
    """ "At least 340 civilians have been killed since January (OHCHR).": a source named in
    brackets at the end of a statement, as situation reports and lists cite them; not the
    acronym of a name just before it ("… Rapid Support Forces (RSF).")."""
    match = _BRACKETED_SOURCE.search(text, start, end)
    if match is None:
        return None
    source = match.group("source")
    named = _NAME_BEFORE.search(text, start, match.start())
    initials = {w[0] for w in named.group().split() if w[:1].isupper()} if named else set()
    if source.isupper() and source[0] in initials:
        return None  # the acronym of the name before it
    return match.span("source")


_GIVEN_BY: Final = re.compile(
    r"\b(?:the\s+)?(?:figure|toll|number|estimate|count|tally)s?\s+(?:was|were|had\s+been|"
    r"has\s+been)\s+(?:given|provided|supplied|released|issued|put\s+out)\s+by\s+"
)


def given_by(text: str, start: int, end: int) -> Found | None:
    """ "… wrongly said the army had given the toll; the figure was given by X": whom a
    sentence says a figure came from, as a correction gives it back to its true speaker."""
    given = _GIVEN_BY.search(text, start, end)
    if given is None:
        return None
    phrase = phrase_until_boundary(text, given.end(), end)
    return None if phrase is None else Found(*phrase, None, phrase[1])
