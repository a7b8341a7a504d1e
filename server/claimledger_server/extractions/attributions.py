"""Attributions that work as "according to" does, in the words newsletters and briefs use:
"…, per the health ministry", "in the words of its spokesman, X", "as stated by the U.N.
refugee agency at a briefing on Friday", "as reported by the monitor". The source named
after them is the claimant; the words after its name may say when it spoke.

"per" counts as much as it attributes ("10 per 1,000", "per day", "per cent"): it names a
source only before an article or a capitalised name."""

import re
from typing import Final

from claimledger_server.extractions.names import appositive_name
from claimledger_server.extractions.speaker_phrases import phrase_until_boundary
from claimledger_server.extractions.speakers import Found

_MARKER: Final = re.compile(
    r"(?:^|(?<=[\s,;(\u2014-]))(?:[Pp]er\s+(?=(?:the|a|an|its|their)\s|[A-Z])"
    r"|[Ii]n\s+the\s+words\s+of\s+"
    r"|[Aa]s\s+(?:stated|reported|announced|noted|confirmed|estimated|counted)\s+by\s+)"
)


def marked_source(text: str, start: int, end: int) -> Found | None:
    """The source a sentence names after "per", "in the words of" or "as stated by"; None
    when it has no such marker."""
    marker = _MARKER.search(text, start, end)
    if marker is None:
        return None
    phrase = phrase_until_boundary(text, marker.end(), end)
    if phrase is None:
        return None
    if (named := appositive_name(text, phrase[1], end)) is not None:
        return Found(*named, None, named[1], described=phrase)  # "its spokesman, X"
    after = phrase[1]
    if (acronym := _ACRONYM_AFTER.match(text, after, end)) is not None:
        after = acronym.end()  # "the U.N. refugee agency, UNHCR, at a briefing": its date next
    return Found(*phrase, None, after)


_ACRONYM_AFTER: Final = re.compile(r"\s*,\s*[A-Z][A-Za-z.&-]{1,15}\s*,(?=\s*(?:at|in|on|during)\s)")
"""A name's short form set off by commas after it: no part of what follows."""


_DATA: Final = r"(?i:count|tally|figures|data|statistics|estimates?|numbers|records|survey)"
_COUNTED_BY: Final = re.compile(
    rf"\s*(?:(?:[Aa]n?|[Tt]he|[Ii]ts|[Tt]heir)\s+)?(?:(?:new|latest|own|official|"
    rf"updated|separate)\s+)?{_DATA}\s+(?:(?:released|compiled|kept|published|issued|gathered|"
    r"collected)\s+)?by\s+(?:the\s+(?=[a-z]*[A-Za-z])|(?=[A-Z]))"
)
"""A count or figures named by whose they are, opening the sentence or its last clause: "A
count by the X shows …", "Figures released by X on Monday show …", "…, a tally by X
shows"."""
_SHOWS: Final = re.compile(
    r"\b(?:shows?|showed|puts?|finds?|found|suggests?|indicates?|records?|recorded|lists?|"
    r"listed|counts?|counted|estimates?|estimated|reveals?|revealed|stands?\s+at|stood\s+at)\b"
)
_NAME_END: Final = re.compile(
    r"\s+of\s+(?!the\s+[A-Z]|[A-Z])|\s+(?:on|in|last|this|earlier|since|as)\s|[,;:(\"\u201c]"
)
"""Where the name of a count's owner ends: "the X of local reports", "X on Monday", "X, a
rights group,"."""


def counted_by(text: str, start: int, end: int) -> Found | None:
    """The owner of a count a sentence names ("A count by the X, a rights group, shows 40
    people held"), when a verb of showing follows within the clause; the words after the
    name may date it ("Figures released by X on Monday show")."""
    opening = _COUNTED_BY.match(text, start, end) or next(
        (m for m in _COUNTED_BY.finditer(text, start, end) if text[m.start() - 1] == ","), None
    )  # the sentence's opening, or its last clause's: "…, a tally by X shows"
    if opening is None:
        return None
    shows = _SHOWS.search(text, opening.end(), min(end, opening.end() + 160))
    if shows is None:
        return None
    stop = _NAME_END.search(text, opening.end(), shows.start())
    name_end = stop.start() if stop else shows.start()
    name = text[opening.end() : name_end].rstrip()
    if not name or (not name[0].isupper() and not text[: opening.end()].endswith("the ")):
        return None  # "by the provincial police", "by UNICEF"; not "by phone"
    return Found(opening.end(), opening.end() + len(name), None, opening.end() + len(name))


_ON_BEHALF: Final = re.compile(
    r"\b(?:speaking|who\s+spoke|spoke)\s+(?:also\s+)?(?:on\s+behalf|in\s+the\s+name)\s+of\s+"
    r"(?:also\s+)?(?P<list>[^;:\"\u201c\u201d]+?)\s*(?:,|$)"
)
"""A delegate who speaks for others too: "The delegate of A, speaking also on behalf of B
and C, said" is a joint statement of A, B and C."""
_LIST_PART: Final = re.compile(r"(?:the\s+)?([A-Z][^,]*?)(?=\s*,\s*(?:and\s+)?|\s+and\s+|$)")


def spoken_for(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The parties a speaker speaks for besides itself, named between it and its verb."""
    behalf = _ON_BEHALF.search(text, start, end)
    if behalf is None:
        return []
    listed = text[behalf.start("list") : behalf.end("list")]
    return [
        (behalf.start("list") + m.start(1), behalf.start("list") + m.end(1))
        for m in _LIST_PART.finditer(listed)
    ]
