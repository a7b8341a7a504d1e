"""A reader's letter on what the paper printed: "Your report of Nov. 3 ("Floods hit the
valley") put the toll at 40, citing the police." The paper (the letter's "your report") said
it, on the report's own date, and what it printed citing someone is that someone's claim;
the paper is the publisher, so it relays nothing (`claimants.py`). A writer who signs for a
body ("Ana Ruiz, director, Lantern Trust, Kora") speaks for it as "our trust"."""

import re
from typing import Final

from claimledger_server.extractions.issuers import SALUTATION
from claimledger_server.extractions.speakers import Found, citing_basis

_PAPERS_OWN: Final = re.compile(
    rf"(?:{SALUTATION.pattern})?(?:In\s+)?"
    r"(?P<subject>[Yy]our\s+(?:[\w-]+\s+){0,2}?"
    r"(?:report|article|story|editorial|coverage|correspondent|reporter))\b"
    # what or when it was: "of Nov. 3", "on the floods"; then its headline in brackets
    r"(?:\s+(?:of|on|from|about)\s+[^(),;:\"\u201c]{1,60}?)*(?:\s*\([^()]{1,160}\))?"
    r"\s+(?P<verb>put|puts|gave|gives|said|says|reported|reports|wrote|writes|stated|claimed)\b"
)
"""The paper's piece as the subject of a verb of saying, its salutation before it."""


def papers_own_report(text: str, start: int, end: int) -> Found | None:
    """The letter's "your report" when the sentence `text[start:end]` makes it the speaker,
    with the "citing Y" its words rest on."""
    said = _PAPERS_OWN.match(text, start, end)
    if said is None:
        return None
    basis = citing_basis(text, said.end("verb"), end)
    return Found(*said.span("subject"), None, said.end("verb"), basis)


_OURS: Final = re.compile(r"[Oo]ur\s+(?P<head>[a-z]+)\b")
_SIGNATURE_PART: Final = re.compile(r"[^,\n]+")


def writers_body(text: str, phrase: tuple[int, int], signature: int) -> tuple[int, int] | None:
    """The body the letter's signature line (from `signature`) names that the speaker phrase
    "our network" ("Our network's field teams estimate") speaks of, if any."""
    ours = _OURS.match(text, *phrase)
    if ours is None:
        return None
    for part in _SIGNATURE_PART.finditer(text, signature):
        words = part.group().split()
        if words and words[0][:1].isupper() and words[-1].lower() == ours.group("head"):
            first = part.start() + len(part.group()) - len(part.group().lstrip())
            return first, part.start() + len(part.group().rstrip())
        if text.startswith("\n", part.end()):
            break  # the signature is one line
    return None
