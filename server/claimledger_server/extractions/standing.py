"""Counts of a state that holds when it is reported, not of what happened: "1.2 million
people remain displaced", "are sheltering in schools", "a school housing 900 people",
"20,000 displaced families", "people who need aid". GUIDELINES.md has such a standing
count's accumulation `unknown`. People still missing are left to the incident they went
missing in."""

import re
from typing import Final

from claimledger_server.text.quantities import Quantity

_STATE: Final = (
    r"(?:(?:internally\s+)?displaced|held(?:\s+prisoner)?|detained|in\s+detention|"
    r"sheltering|sleeping|staying|living|camped|trapped|stranded)"
)
_STATE_AFTER: Final = re.compile(
    r"(?:(?!\band\b)[^,;.\d]){0,40}?\b(?:(?:are|is|remain|remains|remained)\s+"
    r"(?:(?:now|still|already)\s+)?|(?:were|was|had been)\s+(?:now|still|already)\s+|"
    r"(?:now|still|already)\s+)" + _STATE + r"\b"
    r"|(?:(?!\band\b)[^,;.\d]){0,40}?\b(?:were|was)\s+(?:sheltering|sleeping|staying|living)\b"
    r"|(?:(?!\band\b)[^,;.\d]){0,40}?\b(?:need|needs|are\s+in\s+need)\b"
)
"""The count's own predicate, in the present or with "now", "still" or "already": "… are
displaced inside the country", "… were still sheltering in tents", "… already displaced"."""
_HOLDING_BEFORE: Final = re.compile(
    r"\b(?:housing|sheltering|hosting|holding|housed|sheltered|hosted)\s+"
    r"(?:(?:about|around|some|roughly|nearly|almost|more\s+than|over|up\s+to)\s+)?$"
)
"""A place or a party that holds the people counted: "a school housing about 900"."""
_DISPLACED_NOUN: Final = re.compile(r"\s*(?:internally\s+)?displaced\s+[a-z]+")
"""After the count, a standing population: "20,000 internally displaced people"."""
_DISPLACED_OWN: Final = re.compile(r"\bdisplaced\s+[a-z]+$")
"""The count names a standing population: "20,000 displaced families"."""
_RETURN: Final = re.compile(r"\s+(?:to\s+)?(?:return|returned|returning|go\s+home|went\s+home)\b")
"""… unless it counts their going home: "helped 9,000 displaced people return"."""


def standing_count(passage: str, quantity: Quantity) -> bool:
    """Whether the count at `quantity` counts a state that holds when reported."""
    return standing_at(passage, quantity.start, quantity.end)


def standing_at(text: str, start: int, end: int) -> bool:
    """Whether the count at `text[start:end]` counts a state that holds when reported."""
    after = text[end : end + 80]
    own = text[start:end]
    if _STATE_AFTER.match(after):
        return True
    named = _DISPLACED_NOUN.match(after)
    if named is not None or _DISPLACED_OWN.search(own):
        return _RETURN.match(after, named.end() if named else 0) is None
    return bool(_HOLDING_BEFORE.search(text, max(0, start - 40), start))
