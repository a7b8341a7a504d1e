"""The date a claimant spoke on, from the words of its sentence (`when.py` reads the phrases).

The words right after the speech verb ("said on Monday", "told the court … on June 18"), a
document's own date ("a report … published last month said"), the occasion the sentence
opens with ("In a statement on Sunday, it said"), or a count of days from the last date
named ("Two days later, the army said"); never a date inside what was said."""

import re
from datetime import date
from typing import Final

from claimledger_server.extractions.issuers import SALUTATION
from claimledger_server.extractions.openers import TIME_OPENER
from claimledger_server.extractions.speaker_phrases import AT_THE_TIME
from claimledger_server.extractions.speakers import Found
from claimledger_server.extractions.when import (
    DATE_PHRASE,
    Stated,
    attribution_date,
    date_near,
    days_after_verb,
    days_later,
    resolve,
)

DATE_WINDOW: Final = 120
"""Characters after a speech verb searched for the date it was said on."""
_CLAUSE_END = re.compile(r",\s*(?:which|who|where)\b|\bthat\b")
_LEAD_IN = re.compile(
    r"\s*(?:In|At|On|During|Speaking|Addressing|Writing|Earlier|Later|Late|Early)\b[^,;]*,"
    r"(?:\s*(?:published|released|issued|dated)\b[^,;]*,)?"
)
"""A sentence that opens with the occasion ("In a statement on Sunday, it said…"), whose
date an aside may give ("In its annual report, published last month, the agency said")."""
_MAX_LEAD_IN_WORDS = 5
"""An opener without a preposition ("Last week,", "Two days later,") is that short; longer,
it is what the speaker said, and its date is the event's."""
_NEXT_TO_SPEAKER = re.compile(
    # an apposition that names the day again: "on May 24, the day after the attack, the …"
    r"\s*(?:(?:the|a)\s+(?:day|night|morning|evening|week)\s+(?:after|before)\s+[^,;]{1,40},\s*)?"
    # a role before the name: "In a statement posted on Wednesday, its spokesman, X, said"
    # "Speaking on Wednesday, the president of the traders' union of the port, X, said"
    r"(?:(?:its|his|her|their|the)\s+[\w'-]+(?:\s+[\w'-]+){0,9},\s*)?"
    # "a man presenting himself as the gang's leader said"
    r"(?:an?\s+[\w-]+\s+(?:presenting|describing|identifying|introducing)\s+"
    r"(?:himself|herself|themselves)\s+as\s+)?"
    r"(?:the\s+|a\s+|an\s+)?(?:governments?\s+of\s+(?:the\s+)?)?"
    r"(?:(?:it|he|she|they|we)\s+)?",
    re.IGNORECASE,
)
"""Between a lead-in's comma and the speaker: the lead-in dates the statement only when the
speaker comes right after it."""
_PARTICIPLE = re.compile(r"\s*,\s*(?:telling|saying|adding|speaking)\b")
"""A participle after the verb's phrase that goes on with the same statement ("gave a lower
toll, telling reporters on Thursday"): the words after it may date it."""
_PUBLISHED = re.compile(r"\b(?:published|released|issued|dated)\b")
_PUBLISHED_AFTER = re.compile(
    r"\s*(?:(?:figures|data|estimates|statistics|report|tally|count)\s*)?,?\s*"
    r"(?:published|released|issued|dated)\b"
)
"""A source's own date right after its name: "…, published in March 2023"."""


_IN_DOCUMENT = re.compile(
    r"\b(?:in|by)\s+(?:a|an|its|their)\s+(?:[\w-]+\s+)?(?:statement|report|bulletin|update|"
    r"communiqu\w+)(?:\s+(?:published|released|issued|posted))?\s+(?=on\s|last\s|earlier\s)"
)
"""The document a claim was made in, dated after what it says: "…called the plan a sham in
a statement on Saturday"."""
_AT_THE_TIME = re.compile(r"\s+" + AT_THE_TIME + r"\b")
_ASIDE_OCCASION = re.compile(
    r",\s*(?:in|at|during|speaking|writing|addressing|interviewed|quoted|cited)\b[^,;\"\u201c]{0,60},"
    # "X, which claimed the attack in a video posted on Saturday, said": the video it spoke in
    r"|,\s*(?:which|who)\s+(?:claimed|announced|admitted|denied)\b[^,;\"\u201c]{0,40}?\b(?:in|on)\s+"
    r"(?:a|an|its|their|his|her)\s+(?:[\w-]+\s+)?(?:video|statement|post|message|"
    r"communiqu\w+|broadcast)\b[^,;\"\u201c]{0,60},"
)
"""An aside between the speaker and the verb that names the occasion, or the statement the
speaker's relative clause says it made."""
_PUBLISHED_BEFORE = re.compile(
    r"\b(?:published|released|issued|presented)\b[^,;\"\u201c]{0,40}?\bby\s+(?:the\s+)?$"
)
"""A document dated where its author is named: "a report published on Thursday by X"."""


def statement_date(
    text: str, found: Found, sentence_start: int, end: int, published: date
) -> tuple[Stated | None, tuple[int, int] | None]:
    """When the speaker `found` in `text[sentence_start:end]` spoke, and where the sentence
    says so (no figure's period); (None, None) when it does not say."""
    stop = min(end, found.after + DATE_WINDOW)
    clause = _CLAUSE_END.search(text, found.after, stop)
    said_on = attribution_date(text, found.after, clause.start() if clause else stop)
    if said_on is None and (participle := _PARTICIPLE.match(text, found.after, stop)):
        # "gave a lower toll, telling reporters on Thursday that": the same statement
        said_on = attribution_date(text, participle.end(), clause.start() if clause else stop)
    if said_on is None and _PUBLISHED.search(text, found.end, found.after):
        # "a report … published last month said": the report's own date
        said_on = date_near(text, found.end, found.after)
    if said_on is None and (published_at := _PUBLISHED_AFTER.match(text, found.after, end)):
        # "according to the latest government figures, published in March 2023"
        said_on = attribution_date(text, published_at.end(), stop)
    if said_on is None and "," not in text[found.end : found.after]:
        said_on = date_near(text, found.end, found.after)  # "The Kremlin on Tuesday denied"
    if said_on is None:
        # "Your report of Nov. 3 put the toll at", "Monday's report by X said": its date
        said_on = _document_date(text, sentence_start, found.after)
    if said_on is None and (document := _IN_DOCUMENT.search(text, found.after, end)):
        # "…put the toll at 75,000 in a report published last month": the report's date
        dated = date_near(text, document.end(), end)
        said_on = dated if dated is not None and dated.start() == document.end() else None
    if said_on is None and (aside := _ASIDE_OCCASION.search(text, found.end, found.after)):
        # "The ministry, in a statement on Thursday, said", "X, speaking on Monday, told"
        said_on = date_near(text, *aside.span())
    own = date_near(text, sentence_start, found.end) if said_on is None else None
    if own is not None and own.group("weekday_of"):
        said_on = own  # "a caller to Sunday's phone-in said": the occasion's day
    document = _PUBLISHED_BEFORE.search(text, sentence_start, found.start)
    if said_on is None and document is not None:
        # "a report published on Thursday by the ministry said": the report's own date
        said_on = date_near(text, document.start(), found.start)
    if said_on is None and found.start > 0:
        said_on = _date_in_lead_in(text, found, sentence_start)
    if said_on is None and _AT_THE_TIME.match(text, found.end, end):
        # "an attack in October 2026 that killed 17, according to officials at the time":
        # they spoke when it happened, on the date the sentence gives it
        said_on = date_near(text, sentence_start, found.start)
    if said_on is None and _AT_THE_TIME.match(text, found.after, end):
        # "The army said at the time that …": it spoke when the event happened, on the date
        # the paragraph last gave
        paragraph = text.rfind("\n", 0, sentence_start) + 1
        said_on = next(reversed(list(DATE_PHRASE.finditer(text, paragraph, sentence_start))), None)
    if said_on is not None:
        return resolve(said_on, published), said_on.span()
    if (apart := days_after_verb(text, found.after, sentence_start, published)) is not None:
        return apart, None  # "The rebels had said the previous day that"
    if found.start > 0:  # "Two days later, the army said"
        return days_later(text, sentence_start, found.start, published), None
    return None, None


def _document_date(text: str, start: int, end: int) -> re.Match[str] | None:
    """The first date of `text[start:end]` when it is a document's own ("a report of March
    2", "Monday's statement by X")."""
    dated = date_near(text, start, end)
    if dated is None:
        return None
    return dated if dated["doc_month"] or dated["doc_month2"] or dated["weekday_doc"] else None


def _date_in_lead_in(text: str, found: Found, sentence_start: int) -> re.Match[str] | None:
    """ "In a statement on Sunday, it said", "On Monday, the ministry said": the date of the
    occasion the sentence opens with."""
    speaker_start = min([found.start, *(first for first, _ in found.members)])
    if (salutation := SALUTATION.match(text, sentence_start, speaker_start)) is not None:
        sentence_start = salutation.end()  # a letter's "Sir, In your report of May 2, you"
    lead_in = _LEAD_IN.match(text, sentence_start, speaker_start)
    opener = TIME_OPENER.match(text, sentence_start, speaker_start)
    if lead_in is None and opener is not None:
        lead_in_end = opener.end()  # "On Monday he said": no comma after the opener
    elif lead_in is not None:
        lead_in_end = lead_in.end()
    else:
        lead_in_end = text.rfind(",", sentence_start, speaker_start) + 1
        if lead_in_end <= sentence_start or "," in text[sentence_start : lead_in_end - 1]:
            return None
        if len(text[sentence_start:lead_in_end].split()) > _MAX_LEAD_IN_WORDS:
            return None  # "Five were killed … on Jan. 8, X told Y": what was said, dated
    if not _NEXT_TO_SPEAKER.fullmatch(text, lead_in_end, speaker_start):
        return None  # "Earlier in April, a strike … killed 20, according to …": the event's
    return date_near(text, sentence_start, lead_in_end)
