"""Who issued a block the text reproduces, when its sentences name no speaker:

- a source line at its foot ("Source: Medical Directorate, Hope Hospital."), as bulletins,
  tables and fact boxes name whose figures they are: it holds for the paragraph above it;
- a heading that names the issuer in capitals with a bracketed note of where, on what channel
  or when ("ARMY GENERAL STAFF (Facebook, 07:30 local time).", a press review's "THE DAILY
  STAR (Dhaka, independent) led with …"): it holds for its paragraph. A wire dateline
  ("NEW YORK (Reuters) - …") is no such heading: a dash follows its bracket.

- a reader's letter, from its salutation ("Sir, …", "Dear Editor, …") to the signature below
  it ("Ana Ruiz, Port Nira"): it holds for the letter's paragraphs.

A figure the block states without attribution is the issuer's, said on the date the block's
first line gives ("BULLETIN No. 117 - Friday 2 July, 18:00"), if it gives one. A press
review's sections are the papers' editions: what a section reports without a date of its own
was said on the day the review's introduction gives the editions ("led the front pages on
Monday", "Monday's papers"), not on the day the review appeared."""

import re
from datetime import date
from typing import Final, Literal, NamedTuple

from claimledger_server.extractions.sentences import sentences
from claimledger_server.extractions.structure import DAY_MONTH, paragraphs
from claimledger_server.extractions.when import (
    WEEKDAY_NAMES,
    Stated,
    day_of_month,
    weekday_before,
)

_SOURCE_LINE: Final = re.compile(
    r"^[ \t]*[\"\u201c]?Sources?[ \t]*:[ \t]*(?P<name>[^\n\"\u201d]*?[^\s.\"\u201d])"
    r"[ \t.\"\u201d]*$",
    re.MULTILINE,
)
_CAPITAL_WORD: Final = r"[A-Z][A-Z'\u2019.&-]*[A-Z]"
_ISSUER_HEADING: Final = re.compile(
    rf"[\"\u201c]?(?P<name>{_CAPITAL_WORD}(?:[ \t]+{_CAPITAL_WORD})+)[ \t]*\([^()\n]{{1,80}}\)"
    r"(?=[ \t]*[.:,]|[ \t]+[a-z])"
)
"""Two words or more in capitals, a bracketed note, then a full stop, a colon, a comma or the
verb: not a dash, which follows a wire dateline's bracket."""
_OWN_VOICE_NOTE: Final = re.compile(
    r"[ \t]*\(\s*(?:the\s+)?(?:presenter|anchor|anchorwoman|anchorman|host|co-host|newsreader|"
    r"newscaster)\s*\)",
    re.IGNORECASE,
)
"""A heading's note that makes its speaker the outlet's own presenter ("NAME (presenter):"
opening a bulletin's transcript): what they read out unattributed is the outlet's own
reporting, as an article's narration is its publisher's, not an issuer's section."""
SALUTATION: Final = re.compile(r"(?:Sir|Madam|Dear\s+[A-Z][^,\n]{0,40}),\s")
_SIGNATURE: Final = re.compile(
    r"[ \t]*(?P<name>[A-Z][\w'\u2019.-]+(?:[ \t]+[A-Z][\w'\u2019.-]+){1,3})[ \t]*,"
    r"[^\n.!?]{1,120}[ \t]*$"
)
"""A letter's signature: a name, a comma, then who or where the writer is, on a line of its
own with no sentence in it ("Ana Ruiz, director, Lantern Trust, Port Nira")."""
_FIRST_LINE_DATE: Final = re.compile(
    rf"(?<!since )(?<!from )(?<!until )(?<!after )(?<!before )(?<!between )"
    rf"(?:\b(?:{WEEKDAY_NAMES}),?\s+)?\b{DAY_MONTH}"
)
"""The block's own date, not one it counts from ("totals since Feb. 24, 2022")."""
_EDITIONS: Final = r"(?:front[ \t-]+pages|(?:news)?papers|editions|dailies|the\s+press)"
_EDITION_DAY: Final = re.compile(
    rf"\b{_EDITIONS}\b[^.\n]{{0,40}}?\bon\s+(?P<weekday>{WEEKDAY_NAMES})\b"
    rf"|\b(?P<weekday_of>{WEEKDAY_NAMES})['\u2019]s\s+(?:[\w-]+\s+){{0,2}}?{_EDITIONS}\b",
    re.IGNORECASE,
)
"""The day of the editions a press review sums up: "dominated the front pages on Monday",
"Monday's national papers"."""


class Block(NamedTuple):
    start: int
    end: int
    issuer: tuple[int, int]
    """The span of the issuer's name."""
    named_by: Literal["source line", "heading", "signature"]
    """How the block names its issuer: a heading makes it a review's section (whom "the
    paper" and "it" name), a signature a letter (whose "you" is the paper written to)."""
    on: Stated | None
    """The date the block's first line gives, or a review's section the editions' day."""


class Issuers:
    """The blocks of a text that name their issuer, read once."""

    def __init__(self, text: str, published: date | None) -> None:
        self.blocks: list[Block] = []
        edition: Stated | None = None
        """The day of the editions a review's introduction names, for its sections."""
        letter: int | None = None
        """Where the letter being read opens, until its signature."""
        for start, end in paragraphs(text):
            if start == 0:
                continue  # a headline issues nothing
            if SALUTATION.match(text, start, end):
                letter = start
            if letter is not None and (signature := _SIGNATURE.fullmatch(text, start, end)):
                self.blocks.append(Block(letter, start, signature.span("name"), "signature", None))
                letter = None
                continue
            on = _first_line_date(text, start, published)
            if (source := _last_source_line(text, start, end)) is not None:
                self.blocks.append(
                    Block(start, source.start(), source.span("name"), "source line", on)
                )
            elif (
                heading := _ISSUER_HEADING.match(text, start, end)
            ) is not None and not _OWN_VOICE_NOTE.match(text, heading.end("name")):
                # a heading's date is in its own sentence: a later one's is what it reports
                _, heading_end = next(sentences(text[start:end]))
                on = _first_line_date(text, start, published, start + heading_end)
                issuer = heading.span("name")
                self.blocks.append(Block(start, end, issuer, "heading", on or edition))
            elif not self.blocks and published is not None:
                edition = _edition_day(text, start, end, published) or edition

    def at(self, at: int) -> Block | None:
        """The block that holds `at`, if any."""
        return next((b for b in self.blocks if b.start <= at < b.end), None)

    def section_at(self, at: int) -> tuple[int, int] | None:
        """The issuer a heading names for the section that holds `at` (a press review's
        paper): whom "the paper" and "it" name there."""
        block = self.at(at)
        return block.issuer if block is not None and block.named_by == "heading" else None

    def signature_of(self, at: int) -> int | None:
        """Where the signature of the reader's letter that holds `at` starts, if any."""
        block = self.at(at)
        return block.end if block is not None and block.named_by == "signature" else None

    def in_letter(self, at: int) -> bool:
        """Whether `at` lies in a reader's letter."""
        block = self.at(at)
        return block is not None and block.named_by == "signature"


def _edition_day(text: str, start: int, end: int, published: date) -> Stated | None:
    edition = _EDITION_DAY.search(text, start, end)
    if edition is None:
        return None
    weekday = edition.group("weekday") or edition.group("weekday_of")
    return Stated(weekday_before(weekday, published), "day")


def _last_source_line(text: str, start: int, end: int) -> re.Match[str] | None:
    found = list(_SOURCE_LINE.finditer(text, start, end))
    if not found or text[found[-1].end() : end].strip():
        return None  # a source line ends its block
    return found[-1]


def _first_line_date(
    text: str, start: int, published: date | None, stop: int | None = None
) -> Stated | None:
    if published is None:
        return None
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    dated = _FIRST_LINE_DATE.search(text, start, line_end if stop is None else min(stop, line_end))
    return day_of_month(dated.groupdict(), published) if dated is not None else None
