"""Whether a text's headline is a claim of its own.

A headline (the first line, set off by a blank line) repeats what the article attributes,
unless it names who says it ("Houthis say …", "…, governor says": `saying.names_speaker`) or
states a figure as plain fact, the publisher's claim. A headline's last clause may blame
someone, dispute a toll or, after a semicolon, say something in a speaker's own voice
("Market bombed, police blame rebels", "…; Moscow rejects figures", "…; army says rescue
under way"): that clause is the speaker's claim, the rest the headline's own."""

import re
from typing import Final

from claimledger_server.extractions.figures_in_claims import figures_of
from claimledger_server.extractions.saying import names_speaker
from claimledger_server.extractions.speakers import Found

_HEADLINE: Final = re.compile(r"\s*[^\n]*[^.!?\"\u201d\s]\s*\n\s*\n\s*\S")
_PLAIN_HEADLINE: Final = re.compile(
    r"(?![^\n]*\b(?:not|no|No|NOT|n't|says?|SAYS?|said|SAID|claims?|CLAIMS?|[Ww]hat|WHAT)\b)"
    r"[^\n]*\s*"
)
"""A headline that states a figure as fact: no negation ("No, 500 were not killed"), no
speaker in any case ("… SAYS MAYOR"), no question it answers ("what the toll shows")."""


def opens_on_headline(text: str) -> bool:
    """Whether `text` opens on a headline: a line without a full stop, then a blank line."""
    return _HEADLINE.match(text) is not None


def headline_is_claim(text: str, figure_text: str, end: int) -> bool:
    """Whether the headline ending at `end` is a claim: one that says who said it, or that
    states a figure as plain fact (the publisher's); otherwise it repeats what the article
    attributes. `figure_text` is `text` as figures are read from it (`boxes.for_figures`)."""
    if names_speaker(text, 0, end) or blaming_clause(text, end) is not None:
        return True
    plain = _PLAIN_HEADLINE.fullmatch(text, 0, end) is not None
    return plain and bool(figures_of(figure_text, 0, end))


_BLAMING_CLAUSE: Final = re.compile(
    r"[,;]\s+(?P<who>[A-Za-z][\w'-]*(?:\s+[\w'-]+){0,2}?)\s+(?:blames?|accuses?|"
    r"(?:disputes?|rejects?|denies|deny|contests?|questions?)(?=\s+(?:the\s+)?(?:toll|figures?|"
    r"count|claims?|reports?|account)\b))\s+(?=\S)"
)
"""A headline's last clause in which someone blames another or disputes a toll: ", police
blame rebels", "; Moscow rejects figures"."""
_SAYING_CLAUSE: Final = re.compile(
    r";\s+(?P<who>[A-Za-z][\w'-]*(?:\s+[\w'-]+){0,2}?)\s+(?:says?|claims?)\s+(?=\S)"
)
"""A headline's last clause, after a semicolon, in which someone says something of their own
("Floods kill 12 in Varno; army says rescue under way"): what comes before it is the
headline's own, not what that speaker says ("…, army says" at the end would be)."""


def blaming_clause(text: str, end: int) -> tuple[int, Found] | None:
    """Where the headline ending at `end` passes to a speaker who blames someone, and who
    that speaker is; None when the headline has no such clause."""
    if not opens_on_headline(text):
        return None
    clauses = sorted(
        [*_BLAMING_CLAUSE.finditer(text, 0, end), *_SAYING_CLAUSE.finditer(text, 0, end)],
        key=lambda clause: clause.start(),
    )
    if not clauses:
        return None
    last = clauses[-1]  # the headline's last clause
    return last.start() + 1, Found(*last.span("who"), None, last.end("who"))
