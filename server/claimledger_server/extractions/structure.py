"""What a text's layout says about when, and by whom, its sentences were said.

- Dated entries: a diary, a log or a chronology sets a date at the head of each entry, on a
  line of its own ("Tuesday, March 4" and the entry below it) or before a dash ("Oct. 2 -
  The army says …"). What a speaker says in an entry was said on the entry's date, unless
  the sentence gives a date of its own.
- A record's occasion: minutes or a summary of a sitting, a meeting or a briefing, or the
  reproduction of a day's tallies, introduced as such ("excerpts from the minutes of the 4
  March sitting", "The following summarises Tuesday's briefing", "X reproduces both of
  Wednesday's tallies"), report speech made at that occasion: it dates every statement that
  follows and gives no date of its own, as a transcript's occasion dates its answers.
- A document's author: a diary or a letter the text says someone kept or wrote ("X, a
  nurse, kept this diary") speaks in the first person; a figure its entries state without
  attribution ("We admitted 30 wounded") is the author's, not the publisher's.

Who issued a block the text reproduces (a bulletin's source line, a heading in capitals, a
letter's signature) is `issuers.py`'s business."""

import re
from datetime import date
from typing import Final, NamedTuple

from claimledger_server.extractions.when import (
    MONTH_NAMES,
    WEEKDAY_NAMES,
    Stated,
    day_of_month,
    weekday_before,
)

_MONTH: Final = f"(?:{MONTH_NAMES})"
_WEEKDAY: Final = f"(?:{WEEKDAY_NAMES})"
DAY_MONTH: Final = (
    rf"(?:(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month2>{_MONTH})\.?)"
    r"(?:,?\s+(?P<year>(?:19|20)\d{2}))?"
)
"""A day of a month, either way round, perhaps with its year ("Dec. 19", "2 July 2027")."""
_HEADING_LINE: Final = re.compile(rf"[ \t]*(?:{_WEEKDAY},?[ \t]+)?{DAY_MONTH}[ \t]*:?[ \t]*(?=\n)")
"""A line that is a date and nothing else: an entry's heading."""
_HEADING_DASH: Final = re.compile(
    rf"[ \t]*(?:{_WEEKDAY},?[ \t]+)?{DAY_MONTH}[ \t]*[-\u2013\u2014:][ \t]+"
)
"""An entry that opens on its date before a dash: "Oct. 2 - The army says …"."""
_PARAGRAPH_BREAK: Final = re.compile(r"\n[ \t]*\n")
_PLACE_AND_DATE_LINE: Final = re.compile(
    rf"^[ \t]*[A-Z][\w'\u2019. -]{{0,40}},[ \t]+(?:{_WEEKDAY},?[ \t]+)?{DAY_MONTH}[ \t.]*$",
    re.MULTILINE,
)
"""A document's own place and date on a line of their own ("Port Nira, 3 March 2027"), as a
statement or a letter is headed."""


def own_date_line(text: str, start: int, end: int, published: date) -> Stated | None:
    """The date a document reproduced in `text[start:end]` gives itself on a line of place and
    date, if it gives one: when its statements were made."""
    line = _PLACE_AND_DATE_LINE.search(text, start, end)
    return day_of_month(line.groupdict(), published) if line is not None else None


class Entry(NamedTuple):
    start: int
    end: int
    on: Stated


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: the text between blank lines."""
    spans, start = [], 0
    for gap in _PARAGRAPH_BREAK.finditer(text):
        spans.append((start, gap.start()))
        start = gap.end()
    return [*spans, (start, len(text))]


def dated_entries(text: str, published: date) -> list[Entry]:
    """The entries a text sets under dates, each as the span its date holds for: the
    paragraph it heads, and the next one when the date stands alone. A text with
    fewer than two such headings has no entries (one date opening a paragraph is a
    dateline or an aside, not a layout)."""
    spans = paragraphs(text)
    entries: list[Entry] = []
    for index, (start, end) in enumerate(spans):
        if start == 0:
            continue  # a headline is no entry
        heading = _HEADING_LINE.match(text, start, end + 1) or _HEADING_DASH.match(text, start, end)
        if heading is None or (on := day_of_month(heading.groupdict(), published)) is None:
            continue
        if not text[heading.end() : end].strip() and index + 1 < len(spans):
            end = spans[index + 1][1]  # the date stands alone: the next paragraph
        entries.append(Entry(start, end, on))
    return entries if len(entries) >= 2 else []


def entry_at(entries: list[Entry], at: int) -> Stated | None:
    """The date of the entry that holds `at`, if any."""
    return next((e.on for e in entries if e.start <= at < e.end), None)


_RECORD: Final = re.compile(
    r"\b(?:minutes|record|summary|summarises|summarizes|summarised|summarized|excerpts|"
    r"proceedings|account|reproduces|reproduced)\b",
    re.IGNORECASE,
)
_OCCASION: Final = re.compile(
    rf"\b(?:the\s+)?(?:(?P<weekday>{_WEEKDAY})['\u2019]s|{DAY_MONTH})\s+(?:[\w-]+\s+){{0,2}}?"
    r"(?:sitting|session|meeting|briefing|hearing|debate|proceedings|plenary|tally|tallies|"
    r"bulletins?)\b"
)
"""The occasion a record is of: "the 4 March sitting", "Tuesday's open briefing", "both of
Wednesday's tallies" (a reproduced tally or bulletin was issued that day)."""
_SENTENCE: Final = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
_INTRODUCTION_SENTENCES: Final = 4
"""How far into the text a record's introduction stands."""


def record_occasion(text: str, published: date) -> tuple[int, Stated] | None:
    """Where a record of one occasion begins to report its speech, and the occasion's day:
    the sentence of the introduction that calls the text minutes, a record or a summary of
    a dated sitting, meeting or briefing."""
    first_break = _PARAGRAPH_BREAK.search(text)
    pos = first_break.end() if first_break else 0  # past the headline
    for _ in range(_INTRODUCTION_SENTENCES):
        sentence = _SENTENCE.search(text, pos)
        if sentence is None:
            return None
        occasion = _OCCASION.search(text, sentence.start(), sentence.end())
        if occasion is not None and _RECORD.search(text, sentence.start(), sentence.end()):
            on = _occasion_day(occasion, published)
            return (sentence.end(), on) if on is not None else None
        pos = sentence.end()
    return None


def _occasion_day(occasion: re.Match[str], published: date) -> Stated | None:
    weekday = occasion.group("weekday")
    if weekday is None:
        return day_of_month(occasion.groupdict(), published)
    return Stated(weekday_before(weekday, published), "day")


_KEPT: Final = re.compile(
    r",?\s+(?:has\s+)?(?:kept|keeps|wrote|writes|has\s+written)\s+(?:this|the\s+following)\s+"
    r"(?:diary|journal|log|letter|notebook|account)\b"
)
_AUTHOR: Final = re.compile(
    r"(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?(?P<name>[A-Z][\w'\u2019.-]*(?:\s+[A-Z][\w'\u2019.-]*){1,3})"
)


def document_author(text: str, entries: list[Entry]) -> tuple[int, int] | None:
    """Who the text says kept or wrote the diary or letter it reproduces in dated entries
    ("Dr. Ana Ruiz, a surgeon with X, kept this diary"): the span of their name."""
    if not entries:
        return None
    kept = _KEPT.search(text, 0, entries[0].start)
    if kept is None:
        return None
    sentence_start = max(
        text.rfind(". ", 0, kept.start()) + 2, text.rfind(" - ", 0, kept.start()) + 3, 0
    )
    author = _AUTHOR.match(text, sentence_start, kept.start())
    return author.span("name") if author is not None else None


class Layout:
    """A text's dated entries, the occasion it is a record of, and the author of the diary it
    reproduces, read once."""

    def __init__(self, text: str, published: date | None) -> None:
        self.entries = dated_entries(text, published) if published else []
        self.occasion = record_occasion(text, published) if published else None
        self.author = document_author(text, self.entries)

    def said_on(self, at: int) -> Stated | None:
        """When a statement at `at` that gives no date of its own was made, by the layout:
        its entry's date, else the occasion of the record it is in."""
        if (on := entry_at(self.entries, at)) is not None:
            return on
        if self.occasion is not None and at >= self.occasion[0]:
            return self.occasion[1]
        return None

    def author_at(self, at: int) -> tuple[int, int] | None:
        """The diarist whose entry holds `at`, who states its unattributed figures."""
        return self.author if self.author and entry_at(self.entries, at) else None
