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


_PAPER: Final = (
    r"(?:letter|filing|indictment|complaint|petition|lawsuit|charge sheet|ruling|verdict|"
    r"judg(?:e)?ment|communiqu[eé]|memorandum|declaration|appeal|document)"
)
"""Papers a party issues or signs: what they say is their issuer's claim."""
_PAPER_SPEAKER: Final = re.compile(
    rf"(?:(?:[Tt]he|[Aa]n?|[Tt]his|[Ii]ts|[Tt]heir)\s+)?(?:[a-z0-9][\w'-]*\s+){{0,2}}?{_PAPER}"
    r"(?:\s+(?:filed|issued|released|published|sent|submitted|lodged)\b.*)?"
    r"|(?:[Tt]he\s+|[Ii]ts\s+|[Tt]heir\s+)?(?:co-)?(?:[Ss]ignatories|[Ss]igners)"
)
"""A paper named without its issuer: no capitalised name before it ("a UNICEF appeal" is
UNICEF's, named)."""
_SIGNED_BY: Final = re.compile(
    rf"\b{_PAPER}\b[^.;]{{0,40}}?\b(?:co-)?(?:signed|endorsed)\s*,?\s*(?:among others\s*,?\s*)?"
    r"by\s+(?:among others\s+)?",
    re.IGNORECASE,
)
_LIST_END: Final = re.compile(r"[.;:\"\u201c\u201d(]|\s(?:who|which|that|to|in|on|calling)\s")
_MEMBER: Final = re.compile(
    r"(?:,\s*(?:and\s+)?|\s+and\s+|^)(?:the\s+)?([A-Z][^,]*?)(?=,|\s+and\s+|$)"
)
"""One signer of a list ("A, B and the C"), without its article."""


def opening_subject(words: int) -> str:
    """The pattern of the subject a sentence opens with, past its dateline ("CITY, Dec 10
    (Agency) - "): a capitalised word and at most `words` more, as the group `subject`."""
    return (
        r"(?:[A-Z][^\n]{0,80}?\s[-\u2013\u2014]\s)?"
        rf"(?P<subject>[A-Z][\w'.-]*(?:\s+[\w'.-]+){{0,{words}}}?)"
    )


_OPENING_SUBJECT: Final = re.compile(
    opening_subject(4) + r"\s+(?:have|has|had|were|was)\s+(?:\w+\s+)?[a-z]+ed\b"
)
"""The subject a sentence opens with, past its dateline ("CITY, Dec 10 (Agency) -
Prosecutors have charged …"), before a verb in the perfect or passive."""


class Papers:
    """Who issued or signed the paper a text cites: what "the letter says", "the filing
    says" or "the signatories said" is theirs, as spans (the first the claimant)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.issuers: list[tuple[int, int]] = []

    def signed(self, start: int, end: int) -> list[tuple[int, int]]:
        """The signers a sentence names ("the open letter, signed among others by A, B and
        C"), who from then on are the paper's issuers."""
        if signers := signatories(self.text, start, end):
            self.issuers = signers
        return signers

    def issuers_of(self, speaker: tuple[int, int], start: int, end: int) -> list[tuple[int, int]]:
        """The issuers of a paper named as a speaker without them: its signers, else, when
        "a"/"an" introduces a new paper, the party the sentence opens with ("Prosecutors
        have charged X, according to an indictment filed on Monday"), else those of the
        paper before. Empty when the speaker is no such paper."""
        text = self.text
        if _PAPER_SPEAKER.fullmatch(text[speaker[0] : speaker[1]].strip()) is None:
            return []
        if self.signed(start, end):
            return self.issuers
        new = re.search(r"\b(?:a|an)\s+$", text[max(0, speaker[0] - 4) : speaker[0]])
        if new or not self.issuers:
            opening = _OPENING_SUBJECT.match(text, start, end)
            self.issuers = [opening.span("subject")] if opening is not None else []
        return self.issuers


def signatories(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Who signed the paper a sentence names: a joint statement of theirs."""
    signed = _SIGNED_BY.search(text, start, end)
    if signed is None:
        return []
    stop = _LIST_END.search(text, signed.end(), end)
    listed = text[signed.end() : stop.start() if stop else end]
    return [
        (signed.end() + m.start(1), signed.end() + m.end(1))
        for m in _MEMBER.finditer(listed)
        if m.group(1).strip()
    ]
