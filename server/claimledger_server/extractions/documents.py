"""Figures a document gives, told in sentences of their own.

"X said in a report published on Wednesday" is often followed by the report's contents
without a speaker ("The 46-page report breaks the toll down by region. The north accounted
for 97 killed …; in the east the group recorded 41 dead"): those figures are the report's
author's, not the publisher's. The narration holds through the paragraph and into the next
one only if that opens on the document ("The report …", "Its survey …")."""

import re
from typing import Final

_DOCUMENT: Final = (
    r"(?:report|study|survey|tally|analysis|review|assessment|findings|dossier|audit|census)"
)
_IN_A_DOCUMENT: Final = re.compile(
    rf"\s*(?:on \w+ )?\bin (?:a|an|its|their|the)\s+(?:[\w'-]+\s+){{0,3}}?{_DOCUMENT}\b",
    re.IGNORECASE,
)
"""Words after the speech verb that say it spoke through a document."""
_DOCUMENT_SUBJECT: Final = re.compile(
    rf"(?:The|Its|Their|This)\s+(?:[\w'-]+\s+){{0,3}}?{_DOCUMENT}\b(?!\s+(?:said|says|by)\b)"
)
"""A sentence about the document, opening on it ("The 46-page report, compiled …")."""


class Narration:
    """Who the document being narrated is by, while a text narrates one."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.author: str | None = None
        self.last_end = 0

    def spoke(self, claimant: str | None, after: int, end: int) -> None:
        """A sentence with a speaker: its words after the verb say whether a document
        follows."""
        document = _IN_A_DOCUMENT.match(self.text, after, end)
        self.author = claimant if document is not None else None
        self.last_end = end

    def author_of(self, start: int, end: int) -> str | None:
        """The author a sentence without speaker narrates, if it still does."""
        new_paragraph = "\n\n" in self.text[self.last_end : start]
        if new_paragraph and not _DOCUMENT_SUBJECT.match(self.text, start, end):
            self.author = None  # a new paragraph, not about the document
        self.last_end = end
        return self.author


_RECORDED_BY: Final = re.compile(
    r"\b(?:recorded|documented|counted|tallied|verified|compiled|logged|registered)\s+by\s+"
    r"(?:the\s+)?(?:[a-z][\w-]*\s+){0,3}?"
    r"(?P<name>[A-Z][\w'\u2019.-]*(?:\s+(?:for|of|on|and|the|[A-Z][\w'\u2019.-]*))*)"
)


def recorded_by(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Who a sentence without speaker says recorded its figures ("one of at least 120
    attacks recorded by the monitoring group X"): the figures are that source's."""
    recorded = _RECORDED_BY.search(text, start, end)
    if recorded is None:
        return None
    name_start, name_end = recorded.span("name")
    words = text[name_start:name_end].split()
    while words and words[-1][0].islower():
        words.pop()  # "X and", "X of": no part of the name
    name = " ".join(words).rstrip(".,")
    return (name_start, name_start + len(name)) if name else None
