"""Whether a text's headline is a claim of its own.

A headline (the first line, set off by a blank line) repeats what the article attributes,
unless it names who says it ("Houthis say …", "…, governor says": `saying.names_speaker`) or
states a figure as plain fact, the publisher's claim."""

import re
from typing import Final

from claimledger_server.extractions.figures_in_claims import figures_of
from claimledger_server.extractions.saying import names_speaker

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
    if names_speaker(text, 0, end):
        return True
    plain = _PLAIN_HEADLINE.fullmatch(text, 0, end) is not None
    return plain and bool(figures_of(figure_text, 0, end))
