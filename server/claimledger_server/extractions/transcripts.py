"""Transcripts: paragraphs that open on a speaker's name in capitals ("OKAFOR: …").

A statement reproduced as a transcript names no speaker in its sentences: every sentence of
a paragraph so labelled is the labelled speaker's, whom the text names in full before
("its spokesman, Ada Okafor"), or whom a label of a full name names itself ("DR. ADA
OKAFOR:"). A label of a role ("REPORTER:", "HOST:") is left to the other rules."""

import re
from typing import Final, NamedTuple

from claimledger_server.extractions.sentences import sentences

_LABEL: Final = re.compile(
    r"[ \t]*(?:(?:DR|MR|MRS|MS|PROF|GEN|COL|CAPT|LT|MAJ|SGT)\.?[ \t]+)?"
    r"(?P<label>[A-Z][A-Z'\u2019-]+(?:[ \t]+[A-Z][A-Z'\u2019-]+){0,2})[ \t]*:[ \t]"
)
_NO_NAMES: Final = frozenset(
    {
        *("HOST", "REPORTER", "INTERVIEWER", "MODERATOR", "ANCHOR", "QUESTION", "ANSWER"),
        *("CLAIM", "VERDICT", "NOTE", "UPDATE", "EDITOR", "CORRECTION", "SOURCE", "Q", "A"),
        *("CORRESPONDENT", "PRESENTER", "NARRATOR", "AUDIENCE", "CALLER", "UPDATED", "FACT"),
    }
)
"""Labels of a role in an exchange, no one's name."""
_PARTICLES: Final = frozenset({"al", "el", "bin", "ibn", "de", "van", "von", "abu"})


class Labelled(NamedTuple):
    speaker: tuple[int, int]
    """Where the text names, before the label, the labelled paragraph's speaker."""
    occasion: tuple[int, int] | None
    """The sentence that introduces them, up to their name ("Below is a transcript of
    Wednesday's briefing by Colonel X"): what dates every answer of the transcript, as the
    occasion dates an interview."""


def labelled(text: str, start: int) -> Labelled | None:
    """The speaker of the labelled paragraph that holds `start`; None outside such a
    paragraph or when no name before matches it."""
    found = _labelled(text, start)
    if found is None:
        return None
    named = found[1]
    if named is None:
        return Labelled(found[0], None)
    line = text.rfind("\n", 0, named) + 1
    # the sentence that names them, past the full stops of abbreviations ("at U.N. offices")
    opening = line + max((begun for begun, _ in sentences(text[line:named])), default=0)
    return Labelled(found[0], (opening, named))


_TOLD_US: Final = re.compile(
    r"\s+(?:(?:have|has|had)\s+)?(?:tell|tells|told|inform|informs|informed|report|reports|"
    r"reported)\s+(?:to\s+)?us\b"
)


def cited_to_us(text: str, speaker_end: int) -> bool:
    """ "Our partners tell us that …", "The ministry has informed us": a labelled speaker
    passing on what others told them and their body ("us") keeps the claim, as a person who
    cites keeps it; the ones they cite are its basis."""
    return _TOLD_US.match(text, speaker_end) is not None


def _labelled(text: str, start: int) -> tuple[tuple[int, int], int | None] | None:
    """The labelled speaker's span and where the text named them before the label."""
    paragraph = text.rfind("\n", 0, start) + 1
    label = _LABEL.match(text, paragraph)
    if label is None or paragraph == 0:  # a headline is no transcript
        return None
    surname = label.group("label").split()[-1]
    found = None
    for match in re.finditer(r"\b" + re.escape(surname) + r"\b", text[:paragraph], re.I):
        if not match.group().isupper():
            found = match  # the name as written in the text, the latest before the label
    if found is None:
        # a label of two or three words that is no role names its speaker itself
        words = label.group("label").split()
        if 2 <= len(words) <= 3 and not set(words) & _NO_NAMES:
            return label.span("label"), None
        return None
    first = found.start()
    while (before := re.search(r"([\w'\u2019-]+)\s+$", text[:first])) is not None:
        word = before.group(1)
        if not (word[:1].isupper() or word.lower() in _PARTICLES):
            break
        first = before.start(1)
    return (first, found.end()), found.start()


_OPENING_QUOTES: Final = ('"', "\u201c")
_CLOSING_QUOTE: Final = re.compile(r"[\"\u201d]")
_SENTENCE_STOP: Final = re.compile(r"[.!?](?=\s|$)|\n")
MAX_QUOTE_CHARS: Final = 1_500
"""How far a quotation is followed to the words that attribute it."""


def quote_attribution_end(text: str, start: int, end: int) -> int | None:
    """A sentence that opens a quotation it does not close ('"The convoy had 40 men. Not
    many came back," the official said'): where the sentence that closes the quotation, and
    says whose words they are, ends; None when the sentence `text[start:end]` is no such
    opening or the quotation ends its paragraph without attribution."""
    if not text.startswith(_OPENING_QUOTES, start) or _CLOSING_QUOTE.search(text, start + 1, end):
        return None
    limit = min(len(text), end + MAX_QUOTE_CHARS)
    paragraph = text.find("\n", end, limit)
    close = _CLOSING_QUOTE.search(text, end, paragraph if paragraph >= 0 else limit)
    if close is None:
        return None
    stop = _SENTENCE_STOP.search(text, close.end() + 1, limit)
    return stop.end() if stop else limit


MAX_BLOCK_CHARS: Final = 8_000
"""How far a statement quoted over several paragraphs is followed."""
_PARAGRAPH_END: Final = re.compile(r"[ \t]*(?:\n[ \t]*\n|$)")


def quoted_paragraph_end(text: str, start: int, end: int) -> int | None:
    """A sentence that opens a quotation which runs on, over lines of its own, to the end of
    its paragraph with no words saying whose it is (a statement reproduced as issued, its
    numbered items and all): where the quotation closes. Its sentences are one speaker's,
    whoever the first is given to; None when `text[start:end]` opens no such quotation."""
    if not text.startswith(_OPENING_QUOTES, start) or _CLOSING_QUOTE.search(text, start + 1, end):
        return None
    paragraph = text.find("\n\n", end, min(len(text), end + MAX_BLOCK_CHARS))
    close = _CLOSING_QUOTE.search(text, end, len(text) if paragraph < 0 else paragraph)
    if close is None or not _PARAGRAPH_END.match(text, close.end()):
        return None
    return close.end()


def open_quotation(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A sentence inside a statement quoted whole over several paragraphs (a quotation mark
    opens an earlier paragraph, and none stands between it and the sentence), as a statement
    reproduced under its heading is: where the quotation opens and where it closes, at a
    paragraph's end. Its sentences are the speaker's the sentence at `start` names; None
    outside such a quotation."""
    floor = max(0, start - MAX_BLOCK_CHARS)
    opening = max(text.rfind(quote, floor, start) for quote in _OPENING_QUOTES)
    if opening < 0 or "\n\n" not in text[opening:start]:
        return None
    if _CLOSING_QUOTE.search(text, opening + 1, end) or not text[:opening].endswith("\n"):
        return None  # the quotation closed before, or its mark opens no paragraph
    close = _CLOSING_QUOTE.search(text, end, min(len(text), end + MAX_BLOCK_CHARS))
    if close is None or not _PARAGRAPH_END.match(text, close.end()):
        return None
    return opening, close.end()


def quoted_block_end(text: str, intro_end: int) -> int | None:
    """Where a statement quoted at length ends, when the sentence ending at `intro_end`
    introduces one ('the group said:' and paragraphs that each open on a quotation mark,
    the last one closing it, as news English quotes a statement); None when none follows."""
    if not text[:intro_end].rstrip().endswith(":"):
        return None
    pos, end, limit = intro_end, None, min(len(text), intro_end + MAX_BLOCK_CHARS)
    while pos < limit:
        opening = len(text[pos:]) - len(text[pos:].lstrip())
        if not text.startswith(_OPENING_QUOTES, pos + opening):
            break
        paragraph_end = text.find("\n\n", pos + opening)
        end = paragraph_end if paragraph_end >= 0 else len(text)
        if text[pos:end].rstrip().endswith(('"', "\u201d")):
            break  # the paragraph that closes the quotation ends it
        pos = end
    return end
