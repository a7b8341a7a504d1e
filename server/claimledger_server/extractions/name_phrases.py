"""Three shapes of ordinary news English that decide whose a speaker phrase is, for
`speakers.py` and `claimants.py`:

- "according to the Red Cross, whose spokesman said …": the one whose spokesman speaks,
  speaks (a spokesman speaks for the body, as the guidelines' "X's spokesman" does);
- "the Regional Support and Stability Force (RSSF) said": a name with "and" inside it,
  followed by its acronym, is one name, not two bodies speaking jointly;
- "the minister renewed calls for …", "the group repeated claims that …": a plural noun
  right after a verb in the past is that verb's object, not a verb of saying."""

import re
from typing import Final

from claimledger_server.extractions.speaker_phrases import trim

_WHOSE: Final = re.compile(
    r"\s*whose\s+(?:(?:chief|main|own|senior|military|official)\s+)?"
    r"(?:spokes(?:man|woman|person)|representative|director|head|chief|coordinator|"
    r"president|chairman|chairwoman|secretary|commander|leader)\b"
)
"""Whose mouthpiece speaks: "whose spokesman", "whose director"."""
_OWNER_START: Final = re.compile(
    r"(?:\baccording\s+to|\bby|\bfrom|[,;:(\u2014]|\s[-\u2013]\s)\s*(?:the\s+)?", re.IGNORECASE
)


def whose_owner(text: str, start: int, phrase: tuple[int, int]) -> tuple[int, int] | None:
    """The antecedent of "whose spokesman" when the speaker phrase `phrase` is that ("…,
    according to the Red Cross, whose spokesman said …": the Red Cross), else None."""
    if not _WHOSE.match(text, phrase[0], phrase[1]):
        return None
    comma = text.rfind(",", start, phrase[0])
    if comma < 0 or text[comma + 1 : phrase[0]].strip():
        return None
    boundary = start
    for found in _OWNER_START.finditer(text, start, comma):
        boundary = found.end()
    return trim(text, boundary, comma)


_ACRONYM_AFTER: Final = re.compile(r"\s*\((?P<acronym>[A-Z][A-Za-z.&-]{1,15})\)")


def one_name_with_acronym(text: str, first: int, last: int) -> bool:
    """Whether `text[first:last]`, followed by an acronym in brackets, is one name: its
    words after "and" take no article ("… Support and Stability Force (RSSF)", but not "the
    army and the Stability Force (RSSF)"), and the acronym begins as the name does."""
    acronym = _ACRONYM_AFTER.match(text, last)
    phrase = text[first:last]
    if acronym is None or " and " not in phrase:
        return False
    if re.search(r"\band\s+(?:the|an?|its|their)\s", phrase):
        return False
    words = [w for w in re.sub(r"^(?:[Tt]he)\s+", "", phrase).split() if w[:1].isupper()]
    return bool(words) and words[0][0] == acronym.group("acronym")[0]


_PAST_BEFORE: Final = re.compile(
    r"(?<![\w-])(?P<aux>(?:was|were|been|being|is|are|has|have|had)\s+)?"
    r"(?:[a-z]+ed|made|gave|issued|took|sent|repeated|echoed)\s+$"
)


_ALSO_NOUNS: Final = frozenset(
    {"calls", "claims", "reports", "estimates", "appeals", "demands", "pledges", "promises",
     "threats", "warnings", "accusations", "denials", "statements", "comments", "remarks"}
)  # fmt: skip
"""Forms of verbs of saying that are plural nouns too; "says" and "adds" are verbs only."""


def object_of_past_verb(text: str, start: int, verb: re.Match[str]) -> bool:
    """Whether the speech-verb form `verb` is a plural noun after a verb in the past ("the
    minister renewed calls for", "the army dismissed claims that"), not a verb itself."""
    if verb.group().split()[0].lower() not in _ALSO_NOUNS:  # "calls for"
        return False
    before = _PAST_BEFORE.search(text, max(start, verb.start() - 40), verb.start())
    return before is not None and before.group("aux") is None


_ITS_DOCUMENT: Final = re.compile(
    r"(?:its|their)\s+(?:[\w-]+\s+){0,2}?(?:report|statement|bulletin|update|count|tally|"
    r"review|assessment|findings)\b"
)
"""A speaker named by its own document: "according to its weekly report"."""
_BODY_BEFORE: Final = re.compile(
    r"\bthe\s+(?P<body>(?:[a-z-]+\s+){0,3}?(?:mission|team|group|agency|office|ministry|"
    r"monitors?|monitor|observatory|network|committee|commission|council|coalition|"
    r"organi[sz]ation|tracker|project))\b"
)
"""A body the sentence names by what it is ("the monitoring mission")."""


def documents_owner(text: str, start: int, phrase: tuple[int, int]) -> tuple[int, int] | None:
    """Whose document "its report" (the speaker phrase `phrase`) is: the body the sentence
    from `start` named last before it ("… were logged by the monitoring network, according to
    its monthly bulletin"), else None."""
    if not _ITS_DOCUMENT.fullmatch(text, *phrase):
        return None
    bodies = [body.span("body") for body in _BODY_BEFORE.finditer(text, start, phrase[0])]
    return bodies[-1] if bodies else None
