"""Figures a document gives, told in sentences of their own.

"X said in a report published on Wednesday" is often followed by the report's contents
without a speaker ("The 46-page report breaks the toll down by region. The north accounted
for 97 killed …; in the east the group recorded 41 dead"): those figures are the report's
author's, not the publisher's. The narration holds through the paragraph and into the next
one only if that opens on the document ("The report …", "Its survey …")."""

import re
from typing import Final

from claimledger_server.extractions.when import DATE_PHRASE

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


_NAMES_SIGNERS: Final = re.compile(r"\b(?:led|headed|spearheaded|signed|endorsed)\b")
_LED_BY: Final = re.compile(
    rf"\b(?:joint\s+)?{_PAPER}\b[^.;]{{0,120}}?,\s*(?:led|headed|spearheaded)\s+by\s+",
    re.IGNORECASE,
)
"""A paper's signers named by who led them: "In a joint letter, 19 groups, led by A and B,
called for …" is A's and B's."""


class Papers:
    """Who issued or signed the paper a text cites: what "the letter says", "the filing
    says" or "the signatories said" is theirs, as spans (the first the claimant). Whoever
    the text says signed or led it, before or after, is among its signatories."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.issuers: list[tuple[int, int]] = []
        self.all_signers: list[tuple[int, int]] = []
        self.dated: tuple[int, int] | None = None
        """The sentence that names the paper's signers and its date, if one does."""
        named = _NAMES_SIGNERS.search(text) is not None  # most texts cite no signed paper
        for found in (*_LED_BY.finditer(text), *_SIGNED_BY.finditer(text)) if named else ():
            sentence_end = _SENTENCE_END.search(text, found.end())
            end = sentence_end.start() if sentence_end else len(text)
            signers = _listed(text, found.end(), end)
            self.all_signers += [s for s in signers if s not in self.all_signers]
            at = found.start()
            start = max(text.rfind(". ", 0, at) + 2, text.rfind("\n", 0, at) + 1)
            if self.dated is None and DATE_PHRASE.search(text, start, end):
                self.dated = (start, end)
        self.all_signers.sort()

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
        if not self.issuers and _SIGNATORIES.fullmatch(text[speaker[0] : speaker[1]].strip()):
            self.issuers = list(self.all_signers)  # "the signatories wrote": all who signed
        return self.issuers


def signatories(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Who signed the paper a sentence names: a joint statement of theirs."""
    signed = _SIGNED_BY.search(text, start, end)
    return [] if signed is None else _listed(text, signed.end(), end)


_LEADERS: Final = re.compile(r"(?:led|headed|spearheaded)\s+by\s+(?:the\s+)?")


def leaders(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """ "led by A and B": the speakers a phrase names by who led them (a group that says
    how many it is, "19 groups, led by A and B, said", speaks as A and B)."""
    led = _LEADERS.match(text, start, end)
    return [] if led is None else _listed(text, led.end(), end)


def _listed(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The names of the list at `start` ("A, B and the C"), each without its acronym."""
    # a member's acronym in brackets ("A (LMDC) and B") is blanked, keeping every offset
    blanked = _ACRONYM.sub(lambda m: " " * len(m.group()), text[start:end])
    stop = _LIST_END.search(blanked)
    listed = blanked[: stop.start() if stop else len(blanked)]
    return [
        (start + m.start(1), start + m.start(1) + len(m.group(1).rstrip()))
        for m in _MEMBER.finditer(listed)
        if m.group(1).strip()
    ]


_ACRONYM: Final = re.compile(r"\([A-Z][A-Za-z.&-]{1,15}\)")
_SIGNATORIES: Final = re.compile(
    r"(?:[Tt]he\s+|[Ii]ts\s+|[Tt]heir\s+)?(?:co-)?(?:[Ss]ignatories|[Ss]igners)"
)
_SENTENCE_END: Final = re.compile(r"[.!?](?=\s)|\n")
