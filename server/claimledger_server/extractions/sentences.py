"""Sentences: where one ends in news text. A full stop that is no abbreviation ("U.N.",
"Dec.", "Lt. Col.") followed by a capital or a quote, a blank line, a line break before a
capital, and each line of a list or numbers box (`boxes.py`). The platform X is no initial:
"… in a post on X. The office said …" ends a sentence."""

import re
from collections.abc import Iterator

from claimledger_server.extractions.boxes import LIST_ITEM_START

_SENTENCE_END = re.compile(
    r"[.!?][\"'\u201d\u2019)\]]*(?=\s)|\n\s*\n|\n(?=[A-Z\"\u201c])|" + LIST_ITEM_START
)
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mr|Mrs|Ms|Dr|Gen|Lt|"
    r"Col|Maj|Sgt|Capt|St|No|Rep|Sen|Gov|Adm|Brig|Prof|vs|etc|approx|"
    # titles in capitals, as a transcript's labels write them ("DR. ADA OKAFOR:")
    r"DR|MR|MRS|MS|GEN|LT|COL|MAJ|SGT|CAPT|PROF|ADM|BRIG))\.$"
)
_ON_X = re.compile(r"\b(?:on|to|via)\s+X\.$")
"""The platform X after the preposition that posts go on ("wrote on X."): a name, not an
initial before a surname."""


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence: a full stop that is no abbreviation ("U.N.", "Dec.")
    and is followed by a capital, a quote or a new paragraph; a blank line; a line break."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        stop = match.end()
        if text[match.start()] == ".":
            if _ABBREVIATION.search(
                text, max(0, match.start() - 6), match.start() + 1
            ) and not _ON_X.search(text, max(0, match.start() - 6), match.start() + 1):
                rest = text[stop : stop + 3].lstrip()
                if not rest or not rest[0].isupper() or "\n" not in text[stop : stop + 2]:
                    continue
            following = text[stop:].lstrip()[:1]
            if following and (following.islower() or following.isdigit()):
                continue
        if text[start:stop].strip():
            yield start, stop
        start = stop
    if text[start:].strip():
        yield start, len(text)
