"""Claims a sentence's structure attributes, past the speech patterns of `speakers.py`.

A subject that acts and speaks in one sentence: "The agency launched an appeal on Thursday,
saying 30 million people need aid" is the agency's claim, though its main verb says nothing;
the participle "saying" (or "noting", "arguing", "insisting", "stating") hands what follows
to the sentence's subject. And a headline is a
claim of its own when it names who says it ("Houthis say …", "…, governor says")."""

import re
from typing import Final

from claimledger_server.extractions.documents import opening_subject
from claimledger_server.extractions.speaker_phrases import trim
from claimledger_server.extractions.speakers import Found, find_speaker

_SAYING: Final = re.compile(r",\s+(?:saying|noting|arguing|insisting|stating)\b")
_SUBJECT_AND_VERB: Final = re.compile(
    opening_subject(5)
    # its name in apposition: "The regional relief office, ROCA, gave …"
    + r"(?:\s*,\s*(?P<name>[A-Z][\w'.&-]*(?:\s+[A-Z][\w'.&-]*){0,4})\s*,)?"
    + r"\s+(?:(?:has|have|had)\s+)?(?:[a-z]+ed|gave|made|took|sent|wrote|began|put|held)\b"
)
"""The sentence's subject, and a name in apposition after it, up to a verb in the past."""
_HOW_MANY: Final = re.compile(
    r"(?:\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|"
    r"twenty|thirty|forty|fifty|dozens?|hundreds|several|some|many|more)\b)",
    re.IGNORECASE,
)
"""A subject that says how many spoke, not who."""


def saying_subject(text: str, start: int, end: int) -> Found | None:
    """The subject of a sentence whose clause after ", saying" it speaks, if any."""
    saying = _SAYING.search(text, start, end)
    if saying is None:
        return None
    opening = _SUBJECT_AND_VERB.match(text, start, saying.start())
    if opening is None:
        return None
    if _HOW_MANY.match(text, opening.start("subject")):
        return None  # "Seventeen aid groups called …, saying": who they are comes later
    named = opening.span("name") if opening.group("name") else opening.span("subject")
    phrase = trim(text, *named)
    # what it said is dated by its act too: "gave a lower count in a bulletin on Wednesday, saying"
    return None if phrase is None else Found(*phrase, None, opening.end())


def names_speaker(text: str, start: int, end: int) -> bool:
    """ "Houthis say strike killed 24", "Toll rises to nine, governor says": whether a
    headline names who says it, which makes it their claim (a pronoun names nobody)."""
    found = find_speaker(text, start, end)
    return found is not None and found.pronoun is None
